"""The anonymity rules of the experience campaigns, in one place (docs/anonymity.md).

- ``role_group_of``: the role group a person answers in.
- ``reporting_groups``: the coarse (unit, role group) each invitee's answer will be stored under,
  so that every group holds at least the counts minimum of invitees.
- ``token_hash``: the only form of a personal link's secret that is stored (``domain.links``).
- ``open_campaign`` / ``invitees_from_rounds``: a campaign's invitees and its opening.
"""

import hashlib
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from dialogues.concepts.models import Concept
from dialogues.experiences.models import Campaign, CampaignInvitee
from dialogues.experiences.rolegroups import ALL_ROLE_GROUPS, RoleGroup
from dialogues.organisation.models import RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.rounds.models import Invitation, Round

__all__ = [
    "ALL_ROLE_GROUPS",
    "CampaignRefused",
    "RoleGroup",
    "TooFewInvitees",
    "invitees_from_rounds",
    "open_campaign",
    "reporting_groups",
    "role_group_of",
    "token_hash",
]


class CampaignRefused(Exception):
    """The campaign cannot take this step; the message says why."""


class TooFewInvitees(CampaignRefused):
    """Not even the whole organisation (a root unit's tree) reaches the counts minimum."""

    def __init__(self, unit, count: int, minimum: int):
        self.unit, self.count, self.minimum = unit, count, minimum
        super().__init__(
            _(
                "Only %(count)d people are invited under %(unit)s; answers need at least "
                "%(minimum)d so that nobody can be singled out."
            )
            % {"count": count, "unit": unit, "minimum": minimum}
        )


# --- role groups -------------------------------------------------------------------------------

_MANAGING = {Role.MANAGER, Role.DIRECTOR}
_REPRESENTING = {Role.AMR, Role.TR}
_COMMITTEES = {Role.LSU_MEMBER, Role.LSU_VICE_CHAIR, Role.AMK_MEMBER}
_HR = {Role.HR_PARTNER, Role.HR_ADMIN}


def role_group_of(person, round=None, roles: Iterable[str] | None = None) -> str:
    """The role group ``person`` answers in; the first that applies wins.

    With a round: its manager is a manager; anyone else took part in it as a participant, even
    if they manage a unit elsewhere. Without a round, holding the manager or director role
    makes a manager. Then AMR/TR → representative, LSU/AMK → committee, HR partner or
    administrator → hr, otherwise employee. ``roles`` (the person's role values) saves a query
    per person when the caller has them already.
    """
    if round is not None and round.manager_id == person.pk:
        return RoleGroup.MANAGER
    held = set(roles) if roles is not None else set(person.role_units)
    if round is None and held & _MANAGING:
        return RoleGroup.MANAGER
    if held & _REPRESENTING:
        return RoleGroup.REPRESENTATIVE
    if held & _COMMITTEES:
        return RoleGroup.COMMITTEE
    if held & _HR:
        return RoleGroup.HR
    return RoleGroup.EMPLOYEE


# --- reporting groups ----------------------------------------------------------------------------


