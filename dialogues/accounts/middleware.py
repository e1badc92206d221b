from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _


class PreferredLanguageMiddleware:
    """A signed-in person reads the site in their preferred language.

    Runs after LocaleMiddleware (cookie, then browser) and AuthenticationMiddleware,
    so the person's own choice, stored on their profile, wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language in self.supported:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


# Kept in the session: when the person logged in, and when the session was last used.
SIGNED_IN_AT = "dialogues_signed_in_at"
LAST_SEEN_AT = "dialogues_last_seen_at"
# The last use is written at most once a minute: one session write a minute, not one a request.
LAST_SEEN_EVERY_SECONDS = 60


def now_seconds() -> int:
    return int(timezone.now().timestamp())


def remember_log_in(sender, request, user, **kwargs):
    """On every log-in (password, single sign-on): the clock of SESSION_COOKIE_AGE starts."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = now_seconds()


class SessionLimitsMiddleware:
    """A log-in ends SESSION_COOKIE_AGE after it began, or SESSION_IDLE_SECONDS after last use.

    Django alone would keep a session for SESSION_COOKIE_AGE after its last change, which a
    busy person renews forever. Ending it here logs out on the server (the session is deleted),
    and the log-in page says why. Runs after the message middleware, which carries that note.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._end_if_over(request)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _end_if_over(self, request):
        session = request.session
        now = now_seconds()
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.get(LAST_SEEN_AT, now)
        if now - signed_in_at >= settings.SESSION_COOKIE_AGE:
            note = _("Your log-in has expired. Log in again to continue.")
        elif now - last_seen_at >= settings.SESSION_IDLE_SECONDS:
            note = _(
                "You were logged out because the site was not used for a while. "
                "Log in again to continue."
            )
        else:
            if now - last_seen_at >= LAST_SEEN_EVERY_SECONDS or LAST_SEEN_AT not in session:
                session[LAST_SEEN_AT] = now
            return None
        logout(request)
        messages.info(request, note)
        if request.headers.get("HX-Request") == "true":
            # htmx would swap the log-in page into part of the page: send the whole page there.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        return redirect_to_login(request.get_full_path())
