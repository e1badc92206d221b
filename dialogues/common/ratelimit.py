"""Limits on attempts (guessed links, wrong tokens, reset mails), counted in the shared cache.

Every gunicorn worker counts into the same cache entry (``CACHES``: Redis, or files shared by
the workers of one machine), so a limit holds for the whole site, not per process. Each limit
counts in fixed windows aligned to the clock: the entry's key holds the window's number, so a
new window starts from zero without anyone resetting it, and ``Retry-After`` is simply the time
left in the window. The key is an HMAC of what is counted (an address, an email), so the cache
never holds an address or an email in clear.

The limits themselves are settings (``RATE_LIMITS``: name → attempts, seconds), read when
counted, so that a deployment and the tests can change them.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


def clock() -> float:
    """Seconds since the epoch (a function of its own, so that tests can move time)."""
    return time.time()


def client_address(request) -> str:
    """The address of the person's machine, also for django-axes (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``PROXY_COUNT`` trusted proxies (``DIALOGUES_BEHIND_PROXY``), REMOTE_ADDR is the
    nearest proxy and every visitor would share its counter: the client is then the entry that
    the outermost trusted proxy appended to X-Forwarded-For, counted from the right, because
    anything further left was written by the client and can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


@dataclass(frozen=True)
class RateLimit:
    """``allowed`` attempts per ``window`` seconds for each counted thing (address, email …)."""

    name: str

    @property
    def allowed(self) -> int:
        return settings.RATE_LIMITS[self.name][0]

    @property
    def window(self) -> int:
        return settings.RATE_LIMITS[self.name][1]

    def _key(self, who: str, now: float) -> str:
        digest = salted_hmac(
            "dialogues.ratelimit", f"{self.name}\0{who}", algorithm="sha256"
        ).hexdigest()[:32]
        return f"ratelimit:{self.name}:{int(now // self.window)}:{digest}"

    def attempt(self, who: str) -> bool:
        """Count one attempt; True while it is within the limit."""
        now = clock()
        key = self._key(who, now)
        # Kept a little past the window's end, so that a slow clock on one worker still finds it.
        timeout = math.ceil(self.window - now % self.window) + 5
        cache.add(key, 0, timeout)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
            count = 1
        else:
            # Outside Redis, incr() is a get and a set with the default timeout (5 minutes):
            # give the entry back the rest of its window, or an hour's limit lasts 5 minutes.
            cache.touch(key, timeout)
        return count <= self.allowed

    def exhausted(self, who: str) -> bool:
        """Every allowed attempt of the window is used up (nothing is counted)."""
        return (cache.get(self._key(who, clock())) or 0) >= self.allowed

    def retry_after(self) -> int:
        """Whole seconds until the current window ends and attempts are counted afresh."""
        return max(1, math.ceil(self.window - clock() % self.window))

    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after() / 60))


ANSWER_LINK_GUESSES = RateLimit("answer-link")
FAILED_LOGINS_FROM_ADDRESS = RateLimit("login-address")
PASSWORD_RESETS_FOR_EMAIL = RateLimit("password-reset-email")
PASSWORD_RESETS_FROM_ADDRESS = RateLimit("password-reset-address")
WRONG_API_TOKENS = RateLimit("api-token-address")
API_TOKENS_CREATED = RateLimit("api-token-create")
FAILED_SSO_RETURNS = RateLimit("sso-callback-address")
