"""The one mechanism that limits attempts: counted per window in the shared cache."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from dialogues.common import ratelimit
from dialogues.common.ratelimit import RateLimit, client_address

START = 1_800_000_000.0  # a whole number of windows of 60 s and of an hour since the epoch


@pytest.fixture
def limit(settings):
    settings.RATE_LIMITS = {"test": (3, 60)}
    return RateLimit("test")


@pytest.fixture
def at(monkeypatch):
    """Set the clock the limits read: ``at(seconds after START)``."""

    def move(offset: float) -> None:
        monkeypatch.setattr(ratelimit, "clock", lambda: START + offset)

    move(0)
    return move


def test_attempts_are_allowed_up_to_the_limit_and_refused_after(limit, at):
    assert [limit.attempt("198.51.100.7") for _ in range(4)] == [True, True, True, False]
    assert limit.exhausted("198.51.100.7")


def test_each_address_is_counted_on_its_own(limit, at):
    for _ in range(3):
        limit.attempt("198.51.100.7")
    assert limit.exhausted("198.51.100.7")
    assert not limit.exhausted("198.51.100.8")
    assert limit.attempt("198.51.100.8")


def test_asking_whether_the_limit_is_reached_counts_nothing(limit, at):
    for _ in range(10):
        assert not limit.exhausted("198.51.100.7")
    assert limit.attempt("198.51.100.7")


def test_the_count_starts_afresh_when_the_window_ends(limit, at):
    at(10)
    for _ in range(3):
        limit.attempt("198.51.100.7")
    assert limit.retry_after() == 50
    at(59)
    assert limit.exhausted("198.51.100.7")
    assert limit.retry_after() == 1
    at(60)
    assert not limit.exhausted("198.51.100.7")
    assert limit.attempt("198.51.100.7")


def test_the_cache_holds_neither_the_address_nor_the_email(limit, at):
    limit.attempt("198.51.100.7")
    limit.attempt("someone@example.org")
    keys = list(cache._cache)  # the tests' LocMemCache
    assert len(keys) == 2
    assert not any("198.51.100.7" in key or "someone" in key for key in keys)


def test_the_limits_are_read_from_the_settings_when_counted(settings, limit, at):
    settings.RATE_LIMITS = {"test": (1, 60)}
    assert limit.attempt("198.51.100.7")
    assert not limit.attempt("198.51.100.7")


def test_without_a_proxy_the_address_is_the_connection_s(settings):
    settings.PROXY_COUNT = 0
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    # Anyone can write X-Forwarded-For: without a proxy it is not believed.
    assert client_address(request) == "198.51.100.7"


def test_behind_one_proxy_the_address_is_the_one_the_proxy_appended(settings):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9"
    )
    # "10.9.9.9" came from the client itself; the proxy added 203.0.113.9.
    assert client_address(request) == "203.0.113.9"


def test_behind_two_proxies_the_outer_proxy_s_entry_counts(settings):
    settings.PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9, 10.0.0.2"
    )
    assert client_address(request) == "203.0.113.9"


def test_behind_a_proxy_a_request_without_the_header_counts_by_its_connection(settings):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == "127.0.0.1"


def test_django_axes_counts_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9"
    )
    assert get_client_ip_address(request) == "203.0.113.9"


@pytest.fixture
def file_cache(settings, tmp_path):
    """The cache production uses without Redis: files shared by the workers of one machine."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    return tmp_path


def stored_expiry(directory) -> float:
    """When the one entry in a file cache expires (the file starts with its expiry time)."""
    import pickle

    (entry,) = directory.glob("*.djcache")
    with entry.open("rb") as file:
        return pickle.load(file)  # noqa: S301 (a file this test wrote)


def test_in_the_file_cache_a_count_lives_until_its_window_ends(settings, file_cache, at):
    import time

    settings.RATE_LIMITS = {"hour": (3, 60 * 60)}
    limit = RateLimit("hour")
    at(1)  # a second into an hour's window
    for _ in range(3):
        limit.attempt("198.51.100.7")
    assert limit.exhausted("198.51.100.7")
    # The rest of the hour, not the cache's default of 5 minutes that incr() sets on each count.
    assert stored_expiry(file_cache) - time.time() > 59 * 60
