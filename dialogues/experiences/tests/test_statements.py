"""The hand-written lookup of a link gives what the ORM would, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogues.experiences.domain.anonymity import token_hash
from dialogues.experiences.domain.answering import find_invitee, save_draft
from dialogues.experiences.domain.statements import invitee_by_hash
from dialogues.experiences.models import CampaignInvitee
from dialogues.experiences.tests.factories import open_test_campaign

pytestmark = pytest.mark.django_db


def test_the_lookup_matches_the_orm_and_caches_the_relations(org):
    campaign, tokens = open_test_campaign(org, preset=("wellbeing", "leadership"))
    save_draft(find_invitee(tokens[1]), {"wellbeing": {"1": "x"}}, ["wellbeing"])
    for token, has_draft in ((tokens[0], False), (tokens[1], True)):
        with CaptureQueriesContext(connection) as queries:
            found = invitee_by_hash(token_hash(token))
            version = found.campaign.guide_version
            snapshot = version.snapshot
        assert len(queries) == 1
        expected = CampaignInvitee.objects.select_related("campaign__guide_version").get(
            token_hash=token_hash(token)
        )
        for model_field in CampaignInvitee._meta.concrete_fields:
            name = model_field.attname
            assert getattr(found, name) == getattr(expected, name), name
        assert found.campaign.opens_on == campaign.opens_on  # a date, not a string
        assert found.campaign.concepts == ["wellbeing", "leadership"]
        assert found.preset_concepts == ["wellbeing", "leadership"]
        assert found.answered is False and found.has_draft is has_draft
        assert snapshot == expected.campaign.guide_version.snapshot
    assert invitee_by_hash(token_hash("forged")) is None
