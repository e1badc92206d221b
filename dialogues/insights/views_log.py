"""The access log: who opened which results, took which files out, exported whose data, when.

HR administrators read it in pages with filters (person, campaign, kind, dates) and take it out
as CSV; taking it out is itself logged.
"""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from dialogues.common.access import permission_required
from dialogues.insights import access_log
from dialogues.insights.exports.files import CSV_TYPE, FORMULA_STARTS
from dialogues.insights.exports.log import log_export
from dialogues.insights.models import ExportLog

READ_LOG = "insights.view_access_log"
LOG_PAGE_SIZE = 50


@permission_required(READ_LOG)
def access_log_page(request):
    form = access_log.AccessLogFilter(request.GET or None)
    entries = access_log.filtered(form)
    page = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    words = access_log.Words(access_log.unit_names(page.object_list))
    described = [
        (
            entry,
            words.what(entry.kind, entry.what),
            words.campaign(entry.campaign.name if entry.campaign else None, entry.kind),
        )
        for entry in page.object_list
    ]
    return render(
        request,
        "insights/access_log.html",
        {"form": form, "page": page, "entries": described, "filtered": bool(form.filters())},
    )


class _Line:
    """A file-like object that hands back what the csv writer writes (for streaming)."""

    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    # Text stays text: a name such as "=HYPERLINK(...)" must not run as a formula.
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@permission_required(READ_LOG)
def access_log_csv(request):
    form = access_log.AccessLogFilter(request.GET or None)
    entries = access_log.filtered(form)
    filters = form.filters()
    log_export(
        request.user,
        form.cleaned_data.get("campaign") if form.is_bound else None,
        ExportLog.Kind.ACCESS_LOG,
        request.get_full_path(),
        filters=filters,
    )
    writer = csv.writer(_Line())

    def lines():
        yield "\ufeff"  # for Excel: the file is UTF-8
        for row in access_log.csv_rows(entries):
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    name = f"access-log-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
