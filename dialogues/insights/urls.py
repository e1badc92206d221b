from django.urls import path

from dialogues.insights import urls_exports, views

app_name = "insights"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("<int:pk>/", views.campaign_results, name="results"),
    path("<int:pk>/questions/<int:question>/", views.question_comments, name="comments"),
    *urls_exports.urlpatterns,
]
