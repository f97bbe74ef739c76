"""Survey summary benchmark: a stakeholder survey with 10,000 answers (1,000 submitted responses
× 10 questions), summarised by SQL aggregation, on SQLite and optionally PostgreSQL.

    .venv/bin/python -m bench.survey_summary
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m bench.survey_summary

Each backend runs in a process of its own (Tortoise caches SQL per dialect) on a fresh, migrated
database: a temporary SQLite file, or a ``lohub_bench_*`` PostgreSQL database dropped afterwards.
Prints a table and writes the figures to bench/results/survey-summary-<UTC timestamp>.json. See
bench/README.md.
"""

import random
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench import harness
from bench.harness import timed

RESPONSES = 1000  # submitted; × 10 questions = 10,000 answers
DRAFTS = 100  # saved, not submitted: must not count
NOT_ANSWERED = 200  # invited, never answered
RUNS = 21  # timed summaries (median reported), after WARM_UP untimed ones
WARM_UP = 3
EXPORT_RUNS = 5
GROUPS = ("SERVICE_RECIPIENT", "STAKEHOLDER", "PARTNER", "OTHER")
TOPICS = ("การบริหารความเสี่ยง", "งานสารบรรณอิเล็กทรอนิกส์", "การคุ้มครองข้อมูลส่วนบุคคล")


def _design() -> Any:
    from services import surveys

    scale = {"kind": "RATING", "scale_min": 1, "scale_max": 5}
    questions: list[dict[str, Any]] = [
        {**scale, "text_th": f"ความรู้เรื่อง{topic} จำเป็นต่อท่านเพียงใด (ข้อ {n})", "topic_title_th": topic}
        for topic in TOPICS
        for n in (1, 2)
    ]
    channels = [{"value": f"c{i}", "label_th": f"ช่องทาง {i}"} for i in range(1, 5)]
    formats = [{"value": f"f{i}", "label_th": f"รูปแบบ {i}"} for i in range(1, 6)]
    questions += [
        {"kind": "SINGLE_CHOICE", "text_th": "ท่านติดต่อหน่วยงานทางใดบ่อยที่สุด", "choices": channels},
        {"kind": "SINGLE_CHOICE", "text_th": "ท่านต้องการรับข่าวสารทางใด", "choices": channels},
        {"kind": "MULTI_CHOICE", "text_th": "ท่านต้องการความรู้ในรูปแบบใด", "choices": formats},
        {"kind": "TEXT", "text_th": "ข้อเสนอแนะอื่น ๆ"},
    ]
    return surveys.parse_design(
        {"title_th": "สำรวจความต้องการ/ความคาดหวังต่อข้อมูลและความรู้ 2565", "questions": questions}
    )


