"""A question's written answers: themes, search, hand coding and redaction."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogues.common.access import permission_required
from dialogues.experiences.models import Answer
from dialogues.insights.domain import identifying
from dialogues.insights.domain import themes as theme_domain
from dialogues.insights.domain.comments import written_answers
from dialogues.insights.domain.publication import publish
from dialogues.insights.exports.log import log_view
from dialogues.insights.models import ExportLog, Redaction, ThemeEdit
from dialogues.insights.pages import concept_names, text_of
from dialogues.insights.views import _slice, closed_campaign, slice_query
from dialogues.organisation.rules import results_scopes

ANSWERS_PER_PAGE = 50
VIEW = "insights.view_results"
ANALYSE = "insights.analyse_comments"


def _question(publication, question_id) -> dict:
    question = publication.questions.get(question_id)
    if question is None:
        raise Http404(_("There is no such question in this campaign."))
    return question


def _without(query, name: str) -> str:
    rest = query.copy()
    rest.pop(name, None)
    return rest.urlencode()


def _matches(answer, words) -> bool:
    text = answer.text.casefold()
    return all(word in text for word in words)


@permission_required(VIEW)
@closed_campaign
def question_page(request, campaign, question):
    form, slice_ = _slice(request)
    publication = publish(campaign)
    asked = _question(publication, question)
    log_view(request, campaign, ExportLog.Kind.COMMENTS, slice_, question=question)
    analyst = request.user.has_perm(ANALYSE)
    concept = request.GET.get("concept") or None
    concepts = [concept] if concept in publication.concepts else publication.concepts
    answers = written_answers(campaign, publication, slice_, asked, concepts)
    context = {
        "campaign": campaign,
        "form": form,
        "slice": slice_,
        "query": slice_query(slice_),
        "question": asked,
        "question_text": text_of(asked["text"]),
        "concepts": concept_names(concepts),
        "concept": concept if concept in publication.concepts else "",
        "analyst": analyst,
        "minimum": (
            campaign.sensitive_minimum if asked.get("sensitive") else campaign.comment_minimum
        ),
        "answers": answers,
    }
    if answers is None:
        return render(request, "insights/question.html", context)
    grouped = theme_domain.themes_ready(campaign, question)
    if grouped:
        # Read again: the answers now carry the themes just found.
        answers = written_answers(campaign, publication, slice_, asked, concepts)
    if not analyst:
        answers = [answer for answer in answers if answer.readable]
    themes = theme_domain.live_themes(campaign, question)
    summaries = theme_domain.summaries(themes, answers)
    shown = answers
    chosen_theme = request.GET.get("theme", "")
    if chosen_theme.isdigit():
        shown = [answer for answer in shown if answer.theme_id == int(chosen_theme)]
    words = request.GET.get("q", "").casefold().split()
    if words:
        shown = [answer for answer in shown if _matches(answer, words)]
    if analyst and request.GET.get("flagged"):
        shown = [answer for answer in shown if answer.awaiting_review]
    labels = {theme.pk: theme.label for theme in themes}
    context["answers"] = answers
    page = Paginator(shown, ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        page_obj=page,
        page_query=_without(request.GET, "page"),
        summaries=summaries,
        themes=themes,
        labels=labels,
        shown=page.object_list,
        shown_count=len(shown),
        chosen_theme=int(chosen_theme) if chosen_theme.isdigit() else None,
        search=request.GET.get("q", ""),
        flagged_only=bool(request.GET.get("flagged")),
        awaiting=sum(1 for answer in answers if answer.awaiting_review),
        grouped=grouped,
    )
    return render(request, "insights/question.html", context)


def _back(request, campaign, question):
    url = reverse("insights:comments", args=[campaign.pk, question])
    # The page's own query string: it only follows our own path, so it cannot lead elsewhere.
    query = request.POST.get("back", "")
    return redirect(f"{url}?{query}" if query else url)


@permission_required(ANALYSE)
@require_POST
@closed_campaign
def theme_edit(request, campaign, question):
    """Rename, merge, split or move: one POST, one edit, one line of history."""
    themes = {theme.pk: theme for theme in theme_domain.live_themes(campaign, question)}
    action = request.POST.get("action")
    try:
        theme = themes.get(int(request.POST.get("theme", "0") or 0))
        if theme is None:
            raise theme_domain.ThemeRefused(_("Choose a theme."))
        if action == "rename":
            theme_domain.rename(
                theme,
                request.POST.get("label_da", ""),
                request.POST.get("label_en", ""),
                request.user,
            )
            messages.success(request, _("The theme was renamed."))
        elif action == "merge":
            others = [
                themes[int(v)]
                for v in request.POST.getlist("others")
                if v.isdigit() and int(v) in themes
            ]
            moved = theme_domain.merge(theme, others, request.user)
            messages.success(
                request, _("The themes were merged (%(count)d answers moved).") % {"count": moved}
            )
        elif action == "split":
            ids = [_uuid(value) for value in request.POST.getlist("answers")]
            new = theme_domain.split(
                theme,
                [i for i in ids if i],
                request.POST.get("label_da", ""),
                request.POST.get("label_en", ""),
                request.user,
            )
            messages.success(
                request, _("The new theme “%(label)s” was made.") % {"label": new.label}
            )
        elif action == "move":
            answer = _uuid(request.POST.get("answer", ""))
            if answer is None:
                raise theme_domain.ThemeRefused(_("That answer is not one of this question's."))
            theme_domain.move(answer, theme, request.user)
            messages.success(
                request, _("The answer was moved to “%(label)s”.") % {"label": theme.label}
            )
        else:
            raise theme_domain.ThemeRefused(_("Unknown edit."))
    except theme_domain.ThemeRefused as refused:
        messages.error(request, str(refused))
    return _back(request, campaign, question)


def _uuid(value):
    try:
        return UUID(str(value))
    except ValueError:
        return None


@permission_required(ANALYSE)
@closed_campaign
def theme_history(request, campaign, question):
    publication = publish(campaign)
    asked = _question(publication, question)
    log_view(request, campaign, ExportLog.Kind.HISTORY, question=question)
    edits = ThemeEdit.objects.filter(campaign=campaign, question_id=question).select_related("by")
    return render(
        request,
        "insights/theme_history.html",
        {
            "campaign": campaign,
            "question": asked,
            "question_text": text_of(asked["text"]),
            "edits": edits,
        },
    )


def _answer_in_scope(user, campaign, answer_id) -> Answer:
    answer = get_object_or_404(
        Answer.objects.select_related("response", "response__reporting_unit"),
        pk=answer_id,
        response__campaign=campaign,
    )
    scopes = results_scopes(user)
    unit = answer.response.reporting_unit
    if scopes is not None and not any(unit.is_within(scope) for scope in scopes):
        raise PermissionDenied(_("You can read the results of your own units only."))
    return answer


@permission_required(ANALYSE)
@closed_campaign
def redact(request, campaign, answer_id):
    """HR reads a written answer and redacts it, withholds it, or clears it."""
    answer = _answer_in_scope(request.user, campaign, answer_id)
    existing = Redaction.objects.filter(answer=answer).first()
    found = identifying.flags(answer.text)
    back = request.GET.get("back") or request.POST.get("back", "")
    if request.method == "POST":
        decision = request.POST.get("decision")
        text = request.POST.get("text", "").strip()
        if decision == "redact" and not text:
            decision = None
            messages.error(request, _("Write the text to show instead, or withhold the answer."))
        if decision in ("redact", "withhold", "clear"):
            Redaction.objects.update_or_create(
                answer=answer,
                defaults={
                    "text": text if decision == "redact" else "",
                    "cleared": decision == "clear",
                    "by": request.user,
                },
            )
            messages.success(
                request,
                {
                    "redact": _("The answer is now shown redacted."),
                    "withhold": _("The answer is withheld from every reader and report."),
                    "clear": _("The answer is shown as written."),
                }[decision],
            )
            url = reverse("insights:comments", args=[campaign.pk, answer.question_id])
            return redirect(f"{url}?{back}" if back else url)
    publication = publish(campaign)
    asked = publication.questions.get(answer.question_id, {"text": {}})
    log_view(
        request,
        campaign,
        ExportLog.Kind.REDACTION,
        question=answer.question_id,
        answer=str(answer.pk),
    )
    return render(
        request,
        "insights/redact.html",
        {
            "campaign": campaign,
            "answer": answer,
            "question_text": text_of(asked["text"]),
            "flags": found,
            "suggested": existing.text
            if existing and existing.text
            else identifying.suggested_redaction(answer.text, found),
            "existing": existing,
            "back": back,
        },
    )


SEARCH_SHOWN_PER_QUESTION = 20


@permission_required(VIEW)
@closed_campaign
def search_page(request, campaign):
    """Every written answer of the campaign (in the slice) that holds all the words searched."""
    form, slice_ = _slice(request)
    log_view(request, campaign, ExportLog.Kind.SEARCH, slice_)
    publication = publish(campaign)
    analyst = request.user.has_perm(ANALYSE)
    search = request.GET.get("q", "")
    words = search.casefold().split()
    found = []
    for question_id in theme_domain.questions_with_texts(campaign) if words else []:
        question = publication.questions[question_id]
        answers = written_answers(campaign, publication, slice_, question) or []
        matching = [
            answer for answer in answers if (analyst or answer.readable) and _matches(answer, words)
        ]
        if matching:
            found.append((question, text_of(question["text"]), matching))
    context = {
        "campaign": campaign,
        "form": form,
        "slice": slice_,
        "query": slice_query(slice_),
        "search": search,
        "found": [
            (q, text, matching[:SEARCH_SHOWN_PER_QUESTION], len(matching))
            for q, text, matching in found
        ],
        "total": sum(len(matching) for _, _, matching in found),
    }
    return render(request, "insights/search.html", context)
