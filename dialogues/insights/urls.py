from django.urls import path

from dialogues.insights import urls_exports, views, views_comments, views_report

app_name = "insights"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("<int:pk>/", views.campaign_results, name="results"),
    path("<int:pk>/questions/<int:question>/", views_comments.question_page, name="comments"),
    path(
        "<int:pk>/questions/<int:question>/themes/",
        views_comments.theme_edit,
        name="theme_edit",
    ),
    path(
        "<int:pk>/questions/<int:question>/history/",
        views_comments.theme_history,
        name="theme_history",
    ),
    path("<int:pk>/answers/<uuid:answer_id>/review/", views_comments.redact, name="redact"),
    path("<int:pk>/search/", views_comments.search_page, name="search"),
    path("<int:pk>/proposals/", views_report.proposal_page, name="proposals"),
    path("<int:pk>/report.pdf", views_report.report_pdf, name="report_pdf"),
    *urls_exports.urlpatterns,
]
