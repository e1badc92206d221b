"""The rows of ``tabular`` as an Excel workbook or a CSV file, labelled in the reader's language.

Three tables: the answers to each closed question by choice, the respondents per concept, and
the response rates, each with one row per slice (the unit's tree, or the unit itself with the
small groups counted there, by role group). A workbook adds a sheet "About" that explains the
anonymity minimums and why rows are missing. Written answers are never in these files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dialogues.experiences.models import Choice
from dialogues.insights.domain.results import Slice
from dialogues.insights.exports.tabular import ChoiceRow, RateRow, RespondentsRow, Row
from dialogues.insights.forms import SOURCE_CHOICES
from dialogues.insights.pages import role_label, text_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
PERCENT_FORMAT = "0.0"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    title: str
    header: list[str]
    lines: list[list] = field(default_factory=list)
    # Column index → number format, for the workbook.
    formats: dict[int, str] = field(default_factory=dict)


class Labels:
    """The words for a publication's codes, in the active language."""

    def __init__(self, publication, concepts: list[tuple[str, str]]):
        self.publication = publication
        self.concepts = dict(concepts)
        self.sources = {value: str(label) for value, label in SOURCE_CHOICES}
        self.choices = {value: str(label) for value, label in Choice.choices}

    def unit(self, slice_: Slice) -> str:
        if slice_.unit is None:
            return _("The whole campaign")
        return self.publication.unit_names.get(slice_.unit, "?")

    def counted(self, slice_: Slice) -> str:
        if slice_.unit is None:
            return _("Every unit")
        if slice_.own:
            return _("The unit itself, with smaller groups below it")
        return _("The unit and every unit below it")

    def role(self, slice_: Slice) -> str:
        if slice_.role_group is None:
            return _("Every role group together")
        return role_label(slice_.role_group)

    def source(self, slice_: Slice) -> str:
        return self.sources.get(slice_.source, slice_.source)

    def place(self, slice_: Slice) -> list:
        return [self.unit(slice_), slice_.unit, self.counted(slice_), self.role(slice_)]

    def question(self, question_id: int) -> str:
        question = self.publication.questions.get(question_id, {})
        return text_of(question.get("text", {}))


def _place_header() -> list[str]:
    return [_("Unit"), _("Unit number"), _("Counted"), _("Role group")]


def tables(rows: Iterable[Row], labels: Labels) -> list[Table]:
    """The answers, respondents and response rates tables of ``rows``."""
    answers = Table(
        _("Answers"),
        [
            *_place_header(),
            _("Answers from"),
            _("Concept"),
            _("Question number"),
            _("Question"),
            _("Answer"),
            _("Respondents"),
            _("Answered the question"),
            _("Count"),
            _("Percent of those who answered"),
        ],
        formats={12: PERCENT_FORMAT},
    )
    people = Table(
        _("Respondents"),
        [*_place_header(), _("Answers from"), _("Concept"), _("Respondents")],
    )
    rates = Table(
        _("Response rates"),
        [*_place_header(), _("Answered"), _("Invited"), _("Response rate (%)")],
        formats={6: PERCENT_FORMAT},
    )
    for row in rows:
        place = labels.place(row.slice)
        if isinstance(row, ChoiceRow):
            answers.lines.append(
                [
                    *place,
                    labels.source(row.slice),
                    labels.concepts.get(row.concept, row.concept),
                    row.question,
                    labels.question(row.question),
                    labels.choices.get(row.choice, row.choice),
                    row.respondents,
                    row.answered,
                    row.count,
                    row.percent,
                ]
            )
        elif isinstance(row, RespondentsRow):
            people.lines.append(
                [
                    *place,
                    labels.source(row.slice),
                    labels.concepts.get(row.concept, row.concept),
                    row.respondents,
                ]
            )
        elif isinstance(row, RateRow):
            rates.lines.append([*place, row.answered, row.invited, row.percent])
    return [answers, people, rates]


