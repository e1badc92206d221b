"""The access log: one ``ExportLog`` row for every results page opened, file exported and API read.

Each is one INSERT in the request that shows or sends the results, after the permission and the
slice were checked: what is refused is not logged, what is shown always is.
"""

from __future__ import annotations

from dialogues.insights.domain.results import Slice
from dialogues.insights.models import ExportLog


def slice_dict(slice_: Slice) -> dict:
    return {
        "unit": slice_.unit,
        "role": slice_.role_group,
        "source": slice_.source,
        "own": slice_.own,
    }


def log_export(user, campaign, kind: str, path: str, slice_: Slice | None = None, **extra):
    """Record that ``user`` took ``slice_`` of ``campaign`` out (``path``: the address asked)."""
    what = {**(slice_dict(slice_) if slice_ is not None else {}), "path": path, **extra}
    return ExportLog.objects.create(user=user, campaign=campaign, kind=kind, what=what)


def log_view(request, campaign, kind: str, slice_: Slice | None = None, **extra):
    """Record that the person of ``request`` opened a results page of ``campaign``."""
    return log_export(request.user, campaign, kind, request.get_full_path(), slice_, **extra)
