"""A real SMTP server on loopback for the mail tests (aiosmtpd, in a thread of the test).

``MailServer`` records every message it acknowledged with 250, and can be told to misbehave
the way mail servers and crashes do: answer DATA with 421 or 451 for the n-th messages,
refuse an address at RCPT TO with 550, or kill the job that is talking to it while the n-th
message is in flight, either before answering (the message was never acknowledged) or just
after answering 250 (the job never learnt it, so it cannot have recorded it).
``SilentServer`` accepts a connection and never greets: a mail server that hangs.
"""

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
from collections.abc import Container
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
OK = "250 OK"


def free_port() -> int:
    """A port on loopback that nothing listens on (so connecting to it is refused)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    """The ``MAILERS`` setting that sends through the server on ``port``, as settings.py does."""
    options = {"host": HOST, "port": port, "use_tls": False, "timeout": 10}
    backend = "django.core.mail.backends.smtp.EmailBackend"
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


class SilentServer:
    """Takes connections on loopback and never says a word: a mail server that hangs."""

    def __init__(self):
        self._listener = socket.create_server((HOST, 0))
        self.port = self._listener.getsockname()[1]
        self._callers: list[socket.socket] = []

    def __enter__(self) -> "SilentServer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.hang_up()

    def wait_for_caller(self, timeout: float = 120) -> None:
        """Return once a job has connected; it now waits for a greeting that does not come."""
        self._listener.settimeout(timeout)
        caller, _address = self._listener.accept()
        self._callers.append(caller)

    def hang_up(self) -> None:
        """Stop listening, then drop the callers: the job's next attempts are refused."""
        self._listener.close()
        for caller in self._callers:
            caller.close()
        self._callers.clear()


@dataclass
class Delivery:
    """A message the server acknowledged."""

    recipients: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_body(("plain",)).get_content()


@dataclass
class MailServer:
    """The handler and the controller in one; use as a context manager."""

    port: int = field(default_factory=free_port)
    delivered: list[Delivery] = field(default_factory=list)
    data_received: int = 0  # every DATA, answered or not
    refuse_data: Container[int] = ()  # these DATA (counted from 1) get data_answer
    data_answer: str = "421 4.3.2 Service shutting down"
    refused: dict[str, str] = field(default_factory=dict)  # address -> answer at RCPT TO
    kill_at: int | None = None  # SIGKILL the job on this DATA, before answering
    kill_after_ack_at: int | None = None  # stop the job, answer 250, then SIGKILL it
    job: subprocess.Popen | None = None

    def __enter__(self) -> "MailServer":
        # A generous start-up time: the test machine may be busy with other tests.
        self._controller = Controller(self, hostname=HOST, port=self.port, ready_timeout=30)
        self._controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._controller.stop()

    def accept_everything(self) -> None:
        """The mail server is well again."""
        self.refuse_data = ()
        self.kill_at = self.kill_after_ack_at = None
        self.refused.clear()

    def to(self, address: str) -> list[Delivery]:
        return [delivery for delivery in self.delivered if address in delivery.recipients]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return OK

    async def handle_DATA(self, server, session, envelope):
        self.data_received += 1
        number = self.data_received
        if self.kill_at == number:
            self._signal(signal.SIGKILL)
            return "451 4.3.0 The job was killed"  # nobody is left to read it
        if number in self.refuse_data:
            return self.data_answer
        if self.kill_after_ack_at == number:
            # Stopped while it waits for the answer, the job cannot read the 250 that follows,
            # let alone commit; killed once the 250 is on its way.
            self._signal(signal.SIGSTOP)
            asyncio.get_running_loop().call_soon(self._signal, signal.SIGKILL)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.delivered.append(Delivery(list(envelope.rcpt_tos), message))
        return OK

    def _signal(self, signum: int) -> None:
        if self.job is None:
            raise RuntimeError("A job was to be killed, but none was started by run_command.")
        os.kill(self.job.pid, signum)
