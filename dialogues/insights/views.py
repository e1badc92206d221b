"""Campaign results: the list of campaigns and a slice's tables (see views_comments for texts).

Every page that shows a campaign's results writes one row to the access log (``log_view``);
a campaign whose answers were deleted (``insights.domain.retention``) says so instead.
"""

from functools import wraps

from django.http import QueryDict
from django.shortcuts import get_object_or_404, render

from dialogues.common.access import permission_required
from dialogues.experiences.models import Campaign
from dialogues.insights.domain.publication import SOURCES, publish
from dialogues.insights.domain.results import Slice
from dialogues.insights.exports.log import log_view
from dialogues.insights.models import ExportLog
from dialogues.insights.pages import ResultsPage, concept_names
from dialogues.insights.scoping import request_slice as _slice

VIEW = "insights.view_results"


def answers_deleted(request, campaign, status: int = 410):
    """The page of a campaign whose answers were deleted: when, and that nothing is left."""
    return render(request, "insights/answers_deleted.html", {"campaign": campaign}, status=status)


def closed_campaign(view):
    """Give the view the closed campaign of the URL's ``pk`` (404 if none); its answers kept.

    Goes inside ``permission_required``: who may not read results learns nothing of it.
    """

    @wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        campaign = get_object_or_404(Campaign, pk=pk, status=Campaign.Status.CLOSED)
        if campaign.answers_deleted_at is not None:
            return answers_deleted(request, campaign)
        return view(request, campaign, *args, **kwargs)

    return wrapped


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
    # Those with results first: a closed campaign is what a reader comes for.
    campaigns = sorted(_visible_campaigns(), key=lambda c: c.status != Campaign.Status.CLOSED)
    return render(request, "insights/campaign_list.html", {"campaigns": campaigns})


@permission_required(VIEW)
def campaign_results(request, pk):
    campaign = get_object_or_404(_visible_campaigns(), pk=pk)
    form, slice_ = _slice(request)
    context = {"campaign": campaign, "form": form, "slice": slice_}
    if campaign.status != Campaign.Status.CLOSED:
        return render(request, "insights/results_not_yet.html", context)
    if campaign.answers_deleted_at is not None:
        # The campaign's own page: it exists and says what became of its answers.
        return answers_deleted(request, campaign, status=200)
    publication = publish(campaign)
    page = ResultsPage(
        publication, slice_, campaign.guide_version.snapshot, concept_names(campaign.concepts)
    )
    context.update(page=page, minimums=campaign)
    log_view(request, campaign, ExportLog.Kind.RESULTS, slice_)
    return render(request, "insights/results.html", context)