def reporting_groups(
    invitees: Sequence[tuple[Hashable, Any, str]], minimum: int
) -> dict[Hashable, tuple[Any, str]]:
    """The reporting group (unit, role group or "all") of every invitee ``(key, unit, group)``.

    Units need only ``pk`` and ``parent`` (None at a root); keys must be distinct. No database:
    pass units whose parents are already loaded. The rule, unit by unit, deepest first, where a
    unit's *pool* holds, per role group, its own invitees plus any sent up from below:

    1. every role group of the pool with at least ``minimum`` stays here as its own group;
    2. each smaller role group goes up to the parent *whole*, keeping its role group, and joins
       the parent's pool of that role group (a section's one manager joins the department's
       managers; the section's employees keep their section);
    3. at a root, the role groups still too small are merged into one (root, "all") group; if
       that is under ``minimum``, whole groups already decided are pulled into it, smallest
       (then shallowest) first; if even the root's whole tree is short, ``TooFewInvitees``.

    The groups partition the invitees, every group has at least ``minimum``, and a (unit, role
    group) of invitees always travels whole. An answer carries only its group, so anything a
    summary can count is a sum of whole groups, and the difference of two such sums is again a
    sum of whole groups, each of at least ``minimum``.
    """
    minimum = max(int(minimum), 1)
    if not invitees:
        raise TooFewInvitees(_("the organisation"), 0, minimum)
    units: dict[Any, Any] = {}
    parent_of: dict[Any, Any] = {}
    pool: dict[Any, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for key, unit, group in invitees:
        if unit is None:
            raise ValueError(f"Invitee {key!r} has no unit.")
        node = unit
        while node is not None and node.pk not in units:
            units[node.pk] = node
            parent = node.parent
            parent_of[node.pk] = parent.pk if parent is not None else None
            node = parent
        pool[unit.pk][group].append(key)

    depth: dict[Any, int] = {}
    root_of: dict[Any, Any] = {}
    for pk in units:
        chain = []
        node = pk
        while node not in depth and node is not None:
            chain.append(node)
            node = parent_of[node]
        base, root = (-1, None) if node is None else (depth[node], root_of[node])
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
            root = member if root is None else root
            root_of[member] = root

    kept: dict[tuple[Any, str], list] = {}
    for pk in sorted(units, key=lambda pk: (-depth[pk], str(pk))):
        groups = pool.pop(pk, None)
        if not groups:
            continue
        small = {}
        for group, keys in groups.items():
            if len(keys) >= minimum:
                kept[(pk, group)] = keys
            else:
                small[group] = keys
        if not small:
            continue
        if parent_of[pk] is not None:
            above = pool[parent_of[pk]]
            for group, keys in small.items():
                above[group].extend(keys)
            continue
        merged = [key for keys in small.values() for key in keys]
        below = sorted(
            (cell for cell in kept if root_of[cell[0]] == pk),
            # Smallest first; of equal size, the shallowest, so deeper detail survives.
            key=lambda cell: (len(kept[cell]), depth[cell[0]], str(cell)),
        )
        for cell in below:
            if len(merged) >= minimum:
                break
            merged.extend(kept.pop(cell))
        if len(merged) < minimum:
            raise TooFewInvitees(units[pk], len(merged), minimum)
        kept[(pk, ALL_ROLE_GROUPS)] = merged

    result: dict[Hashable, tuple[Any, str]] = {}
    for (pk, group), keys in kept.items():
        for key in keys:
            result[key] = (units[pk], group)
    return result


# --- tokens --------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """The only form of a token that is stored: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- campaigns -----------------------------------------------------------------------------------


def _units_with_parents() -> dict[int, Unit]:
    """Every unit, with ``parent`` linked in memory: one query for the whole tree."""
    units = {unit.pk: unit for unit in Unit.objects.only("pk", "parent_id", "lineage", "name")}
    for unit in units.values():
        unit.parent = units.get(unit.parent_id)
    return units


def open_campaign(campaign: Campaign, invitees: Iterable[CampaignInvitee] = ()) -> dict[int, str]:
    """Open a draft campaign: reporting groups and a personal link for every invitee.

    ``invitees`` not saved yet are added to the campaign first; the groups are computed over all
    of the campaign's invitees. Returns ``{invitee pk: token}``: the tokens are stored nowhere,
    only their hashes (``domain.links`` derives them again for the e-mails). All or nothing, in
    one transaction. Sending the invitations is a separate step (``domain.mailing``).
    """
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != Campaign.Status.DRAFT:
            raise CampaignRefused(_("Only a draft campaign can be opened."))
        if locked.guide_version_id is None:
            raise CampaignRefused(_("Choose the frozen version of the question guide first."))
        if not locked.concepts:
            raise CampaignRefused(_("Choose at least one concept first."))
        new = [invitee for invitee in invitees if invitee.pk is None]
        for invitee in new:
            invitee.campaign = locked
        CampaignInvitee.objects.bulk_create(new)
        rows = list(locked.invitees.order_by("pk"))
        if not rows:
            raise CampaignRefused(_("Nobody is invited yet."))
        if any(row.unit_id is None for row in rows):
            raise CampaignRefused(_("Every invitee needs a unit before the campaign opens."))
        units = _units_with_parents()
        groups = reporting_groups(
            [(row.pk, units[row.unit_id], row.role_group) for row in rows], locked.count_minimum
        )
        from dialogues.experiences.domain.links import assign_link

        tokens: dict[int, str] = {}
        for row in rows:
            unit, group = groups[row.pk]
            row.reporting_unit, row.reporting_role_group = unit, group
            tokens[row.pk] = assign_link(row)
        CampaignInvitee.objects.bulk_update(
            rows,
            ["reporting_unit", "reporting_role_group", "token_hash", "link_salt"],
            batch_size=1000,
        )
        locked.status = Campaign.Status.OPEN
        locked.save(update_fields=["status"])
    campaign.status = locked.status
    return tokens


HELD_STATES = (Round.State.HELD, Round.State.DOCUMENTED, Round.State.FOLLOWED_UP)


def invitees_from_rounds(campaign: Campaign) -> list[CampaignInvitee]:
    """Invite the people who took part in held rounds of the campaign's units and concepts.

    Rounds held after the campaign's close date are left out.

    The people invited to each round and the round's manager (role group manager); someone in
    several rounds becomes one invitee with every concept preset and the latest round as source.
    People already invited, inactive, or outside the campaign's role groups are left out.
    Returns the invitees created.
    """
    if campaign.status != Campaign.Status.DRAFT:
        raise CampaignRefused(_("Invitees can only be added to a draft campaign."))
    scope = Q(pk__in=[])
    for unit in campaign.units.all():
        scope |= Q(unit__lineage__startswith=unit.lineage)
    rounds = {
        round_.pk: round_
        for round_ in Round.objects.filter(
            scope, concept__kind__in=campaign.concepts, state__in=HELD_STATES
        )
        # A dialogue held after the campaign closes is for a later campaign.
        .exclude(held_on__gt=campaign.closes_on)
        .select_related("concept", "manager")
        .order_by("held_on", "starts_at", "pk")
    }
    if not rounds:
        return []
    taken: dict[int, list[Round]] = defaultdict(list)  # person pk → their rounds, in order
    people = {}
    for invitation in Invitation.objects.filter(round_id__in=rounds).select_related("person"):
        people[invitation.person_id] = invitation.person
        taken[invitation.person_id].append(rounds[invitation.round_id])
    for round_ in rounds.values():
        people[round_.manager_id] = round_.manager
        taken[round_.manager_id].append(round_)
    roles: dict[int, set[str]] = defaultdict(set)
    for person_id, role in RoleAssignment.objects.filter(
        Q(unit__isnull=True) | Q(unit__is_active=True), person_id__in=people
    ).values_list("person_id", "role"):
        roles[person_id].add(role)
    already = set(campaign.invitees.exclude(person=None).values_list("person_id", flat=True))
    order = list(Concept.Kind.values)

    created = []
    for person_id, person in people.items():
        if person_id in already or not person.is_active:
            continue
        their_rounds = sorted(
            set(taken[person_id]), key=lambda r: (r.held_on or r.starts_at.date(), r.pk)
        )
        latest = their_rounds[-1]
        if any(round_.manager_id == person_id for round_ in their_rounds):
            group = RoleGroup.MANAGER
        else:
            group = role_group_of(person, latest, roles=roles[person_id])
        if group not in campaign.role_groups:
            continue
        kinds = {round_.concept.kind for round_ in their_rounds}
        created.append(
            CampaignInvitee(
                campaign=campaign,
                person=person,
                language=person.preferred_language,
                unit_id=person.unit_id or latest.unit_id,
                preset_concepts=[kind for kind in order if kind in kinds],
                source_round=latest,
                role_group=group,
            )
        )
    return CampaignInvitee.objects.bulk_create(created)
