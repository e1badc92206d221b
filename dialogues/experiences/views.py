from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogues.common.access import permission_required
from dialogues.concepts.models import Concept
from dialogues.experiences.domain.guide import (
    GuideError,
    build_snapshot,
    freeze_guide,
    next_position,
    reorder,
    sections_with_questions,
)
from dialogues.experiences.forms import QuestionForm, SectionForm
from dialogues.experiences.models import Choice, Question, QuestionGuide, Section
from dialogues.experiences.models.guide import choice_labels

PERMISSION = "experiences.edit_guide"


def _guide_url(section=None) -> str:
    url = reverse("experiences:guide")
    return f"{url}#section-{section.pk}" if section else url


@permission_required(PERMISSION)
def guide(request):
    guide_ = QuestionGuide.objects.default()
    context = {"guide": guide_, "sections": sections_with_questions(guide_)}
    return render(request, "experiences/guide.html", context)


@permission_required(PERMISSION, model=Section)
def section_edit(request, section):
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The section was saved."))
        return redirect(_guide_url(section))
    return render(request, "experiences/section_form.html", {"form": form, "section": section})


@permission_required(PERMISSION)
def section_add(request):
    guide_ = QuestionGuide.objects.default()
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        section = form.save(commit=False)
        section.guide = guide_
        section.position = next_position(guide_.sections.all())
        section.save()
        messages.success(request, _("The section was added."))
        return redirect(_guide_url(section))
    return render(request, "experiences/section_form.html", {"form": form, "section": None})


def _question_form(request, question, section):
    form = QuestionForm(request.POST or None, instance=question, section=section)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            question = form.save(commit=False)
            if question.pk is None:
                question.section = section
                question.position = next_position(section.questions.all())
            question.save()
            form.save_m2m()
        messages.success(request, _("The question was saved."))
        return redirect(_guide_url(section))
    context = {"form": form, "question": question if question.pk else None, "section": section}
    return render(request, "experiences/question_form.html", context)


@permission_required(PERMISSION, model=Question)
def question_edit(request, question):
    return _question_form(request, question, question.section)


@permission_required(PERMISSION, model=Section)
def question_add(request, section):
    return _question_form(request, Question(section=section), section)


@permission_required(PERMISSION, model=Question)
@require_POST
def question_move(request, question):
    direction = request.POST.get("direction")
    error = None
    if direction in ("up", "down"):
        try:
            reorder(question, direction)
        except GuideError as refused:
            error = str(refused)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(_guide_url(question.section))
    section = sections_with_questions(question.section.guide).get(pk=question.section_id)
    context = {"section": section, "move_error": error, "moved": question}
    response = render(request, "experiences/guide.html#section", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _for_reading(snapshot: dict, language: str, concept_names: dict) -> list[dict]:
    """The snapshot's sections and questions with texts in one language, conditions explained."""

    def pick(texts: dict) -> str:
        return texts.get(language) or next((text for text in texts.values() if text), "")

    texts = {
        question["id"]: pick(question["text"])
        for section in snapshot["sections"]
        for question in section["questions"]
    }
    sections = []
    for section in snapshot["sections"]:
        questions = []
        for question in section["questions"]:
            condition = question["condition"]
            explained = ""
            if condition:
                explained = _("Asked only if the answer to “%(question)s” is %(answers)s.") % {
                    "question": texts.get(condition["question"], ""),
                    "answers": choice_labels(condition["answers"]),
                }
            concept_note = ""
            if len(question["concepts"]) == 1:
                concept_note = _("Asked only about: %(concept)s.") % {
                    "concept": concept_names.get(question["concepts"][0], "")
                }
            questions.append(
                question
                | {
                    "shown_text": texts[question["id"]],
                    "explained": explained,
                    "concept_note": concept_note,
                }
            )
        sections.append(
            {"id": section["id"], "title": pick(section["title"]), "questions": questions}
        )
    return sections


@permission_required(PERMISSION)
def preview(request):
    guide_ = QuestionGuide.objects.default()
    concept_names = {concept.kind: concept.name for concept in Concept.objects.all()}
    language = (get_language() or "da")[:2]
    context = {
        "guide": guide_,
        "sections": _for_reading(build_snapshot(guide_), language, concept_names),
        "choices": Choice.choices,
    }
    return render(request, "experiences/preview.html", context)


@permission_required(PERMISSION)
def versions(request):
    guide_ = QuestionGuide.objects.default()
    if request.method == "POST":
        latest = guide_.versions.order_by("-number").first()
        version = freeze_guide(guide_, by=request.user)
        if latest is not None and version.pk == latest.pk:
            messages.info(
                request,
                _("The guide has not changed since version %(number)s.")
                % {"number": version.number},
            )
        else:
            messages.success(
                request, _("Version %(number)s was frozen.") % {"number": version.number}
            )
        return redirect("experiences:versions")
    rows = [
        (version, len(version.snapshot["sections"]), len(version.questions()))
        for version in guide_.versions.select_related("created_by")
    ]
    return render(request, "experiences/versions.html", {"guide": guide_, "rows": rows})
