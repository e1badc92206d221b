from django.urls import path

from dialogues.experiences import views, views_answering
from dialogues.experiences import views_campaigns as campaigns

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
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<int:pk>/invitees/rounds/",
        campaigns.invite_from_rounds,
        name="campaign_invite_rounds",
    ),
    path(
        "campaigns/<int:pk>/invitees/list/", campaigns.invite_from_list, name="campaign_invite_list"
    ),
    path(
        "campaigns/<int:pk>/invitees/remove/",
        campaigns.remove_invitees,
        name="campaign_remove_invitees",
    ),
    path("campaigns/<int:pk>/open/", campaigns.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/send/", campaigns.campaign_send, name="campaign_send"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/interview/", campaigns.interview, name="campaign_interview"),
    # The thank-you page first: "thanks" would otherwise be read as a token.
    path("answer/thanks/", views_answering.answer_done, name="answer_done"),
    path("answer/<str:token>/", views_answering.answer, name="answer"),
]
