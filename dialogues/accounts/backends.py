from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from dialogues.organisation.models import Person


class EmailBackend(ModelBackend):
    """Email and password; the email is matched without regard to case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (username or kwargs.get("email") or "").strip()
        if not email or password is None:
            return None
        return super().authenticate(request, username=email, password=password)


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Single sign-on for people the HR import knows, matched on their email."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return Person.objects.none()
        return Person.objects.filter(email__iexact=email, is_active=True)


def normalised_login_email(request, credentials) -> str:
    """Failed log-ins count per email whatever its case or surrounding spaces."""
    return (credentials or {}).get("username", "").strip().lower()
