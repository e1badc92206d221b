import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dialogues.rounds.models import PlanningNote
from dialogues.rounds.tests.test_round_pages import _documented

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_wellbeing_pdf_shows_the_agreements_as_the_apv_action_plan(
    client, wellbeing_round, rounds_org
):
    round_ = _documented(wellbeing_round, rounds_org)
    client.force_login(rounds_org.employee)
    response = client.get(reverse("rounds:pdf", args=[round_.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Action plan (APV)" in text
    assert "Agreed thing" in text and "Essential text" in text


def test_the_leadership_pdf_never_holds_the_planning_notes(client, leadership_round, rounds_org):
    PlanningNote.objects.create(round=leadership_round, kind="concern", text="Manager in doubt")
    round_ = _documented(leadership_round, rounds_org)
    client.force_login(rounds_org.director)
    response = client.get(reverse("rounds:pdf", args=[round_.pk]))
    assert "Secret plenary" in _text(response.content)
    assert "Manager in doubt" not in _text(response.content)


def test_an_employee_cannot_download_a_leadership_pdf(client, leadership_round, rounds_org):
    round_ = _documented(leadership_round, rounds_org)
    client.force_login(rounds_org.employee)
    assert client.get(reverse("rounds:pdf", args=[round_.pk])).status_code == 403
