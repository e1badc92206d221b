"""The export log: one ``ExportLog`` row for every file exported and every API read."""

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
