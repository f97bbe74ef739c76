"""Survey exports: ``GET /exports/surveys/{survey global id}.xlsx`` answers an Excel workbook of
a survey's summary to a client sending its ``Authorization: Bearer`` access token, or following
a link signed for its viewer (``SurveySummary.xlsxUrl``, ``?lang=th|en``).

The "Summary" sheet holds the response rates, each question's statistics and distribution, and
the knowledge topics' means; the "Answers" sheet one row per submitted response and one column
per question — individual answers, so only for the unit's committee and administrators (a
manager's workbook has no such sheet). Anyone else is refused, as `Survey.summary` is.

401 without a valid token or link (checked before the lookup), 403 when the viewer may not see
the summary, 404 for an id that is malformed or unknown. Headings follow the link's ``lang``,
else ``Accept-Language`` (Thai by default); Thai text is stored as Unicode and every text is
written as text, never as a formula, whatever it starts with.
"""

import asyncio
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from strawberry import relay
from strawberry.relay import GlobalIDValueError

from api.context import get_context
from api.export_links import export_language, export_viewer
from api.workbooks import XLSX_MEDIA_TYPE, Sheet, Styled, workbook_bytes
from models.survey import QuestionKind, StakeholderGroup, SurveyQuestion
from schema.inputs import node_id
from schema.surveys import SurveyNode
from services import survey_summary
from services.errors import AuthError, DomainError, Unauthenticated
from services.labels import label
from services.messages import Language, render
from services.settings import get_settings
from services.signed_links import LinkFor
from services.storage import content_disposition
from services.survey_summary import ResponseRow, Summary

router = APIRouter()

# Characters Windows and macOS do not allow in file names.
_NOT_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_PERCENT = "0.0%"
_DECIMAL = "0.00"
_DATETIME = "yyyy-mm-dd hh:mm"


@router.get("/exports/surveys/{survey_id}.xlsx", include_in_schema=False)
async def survey_workbook(request: Request, survey_id: str) -> Response:
    context = await get_context(request)
    language = export_language(request, context)
    pk = _survey_pk(survey_id)
    actor = await export_viewer(request, context, LinkFor.SURVEY_EXPORT, pk)
    if actor is None:
        message = render(context.auth_problem or "unauthenticated", language)
        return _refusal(401, message, {"WWW-Authenticate": "Bearer"})
    if pk is None:
        return _not_found(language)
    try:
        summary = await survey_summary.summarise(actor=actor, survey_id=pk)
        responses = (
            await survey_summary.submitted_responses(summary=summary)
            if summary.can_see_answers
            else None
        )
    except Unauthenticated as refusal:
        return _refusal(401, render(refusal.message_key, language), {"WWW-Authenticate": "Bearer"})
    except AuthError as refusal:
        return _refusal(403, render(refusal.message_key, language, refusal.params))
    except DomainError:
        return _not_found(language)
    # Building the file is CPU work: off the event loop.
    data = await asyncio.to_thread(summary_workbook, summary, responses, language)
    return Response(
        data,
        media_type=XLSX_MEDIA_TYPE,
        headers={
            "Content-Disposition": content_disposition(filename_of(summary)),
            "X-Content-Type-Options": "nosniff",
            # Individual answers and personal data: not to be kept by shared caches.
            "Cache-Control": "private, no-store",
        },
    )


def filename_of(summary: Summary) -> str:
    title = _NOT_IN_FILENAME.sub("_", summary.survey.title_th).strip(" ._")[:100]
    return (
        f"survey-{summary.survey.id}-{title}.xlsx" if title else f"survey-{summary.survey.id}.xlsx"
    )


def summary_workbook(
    summary: Summary, responses: list[ResponseRow] | None, language: Language
) -> bytes:
    """The summary, and the written answers when the viewer may read them."""
    sheets = [Sheet("Summary", _summary_rows(summary, language))]
    if responses is not None:
        sheets.append(Sheet("Answers", _answer_rows(summary, responses, language)))
    return workbook_bytes(sheets)


