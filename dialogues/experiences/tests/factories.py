"""Small builders shared by the experiences tests and the site-wide access matrix."""

from datetime import timedelta

from django.utils import timezone

from dialogues.experiences.domain.anonymity import open_campaign
from dialogues.experiences.domain.guide import freeze_guide
from dialogues.experiences.models import Campaign, CampaignInvitee, QuestionGuide
from dialogues.experiences.rolegroups import RoleGroup


def open_test_campaign(org, *, count=7, preset=("wellbeing",), language="en", **fields):
    """An open campaign of both concepts for ``count`` invitees of section S; (campaign, tokens).

    The tokens are in the invitees' creation order.
    """
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Experiences",
        guide_version=freeze_guide(QuestionGuide.objects.default()),
        concepts=["wellbeing", "leadership"],
        opens_on=fields.pop("opens_on", today - timedelta(days=1)),
        closes_on=fields.pop("closes_on", today + timedelta(days=14)),
        **fields,
    )
    campaign.units.add(org.university)
    invitees = [
        CampaignInvitee(
            campaign=campaign,
            email=f"p{n}@example.org",
            unit=org.section,
            role_group=RoleGroup.EMPLOYEE,
            language=language,
            preset_concepts=list(preset),
        )
        for n in range(count)
    ]
    tokens = open_campaign(campaign, invitees)
    campaign.refresh_from_db()
    return campaign, [tokens[invitee.pk] for invitee in invitees]
