"""Results as files (XLSX, CSV), the export log, and each person's API tokens.

The files hold the slice the results page shows and every unit and role group below it that
the person may read, with the same permission and the same refusal as the page. Every export
is written to the export log, which HR administrators read.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dialogues.common.access import permission_required
from dialogues.experiences.models import Campaign
from dialogues.insights.domain.publication import publish
from dialogues.insights.exports import files
from dialogues.insights.exports.forms import ApiTokenForm
from dialogues.insights.exports.log import log_export
from dialogues.insights.exports.tabular import export_slices, result_rows
from dialogues.insights.forms import SOURCE_CHOICES
from dialogues.insights.models import ApiToken, ExportLog
from dialogues.insights.pages import concept_names, role_label
from dialogues.insights.scoping import readable_unit_ids, request_slice
from dialogues.organisation.models import Unit

VIEW = "insights.view_results"
LOG_PAGE_SIZE = 50


def _export(request, pk, kind: str):
    campaign = get_object_or_404(Campaign, pk=pk, status=Campaign.Status.CLOSED)
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
def export_xlsx(request, pk):
    return _export(request, pk, ExportLog.Kind.XLSX)


@permission_required(VIEW)
def export_csv(request, pk):
    return _export(request, pk, ExportLog.Kind.CSV)


def _describe(entries) -> list[tuple[ExportLog, str]]:
    """Each log entry with its slice in words (one query for the units of the whole page)."""
    unit_ids = {entry.what.get("unit") for entry in entries} - {None}
    names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    sources = {value: str(label) for value, label in SOURCE_CHOICES}
    described = []
    for entry in entries:
        what = entry.what or {}
        parts = []
        if "source" in what:
            unit = what.get("unit")
            if unit is None:
                parts.append(_("The whole campaign"))
            else:
                parts.append(names.get(unit, _("unit %(number)s") % {"number": unit}))
            if what.get("own"):
                parts.append(_("the unit itself"))
            role = what.get("role")
            parts.append(role_label(role) if role else _("every role group"))
            parts.append(sources.get(what["source"], what["source"]))
        described.append((entry, " · ".join(str(part) for part in parts)))
    return described


@permission_required("insights.view_export_log")
def export_log(request):
    entries = ExportLog.objects.select_related("user", "campaign").order_by("-at", "-pk")
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/export_log.html",
        {"page": page, "entries": _describe(page.object_list)},
    )


@never_cache
@permission_required(VIEW)
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, key = ApiToken.issue(request.user, form.cleaned_data["name"])
        # Shown in this answer only: the key is not stored, and no redirect carries it on.
        return render(request, "insights/api_token_created.html", {"token": token, "key": key})
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk")
    return render(request, "insights/api_tokens.html", {"form": form, "tokens": tokens})


@permission_required(VIEW)
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("insights:api_tokens")
