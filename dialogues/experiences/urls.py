from django.urls import path

from dialogues.experiences import views, views_answering

app_name = "experiences"
urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("guide/preview/", views.preview, name="guide_preview"),
    path("guide/versions/", views.versions, name="versions"),
    path("guide/sections/add/", views.section_add, name="section_add"),
    path("guide/sections/<int:pk>/edit/", views.section_edit, name="section_edit"),
    path("guide/sections/<int:pk>/questions/add/", views.question_add, name="question_add"),
    path("guide/questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("guide/questions/<int:pk>/move/", views.question_move, name="question_move"),
    # The thank-you page first: "thanks" would otherwise be read as a token.
    path("answer/thanks/", views_answering.answer_done, name="answer_done"),
    path("answer/<str:token>/", views_answering.answer, name="answer"),
]
