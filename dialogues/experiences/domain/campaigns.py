"""A campaign's life as HR runs it: defined (on a page or in a file), started, followed.

- ``start_campaign``: freeze the question guide as it stands and open the campaign.
- ``campaign_from_definition``: a whole campaign from a TOML or JSON file (``create_campaign``).
- ``response_rates``: who has answered, per reporting group, only where the counts allow it.
"""

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dialogues.experiences.domain.anonymity import (
    CampaignRefused,
    invitees_from_rounds,
    open_campaign,
)
from dialogues.experiences.domain.guide import freeze_guide
from dialogues.experiences.domain.invitee_list import add_invitee_list, read_invitee_list
from dialogues.experiences.domain.pools import Tree, build_pools
from dialogues.experiences.models import Campaign, QuestionGuide
from dialogues.experiences.rolegroups import ALL_ROLE_GROUPS, RoleGroup
from dialogues.organisation.models import Unit

__all__ = [
    "DefinitionRefused",
    "GroupRate",
    "campaign_from_definition",
    "response_rates",
    "start_campaign",
]


def start_campaign(campaign: Campaign, by=None) -> int:
    """Freeze the guide as it stands now and open the campaign; returns the invitee count.

    The invitations themselves go out from the campaign's opening date
    (``domain.mailing.send_invitations``).
    """
    if campaign.status != Campaign.Status.DRAFT:
        raise CampaignRefused(_("Only a draft campaign can be opened."))
    campaign.guide_version = freeze_guide(QuestionGuide.objects.default(), by=by)
    campaign.save(update_fields=["guide_version"])
    return len(open_campaign(campaign))


# --- a campaign from a file ------------------------------------------------------------------


class DefinitionRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


FIELDS = (
    "name",
    "concepts",
    "role_groups",
    "opens_on",
    "closes_on",
    "invitation_text_da",
    "invitation_text_en",
    "reminder_limit",
    "reminder_interval_days",
    "count_minimum",
    "comment_minimum",
    "sensitive_minimum",
)


def read_definition(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig")
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise DefinitionRefused(
            [_("The file cannot be read: %(error)s") % {"error": error}]
        ) from None


def _as_date(value, name: str, problems: list[str]):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(_("“%(name)s” must be a date (YYYY-MM-DD).") % {"name": name})
        return None


@dataclass
class Created:
    campaign: Campaign
    from_rounds: int = 0
    from_list: int = 0


def campaign_from_definition(data: dict, base: Path, by=None) -> Created:
    """Create a draft campaign and its invitees from a definition; nothing if anything is wrong.

    ``units`` are unit codes; ``[invitees]`` may say ``from_rounds = true`` and/or name a
    ``list`` file (CSV or XLSX, relative to the definition).
    """
    problems: list[str] = []
    unknown = set(data) - set(FIELDS) - {"units", "invitees"}
    if unknown:
        problems.append(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    values = {name: data[name] for name in FIELDS if name in data}
    for name in ("opens_on", "closes_on"):
        if name in values:
            values[name] = _as_date(values[name], name, problems)
        else:
            problems.append(_("“%(name)s” is missing.") % {"name": name})
    codes = data.get("units") or []
    units = list(Unit.objects.active().filter(code__in=codes))
    missing = sorted(set(codes) - {unit.code for unit in units})
    if not codes:
        problems.append(_("“units” is missing: give the codes of the units asked."))
    elif missing:
        problems.append(_("Unknown unit codes: %(codes)s") % {"codes": ", ".join(missing)})
    invitees = data.get("invitees") or {}
    if problems:
        raise DefinitionRefused(problems)
    with transaction.atomic():
        campaign = Campaign(created_by=by, **values)
        try:
            campaign.full_clean()
        except ValidationError as invalid:
            raise DefinitionRefused(
                [f"{name}: {' '.join(messages)}" for name, messages in invalid.message_dict.items()]
            ) from None
        campaign.save()
        campaign.units.set(units)
        created = Created(campaign)
        if invitees.get("from_rounds"):
            created.from_rounds = len(invitees_from_rounds(campaign))
        if invitees.get("list"):
            path = base / invitees["list"]
            if not path.is_file():
                raise DefinitionRefused([_("The list %(path)s is not there.") % {"path": path}])
            listed = read_invitee_list(campaign, path.read_bytes(), path.name)
            if not listed.ok:
                raise DefinitionRefused(listed.errors)
            created.from_list = add_invitee_list(campaign, listed)
    return created


# --- response rates --------------------------------------------------------------------------


@dataclass
class GroupRate:
    """A pool of reporting groups (``domain.pools``): its home unit, role group and counts."""

    unit: Unit
    role_group: str
    invited: int
    answered: int | None  # None: the whole tree has fewer than the minimum
    groups: int = 1  # the reporting groups in the pool

    @property
    def role_group_label(self) -> str:
        if self.role_group == ALL_ROLE_GROUPS:
            return _("All role groups")
        return str(RoleGroup(self.role_group).label)

    @property
    def share(self) -> float | None:
        return None if self.answered is None else self.answered / self.invited


@dataclass
class Rates:
    groups: list[GroupRate] = field(default_factory=list)
    invited: int = 0
    answered: int | None = None
    minimum: int = 0

    @property
    def share(self) -> float | None:
        return None if self.answered is None or not self.invited else self.answered / self.invited


def response_rates(campaign: Campaign) -> Rates:
    """Invited and answered per pool of reporting groups, never per smaller group.

    A reporting group with fewer than the minimum answers is counted together with others of
    its role group at the unit above (``domain.pools``), so every count shown is 0 or at least
    the minimum and no subtraction of two counts singles out a small group. Only when the
    whole campaign has fewer answers than the minimum is nothing shown.
    """
    minimum = campaign.count_minimum
    rows = (
        campaign.invitees.exclude(reporting_unit=None)
        .values_list("reporting_unit", "reporting_role_group")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(answered=True)))
        .order_by()
    )
    invited = {(unit, role): count for unit, role, count, _ in rows}
    answered = {(unit, role): count for unit, role, _, count in rows}
    tree = Tree(dict(Unit.objects.values_list("pk", "parent_id")))
    pools = build_pools(answered, tree, minimum)
    units = Unit.objects.in_bulk({pool.unit for pool in pools})
    groups = [
        GroupRate(
            units[pool.unit],
            pool.role_group,
            sum(invited[group] for group in pool.groups),
            pool.size if pool.shown else None,
            len(pool.groups),
        )
        for pool in pools
    ]
    rates = Rates(
        groups=sorted(groups, key=lambda g: (g.unit.lineage, g.role_group)),
        invited=sum(invited.values()),
        minimum=minimum,
    )
    if groups and all(group.answered is not None for group in groups):
        rates.answered = sum(group.answered for group in groups)
    return rates
