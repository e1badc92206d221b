"""The director's overview: the state of each concept for every unit and manager overseen,
coverage as figures and a chart, and the same rows as a spreadsheet."""

from io import BytesIO

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from dialogues.common.access import permission_required
from dialogues.rounds.domain.overview import STATES, Coverage, Overview, Row, build_overview
from dialogues.rounds.forms_overview import OverviewFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Fills for the chart's bars, one per state; each has at least 3:1 contrast on white.
BAR_FILLS = ["#6b7583", "#8a5a00", "#0b6e99", "#5b3f99", "#0b5563", "#1d6b35"]
CHART_WIDTH, LABEL_WIDTH, BAR_AREA, LINE = 640, 170, 330, 24


def _filtered(request) -> tuple[Overview, OverviewFilterForm, list[Row], list[Coverage]]:
    overview = build_overview(request.user)
    form = OverviewFilterForm(request.GET or None, overview=overview)
    filters = form.filters()
    rows = overview.select(filters)
    coverage = overview.coverage(overview.population(filters), concept=filters.concept)
    return overview, form, rows, coverage


def _chart(coverage: list[Coverage]) -> dict:
    """Bars for each concept and state, as SVG geometry: a share of the concept's rows each."""
    groups, y = [], 0
    for item in coverage:
        group = {"label": item.concept.name, "y": y + 17, "bars": []}
        groups.append(group)
        y += LINE
        for index, (code, label, count) in enumerate(item.states):
            width = round(BAR_AREA * count / item.total) if item.total else 0
            group["bars"].append(
                {
                    "code": code,
                    "label": label,
                    "count": count,
                    "y": y + 4,
                    "text_y": y + 17,
                    "width": width,
                    "text_x": LABEL_WIDTH + width + 8,
                    "fill": BAR_FILLS[index % len(BAR_FILLS)],
                }
            )
            y += LINE
        y += LINE // 2
    return {
        "width": CHART_WIDTH,
        "height": max(y, LINE),
        "label_x": LABEL_WIDTH - 8,
        "groups": groups,
    }


@permission_required("rounds.view_overview")
def overview(request):
    overview_, form, rows, coverage = _filtered(request)
    template = "rounds/overview.html"
    # A history restore after a cache miss asks for the whole page, with HX-Request set too.
    if request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request"):
        template += "#results"
    response = render(
        request,
        template,
        {
            "form": form,
            "rows": rows,
            "coverage": coverage,
            "coverage_table": [
                (label, [item.counts[code] for item in coverage]) for code, label in STATES
            ],
            "chart": _chart(coverage),
            "today": overview_.today,
            "query": request.GET.urlencode(),
        },
    )
    # The same address answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _text(cell, value) -> None:
    """Text stays text: a unit named "=SUM(...)" must not become a formula."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # A control character typed into a name would make openpyxl refuse the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _sheet(workbook, title: str, header: list[str], lines: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append([None] * len(line))
        for cell, value in zip(sheet[sheet.max_row], line, strict=True):
            _text(cell, value)
            if hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    for column, name in zip(sheet.columns, header, strict=True):
        longest = max([len(name)] + [len(str(c.value or "")) for c in column][:200])
        sheet.column_dimensions[column[0].column_letter].width = min(max(longest + 2, 10), 60)


@permission_required("rounds.view_overview")
def export(request):
    overview_, _form, rows, coverage = _filtered(request)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        "Overview",
        [
            _("Unit"),
            _("Unit code"),
            _("Manager"),
            _("Concept"),
            _("State"),
            _("Date"),
            _("HR partner"),
            _("Overdue"),
            _("Agreements past their date"),
        ],
        [
            [
                row.unit.name,
                row.unit.code,
                row.manager.name if row.manager else "",
                row.concept.name,
                row.state_label,
                row.date,
                row.hr_partner.name if row.hr_partner else "",
                "; ".join(row.overdue_labels),
                row.overdue_agreements,
            ]
            for row in rows
        ],
    )
    states = coverage[0].states if coverage else []
    _sheet(
        workbook,
        "Coverage",
        [_("Concept"), *(str(label) for _code, label, _count in states), _("Total")]
        + [_("Held or later"), _("Held or later (%)")],
        [
            [item.concept.name, *(count for _c, _l, count in item.states), item.total]
            + [item.held_or_later, item.percent]
            for item in coverage
        ],
    )
    content = BytesIO()
    workbook.save(content)
    response = HttpResponse(content.getvalue(), content_type=XLSX)
    filename = f"dialogue-overview-{overview_.today:%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
