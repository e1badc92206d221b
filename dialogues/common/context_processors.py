from django.conf import settings


def site(request):
    return {
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "OIDC_ENABLED": settings.OIDC_ENABLED,
    }
