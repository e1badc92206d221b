import pytest
from django.urls import reverse

from dialogues.concepts.models import Concept


@pytest.mark.django_db
def test_everyone_sees_both_concepts_side_by_side_in_english(client):
    html = client.get(
        reverse("concepts:overview"), headers={"accept-language": "en"}
    ).content.decode()
    assert html.index("Well-being dialogue") < html.index("Leadership dialogue")
    for label in ["Purpose", "Characteristics", "Primary actors", "Responsibility", "Next steps"]:
        assert f'<th scope="row">{label}</th>' in html
    assert "To train the dialogue about your well-being." in html
    assert "Giving input to your manager." in html


@pytest.mark.django_db
def test_the_concepts_are_data_in_danish_too(client):
    client.cookies["django_language"] = "da"
    html = client.get(reverse("concepts:overview")).content.decode()
    assert "Trivselsdialog" in html and "Ledelsesdialog" in html
    assert "At træne dialogen om jeres trivsel." in html


def test_the_hr_administrator_edits_a_concept_in_both_languages(client, org):
    client.force_login(org.hr_admin)
    concept = Concept.objects.get(kind="leadership")
    data = {field: getattr(concept, field) for field in _form_fields()}
    data |= {
        "purpose_en": "Feedback that helps your manager lead.",
        "purpose_da": "Feedback til din leder.",
    }
    response = client.post(reverse("concepts:edit", args=["leadership"]), data)
    assert response.status_code == 302
    concept.refresh_from_db()
    assert concept.purpose_en == "Feedback that helps your manager lead."
    assert concept.updated_by == org.hr_admin
    assert (
        "Feedback that helps your manager lead."
        in client.get(reverse("concepts:overview")).content.decode()
    )


def test_an_empty_text_is_refused_next_to_its_field_and_nothing_is_saved(client, org):
    client.force_login(org.hr_admin)
    concept = Concept.objects.get(kind="wellbeing")
    data = {field: getattr(concept, field) for field in _form_fields()} | {"purpose_da": "  "}
    response = client.post(reverse("concepts:edit", args=["wellbeing"]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "This field is required." in html
    concept.refresh_from_db()
    assert concept.purpose_da == "At træne dialogen om jeres trivsel."


def test_a_manager_cannot_edit_a_concept(client, org):
    client.force_login(org.manager)
    assert client.get(reverse("concepts:edit", args=["wellbeing"])).status_code == 403
    assert client.post(reverse("concepts:edit", args=["wellbeing"]), {}).status_code == 403


def test_an_unknown_concept_is_not_found(client, org):
    client.force_login(org.hr_admin)
    assert client.get(reverse("concepts:edit", args=["survey"])).status_code == 404


def _form_fields():
    from dialogues.concepts.forms import ConceptForm

    return ConceptForm._meta.fields
