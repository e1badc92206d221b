"""Experience campaigns for the demo: a closed one full of answers and an open one to try.

``create_demo_campaigns()`` (run by ``load_demo`` after the rounds) creates, with the default
question guide frozen:

- a *closed* campaign for the whole university, some eight months back: every active person
  invited (preset concepts from the held rounds they took part in), about three in four
  answered, one ``Response`` per concept answered, written as the mixer writes them (in random
  order, carrying only the invitee's reporting group), and a dozen group interviews recorded by
  HR. Choices and comments vary by concept, department and role group (``answers``); the
  comments, in Danish and English, come from the bank in ``comments``;
- an *open* campaign for the units with held rounds, opened a week ago: invitees from the
  rounds, some of whom answered through the real ``submit``, two with drafts, and the demo
  employee with a fixed link (``DEMO_ANSWER_TOKEN``: ``/experiences/answer/demo-answer-link/``).

The campaigns are found by name: calling it again creates nothing, and only gives the fixed link
to a fresh invitee if someone has answered through it (``restore_demo_link``).
``comments.comment_samples`` gives the bank's comments with their language and theme, which the
database never stores, for benchmarks.
"""

from dialogues.experiences.demo.campaigns import (
    CLOSED_NAME,
    DEMO_ANSWER_TOKEN,
    OPEN_NAME,
    DemoCampaigns,
    create_demo_campaigns,
    demo_link_url,
    restore_demo_link,
)
from dialogues.experiences.demo.comments import comment_samples

__all__ = [
    "CLOSED_NAME",
    "DEMO_ANSWER_TOKEN",
    "OPEN_NAME",
    "DemoCampaigns",
    "comment_samples",
    "create_demo_campaigns",
    "demo_link_url",
    "restore_demo_link",
]
