import copy

import pytest
from django.urls import reverse

from dialogues.experiences.domain.guide import build_snapshot, freeze_guide
from dialogues.experiences.models import FrozenVersionError, GuideVersion


def test_freezing_stores_every_section_and_question_in_both_languages(guide, ask):
    version = freeze_guide(guide)
    assert version.number == 1
    assert [section["title"]["en"] for section in version.snapshot["sections"]][0] == "Background"
    assert len(version.questions()) == 15
    safe, follow_up = ask("Have you felt safe"), ask("If not: have you")
    frozen = {question["id"]: question for question in version.questions()}
    assert frozen[safe.pk] == {
        "id": safe.pk,
        "text": {
            "da": "Har du følt dig tryg ved at deltage?",
            "en": "Have you felt safe participating?",
        },
        "kind": "closed",
        "concepts": ["leadership", "wellbeing"],
        "sensitive": True,
        "condition": None,
    }
    assert frozen[follow_up.pk]["condition"] == {"question": safe.pk, "answers": ["no", "partly"]}


def test_freezing_an_unchanged_guide_returns_the_latest_version(guide):
    first = freeze_guide(guide)
    assert freeze_guide(guide) == first
    assert GuideVersion.objects.count() == 1


def test_an_edit_then_a_freeze_gives_a_new_version_and_the_old_one_is_unchanged(guide, ask):
    first = freeze_guide(guide)
    before = copy.deepcopy(first.snapshot)
    question = ask("What insights have surprised you?")
    question.text_en = "Which insights surprised you?"
    question.save()
    second = freeze_guide(guide)
    assert second.number == 2
    first.refresh_from_db()
    assert first.snapshot == before
    texts = [question["text"]["en"] for question in second.questions()]
    assert "Which insights surprised you?" in texts
    assert second.snapshot == build_snapshot(guide)


def test_a_frozen_version_cannot_be_saved_again(guide):
    version = freeze_guide(guide)
    version.snapshot = {"sections": []}
    with pytest.raises(FrozenVersionError):
        version.save()
    version.refresh_from_db()
    assert len(version.questions()) == 15


def test_the_admin_shows_a_frozen_version_but_refuses_to_change_or_delete_it(client, org, guide):
    org.hr_admin.is_staff = org.hr_admin.is_superuser = True
    org.hr_admin.save()
    client.force_login(org.hr_admin)
    version = freeze_guide(guide)
    change_url = reverse("admin:experiences_guideversion_change", args=[version.pk])
    assert client.get(change_url).status_code == 200
    assert client.post(change_url, {"number": 7}).status_code == 403
    delete_url = reverse("admin:experiences_guideversion_delete", args=[version.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    version.refresh_from_db()
    assert version.number == 1


def test_the_hr_administrator_freezes_the_guide_from_the_versions_page(client, org, guide):
    client.force_login(org.hr_admin)
    url = reverse("experiences:versions")
    response = client.post(url, follow=True)
    assert "Version 1 was frozen." in response.content.decode()
    assert GuideVersion.objects.get().created_by == org.hr_admin
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "The guide has not changed since version 1." in html
    assert '<th scope="row">1</th>' in html
    assert GuideVersion.objects.count() == 1


def test_a_manager_cannot_freeze_the_guide(client, org, guide):
    client.force_login(org.manager)
    assert client.post(reverse("experiences:versions")).status_code == 403
    assert GuideVersion.objects.count() == 0