def about_lines(campaign, slice_: Slice, labels: Labels) -> list[str]:
    """What the "About" sheet says: what the file holds and why rows are missing."""
    return [
        _("Results of %(campaign)s") % {"campaign": campaign.name},
        _("Selection: %(unit)s · %(role)s · %(source)s")
        % {
            "unit": labels.unit(slice_),
            "role": labels.role(slice_),
            "source": labels.source(slice_),
        },
        _("Exported %(when)s") % {"when": date_format(timezone.localtime(), "DATETIME_FORMAT")},
        "",
        _(
            "The file holds the figures of the selection and of every unit and role group "
            "below it that you may read, as the results pages show them."
        ),
        _(
            "A figure is shown only for at least %(counts)s people, written answers for at "
            "least %(comments)s, and sensitive questions for at least %(sensitive)s."
        )
        % {
            "counts": campaign.count_minimum,
            "comments": campaign.comment_minimum,
            "sensitive": campaign.sensitive_minimum,
        },
        _(
            "Smaller groups are counted together with their role group at the unit above, so "
            "no figure can be worked out from two others. The row “… itself, with smaller "
            "groups below it” counts the unit's own groups and the small groups joined to them."
        ),
        _(
            "A missing row means too few answers to show a figure. It never means zero: do "
            "not fill it in with 0, and do not subtract figures to find it."
        ),
        _("Percentages are of those who answered the question; written answers are not here."),
    ]


def _cell(sheet, value, **style):
    """Text stays text: a unit named "=SUM(...)" must not become a formula.

    A plain value where nothing needs saying (most cells: it is much faster to write).
    """
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        # A control character typed into a name would make openpyxl refuse the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    formula_like = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    if not (style or formula_like):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _sheet_title(title: str) -> str:
    for forbidden in "[]:*?/\\":
        title = title.replace(forbidden, " ")
    return title[:31]


def _width(table: Table, index: int) -> float:
    """Wide enough for the longest value among the first rows, and the header's longest word."""
    values = [line[index] for line in table.lines[:500] if line[index] is not None]
    longest = max(
        [len(word) for word in table.header[index].split()] + [len(str(value)) for value in values]
    )
    return min(max(longest + 2, 10), 60)


def workbook_bytes(tables_: list[Table], about: list[str]) -> bytes:
    """A workbook with a sheet per table (header, frozen panes, widths) and one "About".

    Written in openpyxl's write-only mode: a large university's file has some 100,000 rows.
    """
    workbook = Workbook(write_only=True)
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for table in tables_:
        sheet = workbook.create_sheet(_sheet_title(table.title))
        # The header and the unit stay in view; a filter on every column.
        sheet.freeze_panes = "B2"
        for index in range(len(table.header)):
            sheet.column_dimensions[get_column_letter(index + 1)].width = _width(table, index)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{len(table.lines) + 1}"
        sheet.append([_cell(sheet, name, font=bold, alignment=wrapped) for name in table.header])
        for line in table.lines:
            sheet.append(
                [
                    _cell(sheet, value, number_format=table.formats[index])
                    if index in table.formats
                    else _cell(sheet, value)
                    for index, value in enumerate(line)
                ]
            )
    sheet = workbook.create_sheet(_sheet_title(_("About")))
    sheet.column_dimensions["A"].width = 110
    for number, line in enumerate(about):
        style = {"font": Font(bold=True, size=14)} if number == 0 else {}
        sheet.append([_cell(sheet, line, alignment=wrapped, **style)])
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _csv_value(value, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if number_format == PERCENT_FORMAT:
        return f"{value:.1f}"
    value = str(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(tables_: list[Table]) -> bytes:
    """The tables one after another, in UTF-8 with a byte order mark (for Excel).

    The first table's header is the file's first line; each further table follows a blank
    line and a line with its title. Percentages have one decimal, with a point.
    """
    text = io.StringIO()
    writer = csv.writer(text)
    for number, table in enumerate(tables_):
        if number:
            writer.writerow([])
            writer.writerow([_csv_value(table.title)])
        writer.writerow([_csv_value(name) for name in table.header])
        for line in table.lines:
            writer.writerow(
                [_csv_value(value, table.formats.get(i)) for i, value in enumerate(line)]
            )
    return ("\ufeff" + text.getvalue()).encode("utf-8")
