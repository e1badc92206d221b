"""Everything stored about a person, for their access request (GDPR article 15)."""

import io
import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.management import CommandError, call_command
from django.urls import reverse

from dialogues.common.tests.test_access_matrix import documented_leadership_round
from dialogues.experiences.models import Answer, CampaignInvitee
from dialogues.insights.models import ApiToken, ExportLog
from dialogues.insights.tests.factories import OPEN_QUESTION, closed_test_campaign
from dialogues.organisation.models import OrganisationImport
from dialogues.organisation.privacy import PersonNotFound, find_person, personal_data
from dialogues.rounds.models import PlanningNote

SECRET_ANSWER = "Only the employee wrote this sentence"


@pytest.fixture
def stored(org):
    """A round, a campaign the employee answered, an import, a token, log-ins: all about them."""
    round_ = documented_leadership_round(org)
    PlanningNote.objects.create(
        round=round_, kind="concern", text="The director's own concern", author=org.director
    )
    PlanningNote.objects.create(
        round=round_, kind="meeting", text="The partner's meeting note", author=org.hr_partner
    )
    campaign = closed_test_campaign(org, answered=6, texts=[SECRET_ANSWER])
    # The factory's invitees are e-mails on a list; the first answered. Make it the employee's.
    invitee = CampaignInvitee.objects.filter(campaign=campaign, answered=True).order_by("pk")[0]
    invitee.email, invitee.person = "", org.employee
    invitee.save()
    OrganisationImport.objects.create(
        filename="hr-march.csv",
        status=OrganisationImport.Status.APPLIED,
        uploaded_by=org.hr_admin,
        summary={
            "people": {
                "counts": {"changed": 2},
                "changed": [
                    {"employee_id": "E-employee", "name": "Employee", "fields": ["unit"]},
                    {"employee_id": "E-tr", "name": "Tr", "fields": ["name"]},
                ],
            },
            "roles": {"counts": {"added": 0}, "added": [], "removed": []},
        },
        errors=[{"code": "duplicate_email", "row": 7, "params": {"value": "EMPLOYEE@example.org"}}],
    )
    _token, key = ApiToken.issue(org.manager, "Power BI")
    AccessAttempt.objects.create(
        username="manager@example.org",
        ip_address="192.0.2.7",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    AccessLog.objects.create(
        username="manager@example.org",
        ip_address="192.0.2.7",
        user_agent="Firefox",
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    ExportLog.objects.create(user=org.manager, campaign=campaign, kind="results", what={"unit": 3})
    return {"round": round_, "campaign": campaign, "key": key}


def test_the_managers_data_holds_their_account_roles_and_rounds(org, stored):
    data = personal_data(org.manager)
    assert data["format"] == "dialogues-personal-data/1"
    account = data["account"]
    assert (account["email"], account["employee_id"], account["name"]) == (
        "manager@example.org",
        "E-manager",
        "Manager",
    )
    assert account["unit"]["code"] == "S" and account["manager"]["employee_id"] == "E-director"
    assert "password" not in json.dumps(account, default=str).replace("has_password", "")
    assert {(role["role"], role["unit"]["code"]) for role in data["roles"]} == {
        ("employee", "S"),
        ("manager", "S"),
    }
    (taken,) = data["rounds"]
    assert taken["round"]["id"] == stored["round"].pk and taken["as"] == ["manager"]
    assert [agreement["what"] for agreement in data["agreements_they_own"]] == ["A"]
    assert data["api_tokens"][0]["name"] == "Power BI"
    assert {"digest", "prefix", "key"}.isdisjoint(data["api_tokens"][0])
    text = json.dumps(data, default=str)
    assert stored["key"] not in text and stored["key"][:8] not in text
    assert data["log_in_records"]["failed_attempts"][0]["failures"] == 5
    assert data["log_in_records"]["log_ins"][0]["ip_address"] == "192.0.2.7"
    (opened,) = data["access_log"]["results_they_opened_or_took_out"]
    assert (opened["kind"], opened["campaign"]) == ("results", "Experiences")


def test_each_part_in_a_round_is_named_and_only_their_own_notes_are_in_it(org, stored):
    director = personal_data(org.director)
    (taken,) = director["rounds"]
    assert taken["as"] == ["started_the_round", "planning_group:director"]
    assert [note["text"] for note in director["planning_notes_they_wrote"]] == [
        "The director's own concern"
    ]
    assert "The partner's meeting note" not in json.dumps(director, default=str)
    partner = personal_data(org.hr_partner)
    assert partner["rounds"][0]["as"] == ["facilitator", "planning_group:hr_partner"]
    assert {event["action"] for event in partner["round_changes_they_made"]} >= {"held"}


def test_the_employees_data_says_they_answered_but_holds_no_answer(org, stored):
    data = personal_data(org.employee)
    assert data["rounds"][0]["as"] == ["invited"]
    (invitation,) = data["campaign_invitations"]
    assert (invitation["campaign"], invitation["answered"]) == ("Experiences", True)
    text = json.dumps(data, default=str)
    assert Answer.objects.filter(text=SECRET_ANSWER).exists()
    assert SECRET_ANSWER not in text
    assert "anonymous questionnaire are not included" in data["not_included"]


def test_the_import_rows_about_them_are_found(org, stored):
    rows = personal_data(org.employee)["organisation_imports"]["rows_about_them"]
    assert [(row["file"], row["part"], row.get("change")) for row in rows] == [
        ("hr-march.csv", "people", "changed"),
        ("hr-march.csv", "problem", None),
    ]
    assert rows[0]["fields"] == ["unit"]
    uploads = personal_data(org.hr_admin)["organisation_imports"]["uploaded"]
    assert [upload["file"] for upload in uploads] == ["hr-march.csv"]
    assert personal_data(org.tr)["organisation_imports"]["rows_about_them"][0]["name"] == "Tr"


def test_a_person_is_found_by_email_or_employee_id(org):
    assert find_person("  MANAGER@example.org ") == org.manager
    assert find_person("E-manager") == org.manager
    for unknown in ("nobody@example.org", "", "E-"):
        with pytest.raises(PersonNotFound):
            find_person(unknown)


# --- the command ---------------------------------------------------------------------------------


def test_the_command_writes_the_json_and_the_access_log(org, stored):
    out = io.StringIO()
    call_command("export_person", "E-employee", stdout=out)
    data = json.loads(out.getvalue())
    assert data["account"]["email"] == "employee@example.org"
    entry = ExportLog.objects.get(kind=ExportLog.Kind.PERSON)
    assert entry.user is None
    assert (entry.what["person"], entry.what["via"]) == (org.employee.pk, "command")


def test_the_command_writes_a_file(org, tmp_path):
    target = tmp_path / "employee.json"
    err = io.StringIO()
    call_command("export_person", "employee@example.org", "-o", str(target), stderr=err)
    assert json.loads(target.read_text(encoding="utf-8"))["account"]["employee_id"] == "E-employee"
    assert str(target) in err.getvalue()


def test_the_command_refuses_someone_unknown(org):
    with pytest.raises(CommandError, match="No one has the e-mail address or employee id"):
        call_command("export_person", "nobody@example.org", stdout=io.StringIO())
    assert not ExportLog.objects.exists()


# --- the page ------------------------------------------------------------------------------------


def test_hr_downloads_the_json_from_the_persons_page_and_it_is_logged(client, org, stored):
    client.force_login(org.hr_admin)
    page = client.get(reverse("organisation:person", args=[org.employee.pk])).content.decode()
    url = reverse("organisation:person_export", args=[org.employee.pk])
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="personal-data-e-employee-'
    )
    assert json.loads(response.content)["account"]["name"] == "Employee"
    entry = ExportLog.objects.get(kind=ExportLog.Kind.PERSON)
    assert (entry.user, entry.what["name"], entry.what["path"]) == (org.hr_admin, "Employee", url)
    # The next export of the employee's data shows the first one.
    exports = personal_data(org.employee)["access_log"]["exports_of_their_data"]
    assert [export["by"] for export in exports] == ["Hr Admin"]
    log = client.get(reverse("insights:access_log"), {"kind": "person"}).content.decode()
    assert "the data about Employee" in log


def test_nobody_else_sees_the_download(client, org):
    url = reverse("organisation:person_export", args=[org.employee.pk])
    for person in (org.manager, org.director, org.hr_partner, org.employee):
        client.force_login(person)
        page = client.get(reverse("organisation:person", args=[org.employee.pk]))
        assert url not in page.content.decode()
        assert client.get(url).status_code == 403
    assert not ExportLog.objects.exists()


def test_answer_ids_are_never_in_the_export(org, stored):
    text = json.dumps(personal_data(org.employee), default=str)
    for answer_id in Answer.objects.filter(question_id=OPEN_QUESTION).values_list("pk", flat=True):
        assert str(answer_id) not in text
