"""The demo respondents' answers to a frozen guide: choices and comments that vary believably.

How a concept went is a *mood* per axis (``general``, ``safety``, ``follow`` for follow-up;
positive is better): a department's, moved by its unit, the role group, being international
staff, and the person. The mood shifts the closed answers (more "yes" or more "no") and the
themes of the comments (``comments.theme_weights``). A few departments are set apart
(``DEPARTMENT_MOODS``): the leadership dialogue felt unsafe in some, follow-up is weak in others.

Answers are ``{question id (str): {"choice", "text"}}`` as ``Answer`` rows store them, and a
follow-up question is answered only when its condition holds. Each comment's theme is returned
beside the answers, for tests and benchmarks; the database never sees it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from dialogues.concepts.models import Concept
from dialogues.experiences.demo import comments as bank
from dialogues.experiences.rolegroups import RoleGroup
from dialogues.organisation.models import Unit

WB, LD = Concept.Kind.WELLBEING.value, Concept.Kind.LEADERSHIP.value

# The seeded guide's questions, found by the start of their English text.
QUESTION_KEYS = [
    ("How have you experienced the purpose", "purpose"),
    ("Have you used the support tools", "support_tools"),
    ("How have you experienced the collaboration with HR", "hr_collaboration"),
    ("Have you carried out well-being dialogues on your own", "without_hr"),
    ("Did you talk about the essentials in the smaller group", "small_group_essentials"),
    ("Have you felt safe", "felt_safe"),
    ("If not: have you talked to your union", "talked_to_tr_amr"),
    ("Did you talk about the essentials in the larger group", "large_group_essentials"),
    ("How did you experience the transition", "transition"),
    ("What could be helpful in that part", "transition_help"),
    ("Did you talk about the next step", "next_step"),
    ("What could help you maintain", "maintain"),
    ("What can be changed in the concepts", "change_concepts"),
    ("What insights have surprised you", "surprises"),
    ("What would you like to do more of", "do_more"),
]
CHOICES = ("yes", "partly", "no", "na")
# Closed questions: the mood axis that moves them; weights of CHOICES by concept.
CLOSED = {
    "support_tools": ("general", {WB: (55, 25, 12, 8), LD: (40, 28, 22, 10)}),
    "without_hr": ("general", {WB: (18, 22, 45, 15), LD: (12, 18, 50, 20)}),
    "small_group_essentials": ("general", {WB: (72, 18, 6, 4), LD: (66, 22, 8, 4)}),
    "felt_safe": ("safety", {WB: (70, 20, 7, 3), LD: (58, 25, 14, 3)}),
    "talked_to_tr_amr": ("none", {WB: (18, 6, 68, 8), LD: (20, 6, 66, 8)}),
    "large_group_essentials": ("safety", {WB: (62, 25, 9, 4), LD: (50, 30, 15, 5)}),
    "next_step": ("follow", {WB: (68, 20, 9, 3), LD: (60, 22, 14, 4)}),
}
OTHER_CLOSED = ("general", {WB: (50, 25, 15, 10), LD: (50, 25, 15, 10)})
# How often a closed answer gets a "why", by choice.
WHY_CHANCE = {"yes": 0.12, "partly": 0.4, "no": 0.5, "na": 0.05}
AXES = ("general", "safety", "follow")
# Departments (by unit code) where a concept went differently, by axis.
DEPARTMENT_MOODS = {
    ("PHYSICS", LD): {"safety": -0.9},
    ("CONSTRUCT", LD): {"safety": -0.8},
    ("ENVIRON", LD): {"safety": -0.8},
    ("CHEMISTRY", WB): {"follow": -1.0},
    ("CHEMISTRY", LD): {"follow": -0.8},
    ("BIOENG", WB): {"follow": -0.9},
    ("ADMIN", WB): {"general": 0.4},
    ("ADMIN", LD): {"general": 0.4},
}
ROLE_MOODS = {
    RoleGroup.MANAGER: {"general": 0.4, "safety": 1.0, "follow": 0.5},
    RoleGroup.REPRESENTATIVE: {"safety": 0.3},
    RoleGroup.COMMITTEE: {"general": 0.3, "follow": 0.3},
    RoleGroup.HR: {"general": 0.6, "safety": 0.5},
}


@dataclass(frozen=True)
class Voice:
    """How much someone writes: the share of open questions answered, and of "why"s."""

    chance: float
    open_share: float
    why_factor: float


VOICES = [Voice(0.15, 0.8, 1.5), Voice(0.5, 0.4, 1.0), Voice(0.35, 0.12, 0.4)]
INTERVIEW_VOICE = Voice(1, 0.9, 1.5)


@dataclass(frozen=True)
class Respondent:
    language: str  # of their comments
    international: bool
    voice: Voice
    concepts: tuple[str, ...]


def respondent(rng: random.Random, invitee, concepts) -> Respondent:
    """Who answers for ``invitee``: language, voice, and the concepts they answer about.

    Comments are in English for nearly all who read English and for about a quarter of the
    others (about 30 % in all at the demo university); the preset concepts usually win.
    """
    english = rng.random() < (0.93 if invitee.language == "en" else 0.235)
    international = invitee.language == "en" or (english and rng.random() < 0.5)
    voice = rng.choices(VOICES, weights=[voice.chance for voice in VOICES])[0]
    preset = [kind for kind in concepts if kind in invitee.preset_concepts]
    if preset and rng.random() < 0.8:
        chosen = preset if len(preset) > 1 or rng.random() < 0.75 else list(concepts)
    else:
        both = {RoleGroup.MANAGER: 0.7, RoleGroup.EMPLOYEE: 0.4}.get(invitee.role_group, 0.55)
        roll = rng.random()
        one = WB if roll < both + (1 - both) * 0.65 else LD
        chosen = list(concepts) if roll < both else [one]
    chosen = [kind for kind in concepts if kind in chosen] or list(concepts[:1])
    return Respondent("en" if english else "da", international, voice, tuple(chosen))


def key_of(question: dict) -> str | None:
    """The bank's key of a snapshot question (None for a question HR added)."""
    text = question["text"].get("en", "")
    return next((key for start, key in QUESTION_KEYS if text.startswith(start)), None)


