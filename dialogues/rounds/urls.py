from django.urls import path

from dialogues.rounds.views import documentation, invitations, overview, pdf, rounds

app_name = "rounds"
urlpatterns = [
    path("", rounds.index, name="list"),
    path("start/", rounds.start, name="start"),
    path("<int:pk>/", rounds.detail, name="detail"),
    path("<int:pk>/plan/", rounds.edit_plan, name="edit_plan"),
    path("<int:pk>/planning-notes/", rounds.planning_notes, name="planning_notes"),
    path("<int:pk>/held/", rounds.held, name="held"),
    path("<int:pk>/documentation/", documentation.document, name="document"),
    path("<int:pk>/follow-up/", documentation.followup, name="followup"),
    path("<int:pk>/documentation.pdf", pdf.documentation_pdf, name="pdf"),
    path("agreements/<int:pk>/", documentation.agreement, name="agreement"),
    path("units/<int:pk>/agreements/", documentation.board, name="board"),
    # Invitations: e-mail with a calendar file (views/invitations.py).
    path("<int:pk>/invite/", invitations.send, name="invite"),
    path("<int:pk>/invitation.ics", invitations.calendar, name="calendar"),
    # The director's overview (views/overview.py).
    path("overview/", overview.overview, name="overview"),
    path("overview.xlsx", overview.export, name="overview_xlsx"),
]
