"""Importing a catalogue: mapping, preview, the import itself, re-imports, and who may do it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.audit.services import verify_chain
from credence.errors import NotVisible
from credence.interop import selectors, services
from credence.interop.models import ColumnMapping, ImportMode, ImportStatus
from credence.microcredentials import services as mc_services
from credence.microcredentials.models import MicroCredential, MicroCredentialVersion

from .importing import csv_bytes, fixture, row, upload

pytestmark = pytest.mark.django_db


def test_a_real_looking_catalogue_comes_in_with_its_messy_values(world):
    job = services.import_file(
        actor=world.user("proposer"), organisation=world.home, upload=fixture("short_courses.csv")
    )
    assert job.status == ImportStatus.DONE, job.message
    assert job.counts["create"] == 4
    food = MicroCredentialVersion.objects.get(micro_credential__code="UCD-SUS-210")
    assert (food.credits, food.credit_system) == (Decimal("7.5"), "ECTS")
    assert food.notional_hours == 30  # '3 h/week for 10 weeks'
    assert food.languages == ["en", "ga"]
    assert food.form_of_participation == "blended"
    assert food.status == "draft"
    assert [o.text for o in food.learning_outcomes.all()] == [
        "Analyse the environmental footprint of a food product",
        "Compare certification schemes",
        "Design an improvement plan for a local supplier",
    ]
    data = MicroCredentialVersion.objects.get(micro_credential__code="GLA-DATA-01")
    assert data.notional_hours == 24 and data.eqf_level == 6 and data.field_of_study == "0542"
    assert data.learning_outcomes.count() == 3  # the introduction line is not an outcome


@pytest.mark.parametrize("name", ["short_courses.xlsx", "short_courses.json"])
def test_the_same_catalogue_comes_in_from_xlsx_and_json(world, name):
    job = services.import_file(actor=world.user("proposer"), organisation=world.home, upload=fixture(name))
    assert job.status == ImportStatus.DONE, job.message
    assert set(MicroCredential.objects.filter(organisation=world.home).values_list("code", flat=True)) == {
        "GLA-DATA-01",
        "DKN-CYB-101",
        "UCD-SUS-210",
        "OU-CARE-05",
    }
    cyber = MicroCredentialVersion.objects.get(micro_credential__code="DKN-CYB-101")
    assert cyber.notional_hours == 120 and cyber.learning_outcomes.count() == 4


def test_the_mapping_is_guessed_and_a_saved_mapping_maps_the_next_file(world):
    proposer = world.user("proposer")
    header = ["Ref", "Name of course", "Blurb", "Outcomes", "ECTS", "Workload"]
    data = csv_bytes([["X-1", "Tidy data", "About data.", "Clean a table", "5", "120 hours"]], header)
    job = services.start_import(actor=proposer, organisation=world.home, upload=upload(data))
    assert job.mapping["Ref"] == "code" and job.mapping["Outcomes"] == "learning_outcomes"
    assert job.mapping["Name of course"] == "" and job.mapping["Blurb"] == ""
    mapping = dict(job.mapping, **{"Name of course": "title", "Blurb": "summary"})
    services.set_mapping(actor=proposer, job=job, columns=mapping, save_as="Faculty sheet")
    assert (
        ColumnMapping.objects.get(organisation=world.home, name="Faculty sheet").columns["Blurb"] == "summary"
    )

    again = services.start_import(
        actor=proposer, organisation=world.home, upload=upload(data), source="Faculty sheet"
    )
    assert again.mapping["Name of course"] == "title" and again.mapping["Blurb"] == "summary"


def test_a_mapping_without_code_or_title_is_refused(world):
    job = services.start_import(
        actor=world.user("proposer"), organisation=world.home, upload=upload(csv_bytes([row("A")]))
    )
    with pytest.raises(ValidationError) as error:
        services.set_mapping(actor=world.user("proposer"), job=job, columns={"Code": "code"})
    assert "Title" in str(error.value)


def test_the_preview_says_per_row_what_happens_and_every_problem(world):
    proposer = world.user("proposer")
    services.import_file(
        actor=proposer,
        organisation=world.home,
        upload=upload(csv_bytes([row("OLD-1", "Old", summary="Same.")])),
    )
    rows = [
        row("NEW-1"),
        row("OLD-1", "Old, renamed", summary="Same."),
        row("BAD-1", isced="9876", credits="five ECTS", hours="a few evenings"),
        row("", "No code"),
        row("DUP", "First"),
        row("DUP", "Second"),
    ]
    job = services.start_import(actor=proposer, organisation=world.home, upload=upload(csv_bytes(rows)))
    job = services.preview_import(
        actor=proposer, job=services.set_mapping(actor=proposer, job=job, columns=job.mapping)
    )
    by_row = {r["row"]: r for r in job.report}
    assert by_row[2]["action"] == "create"
    assert by_row[3]["action"] == "update" and by_row[3]["changed"] == ["title"]
    bad = by_row[4]
    assert bad["action"] == "error"
    assert any(p.startswith("ISCED:") and "9876" in p for p in bad["problems"])
    assert any(p.startswith("Credits:") for p in bad["problems"])
    assert any(p.startswith("Study time:") for p in bad["problems"])
    assert by_row[5]["problems"] == ["Code: Give the micro-credential's code."]
    assert "also on row(s) 7" in by_row[6]["problems"][0] and "also on row(s) 6" in by_row[7]["problems"][0]
    assert job.counts == {"create": 1, "update": 1, "new version": 0, "unchanged": 0, "error": 4}
    assert not MicroCredential.objects.filter(code="NEW-1").exists()  # a preview writes nothing


def test_all_or_nothing_writes_nothing_when_a_row_is_broken(world):
    data = csv_bytes([row("A-1"), row("A-2", credits="1000 ECTS")])
    job = services.import_file(actor=world.user("proposer"), organisation=world.home, upload=upload(data))
    assert job.status == ImportStatus.FAILED
    assert "Nothing was imported: 1 row(s) have problems" in job.message
    assert not MicroCredential.objects.filter(organisation=world.home).exists()
    assert [r["row"] for r in job.problem_rows] == [3]


def test_valid_rows_only_imports_the_rest_and_reports_the_broken_ones(world, client):
    proposer = world.user("proposer")
    data = csv_bytes([row("A-1"), row("A-2", credits="1000 ECTS"), row("A-3")])
    job = services.import_file(
        actor=proposer, organisation=world.home, upload=upload(data), mode=ImportMode.VALID_ONLY
    )
    assert job.status == ImportStatus.DONE
    assert sorted(MicroCredential.objects.filter(organisation=world.home).values_list("code", flat=True)) == [
        "A-1",
        "A-3",
    ]
    assert "1 row(s) with problems were left out" in job.message
    client.force_login(proposer)
    response = client.get(f"/import/{job.pk}/problems.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "Row,Code,Title,Problem"
    assert lines[1].startswith("3,A-2,Course A-2,Credits:") and "at most 60" in lines[1]


def test_re_importing_the_same_file_changes_nothing(world):
    proposer = world.user("proposer")
    first = services.import_file(actor=proposer, organisation=world.home, upload=fixture("short_courses.csv"))
    events = AuditEvent.objects.count()
    second = services.import_file(
        actor=proposer, organisation=world.home, upload=fixture("short_courses.csv")
    )
    assert first.counts["create"] == 4
    assert second.counts == {"create": 0, "update": 0, "new version": 0, "unchanged": 4, "error": 0}
    assert MicroCredential.objects.filter(organisation=world.home).count() == 4
    assert MicroCredentialVersion.objects.filter(micro_credential__organisation=world.home).count() == 4
    # Only the upload and the job's own completion are recorded: no record changed.
    assert AuditEvent.objects.count() - events == 2


def test_a_changed_row_updates_the_draft_and_a_frozen_version_gets_a_new_one(world):
    proposer, approver = world.user("proposer"), world.user("approver")
    services.import_file(
        actor=proposer, organisation=world.home, upload=upload(csv_bytes([row("D-1"), row("F-1")]))
    )
    frozen = MicroCredentialVersion.objects.get(micro_credential__code="F-1")
    mc_services.submit_version(actor=proposer, version=frozen)
    mc_services.approve_version(actor=approver, version=frozen)

    changed = csv_bytes([row("D-1", outcomes="Explain the main ideas"), row("F-1", credits="10 ECTS")])
    job = services.import_file(actor=proposer, organisation=world.home, upload=upload(changed))
    assert job.counts["update"] == 1 and job.counts["new version"] == 1
    draft = MicroCredentialVersion.objects.get(micro_credential__code="D-1")
    assert draft.number == 1 and [o.text for o in draft.learning_outcomes.all()] == ["Explain the main ideas"]
    versions = list(MicroCredentialVersion.objects.filter(micro_credential__code="F-1").order_by("number"))
    assert [(v.number, v.status, v.credits) for v in versions] == [
        (1, "approved", Decimal(5)),
        (2, "draft", Decimal(10)),
    ]
    assert AuditEvent.objects.filter(action="version.updated", object_id=str(draft.pk)).exists()


def test_records_approved_elsewhere_come_in_approved_with_their_provenance(world):
    qa = world.user("qa_officer")
    job = services.import_file(
        actor=qa,
        organisation=world.home,
        upload=upload(csv_bytes([row("M-1")])),
        as_approved=True,
        provenance={"source_system": "Legacy curriculum system", "approved_on": "2023-06-30"},
    )
    assert job.status == ImportStatus.DONE, job.message
    version = MicroCredentialVersion.objects.get(micro_credential__code="M-1")
    assert version.status == "approved" and version.approved_at.date().isoformat() == "2023-06-30"
    event = AuditEvent.objects.get(
        action="microcredential.imported", object_id=str(version.micro_credential_id)
    )
    assert event.actor == qa
    assert event.changes["status"] == [None, "approved"]
    assert event.changes["provenance"][1]["source_system"] == "Legacy curriculum system"
    assert event.changes["provenance"][1]["approved_on"] == "2023-06-30"
    assert event.changes["learning_outcomes"][1] == ["Explain the main ideas", "Apply them to a case"]
    assert verify_chain() == []


def test_approved_elsewhere_needs_a_source_and_a_date(world):
    job = services.start_import(
        actor=world.user("qa_officer"), organisation=world.home, upload=upload(csv_bytes([row("M-1")]))
    )
    with pytest.raises(ValidationError) as error:
        services.queue_import(
            actor=world.user("qa_officer"),
            job=job,
            as_approved=True,
            provenance={"approved_on": "2999-01-01"},
        )
    assert set(error.value.message_dict) == {"source_system", "approved_on"}


def test_only_qa_officers_and_admins_import_as_approved(world):
    proposer = world.user("proposer")
    job = services.start_import(
        actor=proposer, organisation=world.home, upload=upload(csv_bytes([row("M-1")]))
    )
    with pytest.raises(PermissionDenied):
        services.queue_import(
            actor=proposer,
            job=job,
            as_approved=True,
            provenance={"source_system": "X", "approved_on": "2023-01-01"},
        )


@pytest.mark.parametrize("role", ["reviewer", "approver", "committee_member"])
def test_roles_that_do_not_write_drafts_cannot_import(world, role):
    with pytest.raises(PermissionDenied):
        services.start_import(
            actor=world.user(role), organisation=world.home, upload=upload(csv_bytes([row("A")]))
        )


def test_an_outsider_neither_imports_into_nor_sees_another_organisations_imports(world):
    job = services.start_import(
        actor=world.user("proposer"), organisation=world.home, upload=upload(csv_bytes([row("A")]))
    )
    with pytest.raises(PermissionDenied):
        services.start_import(
            actor=world.outsider, organisation=world.home, upload=upload(csv_bytes([row("A")]))
        )
    with pytest.raises(NotVisible):
        selectors.import_job_for(world.outsider, job.pk)
    assert selectors.import_job_for(world.user("org_admin"), job.pk) == job


def test_a_bulk_import_keeps_the_audit_chain_whole_and_says_what_each_record_got(world):
    services.import_file(
        actor=world.user("proposer"), organisation=world.home, upload=fixture("short_courses.csv")
    )
    assert verify_chain() == []
    events = AuditEvent.objects.filter(action="microcredential.imported")
    assert events.count() == 4
    cyber = events.get(object_label="DKN-CYB-101")
    assert cyber.changes["credits"] == [None, "10"] and cyber.changes["notional_hours"] == [None, 120]
    assert len(cyber.changes["learning_outcomes"][1]) == 4


def test_a_migration_re_import_approves_the_changed_version_with_its_provenance(world):
    qa = world.user("qa_officer")
    services.import_file(actor=qa, organisation=world.home, upload=upload(csv_bytes([row("P-1")])))
    job = services.import_file(
        actor=qa,
        organisation=world.home,
        upload=upload(csv_bytes([row("P-1", credits="10 ECTS")])),
        as_approved=True,
        provenance={"source_system": "Faculty board", "approved_on": "2024-05-01"},
    )
    assert job.counts["update"] == 1
    version = MicroCredentialVersion.objects.get(micro_credential__code="P-1")
    assert (version.number, version.status, version.credits) == (1, "approved", Decimal(10))
    event = AuditEvent.objects.get(action="version.approved_elsewhere", object_id=str(version.pk))
    assert event.changes["provenance"][1]["source_system"] == "Faculty board"
    assert verify_chain() == []
