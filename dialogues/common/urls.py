from django.urls import path

from dialogues.common import views

app_name = "common"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accessibility/edit/", views.accessibility_edit, name="accessibility_edit"),
    path("health/", views.health, name="health"),
]
