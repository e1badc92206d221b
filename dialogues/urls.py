from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dialogues.common.urls")),
    path("accounts/", include("dialogues.accounts.urls")),
    path("concepts/", include("dialogues.concepts.urls")),
    path("experiences/", include("dialogues.experiences.urls")),
    path("results/", include("dialogues.insights.urls")),
    path("organisation/", include("dialogues.organisation.urls")),
    path("rounds/", include("dialogues.rounds.urls")),
    path("admin/", admin.site.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler500 = "dialogues.common.errors.server_error"
