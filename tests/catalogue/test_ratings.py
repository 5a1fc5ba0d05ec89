"""Ratings: only from people who hold the credential or have a provider's token; one each; limits
against spam; moderated by the provider, who may reply; only published ones are shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.audit.models import AuditEvent
from credence.catalogue import services
from credence.catalogue.models import Rating, RatingStatus
from credence.issuance import services as issuance
from credence.microcredentials.models import MicroCredential
from credence.monitoring import services as monitoring
from credence.organisations.models import User

from ..factories import make_user, make_version

pytestmark = pytest.mark.django_db


def _holder(version, email="holder@learners.example"):
    """A signed-in person holding a credential for `version`, issued through the issuance service."""
    offering = monitoring.create_offering(
        actor=None,
        version=version,
        code=f"OFF-{version.pk}-{email[:6]}",
        starts_on=dt.date(2025, 1, 6),
        ends_on=dt.date(2025, 3, 28),
    )
    monitoring.enrol_learners(actor=None, offering=offering, learners=[{"email": email, "name": "Holder"}])
    issuance.issue_credentials(
        actor=None,
        offering=offering,
        rows=[{"email": email, "completed_on": "2025-03-28"}],
        send_emails=False,
    )
    return User.objects.create_user(username=email.split("@")[0], email=email, password="pw-12345678")


def _mc(version):
    return MicroCredential.objects.get(pk=version.micro_credential_id)


def test_a_credential_holder_can_rate_and_it_waits_for_moderation(client, shelf):
    holder = _holder(shelf.analytics)
    rating = services.submit_rating(
        actor=holder, micro_credential=_mc(shelf.analytics), stars=4, text="Useful."
    )
    assert rating.status == RatingStatus.PENDING and rating.basis == "credential"
    page = client.get("/catalogue/" + shelf.provider.slug + "/DA-101/").content.decode()
    assert "Useful." not in page
    assert AuditEvent.objects.filter(action="rating.submitted").exists()


def test_someone_without_a_credential_or_token_cannot_rate(shelf):
    stranger = make_user(None, username="stranger")
    with pytest.raises(PermissionDenied):
        services.submit_rating(actor=stranger, micro_credential=_mc(shelf.analytics), stars=5)


def test_a_credential_for_another_micro_credential_does_not_count(shelf):
    holder = _holder(shelf.nursing)
    with pytest.raises(PermissionDenied):
        services.submit_rating(actor=holder, micro_credential=_mc(shelf.analytics), stars=5)


def test_one_rating_per_holder(shelf):
    holder = _holder(shelf.analytics)
    services.submit_rating(actor=holder, micro_credential=_mc(shelf.analytics), stars=4)
    with pytest.raises(ValidationError) as error:
        services.submit_rating(actor=holder, micro_credential=_mc(shelf.analytics), stars=1)
    assert "already rated" in str(error.value)
    assert Rating.objects.count() == 1


def test_an_enrolled_learner_rates_with_a_one_use_token(shelf):
    officer = make_user(shelf.provider, ["qa_officer"])
    token = services.create_rating_tokens(actor=officer, micro_credential=_mc(shelf.analytics), count=1)[0]
    learner = make_user(None, username="enrolled")
    rating = services.submit_rating(
        actor=learner, micro_credential=_mc(shelf.analytics), stars=3, token=token.token
    )
    assert rating.basis == "token"
    other = make_user(None, username="second")
    with pytest.raises(ValidationError) as error:
        services.submit_rating(actor=other, micro_credential=_mc(shelf.analytics), stars=3, token=token.token)
    assert "token" in error.value.message_dict


def test_a_token_for_another_micro_credential_is_refused(shelf):
    officer = make_user(shelf.provider, ["qa_officer"])
    token = services.create_rating_tokens(actor=officer, micro_credential=_mc(shelf.nursing), count=1)[0]
    learner = make_user(None, username="enrolled2")
    with pytest.raises(ValidationError):
        services.submit_rating(
            actor=learner, micro_credential=_mc(shelf.analytics), stars=3, token=token.token
        )


def test_only_the_providers_qa_officers_and_admins_create_tokens(shelf):
    proposer = make_user(shelf.provider, ["proposer"])
    outsider = make_user(shelf.college, ["qa_officer"])
    for actor in (proposer, outsider):
        with pytest.raises(PermissionDenied):
            services.create_rating_tokens(actor=actor, micro_credential=_mc(shelf.analytics), count=1)


@pytest.mark.parametrize(
    "text, field",
    [
        ("Great course, see https://spam.example for cheap essays", "text"),
        ("This was a scam and the tutor is an idiot", "text"),
        ("Goooooooooooooood", "text"),
        ("THIS COURSE WAS ABSOLUTELY TERRIBLE IN EVERY WAY", "text"),
        ("x" * 2001, "text"),
    ],
)
def test_spam_and_abuse_are_refused_before_moderation(shelf, text, field):
    holder = _holder(shelf.analytics)
    with pytest.raises(ValidationError) as error:
        services.submit_rating(actor=holder, micro_credential=_mc(shelf.analytics), stars=2, text=text)
    assert field in error.value.message_dict
    assert not Rating.objects.exists()


@pytest.mark.parametrize("stars", [0, 6, "many", None])
def test_stars_run_from_one_to_five(shelf, stars):
    holder = _holder(shelf.analytics)
    with pytest.raises(ValidationError) as error:
        services.submit_rating(actor=holder, micro_credential=_mc(shelf.analytics), stars=stars)
    assert "stars" in error.value.message_dict


def test_a_person_rates_at_most_five_a_day(shelf):
    officer = make_user(shelf.provider, ["qa_officer"])
    learner = make_user(None, username="busy")
    versions = [
        make_version(shelf.provider, status="published", code=f"R-{i}", title=f"Course {i}") for i in range(6)
    ]
    for version in versions[:5]:
        token = services.create_rating_tokens(actor=officer, micro_credential=_mc(version), count=1)[0]
        services.submit_rating(actor=learner, micro_credential=_mc(version), stars=4, token=token.token)
    token = services.create_rating_tokens(actor=officer, micro_credential=_mc(versions[5]), count=1)[0]
    with pytest.raises(ValidationError) as error:
        services.submit_rating(actor=learner, micro_credential=_mc(versions[5]), stars=4, token=token.token)
    assert "5 ratings a day" in str(error.value)


def test_the_provider_publishes_and_replies_and_the_page_shows_both(client, shelf):
    holder = _holder(shelf.analytics)
    rating = services.submit_rating(
        actor=holder, micro_credential=_mc(shelf.analytics), stars=2, text="Too much theory."
    )
    officer = make_user(shelf.provider, ["qa_officer"])
    services.moderate_rating(actor=officer, rating=rating, publish=True)
    services.reply_to_rating(actor=officer, rating=rating, reply="Thank you; the next run adds two labs.")
    page = client.get(f"/catalogue/{shelf.provider.slug}/DA-101/").content.decode()
    assert "Too much theory." in page and "the next run adds two labs" in page
    assert "2.0 out of 5 from 1 learner rating" in page


def test_a_rejection_needs_a_reason_and_keeps_it_off_the_page(client, shelf):
    holder = _holder(shelf.analytics)
    rating = services.submit_rating(
        actor=holder, micro_credential=_mc(shelf.analytics), stars=1, text="Buy my book."
    )
    officer = make_user(shelf.provider, ["org_admin"])
    with pytest.raises(ValidationError):
        services.moderate_rating(actor=officer, rating=rating, publish=False)
    services.moderate_rating(actor=officer, rating=rating, publish=False, note="Advertising (rule 2).")
    assert "Buy my book." not in client.get(f"/catalogue/{shelf.provider.slug}/DA-101/").content.decode()


def test_another_providers_staff_cannot_moderate(shelf):
    holder = _holder(shelf.analytics)
    rating = services.submit_rating(actor=holder, micro_credential=_mc(shelf.analytics), stars=5)
    for actor in (make_user(shelf.college, ["qa_officer"]), make_user(shelf.provider, ["reviewer"])):
        with pytest.raises(PermissionDenied):
            services.moderate_rating(actor=actor, rating=rating, publish=True)


def test_rating_through_the_page(client, shelf):
    holder = _holder(shelf.analytics)
    client.force_login(holder)
    url = f"/catalogue/{shelf.provider.slug}/DA-101/"
    assert "Rate this micro-credential" in client.get(url).content.decode()
    rating_url = f"/catalogue/rate/{shelf.analytics.micro_credential_id}/"
    response = client.post(rating_url, {"stars": "6", "text": ""})
    assert response.status_code == 400
    response = client.post(rating_url, {"stars": "5", "text": "Clear and practical."})
    assert response.status_code == 302
    assert "You rated it 5 out of 5: waiting for moderation." in client.get(url).content.decode()


def test_the_moderation_page_is_for_the_providers_staff(client, shelf):
    holder = _holder(shelf.analytics)
    rating = services.submit_rating(
        actor=holder, micro_credential=_mc(shelf.analytics), stars=4, text="Good pace."
    )
    officer = make_user(shelf.provider, ["qa_officer"])
    client.force_login(officer)
    assert "Good pace." in client.get("/catalogue/moderation/").content.decode()
    response = client.post(
        f"/catalogue/moderation/{rating.pk}/", {"action": "moderate", "decision": "publish"}
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.status == RatingStatus.PUBLISHED
    response = client.post(
        "/catalogue/moderation/", {"micro_credential": shelf.analytics.micro_credential_id, "count": "3"}
    )
    assert response.status_code == 200 and response.context["tokens"] and len(response.context["tokens"]) == 3
    client.force_login(make_user(shelf.college, ["qa_officer"]))
    assert (
        client.post(f"/catalogue/moderation/{rating.pk}/", {"action": "reply", "reply": "x"}).status_code
        == 404
    )
    client.force_login(make_user(None, username="plain"))
    assert client.get("/catalogue/moderation/").status_code == 403


def test_the_moderation_policy_is_public(client, db):
    response = client.get("/catalogue/moderation-policy/")
    assert (
        response.status_code == 200
        and b"must not decline a rating because it is critical" in response.content
    )
