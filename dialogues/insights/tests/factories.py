"""Closed campaigns with answers, for the results tests."""

from itertools import cycle

from dialogues.experiences.domain.answering import find_invitee, submit
from dialogues.experiences.domain.mixing import close_campaign
from dialogues.experiences.tests.factories import open_test_campaign

# In the default guide: question 1 is open, question 2 closed, both about both concepts.
OPEN_QUESTION, CLOSED_QUESTION = 1, 2


def closed_test_campaign(
    org, *, answered=12, invited=15, choices=("yes", "no", "partly"), texts=None
):
    """A closed campaign of section S's employees, ``answered`` of whom answered well-being."""
    campaign, tokens = open_test_campaign(org, count=invited)
    picks = cycle(choices)
    for n, token in enumerate(tokens[:answered]):
        text = texts[n % len(texts)] if texts else f"Comment number {n}"
        answers = {
            str(OPEN_QUESTION): text,
            str(CLOSED_QUESTION): {"choice": next(picks), "why": ""},
        }
        submit(find_invitee(token), {"wellbeing": answers}, ["wellbeing"])
    close_campaign(campaign)
    campaign.refresh_from_db()
    return campaign
