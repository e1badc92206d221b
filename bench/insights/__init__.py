"""The parts of ``bench/insights.py``: building a closed campaign, and measuring one operation."""

import os
import resource
from pathlib import Path


def setup_django(url: str, var_dir: Path) -> None:
    """The app's own settings (file cache, ``DEBUG`` off) on the benchmark's database."""
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DIALOGUES_VAR_DIR": str(var_dir),
            "DIALOGUES_SECRET_KEY": "benchmark-only-" + "k" * 50,
            "DJANGO_SETTINGS_MODULE": "dialogues.settings",
        }
    )
    import django

    django.setup()


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (Linux's VmHWM).

    Not ``ru_maxrss``: Linux carries the parent's peak across fork and exec, so every child of
    the main process (Django and the built data in memory) would report at least its size.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
