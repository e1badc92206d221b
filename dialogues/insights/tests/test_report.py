"""Ranked proposals and the PDF report."""

import io

from django.urls import reverse
from pypdf import PdfReader

from dialogues.insights.domain.proposals import proposal_questions
from dialogues.insights.models import ExportLog
from dialogues.insights.tests.factories import closed_test_campaign

TEXTS = ["We had far too little time", "Vi havde for lidt tid", "More time, please"] * 4


def test_the_proposal_questions_of_the_default_guide(org):
    campaign = closed_test_campaign(org, answered=0)
    texts = [q["text"]["en"] for q in proposal_questions(campaign.guide_version.snapshot)]
    assert any("can be changed" in text for text in texts)
    assert any("surprised" in text for text in texts)
    assert any("more of" in text for text in texts)
    assert all("collaboration with HR" not in text for text in texts)


def test_the_proposals_page_ranks_themes_per_concept(client, org):
    campaign = closed_test_campaign(org, answered=12, texts=TEXTS)
    client.force_login(org.hr_admin)
    page = client.get(reverse("insights:proposals", args=[campaign.pk]))
    assert page.status_code == 200
    # The factory writes its texts into the first open question only, not a proposal question.
    columns = {kind: ranked for kind, _name, ranked in page.context["columns"]}
    assert set(columns) == {"wellbeing", "leadership"}


def test_the_pdf_report_holds_the_figures_and_is_logged(client, org):
    campaign = closed_test_campaign(org, answered=12, choices=("yes", "yes", "no"))
    client.force_login(org.director)
    response = client.get(reverse("insights:report_pdf", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Results: Experiences" in text
    assert "8 (67 %)" in text and "4 (33 %)" in text
    log = ExportLog.objects.get()
    assert (log.user, log.campaign, log.kind) == (org.director, campaign, "pdf")
    assert log.what["query"] == f"unit={org.department.pk}"


def test_the_pdf_report_obeys_the_minimum(client, org):
    campaign = closed_test_campaign(org, answered=4)
    client.force_login(org.hr_admin)
    response = client.get(reverse("insights:report_pdf", args=[campaign.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "too few to show" in text
    assert " 4 " not in text.replace("\n", " ")


def test_a_manager_cannot_take_another_units_report(client, org):
    campaign = closed_test_campaign(org, answered=12)
    client.force_login(org.manager)
    url = reverse("insights:report_pdf", args=[campaign.pk])
    assert client.get(url, {"unit": org.other_section.pk}).status_code == 403
    assert not ExportLog.objects.exists()
