from django.conf import settings
from django.utils import translation


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
