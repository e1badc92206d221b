"""A throwaway PostgreSQL cluster for bench/faults.py, which stops it and starts it again.

Never the shared server on 5432: its own data directory in a temporary directory, a free port on
127.0.0.1, Debian's binaries (``/usr/lib/postgresql/<version>/bin``, the newest installed; or
``--pg-bin``). As root every command runs as the ``postgres`` user (``runuser``), who then owns
the directory; as anyone else, as that user. ``pg_ctl stop -m immediate`` is the fault: the
server's processes quit at once, without a checkpoint, as if it had crashed; the next start
recovers from the write-ahead log. Leaving the ``with`` block stops the cluster and deletes it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.answering import free_port

DEBIAN = Path("/usr/lib/postgresql")


def binaries(chosen: str | None = None) -> Path:
    if chosen:
        return Path(chosen)
    found = sorted(
        (path for path in DEBIAN.glob("*/bin") if (path / "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if not found:
        raise SystemExit(
            f"No PostgreSQL server binaries under {DEBIAN}: install Debian's postgresql package "
            "(or give --pg-bin)."
        )
    return found[-1]


class Cluster:
    def __init__(self, bin_dir: str | None = None):
        self.bin = binaries(bin_dir)
        self.port = free_port()
        self.home: Path | None = None
        self.as_owner: list[str] = []

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def log(self) -> Path:
        return self.home / "postgresql.log"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_owner, str(self.bin / command[0]), *command[1:]],
            cwd=self.home,
            capture_output=True,
            text=True,
            check=check,
            timeout=180,
        )

    def __enter__(self) -> Cluster:
        self.home = Path(tempfile.mkdtemp(prefix="dialogues-faults-pg-"))
        try:
            if os.geteuid() == 0:
                # initdb and the server refuse to run as root.
                owner = pwd.getpwnam("postgres")
                os.chown(self.home, owner.pw_uid, owner.pw_gid)
                self.as_owner = ["runuser", "-u", "postgres", "--"]
            started = time.monotonic()
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync", "--no-instructions",
            )  # fmt: skip
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.write(
                    f"\n# bench/faults.py\nport = {self.port}\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.home}'\n"
                    "max_connections = 50\n"
                )
            self.start()
            print(
                f"throwaway PostgreSQL ({self.bin.parent.name}) on 127.0.0.1:{self.port} in "
                f"{self.home}, ready in {time.monotonic() - started:.1f} s",
                flush=True,
            )
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start(self) -> None:
        """Start and wait until it accepts connections (after recovery, if it crashed)."""
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120", "start",
            check=False,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(
                f"PostgreSQL did not start:\n{done.stdout}{done.stderr}\n{self.tail()}"
            )

    def stop(self) -> None:
        """Stop at once, as a crash would (no checkpoint, every connection cut)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __exit__(self, *exc) -> None:
        if self.home is None:
            return
        try:
            if (self.data / "postmaster.pid").exists() and self.running():
                self.stop()
        finally:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None
