"""Results as files (XLSX, CSV) and each person's API tokens.

The files hold the slice the results page shows and every unit and role group below it that
the person may read, with the same permission and the same refusal as the page. Every export
is written to the access log, which HR administrators read (views_log).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dialogues.common.access import permission_required
from dialogues.common.ratelimit import API_TOKENS_CREATED
from dialogues.insights.domain.publication import publish
from dialogues.insights.exports import files
from dialogues.insights.exports.forms import ApiTokenForm
from dialogues.insights.exports.log import log_export
from dialogues.insights.exports.tabular import export_slices, result_rows
from dialogues.insights.models import ApiToken, ExportLog
from dialogues.insights.pages import concept_names
from dialogues.insights.scoping import readable_unit_ids, request_slice
from dialogues.insights.views import closed_campaign

VIEW = "insights.view_results"


def _export(request, campaign, kind: str):
    _form, slice_ = request_slice(request)
    publication = publish(campaign)
    readable = readable_unit_ids(request.user)
    slices = export_slices(publication, slice_, None if readable is None else readable.__contains__)
    labels = files.Labels(publication, concept_names(campaign.concepts))
    tables = files.tables(result_rows(publication, slices), labels)
    name = f"results-{campaign.pk}-{slugify(campaign.name) or 'campaign'}"
    if kind == ExportLog.Kind.XLSX:
        content = files.workbook_bytes(tables, files.about_lines(campaign, slice_, labels))
        response = HttpResponse(content, content_type=files.XLSX_TYPE)
        filename = f"{name}.xlsx"
    else:
        response = HttpResponse(files.csv_bytes(tables), content_type=files.CSV_TYPE)
        filename = f"{name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    log_export(request.user, campaign, kind, request.get_full_path(), slice_)
    return response


@permission_required(VIEW)
@closed_campaign
def export_xlsx(request, campaign):
    return _export(request, campaign, ExportLog.Kind.XLSX)


@permission_required(VIEW)
@closed_campaign
def export_csv(request, campaign):
    return _export(request, campaign, ExportLog.Kind.CSV)


@never_cache
@permission_required(VIEW)
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if API_TOKENS_CREATED.attempt(str(request.user.pk)):
            token, key = ApiToken.issue(request.user, form.cleaned_data["name"])
            # Shown in this answer only: the key is not stored, and no redirect carries it on.
            return render(request, "insights/api_token_created.html", {"token": token, "key": key})
        minutes = API_TOKENS_CREATED.retry_after_minutes()
        form.add_error(
            None,
            ngettext(
                "You made many tokens in a short time. Try again in %(minutes)s minute.",
                "You made many tokens in a short time. Try again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        status = 429
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk")
    response = render(
        request, "insights/api_tokens.html", {"form": form, "tokens": tokens}, status=status
    )
    if status == 429:
        response["Retry-After"] = str(API_TOKENS_CREATED.retry_after())
    return response


@permission_required(VIEW)
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("insights:api_tokens")
