"""What to change: the answers about adjusting the concepts, as ranked proposals per concept.

The proposals come from the guide's questions about what can be adjusted, what surprised
people and what they would like more of (``proposal_questions``). Each theme of their written
answers is a proposal; its weight in a concept is how many answered in that theme, and its
quotes are answers a reader may see. The themes are the analyst's, edits and all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dialogues.insights.domain import themes as theme_domain
from dialogues.insights.domain.comments import written_answers

# Words in a section's or a question's text (either language) that ask what to change.
SECTION_WORDS = ("adjust", "justere", "justeres")
QUESTION_WORDS = ("can be changed", "kan ændres", "more of", "mere af", "surprised", "overrasket")


def proposal_questions(snapshot: dict) -> list[dict]:
    """The open questions whose answers are proposals, in the guide's order."""
    chosen = []
    for section in snapshot.get("sections", []):
        title = " ".join(section["title"].values()).lower()
        in_section = any(word in title for word in SECTION_WORDS)
        for question in section["questions"]:
            text = " ".join(question["text"].values()).lower()
            if question["kind"] == "open" and (
                in_section or any(word in text for word in QUESTION_WORDS)
            ):
                chosen.append(question)
    return chosen


@dataclass
class Proposal:
    label: str
    question: dict
    count: int
    quotes: list = field(default_factory=list)

    @property
    def question_text(self) -> str:
        from dialogues.insights.pages import text_of

        return text_of(self.question["text"])


def proposals(campaign, publication, slice_, limit: int = 10) -> dict[str, list[Proposal]]:
    """Per concept kind, the proposals ranked by how many people wrote them (largest first)."""
    ranked: dict[str, list[Proposal]] = {kind: [] for kind in publication.concepts}
    for question in proposal_questions(campaign.guide_version.snapshot):
        answers = written_answers(campaign, publication, slice_, question)
        if not answers:
            continue
        if not theme_domain.themes_ready(campaign, question["id"]):
            continue
        answers = written_answers(campaign, publication, slice_, question)
        themes = [t for t in theme_domain.live_themes(campaign, question["id"]) if not t.no_content]
        for kind in publication.concepts:
            theirs = [answer for answer in answers if answer.concept == kind]
            for summary in theme_domain.summaries(themes, theirs, quotes=2):
                ranked[kind].append(
                    Proposal(summary.theme.label, question, summary.size, summary.quotes)
                )
    for kind in ranked:
        ranked[kind].sort(key=lambda proposal: -proposal.count)
        ranked[kind] = ranked[kind][:limit]
    return ranked
