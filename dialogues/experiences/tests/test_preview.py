from django.urls import reverse


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_preview_shows_the_guide_as_a_respondent_sees_it_in_english(client, org, guide):
    client.force_login(org.hr_admin)
    main = _main(client.get(reverse("experiences:guide_preview")))
    assert "<h1>Gather experiences with the dialogue concepts</h1>" in main
    titles = [section.title_en for section in guide.sections.all()]
    positions = [main.index(f">{title}</h2>") for title in titles]
    assert positions == sorted(positions)
    assert "<legend>Have you felt safe participating?</legend>" in main
    assert (
        "Asked only if the answer to “Have you felt safe participating?” is No or Partly." in main
    )
    assert "Asked only about: Well-being dialogue." in main
    assert main.count(">Does not apply</label>") == 7
    assert main.count(">Why?</label>") == 7


def test_the_preview_cannot_be_answered(client, org, guide):
    client.force_login(org.hr_admin)
    main = _main(client.get(reverse("experiences:guide_preview")))
    assert "<form" not in main
    # 7 closed questions with 4 choices and a why, and 8 open questions.
    assert main.count(" disabled>") == 7 * 4 + 7 + 8


def test_the_preview_follows_the_readers_language(client, org, guide):
    org.hr_admin.preferred_language = "da"
    org.hr_admin.save()
    client.force_login(org.hr_admin)
    client.cookies["django_language"] = "da"
    main = _main(client.get(reverse("experiences:guide_preview")))
    assert "<h1>Indsaml erfaringer med dialogkoncepterne</h1>" in main
    assert "<legend>Har du følt dig tryg ved at deltage?</legend>" in main
    assert "Have you felt safe participating?" not in main


def test_an_hr_partner_cannot_preview_the_guide(client, org, guide):
    client.force_login(org.hr_partner)
    assert client.get(reverse("experiences:guide_preview")).status_code == 403
