"""Erasing a learner removes what identifies them and keeps every aggregate."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.monitoring import selectors, services
from credence.monitoring.models import Learner

from .helpers import import_statuses, make_offering

pytestmark = pytest.mark.django_db


def test_erasure_keeps_aggregates_and_leaves_no_personal_data(world):
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 10 + [("withdrawn", None)] * 2)
    before = selectors.public_outcomes(offering.version.micro_credential)
    learner = Learner.objects.get(external_id="S1")

    services.erase_learner(actor=world.user("qa_officer"), learner=learner)

    learner.refresh_from_db()
    assert (learner.name, learner.email, learner.external_id, learner.email_hash) == ("", "", "", "")
    assert learner.erased_at is not None
    assert selectors.public_outcomes(offering.version.micro_credential) == before
    event = AuditEvent.objects.get(action="monitoring.learner_erased")
    assert "S1" not in str(event.changes) + event.object_label and "learner" in event.object_label
    with pytest.raises(ValidationError):
        services.erase_learner(actor=world.user("qa_officer"), learner=learner)


def test_erasure_keeps_an_issued_credential_verifiable(world):
    from credence.issuance import services as issuance
    from credence.issuance.verification import verify

    offering = make_offering(world.home)
    services.enrol_learners(
        actor=None, offering=offering, learners=[{"email": "ana@learners.test", "name": "Ana"}]
    )
    issued = issuance.issue_credentials(
        actor=None, offering=offering, rows=[{"email": "ana@learners.test"}], send_emails=False
    ).issued[0]

    services.erase_learner(actor=None, learner=issued.learner)

    import json

    issued.refresh_from_db()
    assert verify(json.loads(issued.signed_json)).valid


def test_only_the_provider_erases(world):
    offering = make_offering(world.home)
    import_statuses(offering, [("enrolled", None)])
    learner = Learner.objects.get()
    for actor in (world.user("proposer"), world.outsider_qa):
        with pytest.raises(PermissionDenied):
            services.erase_learner(actor=actor, learner=learner)
