"""LIKE Talk Award exports: one table by entry (aggregates, rank, per-criterion means, comments)
and one by judge (each score sheet with every criterion's score and comment, the weighted total
and the z-score). Organisers and managers only. A fixed number of statements: the results (four),
then categories, works, units, sheets, scores and judges."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.contest import Contest, ContestCategory, Score, ScoreSheet
from models.org import Unit
from models.user import User
from models.work import Work
from services.actor import Actor
from services.contests import results as contest_results
from services.contests.access import require_reads_everything
from services.contests.results import figure
from services.labels import label
from services.messages import Language, render
from services.settings import get_settings


@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    rows: list[list[Any]]


def _text(thai: str | None, english: str | None, language: Language) -> str:
    return (english if language == "en" and english else thai) or ""


async def tables(
    *, actor: Actor, contest: Contest, language: Language, only: str | None = None
) -> list[Table]:
    """Both tables, or ``only`` the one named ("entries" or "judges"): the other is neither
    built nor read for (the entries table needs no scores)."""
    require_reads_everything(actor)
    results = await contest_results.compute(contest)
    entries = [r.entry for r in results.entries]
    categories = {c.id: c for c in await ContestCategory.filter(contest_id=contest.id)}
    works = {w.id: w for w in await Work.filter(id__in=[e.work_id for e in entries])}
    units = {u.id: u for u in await Unit.filter(id__in=[e.unit_id for e in entries])}
    sheets = await ScoreSheet.filter(contest_id=contest.id).order_by("judge_id", "entry_id")
    scores: dict[tuple[int, int], Score] = (
        {(s.sheet_id, s.criterion_id): s for s in await Score.filter(sheet__contest_id=contest.id)}
        if only != "entries"
        else {}
    )
    judges = {u.id: u for u in await User.filter(id__in=[s.judge_id for s in sheets])}
    criteria = results.criteria
    t = lambda key: render(key, language)  # noqa: E731
    names = [_text(c.name_th, c.name_en, language) for c in criteria]
    by_id = {r.entry.id: r for r in results.entries}
    awards = {
        a["code"]: _text(a.get("label_th"), a.get("label_en"), language)
        for a in contest.award_levels
    }

    def entry_columns(entry_id: int) -> list[Any]:
        entry = by_id[entry_id].entry
        work = works[entry.work_id]
        category = categories[entry.category_id]
        return [
            _text(category.name_th, category.name_en, language),
            entry.id,
            work.registry_number or "",
            _text(work.title_th, work.title_en, language),
            units[entry.unit_id].code,
        ]

    base = [t(k) for k in ("xc_category", "xc_entry", "xc_registry", "xc_title", "xc_unit")]
    comments: dict[int, list[str]] = {}
    for sheet in sheets:
        if sheet.comment and sheet.entry_id in by_id:
            comments.setdefault(sheet.entry_id, []).append(
                f"{judges[sheet.judge_id].username}: {sheet.comment}"
            )
    entry_rows = []
    for result in results.entries if only != "judges" else []:
        means = {m.criterion_id: figure(m.mean) for m in result.criteria}
        entry_rows.append(
            [
                *entry_columns(result.entry.id),
                label(result.entry.status, language),
                result.count,
                figure(result.mean),
                figure(result.median),
                figure(result.std_dev),
                figure(result.normalised),
                result.disagreement,
                result.placing.rank,
                contest_results.reason_text(result, language),
                awards.get(result.entry.award_level or "", result.entry.award_level or ""),
                *(means.get(c.id) for c in criteria),
                "\n".join(comments.get(result.entry.id, [])),
            ]
        )
    by_entry = Table(
        name="entries",
        header=[
            *base,
            *(t(k) for k in ("xc_status", "xc_count", "xc_mean", "xc_median", "xc_std_dev")),
            *(t(k) for k in ("xc_normalised", "xc_disagreement", "xc_rank", "xc_rank_reason")),
            t("xc_award"),
            *(f"{t('xc_mean')}: {n}" for n in names),
            t("xc_comments"),
        ],
        rows=entry_rows,
    )
    totals = {j.sheet_id: j for r in results.entries for j in r.judges}
    judge_rows = []
    for sheet in sheets if only != "entries" else []:
        if sheet.entry_id not in by_id:
            continue
        judge = judges[sheet.judge_id]
        total = totals.get(sheet.id)
        cells: list[Any] = []
        for c in criteria:
            score = scores.get((sheet.id, c.id))
            cells += [score.value if score else None, (score.comment if score else None) or ""]
        judge_rows.append(
            [
                judge.username,
                judge.display_name,
                *entry_columns(sheet.entry_id),
                label(sheet.status, language),
                _local(sheet.submitted_at),
                *cells,
                sheet.comment or "",
                figure(total.total) if total else None,
                figure(total.z) if total else None,
                label(total.flag, language) if total and total.flag else "",
                by_id[sheet.entry_id].placing.rank,
            ]
        )
    by_judge = Table(
        name="judges",
        header=[
            t("xc_judge"),
            t("xc_judge_name"),
            *base,
            t("xc_sheet_status"),
            t("xc_submitted_at"),
            *(h for n in names for h in (n, f"{n}: {t('xc_comment')}")),
            t("xc_comment"),
            t("xc_total"),
            t("xc_z"),
            t("xc_flag"),
            t("xc_rank"),
        ],
        rows=judge_rows,
    )
    return [t for t in (by_entry, by_judge) if only is None or t.name == only]


def _local(moment: datetime | None) -> datetime | None:
    """Excel has no time zones: the time in Bangkok, as the units read it."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(get_settings().timezone)).replace(tzinfo=None)
