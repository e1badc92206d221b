"""What the question guide does: conditions, freezing, order.

A *snapshot* is the plain-data form of a guide that a ``GuideVersion`` stores::

    {"guide": {"id": 1, "name": {"da": ..., "en": ...}},
     "choices": ["yes", "no", "partly", "na"],
     "sections": [{"id": 3, "title": {"da": ..., "en": ...},
                   "questions": [{"id": 7, "text": {"da": ..., "en": ...},
                                  "kind": "closed", "concepts": ["wellbeing"],
                                  "sensitive": false,
                                  "condition": {"question": 6, "answers": ["no", "partly"]}}]}]}

Sections and questions are listed in the order they are asked.
"""

from collections.abc import Mapping
from typing import Any, Literal

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from dialogues.experiences.models import Choice, GuideVersion, Question, QuestionGuide, Section


class GuideError(Exception):
    """A change that would make the guide inconsistent; the message says why."""


def _ordered_choices(values) -> list[str]:
    return [value for value in Choice.values if value in values]


def sections_with_questions(guide: QuestionGuide):
    questions = Question.objects.select_related("condition_question", "section").prefetch_related(
        "concepts"
    )
    return guide.sections.prefetch_related(Prefetch("questions", queryset=questions))


def build_snapshot(guide: QuestionGuide) -> dict[str, Any]:
    """The guide as it stands now, as plain data (the format described above)."""
    sections = []
    for section in sections_with_questions(guide):
        questions = []
        for question in section.questions.all():
            condition = None
            if question.condition_question_id is not None:
                condition = {
                    "question": question.condition_question_id,
                    "answers": _ordered_choices(question.condition_answers),
                }
            questions.append(
                {
                    "id": question.pk,
                    "text": {"da": question.text_da, "en": question.text_en},
                    "kind": question.kind,
                    "concepts": sorted(concept.kind for concept in question.concepts.all()),
                    "sensitive": question.sensitive,
                    "condition": condition,
                }
            )
        sections.append(
            {
                "id": section.pk,
                "title": {"da": section.title_da, "en": section.title_en},
                "questions": questions,
            }
        )
    return {
        "guide": {"id": guide.pk, "name": {"da": guide.name_da, "en": guide.name_en}},
        "choices": list(Choice.values),
        "sections": sections,
    }


def freeze_guide(guide: QuestionGuide, *, by=None) -> GuideVersion:
    """Freeze the guide as it stands; if nothing changed since the latest version, return that."""
    with transaction.atomic():
        # One freezer at a time per guide, so two never take the same number.
        QuestionGuide.objects.select_for_update().get(pk=guide.pk)
        snapshot = build_snapshot(guide)
        latest = guide.versions.order_by("-number").first()
        if latest is not None and latest.snapshot == snapshot:
            return latest
        return GuideVersion.objects.create(
            guide=guide,
            number=latest.number + 1 if latest else 1,
            snapshot=snapshot,
            created_by=by,
        )


def _question_id(key) -> int | None:
    try:
        return int(key)
    except (TypeError, ValueError):
        return None


def _choice(answer) -> str | None:
    """A closed answer is a choice, or a mapping ``{"choice": ..., "why": ...}``."""
    if isinstance(answer, Mapping):
        return answer.get("choice")
    return answer


def visible_questions(
    snapshot: Mapping, answers: Mapping, *, concept: str | None = None
) -> list[dict]:
    """The questions to show, in order, given the answers so far (keyed by question id).

    A question with a condition is shown only when its condition question is shown and was
    answered with one of the condition's choices; with ``concept``, only the questions asked
    about that concept count.
    """
    by_id = {_question_id(key): value for key, value in answers.items()}
    shown: list[dict] = []
    shown_ids: set[int] = set()
    for section in snapshot["sections"]:
        for question in section["questions"]:
            if concept is not None and concept not in question["concepts"]:
                continue
            condition = question["condition"]
            if condition is not None and not (
                condition["question"] in shown_ids
                and _choice(by_id.get(condition["question"])) in condition["answers"]
            ):
                continue
            shown.append(question)
            shown_ids.add(question["id"])
    return shown


def applicable_answers(snapshot: Mapping, answers: Mapping, *, concept: str | None = None) -> dict:
    """The answers without those to questions that are not shown (they are dropped, not kept)."""
    shown = {question["id"] for question in visible_questions(snapshot, answers, concept=concept)}
    return {key: value for key, value in answers.items() if _question_id(key) in shown}


def check_condition(question: Question, condition: Question, section: Section) -> None:
    """Refuse a condition that is not an earlier closed question of the same guide, or a cycle.

    ``question`` may be unsaved (a question being added at the end of ``section``).
    """
    if question.pk is not None and condition.pk == question.pk:
        raise GuideError(_("A question cannot depend on its own answer."))
    if condition.section.guide_id != section.guide_id:
        raise GuideError(_("Choose a question from the same guide."))
    if condition.kind != Question.Kind.CLOSED:
        raise GuideError(
            _("Only a closed question (yes, no, partly, does not apply) can be a condition.")
        )
    seen = {question.pk}
    link = condition
    while link is not None:
        if link.pk in seen:
            raise GuideError(_("This condition would make questions depend on each other."))
        seen.add(link.pk)
        link = link.condition_question
    if question.pk is None:
        own_order = (section.position, section.pk, float("inf"), 0)
    else:
        own_order = (section.position, section.pk, question.position, question.pk)
    if condition.guide_order() >= own_order:
        raise GuideError(_("The condition must be a question asked earlier in the guide."))


def reorder(question: Question, direction: Literal["up", "down"]) -> bool:
    """Move a question one place up or down in its section; False at the edge.

    Refuses (``GuideError``) to put a question before the question its condition reads.
    """
    with transaction.atomic():
        siblings = list(
            Question.objects.select_for_update()
            .filter(section_id=question.section_id)
            .order_by("position", "pk")
        )
        index = [sibling.pk for sibling in siblings].index(question.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(siblings):
            return False
        earlier, later = siblings[min(index, target)], siblings[max(index, target)]
        if later.condition_question_id == earlier.pk:
            raise GuideError(
                _("“%(later)s” is asked only after “%(earlier)s”, so it must stay after it.")
                % {"later": later.text, "earlier": earlier.text}
            )
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        question.refresh_from_db(fields=["position"])
        return True


def next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1