async def seed() -> dict[str, Any]:
    """The survey, its invitations, responses and answers; rows written in bulk."""
    from models.survey import (
        ResponseStatus,
        Stakeholder,
        SurveyAnswer,
        SurveyInvitation,
        SurveyKind,
        SurveyQuestion,
        SurveyResponse,
    )
    from services import cycles, org, surveys
    from services.actor import SYSTEM

    rng = random.Random(2565)
    unit = await org.create_unit(
        actor=SYSTEM, data=org.NewUnit(code="OSD", name_th="สำนักงานเลขานุการกรม")
    )
    cycle = await cycles.create_cycle(
        actor=SYSTEM, unit_id=unit.id, fiscal_year=2565, start_date=date(2021, 10, 12)
    )
    survey = await surveys.create_survey(
        actor=SYSTEM, cycle_id=cycle.id, kind=SurveyKind.STAKEHOLDER_NEEDS, design=_design()
    )
    await surveys.change_status(actor=SYSTEM, survey_id=survey.id, action=surveys.SurveyAction.OPEN)
    questions = await SurveyQuestion.filter(survey_id=survey.id).order_by("position")
    people = RESPONSES + DRAFTS + NOT_ANSWERED
    await Stakeholder.bulk_create(
        [
            Stakeholder(unit_id=unit.id, name=f"ผู้ตอบ {i:05d}", group=GROUPS[rng.randrange(4)])
            for i in range(people)
        ],
        batch_size=500,
    )
    stakeholders = (
        await Stakeholder.filter(unit_id=unit.id).order_by("id").values_list("id", "group")
    )
    await SurveyInvitation.bulk_create(
        [
            SurveyInvitation(
                survey_id=survey.id, stakeholder_id=s, token_hash=secrets.token_hex(32)
            )
            for s, _ in stakeholders
        ],
        batch_size=500,
    )
    invitations = dict(
        await SurveyInvitation.filter(survey_id=survey.id).values_list("stakeholder_id", "id")
    )
    start = datetime(2021, 10, 20, 2, 0, tzinfo=UTC)
    await SurveyResponse.bulk_create(
        [
            SurveyResponse(
                survey_id=survey.id,
                invitation_id=invitations[s],
                group=group,
                status=ResponseStatus.SUBMITTED if i < RESPONSES else ResponseStatus.DRAFT,
                submitted_at=start + timedelta(minutes=7 * i) if i < RESPONSES else None,
            )
            for i, (s, group) in enumerate(stakeholders[: RESPONSES + DRAFTS])
        ],
        batch_size=500,
    )
    responses = await SurveyResponse.filter(survey_id=survey.id).values_list("id", "status")
    answers: list[SurveyAnswer] = []
    for response_id, status in responses:
        submitted = status == ResponseStatus.SUBMITTED
        for q in questions if submitted else questions[:5]:
            row = {"response_id": response_id, "question_id": q.id}
            if q.kind == "RATING":
                answers.append(SurveyAnswer(**row, rating=min(5, max(1, round(rng.gauss(3.6, 1))))))
            elif q.kind == "SINGLE_CHOICE":
                answers.append(SurveyAnswer(**row, choice=rng.choice(q.choices)["value"]))
            elif q.kind == "MULTI_CHOICE":
                chosen = rng.sample([c["value"] for c in q.choices], k=rng.choice((1, 1, 2)))
                answers += [SurveyAnswer(**row, choice=value) for value in sorted(chosen)]
            else:
                answers.append(SurveyAnswer(**row, text=f"ข้อเสนอแนะที่ {response_id}: ควรมีคู่มือ"))
    await SurveyAnswer.bulk_create(answers, batch_size=1000)
    submitted_rows = await SurveyAnswer.filter(response__status=ResponseStatus.SUBMITTED).count()
    return {
        "survey_id": survey.id,
        "questions": len(questions),
        "invited": len(stakeholders),
        "submitted_responses": RESPONSES,
        "draft_responses": DRAFTS,
        "answers_submitted": RESPONSES * len(questions),
        "answer_rows_submitted": submitted_rows,
        "answer_rows_total": len(answers),
    }


async def measure() -> dict[str, Any]:
    from api.exports import summary_workbook
    from models.user import Role
    from services import survey_summary
    from services.actor import Actor

    data = await seed()
    # An administrator with an account: the committee check runs (one statement) and
    # individual answers are allowed, as for the committee.
    actor = Actor(user_id=1, roles=frozenset({Role.ADMIN}))
    survey_id = data["survey_id"]
    summary = await survey_summary.summarise(actor=actor, survey_id=survey_id)
    assert summary.submitted == RESPONSES and summary.draft == DRAFTS, summary.rates
    assert sum(q.count for q in summary.questions) == data["answers_submitted"]
    figures: dict[str, Any] = {"data": data}
    figures["summarise"] = await timed(
        lambda: survey_summary.summarise(actor=actor, survey_id=survey_id),
        runs=RUNS,
        warm_up=WARM_UP,
    )

    async def export() -> bytes:
        s = await survey_summary.summarise(actor=actor, survey_id=survey_id)
        responses = await survey_summary.submitted_responses(summary=s)
        return summary_workbook(s, responses, "th")

    figures["export_xlsx"] = await timed(export, runs=EXPORT_RUNS, warm_up=WARM_UP)
    figures["export_xlsx"]["bytes"] = len(await export())
    return figures


def print_table(figures: dict[str, Any]) -> None:
    harness.print_heading(figures, "survey summary")
    for backend, result in figures["backends"].items():
        data = result["data"]
        print(
            f"\n{result['server']}: {data['submitted_responses']:,} submitted responses × "
            f"{data['questions']} questions = {data['answers_submitted']:,} answers "
            f"({data['answer_rows_submitted']:,} rows; {data['draft_responses']} drafts and "
            f"{data['answer_rows_total'] - data['answer_rows_submitted']} draft rows left out)"
        )
        harness.print_timings(
            result,
            (
                ("summarise", "summarise()"),
                ("export_xlsx", "XLSX export (+ Answers)"),
            ),
            width=34,
        )
        print(f"{'':<34}XLSX size {result['export_xlsx']['bytes']:,} bytes  ({backend})")


def main() -> None:
    harness.main(
        module="bench.survey_summary",
        doc=__doc__,
        measure=measure,
        print_table=print_table,
        results_prefix="survey-summary",
    )


if __name__ == "__main__":
    main()
