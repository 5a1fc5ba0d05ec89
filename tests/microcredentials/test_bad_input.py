"""Bad input to the services: each is refused with the field named, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from credence.audit.models import AuditEvent
from credence.microcredentials import services as mc
from credence.microcredentials.models import LearningOutcome, MicroCredential

from ..factories import make_version

MEGABYTE = "x" * (1024 * 1024)


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        ({"title": ""}, "title", "blank"),
        ({"title": "   "}, "title", "title"),
        ({"credits": "-5"}, "credits", "more than zero"),
        ({"credits": "500"}, "credits", "at most 60"),
        ({"credits": "5", "credit_system": ""}, "credit_system", "credit system"),
        ({"credits": "abc"}, "credits", "decimal"),
        ({"eqf_level": 9}, "eqf_level", "1 to 8"),
        ({"eqf_level": 0}, "eqf_level", "1 to 8"),
        ({"notional_hours": 100_000}, "notional_hours", "at most"),
        ({"contact_hours": 500, "notional_hours": 100}, "contact_hours", "exceed"),
        ({"field_of_study": "9876"}, "field_of_study", "ISCED"),
        ({"languages": ["english"]}, "languages", "ISO 639-1"),
        ({"sdgs": [18]}, "sdgs", "1 to 17"),
        ({"fee_amount": "100", "fee_currency": ""}, "fee_currency", "currency"),
        ({"fee_amount": "100", "fee_currency": "XYZ"}, "fee_currency", "ISO 4217"),
        ({"fee_amount": "-1", "fee_currency": "EUR"}, "fee_amount", "greater than or equal"),
        ({"summary": MEGABYTE}, "summary", "at most"),
        ({"level_not_applicable": True, "eqf_level": 5}, "level_not_applicable", "level is given"),
        (
            {"level_not_applicable": True, "eqf_level": None, "qf_ehea_level": "", "nqf_level": ""},
            "level_not_applicable_reason",
            "why",
        ),
        ({"learning_outcomes": [{"text": ""}]}, "learning_outcomes[0].text", "blank"),
        ({"learning_outcomes": [{"text": "ok"}, {"text": MEGABYTE}]}, "learning_outcomes[1].text", "at most"),
        (
            {"learning_outcomes": [{"text": "ok", "skills": [{"uri": "not a uri"}]}]},
            "learning_outcomes[0].skills",
            "web address",
        ),
        (
            {"assessments": [{"type": "project", "outcomes": [3]}]},
            "assessments[0].outcomes[0]",
            "no learning outcome 3",
        ),
        ({"assessments": [{"type": "bogus"}]}, "assessments[0].type", "valid choice"),
        (
            {"assessments": [{"type": "project", "weight": "150"}]},
            "assessments[0].weight",
            "less than or equal",
        ),
        ({"modules": [{"title": "", "hours": "-2"}]}, "modules[0].title", "blank"),
        ({"pathways": [{"kind": "stacks into"}]}, "pathways[0].external_award", "Name the award"),
        ({"nonsense": 1}, "nonsense", "not an element"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(world, data: dict[str, Any], path: str, words: str):
    version = make_version(world.home, title="Untouched")
    events, outcomes = AuditEvent.objects.count(), LearningOutcome.objects.count()
    with pytest.raises(ValidationError) as error:
        mc.update_draft(
            actor=world.user("proposer"), version=version, data=data, lock_version=version.lock_version
        )
    messages = error.value.message_dict
    assert path in messages, messages
    assert any(words.lower() in m.lower() for m in messages[path]), messages[path]
    version.refresh_from_db()
    assert version.title == "Untouched"
    assert version.lock_version == 1
    assert AuditEvent.objects.count() == events
    assert LearningOutcome.objects.count() == outcomes


def test_one_bad_part_means_nothing_of_the_request_is_written(world):
    version = make_version(world.home, title="Untouched")
    before = [o.text for o in version.learning_outcomes.all()]
    with pytest.raises(ValidationError):
        mc.update_draft(
            actor=None,
            version=version,
            lock_version=version.lock_version,
            data={"title": "Changed", "learning_outcomes": [{"text": "New one"}, {"text": ""}]},
        )
    version.refresh_from_db()
    assert version.title == "Untouched"
    assert [o.text for o in version.learning_outcomes.all()] == before


def test_missing_title_is_refused_at_creation_and_nothing_is_created(world):
    with pytest.raises(ValidationError) as error:
        mc.create_micro_credential(
            actor=world.user("proposer"), organisation=world.home, code="T-1", title=""
        )
    assert "title" in error.value.message_dict
    assert not MicroCredential.objects.exists()


def test_an_assessment_cannot_be_aligned_to_an_outcome_of_another_version(world):
    mine = make_version(world.home)
    theirs = make_version(world.home)
    assessment = mine.assessments.first()
    foreign = theirs.learning_outcomes.first()
    with pytest.raises(ValidationError) as error, transaction.atomic():
        assessment.outcomes.add(foreign)
    assert "another version" in error.value.message_dict["outcomes"][0]
    assert foreign not in assessment.outcomes.all()


def test_an_outcome_id_from_another_version_is_refused(world):
    mine = make_version(world.home)
    theirs = make_version(world.home)
    foreign = theirs.learning_outcomes.first()
    with pytest.raises(ValidationError) as error:
        mc.update_draft(
            actor=None,
            version=mine,
            lock_version=mine.lock_version,
            data={"learning_outcomes": [{"id": foreign.pk, "text": "Hijack"}]},
        )
    assert "learning_outcomes[0].id" in error.value.message_dict
    foreign.refresh_from_db()
    assert foreign.text != "Hijack"


def test_html_and_script_are_stored_as_plain_text(world):
    version = make_version(world.home)
    script = '<script>alert("x")</script><b>bold</b>'
    version = mc.update_draft(
        actor=None,
        version=version,
        lock_version=version.lock_version,
        data={"title": script, "learning_outcomes": [{"text": script}]},
    )
    version.refresh_from_db()
    assert version.title == script
    assert version.learning_outcomes.get().text == script


def test_a_stale_write_is_refused_and_the_first_write_kept(world):
    from credence.errors import StaleWrite

    version = make_version(world.home)
    stale_lock = version.lock_version
    mc.update_draft(actor=None, version=version, data={"title": "First writer"}, lock_version=stale_lock)
    with pytest.raises(StaleWrite) as error:
        mc.update_draft(actor=None, version=version, data={"title": "Second writer"}, lock_version=stale_lock)
    assert error.value.current.title == "First writer"
    version.refresh_from_db()
    assert version.title == "First writer"
