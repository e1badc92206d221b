"""Which slice of a campaign's results a person asked for, checked against the units they read.

The results pages, the exports and the API all go through ``resolve_slice``, so a unit outside
a person's scope is refused the same way everywhere. The rule itself (``results_scopes``) is
written in ``organisation.rules``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dialogues.insights.domain.results import Slice
from dialogues.insights.forms import SliceForm
from dialogues.organisation.models import Unit
from dialogues.organisation.rules import results_scopes


class BadSliceParameters(Exception):
    """The query asked for a slice that does not exist: {parameter: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(", ".join(errors))
        self.errors = errors


def scoped_units(user):
    """The units whose results ``user`` may read: (their scopes or None for all, a queryset)."""
    scopes = results_scopes(user)
    units = Unit.objects.active().order_by("lineage")
    if scopes is None:
        return None, units
    condition = Unit.objects.none()
    for scope in scopes:
        condition = condition | units.filter(lineage__startswith=scope.lineage)
    return scopes, condition.distinct().order_by("lineage")


def readable_unit_ids(user) -> frozenset | None:
    """The keys of the units ``user`` may open a slice of (None: every unit)."""
    scopes, units = scoped_units(user)
    if scopes is None:
        return None
    return frozenset(units.values_list("pk", flat=True))


def _refuse():
    raise PermissionDenied(_("You can read the results of your own units only."))


def resolve_slice(user, query, *, strict: bool = False) -> tuple[SliceForm, Slice]:
    """The slice ``query`` asks for, if ``user`` may read it (PermissionDenied if not theirs).

    A malformed query falls back to the default slice, unless ``strict`` (the API), which
    raises ``BadSliceParameters`` naming the parameters instead.
    """
    scopes, units = scoped_units(user)
    form = SliceForm(query or None, units=units, whole=scopes is None)
    slice_ = Slice()
    if form.is_bound and form.is_valid():
        slice_ = form.slice()
    elif form.is_bound:
        if scopes is not None and "unit" in form.errors:
            # A unit that exists but is not theirs is refused, not quietly replaced.
            asked = str(query.get("unit", ""))
            if asked.isdigit() and Unit.objects.filter(pk=int(asked)).exists():
                _refuse()
        if strict:
            raise BadSliceParameters(
                {name: [str(error) for error in errors] for name, errors in form.errors.items()}
            )
    if scopes is not None and slice_.unit is None:
        slice_ = slice_.with_unit(scopes[0].pk)
    if scopes is not None and not units.filter(pk=slice_.unit).exists():
        _refuse()
    return form, slice_


def request_slice(request) -> tuple[SliceForm, Slice]:
    """The slice a results page's query string asks for (``resolve_slice`` for the person)."""
    return resolve_slice(request.user, request.GET)
