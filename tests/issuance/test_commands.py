"""The operators' commands: issue from a CSV, export, verify (exit status), revoke."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from credence.issuance.models import CredentialState, IssuedCredential

pytestmark = pytest.mark.django_db


def _issue(offering, tmp_path, text: str) -> str:
    path = tmp_path / "completions.csv"
    path.write_text(text)
    out = StringIO()
    call_command("issue_credentials", offering.code, str(path), "--no-email", stdout=out)
    return out.getvalue()


def test_issue_export_verify_and_revoke(offering, tmp_path):
    assert "Issued 2 credential(s)" in _issue(
        offering, tmp_path, "email,grade\nada@example.org,A\nalan@example.org,B\n"
    )
    credential = IssuedCredential.objects.get(learner__email="ada@example.org")

    out = StringIO()
    call_command("export_credential", credential.credential_id, stdout=out)
    exported = tmp_path / "ada.json"
    exported.write_text(out.getvalue())
    assert json.loads(out.getvalue())["id"] == credential.credential_id

    out = StringIO()
    call_command("verify_credential", str(exported), stdout=out)
    assert out.getvalue().rstrip().endswith("Valid.")

    call_command(
        "revoke_credential", str(credential.pk), "--reason", "Issued to the wrong person.", stdout=StringIO()
    )
    assert IssuedCredential.objects.get(pk=credential.pk).state == CredentialState.REVOKED
    with pytest.raises(CommandError) as error:
        call_command("verify_credential", str(exported), stdout=StringIO())
    assert error.value.returncode == 1
    assert "Issued to the wrong person." in str(error.value)


def test_a_bad_list_issues_nothing_and_names_the_rows(offering, tmp_path):
    with pytest.raises(CommandError) as error:
        _issue(offering, tmp_path, "email\nada@example.org\nnobody-at-all\n")

    assert "Row 2, email" in str(error.value)
    assert not IssuedCredential.objects.exists()


def test_verify_credential_exits_non_zero_for_a_file_that_is_not_a_credential(tmp_path):
    path = tmp_path / "junk.json"
    path.write_text("{not json")

    result = subprocess.run(
        [sys.executable, "manage.py", "verify_credential", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "not JSON" in result.stderr


def test_verify_credential_takes_a_vc_jwt(offering, tmp_path):
    _issue(offering, tmp_path, "email\nada@example.org\n")
    path = tmp_path / "ada.jwt"
    path.write_text(IssuedCredential.objects.get().signed_jwt)

    out = StringIO()
    call_command("verify_credential", str(path), stdout=out)

    assert out.getvalue().startswith("ok   jwt:")
    assert out.getvalue().rstrip().endswith("Valid.")
