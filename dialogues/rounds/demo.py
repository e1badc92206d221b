"""Dialogue rounds in every state for the demo organisation, so the overview is alive at once.

``create_demo_rounds()`` walks each round through the real steps (plan, hold, document, follow
up); invitations are marked sent directly instead of e-mailed. Dates are set around ``today``:
planned rounds lie ahead, held ones behind, and one round is late at each step. The fixed demo
manager has a documented leadership round to follow up; the demo director's department shows
every state. Calling it again creates nothing when rounds exist already.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from dialogues.concepts.models import Concept
from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.roles import Role
from dialogues.rounds.domain import organisation as org
from dialogues.rounds.domain.history import record
from dialogues.rounds.domain.steps import (
    Plan,
    mark_held,
    plan_round,
    record_followup,
    save_documentation,
    set_agreement_status,
)
from dialogues.rounds.models import Agreement, PlanningNote, Round, RoundEvent

State = Round.State
HR_PARTNER_EMAIL = "hr-partner@dialogues.example"
WB, LD = Concept.Kind.WELLBEING, Concept.Kind.LEADERSHIP

# (unit code, concept, state to reach, days from today to the dialogue, who facilitates).
# Units and managers not named here have no round: they show as not started.
ROUNDS = [
    # The demo director's department: every state, and late at several steps.
    ("COMPUTE", WB, State.FOLLOWED_UP, -300, "hr"),
    ("COMPUTE-S1", WB, State.DOCUMENTED, -35, "hr"),  # one agreement overdue, one dropped
    ("COMPUTE-S1-G1", WB, State.INVITED, 21, "hr"),
    ("COMPUTE-S2", WB, State.HELD, -21, "hr"),  # documentation overdue
    ("COMPUTE", LD, State.PLANNED, 70, "hr"),
    ("COMPUTE-S1", LD, State.DOCUMENTED, -28, "hr"),  # the demo manager: follow-up to do
    ("COMPUTE-S1-G1", LD, State.PLANNED, 20, "hr"),  # invitation overdue
    ("COMPUTE-S1-G2", LD, State.FOLLOWED_UP, -120, "hr"),
    # Elsewhere.
    ("PHYSICS", WB, State.PLANNED, 90, "unit"),
    ("PHYSICS-S1", WB, State.DOCUMENTED, -75, "other"),  # follow-up overdue
    ("PHYSICS-S2", LD, State.INVITED, 12, "hr"),
    ("PHYSICS-S1", LD, State.INVITED, -20, "other"),  # held but never documented
    ("PHYSICS", LD, State.HELD, -6, "hr"),
    ("CHEMISTRY", WB, State.PLANNED, 45, "hr"),
    ("CHEMISTRY-S1", WB, State.HELD, -4, "hr"),
    ("CHEMISTRY-S2", WB, State.FOLLOWED_UP, -800, "hr"),  # too old: due again
    ("CHEMISTRY-S1", LD, State.DOCUMENTED, -90, "hr"),  # follow-up overdue
    ("CHEMISTRY", LD, State.FOLLOWED_UP, -200, "other"),
    ("ADMIN-HR", WB, State.INVITED, 14, "unit"),
]

PLACES = ["Bygning 303, mødelokale 1.12", "Bygning 101, Auditorium 44", "Bygning 210, kantinen"]
TOOLS = {"used_film": True, "used_cards": True, "used_next_step_material": True}

WELLBEING_NOTES = {
    "essentials": [
        "Vi savner tid til faglig sparring på tværs af grupperne. Mange sidder alene med deres "
        "projekter, og det er svært at vide, hvem man kan spørge.",
        "Arbejdspresset topper i eksamensperioderne. Undervisningsopgaverne bør fordeles "
        "tidligere og mere gennemsigtigt, så man kan planlægge sin forskning omkring dem.",
        "Det sociale fællesskab er godt, men nye kolleger – især de internationale – kommer for "
        "langsomt ind i det. Frokost og fredagsbar foregår mest på dansk.",
    ],
    "plenary": "Ledelsen genkendte billedet af travlhed i eksamensperioderne. Overgangen fra de "
    "små grupper til plenum føltes tryg; flere sagde, at det hjalp, at grupperne fremlagde i "
    "fællesskab frem for enkeltpersoner. Vi drøftede især, hvordan faglig sparring kan blive en "
    "fast del af hverdagen, og hvordan nye kolleger tages bedre imod. Der var enighed om at holde "
    "dialogen i live mellem de årlige møder som fast punkt på sektionsmøderne.",
    "agreements": [
        ("Månedligt fagligt frokostmøde på tværs af grupperne med skiftende vært", 0, 30),
        ("Fordelingen af undervisning meldes ud senest seks uger før semesterstart", 0, 60),
        ("Introforløb for nye kolleger med en fast makker det første halve år", 1, 90),
        ("Fælles arrangementer holdes på engelsk, når internationale kolleger deltager", 2, 20),
        ("Undersøge muligheden for et stillerum på 2. sal", 0, 45),
    ],
    "followup": "Dokumentationen og handlingsplanen blev fremlagt på LSU-mødet og drøftet på den "
    "årlige arbejdsmiljødrøftelse. AMR følger op på introforløbet ved næste AMU-møde.",
}
LEADERSHIP_NOTES = {
    "essentials": [
        "Vi sætter pris på, at lederen er tilgængelig og lytter, men beslutninger bliver ofte "
        "truffet, uden at vi ved hvorfor. Vi ønsker mere åbenhed om prioriteringerne.",
        "Der mangler sparring om karriereudvikling, især for postdocs og adjunkter. "
        "Medarbejderudviklingssamtalen føles som en formalitet.",
    ],
    "plenary": "Lederen takkede for de konkrete input og fortalte om baggrunden for de seneste "
    "prioriteringer. Overgangen til plenum var lidt anspændt i starten, men facilitatoren hjalp "
    "med at holde fokus på det, grupperne havde skrevet. Vi talte om, hvordan beslutninger kan "
    "formidles bedre, og om karrieresamtaler ud over MUS.",
    "agreements": [
        ("Kort skriftlig opsummering af beslutningerne efter hvert ledermøde", 0, 14),
        ("Karrieresamtale for alle postdocs og adjunkter inden sommerferien", 0, 120),
        ("Faste åbne kontortimer hos lederen hver torsdag eftermiddag", 0, 45),
    ],
    "followup": "Opfølgning med egen leder: vi gennemgik de tre aftaler. Opsummeringerne efter "
    "ledermøderne er i gang og bliver godt modtaget; karrieresamtalerne planlægges med HR.",
    "feedback": "Tak for jeres ærlige input. Jeg har taget ønsket om mere åbenhed til mig: fra nu "
    "af får I en kort opsummering efter hvert ledermøde, og jeg holder åben dør om torsdagen. "
    "Karrieresamtalerne for postdocs og adjunkter kommer i kalenderen inden sommerferien.",
}
PLANNING_MEETING = (
    "Planlægningsmøde: vi aftalte datoen, gennemgik dialogkortene og filmen og aftalte, at HR "
    "faciliterer. Næstformanden i LSU orienterer medarbejderne på næste LSU-møde."
)
DROPPED_REASON = (
    "Lokalet skal bruges til laboratorieudvidelsen fra foråret; i stedet kan mødelokale 2.14 "
    "bookes til fordybelse."
)


def _at(day: date, hour: int = 13) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _facilitator(key: str, unit: Unit, fixed: Person | None) -> Person | None:
    if key == "unit":
        return None
    if key == "other":
        partners = RoleAssignment.objects.filter(
            role=Role.HR_PARTNER, unit_id__in=unit.ancestor_ids(), person__is_active=True
        ).exclude(person=fixed)
        other = partners.select_related("person").first()
        if other:
            return other.person
    return fixed or org.hr_partner_for(unit)


def create_demo_rounds(today: date | None = None) -> list[Round]:
    """Create the demo rounds; nothing when any round exists. Returns the rounds created."""
    if Round.objects.exists():
        return []
    today = today or timezone.localdate()
    concepts = {concept.kind: concept for concept in Concept.objects.all()}
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={r[0] for r in ROUNDS})}
    hr_partner = Person.objects.filter(email=HR_PARTNER_EMAIL, is_active=True).first()
    created = []
    with transaction.atomic():
        for number, (code, kind, state, days, facilitation) in enumerate(ROUNDS):
            unit = units.get(code)
            manager = org.manager_of(unit) if unit else None
            if manager is None or kind not in concepts:
                continue  # another demo size or seed: that unit is not there
            facilitator = _facilitator(facilitation, unit, hr_partner)
            created.append(
                _walk(
                    concepts[kind], unit, manager, state, today + timedelta(days=days),
                    facilitator, PLACES[number % len(PLACES)],
                )
            )  # fmt: skip
    return created


def _walk(concept, unit, manager, state, day, facilitator, place) -> Round:
    leadership = concept.kind == LD
    now = timezone.now()
    planner = org.responsible_director(unit) if leadership else facilitator or manager
    invitees = list(org.default_invitees(leadership, unit, manager).order_by("name"))
    round_ = plan_round(
        Plan(
            concept=concept,
            unit=unit,
            manager=manager,
            starts_at=_at(day),
            duration_minutes=180 if leadership else 150,
            place=place,
            facilitation=Round.Facilitation.HR if facilitator else Round.Facilitation.UNIT,
            facilitator=facilitator,
            invitees=invitees,
            planning_group={
                seat: person
                for seat, person in org.suggested_planning_group(unit).items()
                if person is not None
            }
            if leadership
            else {},
            representatives=[] if leadership else list(org.representatives(unit)),
        ),
        planner or manager,
    )
    created_at = min(_at(day) - timedelta(days=60), now - timedelta(days=10))
    Round.objects.filter(pk=round_.pk).update(created_at=created_at)
    _backdate(round_, "planned", created_at)
    if leadership and round_.planning_group.exists():
        PlanningNote.objects.create(
            round=round_,
            kind=PlanningNote.Kind.MEETING,
            met_on=(created_at + timedelta(days=3)).date(),
            text=PLANNING_MEETING,
            author=facilitator or planner,
        )
    if state == State.PLANNED:
        return round_
    invited_at = min(_at(day, 9) - timedelta(days=35), now - timedelta(days=1))
    round_.state, round_.invited_at = State.INVITED, invited_at
    round_.save(update_fields=["state", "invited_at"])
    round_.invitations.update(sent_at=invited_at)
    record(round_, manager, "invited", count=len(invitees))
    _backdate(round_, "invited", invited_at)
    if state == State.INVITED:
        return round_
    actor = facilitator or manager
    mark_held(round_, actor, day)
    _backdate(round_, "held", _at(day, 17))
    if state == State.HELD:
        return round_
    _document(round_, actor, manager, invitees, day, leadership)
    if state == State.DOCUMENTED:
        return round_
    _follow_up(round_, manager, day, leadership)
    return round_


def _document(round_, actor, manager, invitees, day, leadership) -> None:
    notes = LEADERSHIP_NOTES if leadership else WELLBEING_NOTES
    owners = [manager, *invitees[:2]]
    essentials = notes["essentials"]
    save_documentation(
        round_,
        actor,
        version=0,
        plenary=notes["plenary"],
        tools=TOOLS if not leadership else {**TOOLS, "used_film": False},
        essentials=[{"group": f"Gruppe {n}", "text": t} for n, t in enumerate(essentials, 1)],
        agreements=[
            {"what": what, "owner": owners[owner % len(owners)], "due_on": day + timedelta(days=d)}
            for what, owner, d in notes["agreements"]
        ],
    )
    documented_at = _at(day + timedelta(days=4), 10)
    Round.objects.filter(pk=round_.pk).update(documented_at=documented_at)
    round_.refresh_from_db()
    _backdate(round_, "documented", documented_at)
    agreements = list(round_.agreements.all())
    if leadership:
        set_agreement_status(agreements[0], manager, Agreement.Status.DONE)
        set_agreement_status(agreements[2], manager, Agreement.Status.IN_PROGRESS)
    else:  # the first stays open (and is overdue once its date has passed)
        set_agreement_status(agreements[1], manager, Agreement.Status.IN_PROGRESS)
        set_agreement_status(agreements[3], agreements[3].owner, Agreement.Status.DONE)
        set_agreement_status(agreements[4], manager, Agreement.Status.DROPPED, DROPPED_REASON)
    _backdate(round_, "agreement_status", documented_at + timedelta(days=10))


def _follow_up(round_, manager, day, leadership) -> None:
    notes = LEADERSHIP_NOTES if leadership else WELLBEING_NOTES
    fields = {"followup_held_on": day + timedelta(days=30), "followup_notes": notes["followup"]}
    if leadership:
        fields |= {
            "feedback_to_employees": notes["feedback"],
            "feedback_given_on": day + timedelta(days=21),
        }
    record_followup(round_, manager, fields)
    followed_up_at = _at(day + timedelta(days=31), 11)
    Round.objects.filter(pk=round_.pk).update(followed_up_at=followed_up_at)
    _backdate(round_, "followed_up", followed_up_at)
    for agreement in round_.agreements.exclude(status=Agreement.Status.DROPPED):
        set_agreement_status(agreement, manager, Agreement.Status.DONE)
    _backdate(round_, "agreement_status", followed_up_at)


def _backdate(round_: Round, action: str, at: datetime) -> None:
    """History keeps when things happened in the story, not when the demo was loaded."""
    RoundEvent.objects.filter(round=round_, action=action).update(at=at)
