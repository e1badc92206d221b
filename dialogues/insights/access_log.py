"""The access log as HR reads it: the filter, each entry in words, and the rows of its CSV.

The rows are ``ExportLog`` entries (``exports/log.py`` writes them): results pages opened,
files exported, API reads, personal data exported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogues.experiences.models import Campaign
from dialogues.insights.forms import SOURCE_CHOICES
from dialogues.insights.models import ExportLog
from dialogues.insights.pages import role_label
from dialogues.organisation.models import Unit

PAGE_VIEWS, EXPORTS = "pages", "exports"


class AccessLogFilter(forms.Form):
    person = forms.CharField(
        label=gettext_lazy("Person"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Part of the name or e-mail, or the employee id."),
    )
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by(
            "-closes_on", "name"
        ),
        required=False,
        empty_label=gettext_lazy("Every campaign"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[
            ("", gettext_lazy("Everything")),
            (PAGE_VIEWS, gettext_lazy("Every results page opened")),
            (EXPORTS, gettext_lazy("Everything taken out (files, API, personal data)")),
            *ExportLog.Kind.choices,
        ],
    )
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            # Neither end of a backward range is applied: half of it would mislead.
            self.add_error("until", _("The end date must not be before the start date."))
            data.pop("since", None)
        return data

    def filters(self) -> dict:
        """The valid filters as plain values (what the log's own export records)."""
        if not self.is_bound:
            return {}
        data = getattr(self, "cleaned_data", {})
        found = {
            "person": data.get("person") or None,
            "campaign": data["campaign"].pk if data.get("campaign") else None,
            "kind": data.get("kind") or None,
            "since": data["since"].isoformat() if data.get("since") else None,
            "until": data["until"].isoformat() if data.get("until") else None,
        }
        return {key: value for key, value in found.items() if value is not None}


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(form: AccessLogFilter) -> QuerySet[ExportLog]:
    """The entries the filter asks for, newest first (a filter that did not validate is left out).

    Dates are days in the local time zone; the range is bounded with ``at`` itself, so that its
    index serves.
    """
    entries = ExportLog.objects.select_related("user", "campaign").order_by("-at", "-pk")
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    person = (data.get("person") or "").strip()
    if person:
        entries = entries.filter(
            Q(user__name__icontains=person)
            | Q(user__email__icontains=person)
            | Q(user__employee_id__iexact=person)
        )
    if data.get("campaign"):
        entries = entries.filter(campaign=data["campaign"])
    kind = data.get("kind")
    if kind == PAGE_VIEWS:
        entries = entries.filter(kind__in=ExportLog.PAGE_VIEWS)
    elif kind == EXPORTS:
        entries = entries.exclude(kind__in=ExportLog.PAGE_VIEWS)
    elif kind:
        entries = entries.filter(kind=kind)
    if data.get("since"):
        entries = entries.filter(at__gte=_start_of(data["since"]))
    if data.get("until"):
        entries = entries.filter(at__lt=_start_of(data["until"] + timedelta(days=1)))
    return entries


def unit_names(entries: Iterable[ExportLog] | None = None) -> dict[int, str]:
    """The names of the units the entries name (all units when ``entries`` is None): one query."""
    units = Unit.objects.all()
    if entries is not None:
        units = units.filter(pk__in={(entry.what or {}).get("unit") for entry in entries} - {None})
    return dict(units.values_list("pk", "name"))


class Words:
    """The entries in words, in the reader's language; the phrases are translated once, since
    the CSV describes every row of a log that may hold millions."""

    def __init__(self, names: dict[int, str]):
        self.names = names
        self.sources = {value: str(label) for value, label in SOURCE_CHOICES}
        self.kinds = {value: str(label) for value, label in ExportLog.Kind.choices}
        self.whole = _("The whole campaign")
        self.own = _("the unit itself")
        self.every_role = _("every role group")
        self.roles: dict[str, str] = {}

    def what(self, kind: str, what) -> str:
        """What the entry shows or took: the slice, the question, the person exported."""
        what = what if isinstance(what, dict) else {}
        parts = []
        if "source" in what:
            unit = what.get("unit")
            if unit is None:
                parts.append(self.whole)
            else:
                parts.append(self.names.get(unit) or _("unit %(number)s") % {"number": unit})
            if what.get("own"):
                parts.append(self.own)
            role = what.get("role")
            if role and role not in self.roles:
                self.roles[role] = str(role_label(role))
            parts.append(self.roles[role] if role else self.every_role)
            parts.append(self.sources.get(what["source"], str(what["source"])))
        if what.get("question") is not None:
            parts.append(_("question %(number)s") % {"number": what["question"]})
        if kind == ExportLog.Kind.PERSON and what.get("name"):
            parts.append(_("the data about %(name)s") % {"name": what["name"]})
        if kind == ExportLog.Kind.ACCESS_LOG:
            parts.append(
                _("with filters") if what.get("filters") else _("the whole log, without filters")
            )
        return " · ".join(str(part) for part in parts)

    @staticmethod
    def who(name: str | None, what) -> str:
        if name is not None:
            return name
        if isinstance(what, dict) and what.get("via") == "command":
            return _("the command line")
        return _("a deleted person")

    @staticmethod
    def campaign(name: str | None, kind: str) -> str:
        if name is not None:
            return name
        if kind == ExportLog.Kind.API:
            return _("the list of campaigns")
        if kind in (ExportLog.Kind.PERSON, ExportLog.Kind.ACCESS_LOG):
            return ""
        return _("a deleted campaign")


def csv_rows(entries: QuerySet[ExportLog]) -> Iterator[list[str]]:
    """The header and one row per entry, read in chunks (the log may hold millions)."""
    words = Words(unit_names())
    yield [
        _("When"),
        _("Who"),
        _("E-mail"),
        _("Kind"),
        _("Campaign"),
        _("What"),
        _("Address"),
    ]
    rows = entries.values_list("at", "user__name", "user__email", "kind", "campaign__name", "what")
    for at, name, email, kind, campaign, what in rows.iterator(chunk_size=2000):
        yield [
            timezone.localtime(at).isoformat(timespec="seconds"),
            words.who(name, what),
            email or "",
            words.kinds.get(kind, kind),
            words.campaign(campaign, kind),
            words.what(kind, what),
            str(what.get("path", "")) if isinstance(what, dict) else "",
        ]
