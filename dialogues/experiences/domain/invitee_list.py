"""An uploaded list of invitees (CSV or XLSX, as HR tools write them), checked whole first.

Columns (English or Danish headers, any order): ``email`` (required); ``unit`` (a unit code;
required for someone the organisation does not know); ``role group``; ``language``;
``concepts`` (the dialogues they took part in, preset in the questionnaire). Someone the
organisation knows is matched by e-mail and gets their own unit, role group and language unless
the row says otherwise. Every row is checked before anything is added: one bad row, and the
list is refused with every problem named by its row.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from dialogues.concepts.models import Concept
from dialogues.experiences.domain.anonymity import role_group_of
from dialogues.experiences.models import Campaign, CampaignInvitee
from dialogues.experiences.rolegroups import RoleGroup
from dialogues.organisation.importing.columns import normalise, split_list
from dialogues.organisation.importing.errors import FileRejected
from dialogues.organisation.importing.reading import read_table
from dialogues.organisation.models import Person, RoleAssignment, Unit

HEADERS = {
    **dict.fromkeys(["email", "e_mail", "mail", "email_address", "e_mailadresse"], "email"),
    **dict.fromkeys(["unit", "unit_code", "enhed", "enhedskode"], "unit"),
    **dict.fromkeys(["role_group", "role", "rollegruppe", "rolle"], "role_group"),
    **dict.fromkeys(["language", "sprog"], "language"),
    **dict.fromkeys(["concepts", "concept", "koncepter", "koncept", "dialoger"], "concepts"),
}
ROLE_GROUP_WORDS = {
    **{value: value for value in RoleGroup.values},
    **dict.fromkeys(["medarbejder", "ansat"], RoleGroup.EMPLOYEE),
    **dict.fromkeys(["leder", "chef"], RoleGroup.MANAGER),
    **dict.fromkeys(["repræsentant", "amr", "tr"], RoleGroup.REPRESENTATIVE),
    **dict.fromkeys(["udvalg", "udvalgsmedlem", "lsu", "amk"], RoleGroup.COMMITTEE),
}
CONCEPT_WORDS = {
    **dict.fromkeys(
        ["wellbeing", "well_being", "trivsel", "trivselsdialog", "trivselsdialogen"], "wellbeing"
    ),
    **dict.fromkeys(["leadership", "ledelse", "ledelsesdialog", "ledelsesdialogen"], "leadership"),
}
LANGUAGE_WORDS = {
    **dict.fromkeys(["da", "dansk", "danish"], "da"),
    **dict.fromkeys(["en", "engelsk", "english"], "en"),
}


@dataclass
class InviteeList:
    invitees: list[CampaignInvitee] = field(default_factory=list)
    already_invited: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _row_error(row: int, message: str) -> str:
    return _("Row %(row)d: %(problem)s") % {"row": row, "problem": message}


def _in_scope(unit: Unit, scopes: list[Unit]) -> bool:
    return any(unit.is_within(scope) for scope in scopes)


def read_invitee_list(campaign: Campaign, content: bytes, filename: str) -> InviteeList:
    """The invitees a list would add to ``campaign`` (not saved), or the problems of the list."""
    result = InviteeList()
    try:
        table = read_table(content, filename)
    except FileRejected as rejected:
        result.errors.append(rejected.problem.message)
        return result
    columns = {index: HEADERS.get(normalise(cell)) for index, cell in enumerate(table.header)}
    if "email" not in columns.values():
        result.errors.append(_("The list needs an “email” column."))
        return result
    records = []
    for number, cells in table.rows:
        record = {name: "" for name in HEADERS.values()}
        for index, cell in enumerate(cells):
            if columns.get(index):
                record[columns[index]] = cell.strip()
        records.append((number, record))
    if not records:
        result.errors.append(_("The list has no rows."))
        return result

    emails = [record["email"].lower() for _number, record in records]
    people = {
        person.email.lower(): person
        for person in Person.objects.filter(is_active=True).filter(
            Q(email__in=emails) | Q(email__in=[record["email"] for _n, record in records])
        )
    }
    roles = defaultdict(set)
    for person_id, role in RoleAssignment.objects.filter(person__in=people.values()).values_list(
        "person_id", "role"
    ):
        roles[person_id].add(role)
    codes = {record["unit"] for _number, record in records if record["unit"]}
    units = {unit.code.lower(): unit for unit in Unit.objects.active().filter(code__in=codes)}
    scopes = list(campaign.units.all())
    already_people = set(campaign.invitees.exclude(person=None).values_list("person_id", flat=True))
    already_emails = {email.lower() for email in campaign.invitees.values_list("email", flat=True)}
    seen: dict[str, int] = {}
    for number, record in records:
        invitee = _invitee(campaign, number, record, people, roles, units, scopes, result)
        if invitee is None:
            continue
        key = record["email"].lower()
        if key in seen:
            result.errors.append(
                _row_error(
                    number,
                    _("%(email)s is on row %(row)d too.")
                    % {"email": record["email"], "row": seen[key]},
                )
            )
            continue
        seen[key] = number
        if invitee.person_id in already_people or key in already_emails:
            result.already_invited += 1
            continue
        result.invitees.append(invitee)
    return result


def _invitee(campaign, number, record, people, roles, units, scopes, result):
    errors_before = len(result.errors)

    def problem(message):
        result.errors.append(_row_error(number, message))

    email = record["email"]
    try:
        validate_email(email)
    except ValidationError:
        problem(_("“%(email)s” is not an e-mail address.") % {"email": email})
        return None
    person = people.get(email.lower())
    unit = None
    if record["unit"]:
        unit = units.get(record["unit"].lower())
        if unit is None:
            problem(_("There is no unit with the code “%(code)s”.") % {"code": record["unit"]})
    elif person is not None and person.unit is not None:
        unit = person.unit
    else:
        problem(
            _("The unit is missing (a unit code is needed for someone not in the organisation).")
        )
    if unit is not None and not _in_scope(unit, scopes):
        problem(_("The unit %(unit)s is not in the campaign's units.") % {"unit": unit.name})

    group = RoleGroup.EMPLOYEE
    if record["role_group"]:
        group = ROLE_GROUP_WORDS.get(normalise(record["role_group"]))
        if group is None:
            problem(_("Unknown role group “%(value)s”.") % {"value": record["role_group"]})
    elif person is not None:
        group = role_group_of(person, roles=roles[person.pk])
    if group and group not in campaign.role_groups:
        problem(
            _("The role group %(group)s is not asked in this campaign.")
            % {"group": RoleGroup(group).label}
        )

    language = person.preferred_language if person is not None else ""
    if record["language"]:
        language = LANGUAGE_WORDS.get(normalise(record["language"]))
        if language is None:
            problem(_("Unknown language “%(value)s” (da or en).") % {"value": record["language"]})
    concepts = []
    for word in split_list(record["concepts"]):
        kind = CONCEPT_WORDS.get(normalise(word))
        if kind is None or kind not in campaign.concepts:
            problem(_("“%(value)s” is not a concept of this campaign.") % {"value": word})
        elif kind not in concepts:
            concepts.append(kind)
    if len(result.errors) > errors_before:
        return None
    order = list(Concept.Kind.values)
    return CampaignInvitee(
        campaign=campaign,
        person=person,
        email="" if person is not None else email,
        language=language or settings.LANGUAGE_CODE,
        unit=unit,
        role_group=group,
        preset_concepts=sorted(concepts, key=order.index),
    )


def add_invitee_list(campaign: Campaign, listed: InviteeList) -> int:
    """Add the invitees of a checked list; returns how many were added."""
    if campaign.status != Campaign.Status.DRAFT or not listed.ok:
        return 0
    return len(CampaignInvitee.objects.bulk_create(listed.invitees))
