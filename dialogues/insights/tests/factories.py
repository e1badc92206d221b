"""Closed campaigns with answers, for the results tests."""

from itertools import cycle

from dialogues.experiences.domain.answering import find_invitee, submit
from dialogues.experiences.domain.mixing import close_campaign
from dialogues.experiences.tests.factories import open_test_campaign

# In the default guide as seeded: question 1 is open, question 2 closed, both about both
# concepts. (The browser tests reseed the guide, so its ids move: use ``first_questions``.)
OPEN_QUESTION, CLOSED_QUESTION = 1, 2


def first_questions(campaign) -> tuple[int, int]:
    """The ids of the guide's first open and first closed question."""
    questions = [q for s in campaign.guide_version.snapshot["sections"] for q in s["questions"]]
    first_open = next(q["id"] for q in questions if q["kind"] == "open")
    first_closed = next(q["id"] for q in questions if q["kind"] == "closed")
    return first_open, first_closed


def closed_test_campaign(
    org, *, answered=12, invited=15, choices=("yes", "no", "partly"), texts=None
):
    """A closed campaign of section S's employees, ``answered`` of whom answered well-being."""
    campaign, tokens = open_test_campaign(org, count=invited)
    open_question, closed_question = first_questions(campaign)
    picks = cycle(choices)
    for n, token in enumerate(tokens[:answered]):
        text = texts[n % len(texts)] if texts else f"Comment number {n}"
        answers = {
            str(open_question): text,
            str(closed_question): {"choice": next(picks), "why": ""},
        }
        submit(find_invitee(token), {"wellbeing": answers}, ["wellbeing"])
    close_campaign(campaign)
    campaign.refresh_from_db()
    return campaign
