"""What to change (ranked proposals) and the PDF report for a committee."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogues.common.access import permission_required
from dialogues.insights.domain import themes as theme_domain
from dialogues.insights.domain.comments import written_answers
from dialogues.insights.domain.proposals import proposals
from dialogues.insights.domain.publication import publish
from dialogues.insights.exports.log import log_view
from dialogues.insights.models import ExportLog
from dialogues.insights.pages import ResultsPage, concept_names, text_of
from dialogues.insights.views import _slice, closed_campaign, slice_query

VIEW = "insights.view_results"
# Themes per open question in the report, and quotes per theme.
REPORT_THEMES = 5
REPORT_QUOTES = 2


def _proposal_columns(campaign, publication, slice_):
    ranked = proposals(campaign, publication, slice_)
    return [(kind, name, ranked.get(kind, [])) for kind, name in concept_names(campaign.concepts)]


@permission_required(VIEW)
@closed_campaign
def proposal_page(request, campaign):
    form, slice_ = _slice(request)
    publication = publish(campaign)
    log_view(request, campaign, ExportLog.Kind.PROPOSALS, slice_)
    context = {
        "campaign": campaign,
        "form": form,
        "slice": slice_,
        "query": slice_query(slice_),
        "columns": _proposal_columns(campaign, publication, slice_),
    }
    return render(request, "insights/proposals.html", context)


def _open_question_themes(campaign, publication, slice_, sections):
    """For each open question of the page: its text and top themes in the slice."""
    found = []
    for section in sections:
        for view in section.questions:
            if view.is_closed:
                continue
            answers = written_answers(campaign, publication, slice_, view.question)
            if not answers:
                continue
            if not theme_domain.themes_ready(campaign, view.question["id"]):
                found.append((view, None, len(answers)))
                continue
            answers = written_answers(campaign, publication, slice_, view.question)
            themes = theme_domain.live_themes(campaign, view.question["id"])
            summaries = [
                summary
                for summary in theme_domain.summaries(themes, answers, quotes=REPORT_QUOTES)
                if not summary.theme.no_content
            ]
            found.append((view, summaries[:REPORT_THEMES], len(answers)))
    return found


@permission_required(VIEW)
@closed_campaign
def report_pdf(request, campaign):
    _form, slice_ = _slice(request)
    publication = publish(campaign)
    page = ResultsPage(
        publication, slice_, campaign.guide_version.snapshot, concept_names(campaign.concepts)
    )
    sections = page.sections()
    html = render_to_string(
        "insights/report_pdf.html",
        {
            "campaign": campaign,
            "page": page,
            "slice": slice_,
            "sections": sections,
            "open_themes": _open_question_themes(campaign, publication, slice_, sections),
            "columns": _proposal_columns(campaign, publication, slice_),
            "printed": timezone.localtime(),
            "reader": request.user,
        },
        request=request,
    )
    try:
        # Imported here: WeasyPrint needs Pango from the system, which a machine may lack.
        from weasyprint import HTML
    except OSError:
        return HttpResponse(_("The PDF library is not installed on the server."), status=503)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    log_view(request, campaign, ExportLog.Kind.PDF, slice_, query=slice_query(slice_))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"results-{campaign.pk}-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def question_label(question: dict) -> str:
    return text_of(question["text"])
