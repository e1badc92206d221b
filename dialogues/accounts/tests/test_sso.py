import os
import subprocess
import sys

from dialogues.accounts.backends import OrganisationOIDCBackend


def _backend():
    return OrganisationOIDCBackend.__new__(OrganisationOIDCBackend)


def test_single_sign_on_finds_an_active_imported_person_by_email(org):
    found = _backend().filter_users_by_claims({"email": "Manager@Example.org"})
    assert list(found) == [org.manager]


def test_single_sign_on_finds_nobody_for_an_unknown_or_missing_email(org):
    assert not _backend().filter_users_by_claims({"email": "stranger@example.org"}).exists()
    assert not _backend().filter_users_by_claims({}).exists()


def test_single_sign_on_refuses_people_who_have_left(org):
    org.manager.is_active = False
    org.manager.save()
    assert not _backend().filter_users_by_claims({"email": "manager@example.org"}).exists()


def test_configuring_a_client_id_switches_on_sso_without_creating_accounts(tmp_path):
    env = os.environ | {
        "OIDC_RP_CLIENT_ID": "dialogues",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/auth",
        "DIALOGUES_VAR_DIR": str(tmp_path),
    }
    code = (
        "import dialogues.settings as s;"
        "print(s.OIDC_ENABLED, s.OIDC_CREATE_USER, s.AUTHENTICATION_BACKENDS[-1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "False", "dialogues.accounts.backends.OrganisationOIDCBackend"]
