"""The written answers a slice may show, with HR's redactions applied and flags worked out.

Which answers: those of the pools the slice takes at the comments level (or the sensitive
level), so the same rule decides the figures and the texts. In what order: by the answer's
random key, a random order that stays put. Without dates and without groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from dialogues.experiences.models import Answer
from dialogues.insights.domain import identifying
from dialogues.insights.domain.publication import SOURCES, Publication
from dialogues.insights.domain.results import ALL_SOURCES, Slice, level_of, pools_of


@dataclass
class WrittenAnswer:
    id: UUID
    original: str
    concept: str
    choice: str
    flags: list = field(default_factory=list)
    redacted: str | None = None  # HR's version; "" withholds the answer from every reader
    cleared: bool = False
    theme_id: int | None = None

    @property
    def text(self) -> str:
        return self.original if self.redacted is None else self.redacted

    @property
    def withheld(self) -> bool:
        return self.redacted == ""

    @property
    def awaiting_review(self) -> bool:
        """Flagged, and HR has neither redacted, withheld nor cleared it."""
        return bool(self.flags) and self.redacted is None and not self.cleared

    @property
    def readable(self) -> bool:
        """Whether someone other than HR's analysts may read it, and a report may quote it."""
        return not self.withheld and not self.awaiting_review


def groups_of(publication: Publication, slice_: Slice, concept: str, question: dict) -> set:
    """(reporting group, source) of every pool the slice takes for the question's texts."""
    pools = pools_of(publication, slice_, concept, level_of(question, written=True))
    return {(group, sums.source) for sums in pools for group in sums.pool.groups}


def written_answers(
    campaign, publication: Publication, slice_: Slice, question: dict, concepts=None
) -> list[WrittenAnswer] | None:
    """The slice's written answers to ``question`` (None: too few people to show any)."""
    concepts = [c for c in (concepts or publication.concepts) if c in publication.concepts]
    allowed = {concept: groups_of(publication, slice_, concept, question) for concept in concepts}
    if not any(allowed.values()):
        return None
    sources = SOURCES if slice_.source == ALL_SOURCES else (slice_.source,)
    rows = (
        Answer.objects.filter(
            response__campaign=campaign,
            response__concept__in=concepts,
            response__source__in=sources,
            question_id=question["id"],
        )
        .exclude(text="")
        .order_by("pk")
        .values_list(
            "pk",
            "text",
            "choice",
            "response__concept",
            "response__reporting_unit",
            "response__reporting_role_group",
            "response__source",
            "redaction__text",
            "redaction__cleared",
            "theme_assignment__theme",
        )
    )
    names = identifying.organisation_names()
    found = []
    for pk, text, choice, concept, unit, role, source, redacted, cleared, theme in rows:
        if ((unit, role), source) not in allowed[concept]:
            continue
        found.append(
            WrittenAnswer(
                pk,
                text,
                concept,
                choice,
                identifying.flags(text, names),
                # No redaction row: both None. Cleared: the original stands.
                None if cleared is None or cleared else redacted,
                bool(cleared),
                theme,
            )
        )
    return found
