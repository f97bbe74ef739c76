"""Committee meetings (steps 2 and 12, and the monthly meetings of step 11's report).

The unit lead records a meeting with its attendees, agenda and decisions; a meeting that serves
a step can complete it in the same transaction (the step's own rules apply).
"""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.cycle import Cycle, CycleStep
from models.meeting import Meeting, MeetingAttendee, MeetingKind
from models.org import Person
from services import audit
from services.actor import Actor
from services.cycles import StepAction, transition
from services.errors import DomainError, ErrorCode, not_found
from services.fiscal import FiscalYear
from services.permissions import readable_by_anyone_signed_in, require_unit_lead

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class NewMeeting(BaseModel):
    model_config = ConfigDict(frozen=True)
    cycle_id: int
    kind: MeetingKind
    held_on: date
    title_th: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    agenda: list[Line] = Field(default_factory=list)
    decisions: list[Line] = Field(default_factory=list)
    attendee_ids: list[int] = Field(default_factory=list)
    step_id: int | None = None
    completes_step: bool = False
    override_missing_documents: bool = False
    reason: str | None = None


async def create_meeting(*, actor: Actor, data: NewMeeting) -> Meeting:
    cycle = await Cycle.get_or_none(id=data.cycle_id)
    if cycle is None:
        raise not_found("cycle", "รอบการดำเนินงาน", "Cycle")
    await require_unit_lead(actor, cycle.unit_id)
    year = FiscalYear(cycle.fiscal_year)
    if not year.contains(data.held_on):
        raise DomainError.of(
            ErrorCode.INVALID_INPUT,
            "outside_fiscal_year",
            field=("heldOn",),
            day=data.held_on.isoformat(),
            year=year.be,
        )
    attendees = set(data.attendee_ids)
    if len(attendees) != await Person.filter(id__in=attendees).count():
        raise not_found("attendees", "บุคลากร", "Person")
    if data.completes_step and data.step_id is None:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("step",))
    async with in_transaction() as connection:
        step = None
        if data.step_id is not None:
            step = (
                await CycleStep.filter(id=data.step_id, cycle_id=cycle.id)
                .select_for_update()
                .using_db(connection)
                .first()
            )
            if step is None:
                raise not_found("step", "ขั้นตอน", "Step")
        meeting = await Meeting.create(
            **data.model_dump(
                include={
                    "cycle_id",
                    "kind",
                    "held_on",
                    "title_th",
                    "agenda",
                    "decisions",
                    "step_id",
                }
            ),
            using_db=connection,
        )
        await MeetingAttendee.bulk_create(
            [MeetingAttendee(meeting_id=meeting.id, person_id=p) for p in sorted(attendees)],
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="meeting.create",
            object_type="Meeting",
            object_id=meeting.id,
            after=data.model_dump(mode="json"),
            connection=connection,
        )
        if step is not None and data.completes_step:
            await transition(
                actor=actor,
                step=step,
                action=StepAction.COMPLETE,
                reason=data.reason,
                override_missing_documents=data.override_missing_documents,
                on=data.held_on,
                connection=connection,
            )
    return meeting


# -- read rules -----------------------------------------------------------------------------------


def visible_meetings(actor: Actor) -> QuerySet[Meeting]:
    """Meetings, attendees and decisions: anyone signed in (minutes are shared within the
    department)."""
    return readable_by_anyone_signed_in(actor, Meeting.all())
