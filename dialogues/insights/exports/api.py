"""The JSON of the read-only API, built from the rows of ``tabular`` (so from pools only).

No value is ever null: a figure held back (too few answers) is a key left out, and a drill-down
row or question with no figure at all is left out whole. ``openapi.py`` describes these shapes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable

from django.utils import timezone

from dialogues.experiences.models import Choice
from dialogues.insights.domain.results import Slice
from dialogues.insights.exports.tabular import (
    ChoiceRow,
    CommentsRow,
    RateRow,
    RespondentsRow,
    result_rows,
)
from dialogues.insights.pages import ResultsPage


def minimums(campaign) -> dict:
    return {
        "counts": campaign.count_minimum,
        "comments": campaign.comment_minimum,
        "sensitive": campaign.sensitive_minimum,
    }


def campaign_json(campaign, concepts: list[tuple[str, str]], results_url: str) -> dict:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "opens_on": campaign.opens_on.isoformat(),
        "closes_on": campaign.closes_on.isoformat(),
        "concepts": [{"kind": kind, "name": name} for kind, name in concepts],
        "minimums": minimums(campaign),
        "results": results_url,
        "answers_deleted_on": (
            None
            if campaign.answers_deleted_at is None
            else timezone.localdate(campaign.answers_deleted_at).isoformat()
        ),
    }


def slice_json(slice_: Slice, page: ResultsPage) -> dict:
    found = {"source": slice_.source, "own": slice_.own}
    if slice_.unit is not None:
        found.update(unit=slice_.unit, unit_name=page.unit_name(slice_.unit))
    if slice_.role_group is not None:
        found["role"] = slice_.role_group
    return found


def _figures(rows) -> dict:
    """The respondents per concept and the response rate among ``rows`` (left out if none)."""
    figures: dict = {}
    for row in rows:
        if isinstance(row, RespondentsRow):
            figures.setdefault("respondents", {})[row.concept] = row.respondents
        elif isinstance(row, RateRow):
            figures["response_rate"] = _rate(row)
    return figures


def _rate(row: RateRow) -> dict:
    return {"answered": row.answered, "invited": row.invited, "percent": row.percent}


def _questions(publication, rows) -> list[dict]:
    """The questions of one concept that have a figure, in the guide's order."""
    found: dict[int, dict] = {}
    labels = dict(Choice.choices)
    for row in rows:
        question = publication.questions[row.question]
        entry = found.setdefault(
            row.question,
            {
                "id": row.question,
                "kind": question["kind"],
                "sensitive": bool(question.get("sensitive")),
                "text": dict(question.get("text", {})),
            },
        )
        if isinstance(row, ChoiceRow):
            entry["respondents"], entry["answered"] = row.respondents, row.answered
            entry.setdefault("choices", []).append(
                {
                    "choice": row.choice,
                    "label": str(labels.get(row.choice, row.choice)),
                    "count": row.count,
                    "percent": row.percent,
                }
            )
        elif isinstance(row, CommentsRow):
            entry["comments"] = row.comments
    order = list(publication.questions)
    return sorted(found.values(), key=lambda entry: order.index(entry["id"]))


def results_json(
    campaign,
    publication,
    slice_: Slice,
    concepts: list[tuple[str, str]],
    visible: Callable[[Hashable], bool] | None = None,
) -> dict:
    """The figures of ``slice_`` and of the drill-down rows below it, by unit and role group."""
    page = ResultsPage(publication, slice_, {}, concepts)
    own = list(result_rows(publication, [slice_], questions=True, comments=True))
    units = [
        (label, below)
        for label, below, _link in page.unit_slices()
        if visible is None or visible(below.unit)
    ]
    roles = page.role_slices()
    by_slice = defaultdict(list)
    for row in result_rows(publication, [s for _, s in units + roles], questions=False):
        by_slice[row.slice].append(row)

    found = {
        "campaign": {"id": campaign.pk, "name": campaign.name},
        "slice": slice_json(slice_, page),
        "minimums": minimums(campaign),
    }
    rate = next((row for row in own if isinstance(row, RateRow)), None)
    if rate is not None:
        found["response_rate"] = _rate(rate)
    found["concepts"] = []
    for kind, name in concepts:
        entry = {"kind": kind, "name": name}
        mine = [row for row in own if getattr(row, "concept", None) == kind]
        counted = next((row for row in mine if isinstance(row, RespondentsRow)), None)
        if counted is not None:
            entry["respondents"] = counted.respondents
        entry["questions"] = _questions(
            publication, [row for row in mine if isinstance(row, ChoiceRow | CommentsRow)]
        )
        found["concepts"].append(entry)
    found["by_unit"] = []
    for label, below in units:
        figures = _figures(by_slice[below])
        if figures:
            found["by_unit"].append(
                {"unit": below.unit, "own": below.own, "label": label, **figures}
            )
    found["by_role"] = []
    for label, below in roles:
        figures = _figures(by_slice[below])
        if figures:
            found["by_role"].append({"role": below.role_group, "label": label, **figures})
    return found
