"""The site's addresses with single sign-on switched on (settings add these when it is)."""

from django.urls import include, path

from dialogues.urls import urlpatterns as site_urlpatterns

urlpatterns = [*site_urlpatterns, path("oidc/", include("mozilla_django_oidc.urls"))]
