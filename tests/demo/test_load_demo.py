from __future__ import annotations

from django.core.management import call_command

from credence.audit.services import verify_chain
from credence.demo.people import PEOPLE
from credence.microcredentials.models import MicroCredential, MicroCredentialVersion, VersionStatus
from credence.organisations.models import Membership, Organisation, Role, User


def test_the_demo_has_every_kind_of_organisation_and_a_user_for_every_role(db):
    call_command("load_demo")
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {"higher_education", "college", "alternative_provider", "qa_agency", "employer"}
    assert Organisation.objects.filter(kind="higher_education").count() == 2
    held = {role for m in Membership.objects.all() for role in m.roles}
    assert held == set(Role.values)
    assert User.objects.filter(is_superuser=True).exists()
    assert User.objects.filter(username__in=[p[0] for p in PEOPLE]).count() == len(PEOPLE)


def test_the_demo_has_micro_credentials_in_every_status_and_a_clean_audit_log(db):
    call_command("load_demo")
    assert MicroCredential.objects.count() >= 12
    statuses = set(MicroCredentialVersion.objects.values_list("status", flat=True))
    assert statuses == set(VersionStatus.values)
    assert verify_chain() == []


def test_loading_the_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    counts = (MicroCredentialVersion.objects.count(), User.objects.count())
    call_command("load_demo")
    assert (MicroCredentialVersion.objects.count(), User.objects.count()) == counts
    assert "already loaded" in capsys.readouterr().out


def test_demo_logins_prints_every_user(db, capsys):
    call_command("load_demo")
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "credence-demo-2026" in out
    for username, *_ in PEOPLE:
        assert username in out
    assert "aoife" in out and "aoife.byrne@learners.example" in out  # a learner: no organisation
