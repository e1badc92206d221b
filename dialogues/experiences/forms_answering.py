"""The respondent's questionnaire as a Django form, built from a campaign's frozen guide.

Field names are ``<concept>-<question id>-choice`` and ``-why`` for a closed question and
``<concept>-<question id>-text`` for an open one, plus ``concepts``. Only the questions shown
(``visible_questions``) for the chosen concepts get a field. The form holds no token and no
invitee id: the link's token is only in the URL path, and the widgets' htmx requests go to the
page's own address (an empty ``hx-post``), so the questions' HTML is the same for every
respondent and can be rendered once (``views_answering``).

``posted_answers`` reads the answers out of a POST without building the form: the submit and
the autosave, the busiest requests, need no form unless something must be shown again.
"""

import json

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dialogues.experiences.domain.answering import plain_text
from dialogues.experiences.domain.guide import visible_questions
from dialogues.experiences.models import ANSWER_MAX_LENGTH, Choice


def _pick(texts: dict, language: str) -> str:
    return texts.get(language) or next((text for text in texts.values() if text), "")


def _htmx(target: str, swap: str, **values) -> dict:
    return {
        "hx-post": "",  # the page's own address
        "hx-trigger": "change",
        "hx-include": "closest form",
        "hx-target": target,
        "hx-swap": swap,
        "hx-vals": json.dumps(values),
    }


def _textarea(rows: int) -> forms.Textarea:
    attrs = {"rows": rows, "maxlength": ANSWER_MAX_LENGTH}
    # Only the status's text is swapped: screen readers announce a change inside a live
    # region that is already on the page, not a live region put in its place.
    attrs |= _htmx("#answer-status", "innerHTML", autosave="1")
    attrs["hx-select"] = "#answer-status > span"
    return forms.Textarea(attrs=attrs)


class RadioGroup(forms.RadioSelect):
    """Radio buttons whose htmx attributes sit once on their group, where the change bubbles.

    On every button they made up a third of the questionnaire's HTML.
    """

    template_name = "experiences/widgets/radio_group.html"

    def __init__(self, group_attrs: dict, **kwargs):
        super().__init__(**kwargs)
        self.group_attrs = group_attrs

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["group_attrs"] = self.group_attrs
        return context


def _closed_parts(answer) -> tuple[str, str]:
    if isinstance(answer, dict):
        return str(answer.get("choice") or ""), str(answer.get("why") or answer.get("text") or "")
    return (str(answer) if isinstance(answer, str) else ""), ""


def typed(data, name: str) -> str:
    """A posted text as the browser counted it: a line break is one character.

    Browsers send a line break as CR LF but count it as one character against ``maxlength``;
    without this, an answer the browser let through would be refused. Control characters
    (a NUL, say) are dropped as the domain drops them (``plain_text``).
    """
    return plain_text(data.get(name, "").replace("\r\n", "\n").replace("\r", "\n"))


def chosen_concepts(campaign, data) -> list[str]:
    chosen = set(data.getlist("concepts"))
    return [kind for kind in campaign.concepts if kind in chosen]


def posted_answers(snapshot: dict, chosen: list[str], data) -> dict:
    """``{concept: {question id: answer}}`` as typed (nothing cut or checked here)."""
    answers = {}
    for kind in chosen:
        given = {}
        for section in snapshot["sections"]:
            for question in section["questions"]:
                if kind not in question["concepts"]:
                    continue
                prefix, key = f"{kind}-{question['id']}", str(question["id"])
                if question["kind"] == "closed":
                    choice = data.get(f"{prefix}-choice", "")
                    why = typed(data, f"{prefix}-why")
                    if choice or why:
                        given[key] = {"choice": choice, "why": why}
                elif text := typed(data, f"{prefix}-text"):
                    given[key] = text
        answers[kind] = given
    return answers


