"""The addresses of the exports, the access log and the read-only API (views_exports, views_log,
views_api)."""

from django.urls import path, re_path

from dialogues.insights import views_api, views_exports, views_log

urlpatterns = [
    path("<int:pk>/export.xlsx", views_exports.export_xlsx, name="export_xlsx"),
    path("<int:pk>/export.csv", views_exports.export_csv, name="export_csv"),
    path("access-log/", views_log.access_log_page, name="access_log"),
    path("access-log.csv", views_log.access_log_csv, name="access_log_csv"),
    path("tokens/", views_exports.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views_exports.api_token_revoke, name="api_token_revoke"),
    path("api/v1/campaigns/", views_api.campaigns, name="api_campaigns"),
    path("api/v1/campaigns/<int:pk>/results/", views_api.results, name="api_results"),
    path("api/v1/openapi.json", views_api.openapi_document, name="api_openapi"),
    # Anything else under the API answers in JSON too (unnamed: it is no page of its own).
    re_path(r"^api/", views_api.not_found),
]
