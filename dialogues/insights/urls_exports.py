"""The addresses of the exports and the read-only API (see views_exports and views_api)."""

urlpatterns = []
