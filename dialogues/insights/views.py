"""Campaign results: the overview, a slice's tables, and a question's written answers."""

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from dialogues.common.access import permission_required
from dialogues.experiences.models import Answer, Campaign
from dialogues.insights.domain.publication import SOURCES, publish
from dialogues.insights.domain.results import ALL_SOURCES, Slice, level_of, pools_of
from dialogues.insights.pages import ResultsPage, concept_names, text_of
from dialogues.insights.scoping import request_slice as _slice

VIEW = "insights.view_results"


def slice_query(slice_: Slice, **extra) -> str:
    """The query string that opens ``slice_`` (used by the templates' links)."""
    query = QueryDict(mutable=True)
    if slice_.unit is not None:
        query["unit"] = slice_.unit
    if slice_.role_group:
        query["role"] = slice_.role_group
    if slice_.source != SOURCES[0]:
        query["source"] = slice_.source
    if slice_.own:
        query["own"] = "1"
    query.update({key: value for key, value in extra.items() if value is not None})
    return query.urlencode()


def _visible_campaigns():
    return Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-closes_on", "name")


@permission_required(VIEW)
def campaign_list(request):
    return render(request, "insights/campaign_list.html", {"campaigns": _visible_campaigns()})


@permission_required(VIEW)
def campaign_results(request, pk):
    campaign = get_object_or_404(_visible_campaigns(), pk=pk)
    form, slice_ = _slice(request)
    context = {"campaign": campaign, "form": form, "slice": slice_}
    if campaign.status != Campaign.Status.CLOSED:
        return render(request, "insights/results_not_yet.html", context)
    publication = publish(campaign)
    page = ResultsPage(
        publication, slice_, campaign.guide_version.snapshot, concept_names(campaign.concepts)
    )
    context.update(page=page, minimums=campaign)
    return render(request, "insights/results.html", context)


@permission_required(VIEW)
def question_comments(request, pk, question):
    campaign = get_object_or_404(_visible_campaigns(), pk=pk, status=Campaign.Status.CLOSED)
    form, slice_ = _slice(request)
    publication = publish(campaign)
    asked = publication.questions.get(question)
    concept = request.GET.get("concept")
    if asked is None or concept not in publication.concepts:
        raise PermissionDenied(_("There is no such question in this campaign."))
    pools = pools_of(publication, slice_, concept, level_of(asked, written=True))
    groups = {(group, sums.source) for sums in pools for group in sums.pool.groups}
    sources = SOURCES if slice_.source == ALL_SOURCES else (slice_.source,)
    rows = (
        Answer.objects.filter(
            response__campaign=campaign,
            response__concept=concept,
            response__source__in=sources,
            question_id=question,
        )
        .exclude(text="")
        # Random keys: ordering by them is a random order that stays put between visits.
        .order_by("pk")
        .values_list(
            "text",
            "choice",
            "response__reporting_unit",
            "response__reporting_role_group",
            "response__source",
        )
    )
    comments = [
        (text, choice)
        for text, choice, unit, role, source in rows
        if ((unit, role), source) in groups
    ]
    page = ResultsPage(publication, slice_, {}, concept_names([concept]))
    context = {
        "campaign": campaign,
        "form": form,
        "slice": slice_,
        "page": page,
        "question": asked,
        "question_text": text_of(asked["text"]),
        "concept": concept,
        "concept_name": page.concepts[0][1],
        "comments": comments if pools else None,
        "minimum": campaign.sensitive_minimum
        if asked.get("sensitive")
        else campaign.comment_minimum,
    }
    return render(request, "insights/comments.html", context)
