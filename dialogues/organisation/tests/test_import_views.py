import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dialogues.organisation.models import OrganisationImport, Person
from dialogues.organisation.roles import Role
from dialogues.organisation.tests.factories import (
    PersonFactory,
    UnitFactory,
    import_file_bytes,
    small_organisation,
)

pytestmark = pytest.mark.django_db
Status = OrganisationImport.Status


@pytest.fixture
def hr_admin(client):
    # A local account (no employee id), as the first administrator is: imports leave it alone.
    admin = PersonFactory(employee_id=None, name="Hilde Admin", roles=[Role.HR_ADMIN])
    client.force_login(admin)
    return admin


def upload(client, content: bytes, name: str = "hr.csv"):
    return client.post(reverse("organisation:imports"), {"file": SimpleUploadedFile(name, content)})


def valid_file() -> bytes:
    return import_file_bytes(small_organisation())


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (
        reverse("organisation:imports"),
        reverse("organisation:import_example"),
        reverse("organisation:import_detail", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [None, Role.MANAGER, Role.DIRECTOR, Role.HR_PARTNER])
def test_people_who_are_not_hr_administrators_are_refused(client, role):
    person = PersonFactory(unit=UnitFactory(), roles=[role] if role else [])
    record = OrganisationImport.objects.create(
        filename="hr.csv", status=Status.READY, content=valid_file()
    )
    client.force_login(person)

    assert client.get(reverse("organisation:imports")).status_code == 403
    assert upload(client, valid_file()).status_code == 403
    assert client.get(reverse("organisation:import_detail", args=[record.pk])).status_code == 403
    assert client.post(reverse("organisation:import_confirm", args=[record.pk])).status_code == 403
    assert client.post(reverse("organisation:import_discard", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.status == Status.READY
    assert Person.objects.count() == 1


def test_the_upload_page_shows_the_form_the_columns_and_recent_imports(client, hr_admin):
    OrganisationImport.objects.create(
        filename="march.csv", status=Status.APPLIED, uploaded_by=hr_admin
    )

    response = client.get(reverse("organisation:imports"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'accept=".csv,.txt,.tsv,.xlsx"' in content
    assert '<label for="id_file">' in content
    assert reverse("organisation:import_example") in content
    assert "<code>manager_employee_id</code>" in content
    assert "march.csv" in content
    assert "Hilde Admin" in content
    assert content.count('role="region" tabindex="0" aria-label=') == 2


def test_an_invalid_file_is_rejected_with_its_errors_and_nothing_is_written(client, hr_admin):
    rows = small_organisation()
    rows[3]["email"] = "not-an-address"

    response = upload(client, import_file_bytes(rows))

    record = OrganisationImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("organisation:import_detail", args=[record.pk])
    assert (record.status, record.content, record.uploaded_by) == (Status.INVALID, None, hr_admin)
    assert record.errors == [
        {
            "code": "invalid_email",
            "row": 5,
            "column": "email",
            "params": {"value": "not-an-address"},
        }
    ]
    assert Person.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "Nothing was imported" in page
    assert 'class="error-summary" tabindex="-1" data-focus-on-load' in page
    assert '<td class="number">5</td>' in page
    assert "“not-an-address” is not a valid email address." in page
    assert "Import now" not in page


def test_no_more_than_500_errors_are_listed_but_all_are_counted(client, hr_admin):
    rows = small_organisation()
    base = rows[3]
    rows += [
        {**base, "employee_id": f"X{n}", "email": f"bad-{n}", "name": f"X {n}"} for n in range(520)
    ]

    response = upload(client, import_file_bytes(rows))
    page = client.get(response.url).content.decode()

    assert len(OrganisationImport.objects.get().errors) == 520
    assert "The file has 520 problems." in page
    assert "The first 500 are listed below." in page
    assert page.count("is not a valid email address.") == 500


def test_a_valid_file_is_previewed_then_imported_on_confirmation(client, hr_admin):
    response = upload(client, valid_file())

    record = OrganisationImport.objects.get()
    assert record.status == Status.READY
    assert bytes(record.content) == valid_file()
    assert record.summary["people"]["counts"]["added"] == 6
    assert Person.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "What the import will change" in page
    assert "People added (6)" in page
    assert "Gustav Groupleader" in page
    assert "Import now" in page

    response = client.post(reverse("organisation:import_confirm", args=[record.pk]), follow=True)

    record.refresh_from_db()
    assert (record.status, record.content) == (Status.APPLIED, None)
    assert record.applied_at is not None
    assert record.summary["dry_run"] is False
    assert Person.objects.filter(employee_id__isnull=False).count() == 6
    assert "The organisation was imported." in response.content.decode()
    assert "What the import changed" in response.content.decode()


def test_an_import_cannot_be_applied_twice(client, hr_admin):
    upload(client, valid_file())
    record = OrganisationImport.objects.get()
    client.post(reverse("organisation:import_confirm", args=[record.pk]))
    Person.objects.filter(employee_id="E3").update(name="Changed Since")

    response = client.post(reverse("organisation:import_confirm", args=[record.pk]), follow=True)

    record.refresh_from_db()
    assert record.status == Status.APPLIED
    assert "This import has already been applied or discarded." in response.content.decode()
    assert Person.objects.get(employee_id="E3").name == "Changed Since"


def test_confirming_checks_the_file_again_against_the_database(client, hr_admin):
    upload(client, valid_file())
    record = OrganisationImport.objects.get()
    PersonFactory(employee_id="OTHER", email="emma@example.org")

    response = client.post(reverse("organisation:import_confirm", args=[record.pk]), follow=True)

    record.refresh_from_db()
    assert (record.status, record.content) == (Status.INVALID, None)
    assert [error["code"] for error in record.errors] == ["email_taken"]
    assert Person.objects.count() == 2
    assert "Nothing was imported." in response.content.decode()


def test_discarding_forgets_the_file_and_changes_nothing(client, hr_admin):
    upload(client, valid_file())
    record = OrganisationImport.objects.get()

    response = client.post(reverse("organisation:import_discard", args=[record.pk]))

    record.refresh_from_db()
    assert response.url == reverse("organisation:imports")
    assert (record.status, record.content) == (Status.DISCARDED, None)
    confirm = client.post(reverse("organisation:import_confirm", args=[record.pk]))
    assert confirm.status_code == 302
    assert Person.objects.count() == 1


def test_confirm_and_discard_accept_only_post(client, hr_admin):
    record = OrganisationImport.objects.create(filename="hr.csv", status=Status.READY)

    assert client.get(reverse("organisation:import_confirm", args=[record.pk])).status_code == 405
    assert client.get(reverse("organisation:import_discard", args=[record.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hr.pdf", b"%PDF-1.4", "Choose a CSV file (.csv) or an Excel workbook (.xlsx)."),
        ("hr.csv", b"", "The file is empty."),
    ],
)
def test_upload_errors_are_shown_next_to_the_field(client, hr_admin, name, content, message):
    response = upload(client, content, name)

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert OrganisationImport.objects.count() == 0
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_missing_file_is_an_error_next_to_the_field(client, hr_admin):
    response = client.post(reverse("organisation:imports"), {})

    assert response.context["form"].errors == {"file": ["Choose the file to import."]}


def test_a_file_over_the_limit_is_refused_by_the_form(client, hr_admin, settings):
    settings.ORGANISATION_IMPORT_MAX_BYTES = 100

    response = upload(client, valid_file())

    assert response.context["form"].errors == {
        "file": [
            f"The file is {len(valid_file())}\xa0bytes; "
            "files of at most 100\xa0bytes can be imported."
        ]
    }


def test_the_example_file_is_offered_as_a_download(client, hr_admin):
    response = client.get(reverse("organisation:import_example"))

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="organisation.csv"'
    assert body.startswith(b"\xef\xbb\xbfemployee_id;name;email")


def test_the_list_of_imports_takes_the_same_number_of_queries_for_one_or_many(client, hr_admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("organisation:imports")).status_code == 200
        return len(captured.captured_queries)

    OrganisationImport.objects.create(
        filename="one.csv", status=Status.APPLIED, uploaded_by=hr_admin
    )
    with_one = queries_for_page()
    for number in range(3):
        other = PersonFactory(employee_id=None)
        OrganisationImport.objects.create(
            filename=f"{number}.csv", status=Status.INVALID, uploaded_by=other
        )

    assert queries_for_page() == with_one


def test_a_file_that_leaves_out_most_people_is_flagged_before_confirming(client, hr_admin):
    upload(client, valid_file())
    client.post(reverse("organisation:import_confirm", args=[OrganisationImport.objects.get().pk]))
    response = upload(client, import_file_bytes(small_organisation()[:3]))
    page = client.get(response.url).content.decode()
    assert "Look twice before you import" in page
    assert "deactivates 4 of the 6 people" in page


def test_an_ordinary_update_is_not_flagged(client, hr_admin):
    upload(client, valid_file())
    client.post(reverse("organisation:import_confirm", args=[OrganisationImport.objects.get().pk]))
    page = client.get(upload(client, valid_file()).url).content.decode()
    assert "Look twice before you import" not in page


def test_an_administrator_is_warned_before_deactivating_their_own_account(client):
    from dialogues.organisation.importing import import_file

    rows = small_organisation()
    managers = {row["manager_employee_id"] for row in rows}
    admin_row = next(
        row for row in rows if row["employee_id"] and row["employee_id"] not in managers
    )
    admin_row["roles"] = ", ".join(filter(None, [admin_row["roles"], "hr_admin"]))
    assert import_file(import_file_bytes(rows), "hr.csv").ok
    admin = Person.objects.get(employee_id=admin_row["employee_id"])
    admin.preferred_language = "en"
    admin.save()
    client.force_login(admin)
    without_admin = [row for row in rows if row is not admin_row]
    page = client.get(upload(client, import_file_bytes(without_admin)).url).content.decode()
    assert "importing it deactivates your own account" in page
