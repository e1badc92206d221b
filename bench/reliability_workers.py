"""Killing a gunicorn worker in the middle of a submission (bench/faults.py).

The worker to kill is found through PostgreSQL: ``pg_stat_activity`` shows the backends of the
benchmark's database that are inside a submission's transaction (it has written: an ``xid``,
and its last statement is one of the submit's writes, not ``COMMIT``), with the client port of
each; ``/proc`` says which worker holds the socket with that port. That worker gets SIGKILL at
once: its transaction is then neither committed nor finished, and PostgreSQL rolls it back when
the connection drops. To be sure the kill lands before the COMMIT, the worker is first frozen
(SIGSTOP) and its transaction looked at again. If no submission is caught in time, a busy worker
is killed instead, and the report says so.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import time
from pathlib import Path

# The writes of a submission, in the order store_answers() makes them (statements.py, Django).
IN_SUBMISSION = """
SELECT client_port, pid, backend_xid::text, left(query, 60) FROM pg_stat_activity
WHERE datname = %s AND backend_xid IS NOT NULL AND state IN ('active', 'idle in transaction')
  AND (query LIKE 'INSERT INTO "experiences_pendingresponse"%%'
       OR query LIKE 'DELETE FROM "experiences_draft"%%'
       OR query LIKE 'UPDATE "experiences_campaigninvitee" SET "answered"%%')
"""
STILL_OPEN = "SELECT state, backend_xid::text FROM pg_stat_activity WHERE pid = %s"
SOCKET = re.compile(r"socket:\[(\d+)\]")


def workers(master: int) -> list[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


def database_ports(master: int, database_port: int) -> dict[int, int]:
    """{local port of a worker's connection to PostgreSQL: worker pid}."""
    inodes: dict[str, int] = {}
    for pid in workers(master):
        try:
            for fd in os.scandir(f"/proc/{pid}/fd"):
                match = SOCKET.fullmatch(os.readlink(fd.path))
                if match:
                    inodes[match.group(1)] = pid
        except OSError:
            continue
    ports = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], fields[9]
        if inode in inodes and int(remote.split(":")[1], 16) == database_port:
            ports[int(local.split(":")[1], 16)] = inodes[inode]
    return ports


async def kill_in_submission(
    master: int, url: str, database_port: int, patience: float = 10.0
) -> dict:
    """SIGKILL a worker frozen inside a submission's transaction (or, failing that, any).

    A worker seen writing is stopped (SIGSTOP) first: the submission may have committed in the
    moment between the look and the stop. Only if its transaction is still open, and idle
    (waiting for the frozen worker) a little later, is the worker killed; else it goes on.
    """
    import psycopg

    started = time.monotonic()
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
        database = connection.info.dbname
        ports, refreshed = database_ports(master, database_port), time.monotonic()
        while time.monotonic() - started < patience:
            cursor = await connection.execute(IN_SUBMISSION, [database])
            for port, backend, xid, query in await cursor.fetchall():
                worker = ports.get(port)
                if worker is None:
                    continue
                os.kill(worker, signal.SIGSTOP)
                await asyncio.sleep(0.05)
                cursor = await connection.execute(STILL_OPEN, [backend])
                if await cursor.fetchone() == ("idle in transaction", xid):
                    os.kill(worker, signal.SIGKILL)
                    return {"pid": worker, "caught": query, "at": time.monotonic()}
                os.kill(worker, signal.SIGCONT)
            if time.monotonic() - refreshed > 0.2:
                ports, refreshed = database_ports(master, database_port), time.monotonic()
            await asyncio.sleep(0.001)
    pid = random.choice(workers(master))  # noqa: S311 - not a secret
    os.kill(pid, signal.SIGKILL)
    return {"pid": pid, "caught": "", "at": time.monotonic()}


async def wait_for_workers(master: int, count: int, patience: float = 60.0) -> bool:
    """True once the master runs ``count`` workers again (it replaces a killed one)."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if len(workers(master)) == count:
            return True
        await asyncio.sleep(0.2)
    return False