class AnswerForm(forms.Form):
    """The concepts chosen and the questions shown for them; ``blocks`` lays them out.

    Unbound, it shows ``answers`` and ``concepts`` (a draft, or the invitee's preset concepts);
    bound, the posted data decides both. With ``questions=False`` only the choice of concepts
    is built (the questions come from a rendering kept for the guide version).
    """

    def __init__(
        self, campaign, *, data=None, answers=None, concepts=None, names=None, questions=True
    ):
        super().__init__(data=data)
        from dialogues.concepts.models import Concept

        self.snapshot = campaign.guide_version.snapshot
        language = (get_language() or "da")[:2]
        if names is None:
            names = {concept.kind: concept.name for concept in Concept.objects.all()}
        self.fields["concepts"] = forms.MultipleChoiceField(
            label=_("Which dialogue concepts did you take part in?"),
            help_text=_("The questions for each concept you choose are shown below."),
            choices=[(kind, names.get(kind, kind)) for kind in campaign.concepts],
            widget=forms.CheckboxSelectMultiple(
                attrs=_htmx("#questions", "outerHTML", refresh="all")
            ),
            required=False,
        )
        if data is not None:
            self.chosen = chosen_concepts(campaign, data)
            self.answers = posted_answers(self.snapshot, self.chosen, data)
        else:
            chosen = set(concepts or [])
            self.chosen = [kind for kind in campaign.concepts if kind in chosen]
            self.answers = answers or {}
            self.initial["concepts"] = self.chosen
        self.blocks = []
        if questions:
            self._build_questions(names, language)

    def _build_questions(self, names: dict, language: str) -> None:
        layout = []
        for kind in self.chosen:
            given = self.answers.get(kind) or {}
            given = given if isinstance(given, dict) else {}
            shown = {q["id"] for q in visible_questions(self.snapshot, given, concept=kind)}
            sections = []
            for section in self.snapshot["sections"]:
                questions = []
                for question in section["questions"]:
                    if question["id"] not in shown:
                        continue
                    questions.append(self._add_question(kind, question, given, language))
                if questions:
                    sections.append(
                        {
                            "id": section["id"],
                            "title": _pick(section["title"], language),
                            "questions": questions,
                        }
                    )
            layout.append({"kind": kind, "name": names.get(kind, kind), "sections": sections})
        # Bound fields only once every field exists.
        self.blocks = [
            block
            | {
                "sections": [
                    section
                    | {
                        "questions": [
                            question | {"fields": [self[name] for name in question["names"]]}
                            for question in section["questions"]
                        ]
                    }
                    for section in block["sections"]
                ]
            }
            for block in layout
        ]

    def _add_question(self, kind: str, question: dict, given: dict, language: str):
        prefix = f"{kind}-{question['id']}"
        text = _pick(question["text"], language)
        answer = given.get(str(question["id"]), given.get(question["id"]))
        if question["kind"] == "closed":
            choice, why = _closed_parts(answer)
            self.fields[f"{prefix}-choice"] = forms.ChoiceField(
                label=_("Your answer"),
                choices=Choice.choices,
                widget=RadioGroup(_htmx(f"#concept-{kind}", "outerHTML", refresh=kind)),
                required=False,
            )
            self.fields[f"{prefix}-why"] = forms.CharField(
                label=_("Why?"), widget=_textarea(3), required=False, strip=False
            )
            self.initial[f"{prefix}-choice"] = choice
            self.initial[f"{prefix}-why"] = why
            names = [f"{prefix}-choice", f"{prefix}-why"]
        else:
            self.fields[f"{prefix}-text"] = forms.CharField(
                label=text, widget=_textarea(5), required=False, strip=False
            )
            self.initial[f"{prefix}-text"] = answer if isinstance(answer, str) else ""
            names = [f"{prefix}-text"]
        return {"id": question["id"], "kind": question["kind"], "text": text, "names": names}

    def field_for(self, concept: str | None, question_id: int | None) -> str | None:
        """The field a domain error about (concept, question) belongs next to."""
        if concept is None or question_id is None:
            return None
        prefix = f"{concept}-{question_id}"
        if f"{prefix}-text" in self.fields:
            return f"{prefix}-text"
        why = typed(self.data, f"{prefix}-why") if self.is_bound else ""
        if f"{prefix}-why" in self.fields and len(why.strip()) > ANSWER_MAX_LENGTH:
            return f"{prefix}-why"
        return f"{prefix}-choice" if f"{prefix}-choice" in self.fields else None