def choose(rng: random.Random, key: str | None, concept: str, moods: dict) -> str:
    axis, bases = CLOSED.get(key or "", OTHER_CLOSED)
    yes, partly, no, na = bases.get(concept) or next(iter(bases.values()))
    tilt = moods.get(axis, 0.0)
    weights = (yes * math.exp(tilt), partly, no * math.exp(-tilt), na)
    return rng.choices(CHOICES, weights=weights)[0]


class Answerer:
    """Answers to one frozen guide for the people of the organisation (units by pk)."""

    def __init__(self, snapshot: dict, units: dict[int, Unit], seed: int):
        self.questions = [q for section in snapshot["sections"] for q in section["questions"]]
        self.key = {q["id"]: key_of(q) for q in self.questions}
        self.units, self.seed = units, seed
        self.cache: dict[tuple, dict[str, float]] = {}

    # --- moods

    def _department(self, unit: Unit) -> Unit:
        while unit.parent_id and self.units[unit.parent_id].parent_id:
            unit = self.units[unit.parent_id]
        return unit

    def unit_moods(self, unit: Unit, concept: str) -> dict[str, float]:
        key = (unit.pk, concept)
        if key not in self.cache:
            department = self._department(unit)
            rng = random.Random(f"{self.seed}:{department.code}:{concept}")
            moods = {axis: rng.gauss(0, 0.3) for axis in AXES}
            for axis, value in DEPARTMENT_MOODS.get((department.code, concept), {}).items():
                moods[axis] += value
            local = random.Random(f"{self.seed}:{unit.code}:{concept}").gauss(0, 0.3)
            self.cache[key] = {axis: value + local for axis, value in moods.items()}
        return self.cache[key]

    def moods(self, rng, unit_id: int, concept: str, group: str, international: bool) -> dict:
        moods = dict(self.unit_moods(self.units[unit_id], concept))
        for axis, value in ROLE_MOODS.get(group, {}).items():
            moods[axis] += value
        if international:
            moods["safety"] -= 0.3
        return {axis: value + rng.gauss(0, 0.5) for axis, value in moods.items()}

    # --- answers

    def for_invitee(self, rng, invitee, who: Respondent, concept: str):
        """One concept's answers of ``invitee`` as ``who``: ``(answers, [(id, theme)])``."""
        writer = bank.Writer(
            language=who.language,
            concept=concept,
            international=who.international,
            manager=invitee.role_group == RoleGroup.MANAGER,
        )
        moods = self.moods(rng, invitee.unit_id, concept, invitee.role_group, who.international)
        return self.answers(rng, concept, writer, moods, who.voice)

    def for_interview(self, rng, unit_id: int, group: str, concept: str, language: str):
        writer = bank.Writer(language=language, concept=concept)
        moods = self.moods(rng, unit_id, concept, group, False)
        return self.answers(rng, concept, writer, moods, INTERVIEW_VOICE, interview=True)

    def answers(self, rng, concept, writer, moods, voice: Voice, interview=False):
        """Answers to the questions shown for ``concept``: ``({id: {choice, text}}, themes)``.

        A follow-up is answered only when its condition holds (as ``visible_questions``).
        """
        given: dict[str, dict] = {}
        themes: list[tuple[int, str]] = []
        for question in self.questions:
            if concept not in question["concepts"]:
                continue
            condition = question["condition"]
            if condition is not None:
                earlier = given.get(str(condition["question"]))
                if earlier is None or earlier["choice"] not in condition["answers"]:
                    continue
            key = self.key[question["id"]]
            text, theme = "", None
            if question["kind"] == "closed":
                if not interview and rng.random() > 0.94:
                    continue
                choice = choose(rng, key, concept, moods)
                chance = WHY_CHANCE[choice] * voice.why_factor
                if key == "talked_to_tr_amr":  # it asks "why, or why not?"
                    chance *= 1.6
                if key and rng.random() < chance:
                    text, theme = bank.why_comment(rng, key, choice, writer, moods) or ("", None)
                    text = bank.quoted(text, writer) if interview and text else text
            else:
                if rng.random() >= voice.open_share:
                    continue
                choice = ""
                write = bank.interview_comment if interview else bank.open_comment
                text, theme = write(rng, key or "", writer, moods)
            given[str(question["id"])] = {"choice": choice, "text": text}
            if theme:
                themes.append((question["id"], theme))
        if not given:  # nobody submits nothing: the first question at least
            first = next(
                q for q in self.questions if concept in q["concepts"] and not q["condition"]
            )
            if first["kind"] == "closed":
                choice = choose(rng, self.key[first["id"]], concept, moods)
                given[str(first["id"])] = {"choice": choice, "text": ""}
            else:
                text, theme = bank.open_comment(rng, self.key[first["id"]] or "", writer, moods)
                given[str(first["id"])] = {"choice": "", "text": text}
                themes.append((first["id"], theme))
        return given, themes


def as_typed(answers: dict) -> dict:
    """Stored answers as the questionnaire page sends them (an open answer is its text)."""
    return {
        key: {"choice": part["choice"], "why": part["text"]} if part["choice"] else part["text"]
        for key, part in answers.items()
    }
