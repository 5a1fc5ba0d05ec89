"""Surveys: single-use tokenised links, anonymous responses, moderated comments."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from credence.monitoring import services
from credence.monitoring.models import Answer, SurveyInvitation, SurveyResponse

from .helpers import import_statuses, make_offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    offering = make_offering(world.home)
    import_statuses(offering, [("completed", True)] * 3)
    return services.open_survey(actor=world.user("qa_officer"), offering=offering, kind="learner")


def test_learners_are_emailed_a_link_each_and_only_hashes_are_kept(world, survey):
    made = services.invite(actor=world.user("qa_officer"), survey=survey)

    assert made.emailed == 3 and len(mail.outbox) == 3
    sent = {token for token in made.tokens if any(token in m.body for m in mail.outbox)}
    assert sent == set(made.tokens)
    stored = set(SurveyInvitation.objects.values_list("token_hash", flat=True))
    assert not stored & set(made.tokens)
    assert stored == {services.token_hash(t) for t in made.tokens}


def test_a_response_cannot_be_linked_to_a_learner(world, survey):
    token = services.invite(actor=None, survey=survey, send_emails=False).tokens[0]

    response = services.submit_response(token=token, answers={"satisfaction": "4", "comment": "Good pace."})

    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert fields == {"id", "survey", "submitted_on", "answers"}
    assert {f.name for f in SurveyInvitation._meta.get_fields()} == {"id", "survey", "token_hash", "used"}
    assert response.answers.get(question="comment").moderation == "pending"


def test_a_link_answers_once(world, survey):
    token = services.invite(actor=None, survey=survey, send_emails=False).tokens[0]
    services.submit_response(token=token, answers={"satisfaction": "5"})

    with pytest.raises(ValidationError) as caught:
        services.submit_response(token=token, answers={"satisfaction": "1"})

    assert "already used" in caught.value.message_dict["token"][0]
    assert SurveyResponse.objects.count() == 1


def test_bad_answers_and_closed_surveys_are_refused(world, survey):
    tokens = services.invite(actor=None, survey=survey, send_emails=False).tokens
    with pytest.raises(ValidationError) as caught:
        services.submit_response(token=tokens[0], answers={"satisfaction": "9"})
    assert caught.value.message_dict == {"satisfaction": ["Choose a value from 1 to 5."]}
    with pytest.raises(ValidationError):
        services.submit_response(token="not-a-token", answers={"satisfaction": "3"})
    services.close_survey(actor=None, survey=survey)
    with pytest.raises(ValidationError) as closed:
        services.submit_response(token=tokens[1], answers={"satisfaction": "3"})
    assert closed.value.message_dict == {"token": ["This survey is closed."]}


def test_comments_are_moderated_before_they_show(world, survey):
    token = services.invite(actor=None, survey=survey, send_emails=False).tokens[0]
    services.submit_response(token=token, answers={"comment": "The tutor, Ms X, was great."})
    comment = Answer.objects.get(question="comment")
    from credence.monitoring import selectors

    mc = survey.offering.version.micro_credential
    assert list(selectors.approved_comments(mc)) == []
    services.moderate_comment(actor=world.user("qa_officer"), answer=comment, approve=True)
    assert [a.text for a in selectors.approved_comments(mc)] == ["The tutor, Ms X, was great."]


def test_the_public_answer_page_needs_no_sign_in(client, world, survey):
    token = services.invite(actor=None, survey=survey, send_emails=False).tokens[0]
    page = client.get(f"/s/{token}/")
    assert page.status_code == 200 and b"anonymous" in page.content
    sent = client.post(f"/s/{token}/", {"satisfaction": "4", "engaging": "5"})
    assert sent.status_code == 200 and b"Thank you" in sent.content
    assert b"already been used" in client.get(f"/s/{token}/").content
    assert client.get("/s/nothing-here/").status_code == 404