def _summary_rows(summary: Summary, language: Language) -> Iterator[list[Any]]:
    def t(key: str) -> str:
        return render(key, language)

    survey = summary.survey
    yield [
        t("export_survey"),
        survey.title_th if language == "th" else survey.title_en or survey.title_th,
    ]
    yield [t("export_kind"), label(survey.kind, language)]
    yield [t("export_status"), label(survey.status, language)]
    yield []
    yield [t("export_rates")]
    yield [
        *(t(k) for k in ("export_group", "export_invited", "export_draft", "export_submitted")),
        t("export_rate"),
    ]
    yield from (
        [
            _group(r.group, language),
            r.invited,
            r.draft,
            r.submitted,
            Styled(r.rate, number_format=_PERCENT),
        ]
        for r in summary.rates
    )
    yield [
        t("export_total"),
        summary.invited,
        summary.draft,
        summary.submitted,
        Styled(summary.rate, number_format=_PERCENT),
    ]
    yield []
    yield [t("export_questions")]
    yield [
        *(t(k) for k in ("export_position", "export_question", "export_kind", "export_count")),
        *(t(k) for k in ("export_mean", "export_median", "export_value", "export_label")),
        t("export_count"),
        t("export_share"),
    ]
    for stats in summary.questions:
        q = stats.question
        yield [
            q.position,
            _text(q.text_th, q.text_en, language),
            label(q.kind, language),
            stats.count,
            Styled(stats.mean, number_format=_DECIMAL),
            stats.median,
        ]
        for b in stats.distribution:
            meaning = _text(b.label_th, b.label_en, language)
            yield [
                q.position,
                *([None] * 5),
                b.rating if b.rating is not None else b.value,
                meaning,
                b.count,
                Styled(b.share, number_format=_PERCENT),
            ]
    if summary.topics:
        yield []
        yield [t("export_topics")]
        measure = summary.topics[0].measure
        yield [t("export_topic"), t(f"export_measure_{measure.value}"), t("export_count")]
        for topic in summary.topics:
            title = _text(topic.topic.title_th, topic.topic.title_en, language)
            yield [title, Styled(topic.mean, number_format=_DECIMAL), topic.count]


def _answer_rows(
    summary: Summary, responses: Iterable[ResponseRow], language: Language
) -> Iterator[list[Any]]:
    questions = [s.question for s in summary.questions]
    yield [
        render("export_response", language),
        render("export_group", language),
        render("export_submitted_at", language),
        *(f"{q.position}. {_text(q.text_th, q.text_en, language)}" for q in questions),
    ]
    zone = ZoneInfo(get_settings().timezone)
    for number, response in enumerate(responses, start=1):
        submitted_at = response.submitted_at
        yield [
            number,
            _group(response.group, language),
            # Excel has no time zones: the local time where the units work.
            Styled(
                submitted_at.astimezone(zone).replace(tzinfo=None) if submitted_at else None,
                number_format=_DATETIME,
            ),
            *(_answer(q, response.answers.get(q.id), language) for q in questions),
        ]


def _answer(question: SurveyQuestion, answer: Any, language: Language) -> Any:
    if isinstance(answer, list) and question.kind != QuestionKind.TEXT:
        labels = {
            c["value"]: _text(c.get("label_th"), c.get("label_en"), language)
            for c in question.choices
        }
        return "; ".join(labels.get(value) or value for value in answer)
    return answer


def _group(group: StakeholderGroup | None, language: Language) -> str:
    """A stakeholder group, or the unit's own staff (who answer a self-assessment)."""
    return label(group, language) if group is not None else render("export_staff", language)


def _text(thai: str | None, english: str | None, language: Language) -> str | None:
    return english if language == "en" and english else thai


def _survey_pk(survey_id: str) -> int | None:
    """The database id in a Survey's global id; None for anything else."""
    try:
        return node_id(relay.GlobalID.from_id(survey_id), SurveyNode)
    except (GlobalIDValueError, DomainError):
        return None


def _not_found(language: Language) -> Response:
    return _refusal(404, render("not_found", language, {"what": "แบบสำรวจ", "what_en": "Survey"}))


def _refusal(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    # The same error shape as the rest of the API.
    return Response(
        json.dumps({"errors": [{"message": message}]}, ensure_ascii=False),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )
