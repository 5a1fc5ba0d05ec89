"""Webhooks: signed deliveries to a real receiver on loopback, retries with backoff, a delivery log, and
the rule that production never calls private addresses."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from credence.integrations import services
from credence.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from credence.microcredentials import services as mc_services

from ..factories import make_version

pytestmark = pytest.mark.django_db


def register(world, url, events=("version.published",)):
    return services.register_webhook(
        actor=world.user("org_admin"), organisation=world.home, url=url, events=list(events)
    )


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does, as the docs show it."""
    timestamp = headers["X-Credence-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-Credence-Signature"], f"sha256={expected}")


def test_publishing_a_version_sends_a_signed_event(world, receiver, django_capture_on_commit_callbacks):
    endpoint = register(world, receiver.url)
    version = make_version(world.home, status="approved", code="DATA-101")

    with django_capture_on_commit_callbacks(execute=True):
        mc_services.publish_version(actor=world.user("qa_officer"), version=version)

    assert len(receiver.received) == 1
    sent = receiver.received[0]
    assert sent.path == "/hooks/credence"
    assert verify(endpoint.secret, sent.headers, sent.body)
    assert not verify("another secret", sent.headers, sent.body)
    event = json.loads(sent.body)
    assert event["type"] == "version.published"
    assert sent.headers["X-Credence-Event"] == "version.published"
    assert event["organisation"]["slug"] == world.home.slug
    assert event["object"]["code"] == "DATA-101"
    assert event["object"]["url"].endswith(f"/api/versions/{version.pk}/")
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.status_code, delivery.attempt) == (DeliveryStatus.SUCCEEDED, 200, 1)
    assert str(delivery.event_id) == event["id"] == sent.headers["X-Credence-Delivery"]


def test_events_the_endpoint_did_not_ask_for_are_not_sent(
    world, receiver, django_capture_on_commit_callbacks
):
    register(world, receiver.url, events=["version.retired"])
    version = make_version(world.home, status="approved")

    with django_capture_on_commit_callbacks(execute=True):
        version = mc_services.publish_version(actor=world.user("qa_officer"), version=version)
    assert receiver.received == []

    with django_capture_on_commit_callbacks(execute=True):
        mc_services.retire_version(actor=world.user("qa_officer"), version=version, reason="Replaced.")
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["version.retired"]


def test_another_organisations_events_are_not_sent(world, receiver, django_capture_on_commit_callbacks):
    register(world, receiver.url)
    version = make_version(world.other, status="approved")

    with django_capture_on_commit_callbacks(execute=True):
        mc_services.publish_version(actor=world.outsider_qa, version=version)

    assert receiver.received == []


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    world, receiver, django_capture_on_commit_callbacks
):
    endpoint = register(world, receiver.url)
    receiver.answers = [500, 503]
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        services.send_test_event(actor=world.user("org_admin"), endpoint=endpoint)

    attempts = list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("attempt"))
    assert [(a.attempt, a.status, a.status_code) for a in attempts] == [
        (1, DeliveryStatus.RETRYING, 500),
        (2, DeliveryStatus.RETRYING, 503),
        (3, DeliveryStatus.SUCCEEDED, 200),
    ]
    assert attempts[0].response_excerpt == "try again later"
    # Each wait is four times the one before: 30 s, then 2 min.
    first_wait = attempts[0].next_retry_at - before
    second_wait = attempts[1].next_retry_at - before
    assert dt.timedelta(seconds=29) < first_wait < dt.timedelta(seconds=60)
    assert dt.timedelta(seconds=119) < second_wait < dt.timedelta(seconds=150)
    assert attempts[2].next_retry_at is None
    # The same event, signed afresh each time.
    assert len({json.loads(r.body)["id"] for r in receiver.received}) == 1
    assert all(verify(endpoint.secret, r.headers, r.body) for r in receiver.received)


def test_it_gives_up_after_the_last_attempt(world, receiver, django_capture_on_commit_callbacks):
    endpoint = register(world, receiver.url)
    receiver.answers = [500] * services.MAX_ATTEMPTS

    with django_capture_on_commit_callbacks(execute=True):
        services.send_test_event(actor=world.user("org_admin"), endpoint=endpoint)

    statuses = list(
        WebhookDelivery.objects.filter(endpoint=endpoint).order_by("attempt").values_list("status", flat=True)
    )
    assert statuses == [DeliveryStatus.RETRYING] * (services.MAX_ATTEMPTS - 1) + [DeliveryStatus.FAILED]
    assert len(receiver.received) == services.MAX_ATTEMPTS


def test_a_receiver_that_is_down_is_logged_as_a_failure(world, django_capture_on_commit_callbacks):
    endpoint = register(world, "http://127.0.0.1:9/nothing-listens-here")

    with django_capture_on_commit_callbacks(execute=True):
        services.send_test_event(actor=world.user("org_admin"), endpoint=endpoint)

    first = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("attempt").first()
    assert first.status == DeliveryStatus.RETRYING
    assert first.status_code is None
    assert "Connection" in first.error or "refused" in first.error.lower()


@override_settings(CREDENCE_WEBHOOK_ALLOW_PRIVATE=False)
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.org/credence", "must use https"),
        ("https://127.0.0.1/hook", "private, loopback or reserved"),
        ("https://10.1.2.3/hook", "private, loopback or reserved"),
        ("https://169.254.169.254/latest/meta-data", "private, loopback or reserved"),
        ("https://[::1]/hook", "private, loopback or reserved"),
        ("https://localhost/hook", "local name"),
        ("ftp://files.example.org/", "http(s) URL"),
    ],
)
def test_production_refuses_private_addresses(world, url, message):
    with pytest.raises(ValidationError) as refused:
        register(world, url)

    assert message in " ".join(refused.value.message_dict["url"])
    assert not WebhookEndpoint.objects.exists()


def test_production_refuses_at_delivery_time_too(world, receiver, django_capture_on_commit_callbacks):
    """An address allowed when registered (or a name that resolves differently later) is checked again."""
    endpoint = register(world, receiver.url)

    with (
        override_settings(CREDENCE_WEBHOOK_ALLOW_PRIVATE=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.send_test_event(actor=world.user("org_admin"), endpoint=endpoint)

    assert receiver.received == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.REFUSED
    assert "https" in delivery.error


def test_a_paused_endpoint_gets_no_events_but_can_be_tested(
    world, receiver, django_capture_on_commit_callbacks
):
    endpoint = register(world, receiver.url)
    services.set_webhook_active(actor=world.user("org_admin"), endpoint=endpoint, active=False)
    version = make_version(world.home, status="approved")

    with django_capture_on_commit_callbacks(execute=True):
        mc_services.publish_version(actor=world.user("qa_officer"), version=version)
    assert receiver.received == []

    with django_capture_on_commit_callbacks(execute=True):
        services.send_test_event(actor=world.user("org_admin"), endpoint=endpoint)
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["test"]


def test_only_organisation_admins_manage_webhooks(world, receiver):
    with pytest.raises(PermissionDenied):
        services.register_webhook(
            actor=world.user("qa_officer"),
            organisation=world.home,
            url=receiver.url,
            events=["version.published"],
        )
    endpoint = register(world, receiver.url)
    with pytest.raises(PermissionDenied):
        services.send_test_event(actor=world.outsider_qa, endpoint=endpoint)


def test_unknown_events_are_refused(world, receiver):
    with pytest.raises(ValidationError) as refused:
        register(world, receiver.url, events=["version.deleted"])

    assert "Unknown event" in " ".join(refused.value.message_dict["events"])


def test_issuing_credentials_sends_one_event_for_the_batch(
    world, receiver, django_capture_on_commit_callbacks
):
    from ..issuance.conftest import LEARNERS, issue, make_offering

    endpoint = register(world, receiver.url, events=["credential.issued"])
    offering = make_offering(world.home, code="DA-HOOK-1")

    with django_capture_on_commit_callbacks(execute=True):
        issue(offering)

    assert len(receiver.received) == 1
    event = json.loads(receiver.received[0].body)
    assert event["type"] == "credential.issued"
    assert event["object"]["code"] == "DA-HOOK-1"
    assert event["data"]["issued"] == len(LEARNERS)
    assert verify(endpoint.secret, receiver.received[0].headers, receiver.received[0].body)


def test_a_failing_webhook_never_undoes_the_write(world, django_capture_on_commit_callbacks, settings):
    """Even a broken delivery set-up (here: every address refused) leaves the publication in place."""
    settings.CREDENCE_WEBHOOK_ALLOW_PRIVATE = True
    endpoint = register(world, "http://127.0.0.1:9/closed")
    version = make_version(world.home, status="approved")
    settings.CREDENCE_WEBHOOK_ALLOW_PRIVATE = False

    with django_capture_on_commit_callbacks(execute=True):
        published = mc_services.publish_version(actor=world.user("qa_officer"), version=version)

    published.refresh_from_db()
    assert published.status == "published"
    assert WebhookDelivery.objects.get(endpoint=endpoint).status == DeliveryStatus.REFUSED


def test_a_proposal_decision_is_sent(world, receiver, django_capture_on_commit_callbacks):
    """Whatever records the audit action of a decision feeds the event (here recorded directly)."""
    from django.db import transaction

    from credence.audit.services import record_event

    register(world, receiver.url, events=["proposal.decided"])

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record_event(
            actor=None,
            action="workflows.proposal_rejected",
            organisation=world.home,
            object_type="workflows.proposal",
            object_id="7",
            object_label="New course: Data ethics",
            changes={"status": ["in_review", "rejected"]},
        )

    event = json.loads(receiver.received[0].body)
    assert event["type"] == "proposal.decided"
    assert event["object"] == {"type": "workflows.proposal", "id": "7", "label": "New course: Data ethics"}
    assert event["data"]["changes"]["status"] == ["in_review", "rejected"]


def test_a_review_falling_due_sends_review_due(world, receiver, django_capture_on_commit_callbacks):
    """Monitoring's daily check announces each review that fell due once; the endpoint gets `review.due`."""
    from credence.monitoring import services as monitoring

    register(world, receiver.url, events=["review.due"])
    version = make_version(world.home, status="published", code="DUE-101")
    monitoring.create_offering(
        actor=None, version=version, code="DUE-101-2025", starts_on=dt.date(2025, 2, 3), ends_on=dt.date(2025, 5, 30)
    )

    with django_capture_on_commit_callbacks(execute=True):
        monitoring.check_reviews()
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.check_reviews()  # the same due date is not announced twice

    assert [json.loads(r.body)["type"] for r in receiver.received] == ["review.due"]
    event = json.loads(receiver.received[0].body)
    assert event["organisation"]["slug"] == world.home.slug
    assert event["object"]["id"] == str(version.micro_credential.pk)
