import io

import pytest
from django.core.management import CommandError, call_command

from dialogues.organisation.models import Person, RoleAssignment, Unit
from dialogues.organisation.tests.factories import import_file_bytes, small_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_file(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes(import_file_bytes(small_organisation()))
    return path


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_organisation", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_reports_what_would_change_and_writes_nothing(hr_file, capsys):
    out, _ = run(str(hr_file), "--dry-run")

    assert out.splitlines()[0] == "Dry run: nothing was written."
    assert "People: 6 added, 0 changed, 0 deactivated, 0 reactivated, 0 unchanged." in out
    assert "Units: 4 added, 0 changed" in out
    assert "Checking rows" in capsys.readouterr().err  # the progress bar
    assert (Person.objects.count(), Unit.objects.count(), RoleAssignment.objects.count()) == (
        0,
        0,
        0,
    )


def test_the_import_writes_and_reports_changes(hr_file, tmp_path):
    run(str(hr_file))
    rows = small_organisation()
    rows[3]["name"] = "Emma Renamed"
    changed = tmp_path / "changed.csv"
    changed.write_bytes(import_file_bytes(rows))

    out, _ = run(str(changed))

    assert out.splitlines()[0] == "Imported."
    assert "People: 0 added, 1 changed, 0 deactivated, 0 reactivated, 5 unchanged." in out
    assert "  ~ E3 Emma Renamed: name" in out
    assert Person.objects.get(employee_id="E3").name == "Emma Renamed"


def test_an_invalid_file_prints_every_error_and_fails(tmp_path):
    rows = small_organisation()
    rows[2]["email"] = "nope"
    rows[5]["language"] = "tysk"
    path = tmp_path / "bad.csv"
    path.write_bytes(import_file_bytes(rows))
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^2 problem\(s\) in bad.csv: nothing was imported.$"):
        call_command("import_organisation", str(path), stdout=io.StringIO(), stderr=err)

    lines = [line for line in err.getvalue().splitlines() if line.startswith("row ")]
    assert lines == [
        "row 4, email: “nope” is not a valid email address.",
        "row 7, language: “tysk” is not a known language: use da or en.",
    ]
    assert Person.objects.count() == 0


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "absent.csv"))


def test_a_command_line_import_is_kept_in_the_history_but_a_dry_run_is_not(hr_file):
    from dialogues.organisation.models import OrganisationImport

    run(str(hr_file), "--dry-run")
    assert not OrganisationImport.objects.exists()
    run(str(hr_file))
    record = OrganisationImport.objects.get()
    assert (record.filename, record.status, record.content) == ("hr.csv", "applied", None)
    assert record.summary["people"]["counts"]["added"] == 6
