"""The clients of bench/load.py and bench/faults.py: respondents and HR users over HTTP.

Every client is an ``httpx.AsyncClient`` for ``http://127.0.0.1:PORT`` only (any other host is
refused, proxies from the environment are ignored), with a timeout on every request. A run has
two clocks: after ``new_until`` no respondent takes a new link, and after ``stop_at`` nothing
sends another request; requests already sent are always waited for, so every answer the server
gave is seen and counted.

A respondent opens their personal link, may autosave a draft (htmx's POST with ``autosave``),
and submits the whole two-concept questionnaire; a 302 to the thank-you page is the
acknowledgement. A *persistent* respondent (the fault runs) does what the 503 page asks: after a
503 or a broken connection it waits a moment, opens the same link again and submits again.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import sys
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# httpcore asks ``import sniffio`` on every request; when sniffio is not installed, each failed
# import searches the whole sys.path again (a third of the client's CPU, measured). ``None``
# makes that import fail at once, and httpcore then assumes asyncio, which is what runs here.
sys.modules.setdefault("sniffio", None)

import httpx  # noqa: E402

from bench.answering import form_body  # noqa: E402

# Plain HTTP only: one TLS context for every client instead of loading the CA bundle per client
# (a fifth of a second each), and with no CA loaded, TLS could not even verify a server.
NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
THANKS = "/experiences/answer/thanks/"
REQUEST_TIMEOUT = 30.0


def http_client(base_url: str) -> httpx.AsyncClient:
    """A client that only ever talks to 127.0.0.1, without keep-alive (gunicorn's sync workers
    close every connection), with its own cookies."""
    if urllib.parse.urlsplit(base_url).hostname != "127.0.0.1":
        raise SystemExit(f"Refusing {base_url}: the load runs only against 127.0.0.1.")
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=REQUEST_TIMEOUT,
        trust_env=False,
        verify=NO_TLS,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=2, max_keepalive_connections=0),
    )


@dataclass
class Tally:
    """What the clients saw, per kind of request: latencies, statuses, broken connections."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    broken: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # 503s that do not say when to try again (no Retry-After), per kind
    no_retry_after: Counter = field(default_factory=Counter)
    # (seconds since the start, kind, status or 0 for a broken connection), in order of answer
    events: list[tuple[float, str, int]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    finished: float = 0.0

    def now(self) -> float:
        return time.monotonic() - self.started

    async def send(self, client, kind: str, method: str, url: str, **kwargs):
        """The response, or None when the connection broke or timed out (counted as such)."""
        start = time.monotonic()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.TransportError as error:
            self.broken[kind][type(error).__name__] += 1
            self.events.append((self.now(), kind, 0))
            return None
        self.latencies[kind].append(time.monotonic() - start)
        self.statuses[kind][response.status_code] += 1
        if response.status_code == 503 and "retry-after" not in response.headers:
            self.no_retry_after[kind] += 1
        self.events.append((self.now(), kind, response.status_code))
        return response

    def server_errors(self) -> dict[str, Counter]:
        return {
            kind: Counter({s: n for s, n in counts.items() if s >= 500})
            for kind, counts in self.statuses.items()
            if any(s >= 500 for s in counts)
        }


@dataclass
class Questionnaire:
    """The complete answers (``bench.answering.complete_answers``) and what must be stored."""

    data: dict[str, str]
    # concept -> the question ids a complete submission stores for it
    expected: dict[str, set[str]]
    marker_field: str  # an open question whose text carries the respondent's number
    draft_saved: tuple[str, ...]  # "Draft saved." in every language
    draft_not_saved: tuple[str, ...]  # and that it could not be saved
    # How the 503 pages to a submission begin: "not saved" (the site's bilingual page, and the
    # form shown again in the invitee's language), or "cannot tell" (the COMMIT got no answer).
    refusals: tuple[tuple[str, str], ...] = (
        ("not saved", "Your answers were not saved"),
        ("not saved", "Dine svar blev ikke gemt"),
        ("cannot tell", "We cannot tell whether your answers were saved"),
    )

    def refusal(self, page: str) -> str:
        """What a 503 page to a submission said: "not saved", "cannot tell" or "other"."""
        return next((kind for kind, text in self.refusals if text in page), "other")

    @classmethod
    def of(cls, campaign, data: dict[str, str]) -> Questionnaire:
        from django.utils import translation
        from django.utils.translation import gettext

        expected: dict[str, set[str]] = defaultdict(set)
        for name in data:
            concept, question, _part = name.rsplit("-", 2)
            expected[concept].add(question)
        marker = min(name for name in data if name.endswith("-text"))
        saved, unsaved = [], []
        for language in ("da", "en"):
            with translation.override(language):
                saved.append(gettext("Draft saved."))
                unsaved.append(gettext(DRAFT_NOT_SAVED))
        assert set(expected) == set(campaign.concepts), expected.keys()
        return cls(data, dict(expected), marker, tuple(saved), tuple(unsaved))

    def mark(self, number: int) -> str:
        return f"(respondent {number})"

    def answers(self, number: int) -> dict[str, str]:
        return self.data | {
            self.marker_field: f"{self.data[self.marker_field]} {self.mark(number)}"
        }

    def submit_body(self, csrf: str, number: int) -> str:
        return form_body(self.answers(number), csrf)

    def autosave_body(self, csrf: str, number: int) -> str:
        """What htmx posts when a field changes: the whole form, plus ``autosave``."""
        fields = [
            ("csrfmiddlewaretoken", csrf),
            ("concepts", "wellbeing"),
            ("concepts", "leadership"),
            *sorted(self.answers(number).items()),
        ]
        return urllib.parse.urlencode([*fields, ("autosave", "1")])


DRAFT_NOT_SAVED = "Your draft could not be saved just now. What you typed is still on this page."
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
HTMX = FORM | {"HX-Request": "true", "HX-Target": "answer-status"}


@dataclass
class Link:
    """One personal link and what happened to it."""

    token: str
    number: int
    draft_saved: bool = False
    submits: list[int] = field(default_factory=list)  # statuses; 0: the connection broke
    outcome: str = ""  # "acknowledged", "used" (found submitted when opened again), or ""
    # after a submit that was not acknowledged: did the page opened again show the draft?
    draft_shown: bool | None = None
    refusals: list[str] = field(default_factory=list)  # what each 503 to a submit said


@dataclass
class Run:
    base_url: str
    questionnaire: Questionnaire
    links: list[Link]
    new_until: float  # seconds after the start
    stop_at: float
    persistent: bool = False
    respondents: int = 0  # how many run at once (set by whoever starts them)
    autosave_every: int = 2  # every n-th respondent autosaves before submitting
    backoff: float = 0.5
    tally: Tally = field(default_factory=Tally)
    taken: int = 0
    exhausted: bool = False
    machine: tuple | None = None  # bench.reliability_world.machine_before at the start

    def next_link(self) -> Link | None:
        if self.tally.now() >= self.new_until:
            return None
        if self.taken >= len(self.links):
            self.exhausted = True
            return None
        self.taken += 1
        return self.links[self.taken - 1]

    def over(self) -> bool:
        return self.tally.now() >= (self.stop_at if self.persistent else self.new_until)

    def started_links(self) -> list[Link]:
        return self.links[: self.taken]


def _failed(response) -> bool:
    return response is None or response.status_code == 503


async def respond(run: Run, client, link: Link) -> None:
    """Open the link, maybe autosave, submit; persistent respondents retry after a failure."""
    url = f"/experiences/answer/{link.token}/"
    questionnaire, tally = run.questionnaire, run.tally
    while not run.over():
        client.cookies.clear()
        page = await tally.send(client, "open", "GET", url)
        if _failed(page):
            if not run.persistent:
                return
            await asyncio.sleep(run.backoff)
            continue
        if page.status_code == 410 and link.submits:
            link.outcome = "used"  # a submit whose answer was lost had been stored
            return
        match = CSRF_FIELD.search(page.text) if page.status_code == 200 else None
        if match is None:
            return  # counted among the statuses; nothing sensible to do next
        if link.submits and link.draft_saved and link.draft_shown is not False:
            link.draft_shown = questionnaire.mark(link.number) in page.text
        csrf = match.group(1)
        if link.number % run.autosave_every == 0 and not link.submits:
            if run.over():
                return
            saved = await tally.send(
                client,
                "autosave",
                "POST",
                url,
                headers=HTMX,
                content=questionnaire.autosave_body(csrf, link.number),
            )
            if saved is not None and saved.status_code == 200:
                link.draft_saved = any(text in saved.text for text in questionnaire.draft_saved)
        if run.over():
            return
        sent = await tally.send(
            client,
            "submit",
            "POST",
            url,
            headers=FORM,
            content=questionnaire.submit_body(csrf, link.number),
        )
        link.submits.append(0 if sent is None else sent.status_code)
        if sent is not None and sent.status_code == 302:
            if sent.headers.get("location", "").startswith(THANKS):
                link.outcome = "acknowledged"
            return
        if sent is not None and sent.status_code == 503:
            link.refusals.append(questionnaire.refusal(sent.text))
        if sent is not None and sent.status_code == 410:
            link.outcome = "used"
            return
        if not (run.persistent and _failed(sent)):
            return
        await asyncio.sleep(run.backoff)


async def open_some(base_url: str, links: list[Link], tally: Tally) -> None:
    """Open links (without answering): a warm-up for every worker's caches and templates."""
    async with http_client(base_url) as client:
        await asyncio.gather(
            *(
                tally.send(client, "open", "GET", f"/experiences/answer/{link.token}/")
                for link in links
            )
        )


async def respondent(run: Run) -> None:
    """One concurrent respondent: link after link until the time is up."""
    async with http_client(run.base_url) as client:
        while (link := run.next_link()) is not None:
            await respond(run, client, link)


# --- HR users --------------------------------------------------------------------------------


@dataclass
class HrUser:
    """A signed-in HR user (their own session) and the results pages they read in turn."""

    client: httpx.AsyncClient
    pages: list[tuple[str, str]]  # (kind, path)


async def sign_in(base_url: str, email: str, password: str, pages, tally: Tally) -> HrUser:
    client = http_client(base_url)
    form = await tally.send(client, "sign-in form", "GET", "/accounts/login/")
    csrf = CSRF_FIELD.search(form.text).group(1)
    body = {"csrfmiddlewaretoken": csrf, "username": email, "password": password}
    done = await tally.send(client, "sign-in", "POST", "/accounts/login/", data=body)
    if done is None or done.status_code != 302:
        await client.aclose()
        raise SystemExit(f"{email} could not sign in: {done and done.status_code}")
    return HrUser(client, pages)


async def hr_reader(run: Run, user: HrUser) -> None:
    index = 0
    while not run.over():
        kind, path = user.pages[index % len(user.pages)]
        await run.tally.send(user.client, kind, "GET", path)
        index += 1
