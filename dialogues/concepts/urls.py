from django.urls import path

from dialogues.concepts import views

app_name = "concepts"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<slug:kind>/edit/", views.edit, name="edit"),
]
