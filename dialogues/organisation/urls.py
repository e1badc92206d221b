from django.urls import path

from dialogues.organisation.views import imports, people, privacy, units

app_name = "organisation"
urlpatterns = [
    path("", units.tree, name="units"),
    path("units/<int:pk>/", units.detail, name="unit"),
    path("people/", people.directory, name="people"),
    path("people/<int:pk>/", people.detail, name="person"),
    path("people/<int:pk>/personal-data.json", privacy.person_export, name="person_export"),
    # The HR import (dialogues.organisation.views.imports).
    path("imports/", imports.index, name="imports"),
    path("imports/example.csv", imports.example, name="import_example"),
    path("imports/<int:pk>/", imports.detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", imports.confirm, name="import_confirm"),
    path("imports/<int:pk>/discard/", imports.discard, name="import_discard"),
]
