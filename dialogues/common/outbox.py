"""The mail connection of one run of a periodic job (campaign mail, reminders).

A job hands each message to ``Outbox.send`` inside the transaction that marks it sent, and
commits only when ``send`` returned: what the mail server did not take is never marked.

The connection is opened (``open``) before that transaction, so that a server that does not
answer holds no lock, and opened afresh after any failure: a server
that answered 421 has closed it, and a file backend that met a full disk still holds the
half-written message in its buffer, which must not reach the next file. After
``FAILURES_BEFORE_GIVING_UP`` failures in a row the server is taken to be down; the job stops
(``gave_up``) and its next run sends the rest. An address the server refuses (5xx to RCPT TO)
does not count towards that: the next address may well be taken.

Each message carries a Message-ID derived from what it is (``message_id``), so that the one
repeat a crash can cause (the server said 250, the job died before its commit) reaches the
recipient with the same Message-ID as the first copy, and mail systems can drop it.
"""

import errno
import logging
import re
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, mailers

logger = logging.getLogger(__name__)

FAILURES_BEFORE_GIVING_UP = 3

__all__ = [
    "FAILURES_BEFORE_GIVING_UP",
    "NotSent",
    "Outbox",
    "describe",
    "message_id",
    "not_sent",
]


class NotSent(Exception):
    """The mail backend returned without an error but did not take the message."""


def message_id(*parts: str | int) -> str:
    """``<dialogues.part.part@domain>``: the same for the same message on every run and host.

    The domain is the sender's (``DEFAULT_FROM_EMAIL``), not the host name, so that a repeat
    from another machine carries the same id.
    """
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    local = ".".join(re.sub(r"[^A-Za-z0-9-]+", "-", str(part)) for part in parts)
    return f"<dialogues.{local}@{domain}>"


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def describe(error: BaseException) -> str:
    """One line for the log: what the mail server or the disk said, without the address."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = {f"{code} {_text(text)}" for code, text in error.recipients.values()}
        return "the mail server refused the address: " + "; ".join(sorted(answers))
    if isinstance(error, smtplib.SMTPResponseException):
        return f"the mail server answered {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return f"the mail server closed the connection ({error})"
    if isinstance(error, OSError) and error.errno in errno.errorcode:
        return f"{error.strerror} ({errno.errorcode[error.errno]})"
    return f"{type(error).__name__}: {error}"


def not_sent(failed: int, *, gave_up: bool) -> str:
    """A command's last line on stderr; it then exits with status 1, so the timer reports it."""
    if gave_up:
        return (
            f"The mail server seems to be down ({FAILURES_BEFORE_GIVING_UP} failures in a row), "
            f"so this run stopped: {failed} message(s) not sent (the reasons are above). "
            "The next run sends them and the rest."
        )
    return (
        f"{failed} message(s) could not be sent (the reasons are above); "
        "the next run tries them again."
    )


class Outbox:
    """Use as a context manager around the job's loop; see the module's docstring."""

    def __init__(self, give_up_after: int = FAILURES_BEFORE_GIVING_UP):
        self.give_up_after = give_up_after
        self.failures_in_a_row = 0
        self._connection = None

    @property
    def gave_up(self) -> bool:
        return self.failures_in_a_row >= self.give_up_after

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc_info) -> None:
        self._discard()

    def open(self) -> None:
        """Connect if not connected. Call it before the transaction that sends: a server that
        is slow to answer, or not there, then holds up no lock (on SQLite, every writer)."""
        if self._connection is None:
            self._connection = mailers.default
            try:
                self._connection.open()
            except BaseException:
                self._discard()
                raise

    def send(self, message: EmailMessage) -> None:
        """Return only once the mail server (or the file) took ``message``; raise otherwise."""
        try:
            self.open()
            if self._connection.send_messages([message]) != 1:
                raise NotSent("the mail backend did not take the message")
        except BaseException:
            self._discard()
            raise

    def sent(self) -> None:
        """The message went out and was marked sent: the server is up."""
        self.failures_in_a_row = 0

    def failed(self, what: str, error: BaseException) -> None:
        """Log one line saying what was not sent and why; count it towards giving up."""
        if isinstance(error, smtplib.SMTPException | OSError | NotSent):
            logger.warning("%s was not sent: %s. The next run tries again.", what, describe(error))
        else:
            logger.exception("%s was not sent. The next run tries again.", what)
        if not isinstance(error, smtplib.SMTPRecipientsRefused):
            self.failures_in_a_row += 1
        if self.gave_up:
            logger.error(
                "%d messages in a row could not be sent: this run stops here, "
                "and the next run sends the rest.",
                self.failures_in_a_row,
            )

    def _discard(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.close()
        except Exception:
            # A broken connection may fail to say goodbye (or a full disk to flush): it is
            # dropped either way, and the failure was already reported with the message.
            logger.debug("Closing the mail connection failed", exc_info=True)
