"""Progress of a long import shown as tqdm bars (on stderr), one per stage."""

from __future__ import annotations

import sys
from typing import Any

from django.utils.translation import gettext_lazy as _

STAGES = {
    "validate": _("Checking rows"),
    "units": _("Units"),
    "people": _("People"),
    "roles": _("Roles"),
}


class TqdmProgress:
    """A ``progress(stage, done, total)`` callback that draws a tqdm bar per stage."""

    def __init__(self, tqdm: Any, disable: bool = False, file: Any = None):
        self.tqdm = tqdm
        self.disable = disable
        self.file = file or sys.stderr
        self.stage: str | None = None
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = self.tqdm(
                total=total,
                desc=str(STAGES.get(stage, stage)),
                file=self.file,
                disable=self.disable,
                leave=True,
            )
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> TqdmProgress:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
