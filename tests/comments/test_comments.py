"""Comments on a micro-credential version: threads, anchors, @mentions, replies, edit, resolve."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.comments import services
from credence.errors import NotVisible
from credence.notifications.models import Notification

from ..factories import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(world):
    return make_version(world.home)


def test_a_mention_notifies_the_colleague(world, version):
    proposer, reviewer = world.user("proposer"), world.user("reviewer")

    comment = services.add_comment(
        actor=proposer, subject=version, body="@home_reviewer could you check the credits?", anchor="credits"
    )

    assert list(comment.mentions.all()) == [reviewer]
    note = Notification.objects.get(recipient=reviewer, event="comment.mention")
    assert "home_proposer mentioned you" in note.subject
    assert note.url.endswith(f"#comment-{comment.pk}")
    assert not Notification.objects.filter(recipient=proposer).exists()


def test_a_mention_of_someone_outside_the_organisation_is_plain_text(world, version):
    comment = services.add_comment(
        actor=world.user("proposer"), subject=version, body="Ask @other_proposer and @nosuchperson."
    )

    assert list(comment.mentions.all()) == []
    assert not Notification.objects.filter(event="comment.mention").exists()


def test_an_anchor_must_name_a_field_or_outcome(world, version):
    outcome = version.learning_outcomes.first()
    ok = services.add_comment(
        actor=world.user("reviewer"), subject=version, body="Too vague.",
        anchor=f"learning_outcomes[{outcome.key}]",
    )
    assert ok.anchor == f"learning_outcomes[{outcome.key}]"

    with pytest.raises(ValidationError) as error:
        services.add_comment(actor=world.user("reviewer"), subject=version, body="x", anchor="shoe_size")
    assert "'shoe_size' is not a field or outcome" in error.value.message_dict["anchor"][0]


def test_an_empty_comment_is_refused(world, version):
    with pytest.raises(ValidationError) as error:
        services.add_comment(actor=world.user("reviewer"), subject=version, body="   ")
    assert "empty" in error.value.message_dict["body"][0]


def test_outsiders_cannot_see_or_comment(world, version):
    with pytest.raises(NotVisible):
        services.add_comment(actor=world.outsider, subject=version, body="Hello")
    with pytest.raises(NotVisible):
        services.add_comment(actor=world.nobody, subject=version, body="Hello")


def test_replies_join_the_thread_and_tell_its_author(world, version):
    proposer, reviewer, qa = world.user("proposer"), world.user("reviewer"), world.user("qa_officer")
    thread = services.add_comment(actor=reviewer, subject=version, body="Credits look high.")
    first = services.reply(actor=proposer, parent=thread, body="They match the hours.")

    second = services.reply(actor=qa, parent=first, body="Agreed with @home_proposer.")

    assert first.parent == thread and second.parent == thread  # one level deep
    assert Notification.objects.filter(recipient=reviewer, event="comment.reply").count() == 2
    assert Notification.objects.filter(recipient=proposer, event="comment.mention").count() == 1
    assert not Notification.objects.filter(recipient=proposer, event="comment.reply").exists()


def test_only_the_author_edits_and_new_mentions_are_told(world, version):
    reviewer = world.user("reviewer")
    comment = services.add_comment(actor=reviewer, subject=version, body="Check this.")
    with pytest.raises(PermissionDenied):
        services.edit_comment(actor=world.user("qa_officer"), comment=comment, body="Changed")

    services.edit_comment(actor=reviewer, comment=comment, body="Check this, @home_approver.")

    comment.refresh_from_db()
    assert comment.edited_at is not None
    assert Notification.objects.filter(recipient=world.user("approver"), event="comment.mention").count() == 1


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("reviewer", True), ("qa_officer", True), ("org_admin", True), ("proposer", False), ("approver", False)],
)
def test_who_may_resolve_a_thread(world, version, role, allowed):
    thread = services.add_comment(actor=world.user("reviewer"), subject=version, body="Fix the title.")
    actor = world.user(role)
    if allowed:
        services.resolve(actor=actor, comment=thread)
        thread.refresh_from_db()
        assert thread.resolved_by == actor
    else:
        with pytest.raises(PermissionDenied):
            services.resolve(actor=actor, comment=thread)


def test_resolving_twice_is_refused_and_reopen_works(world, version):
    reviewer = world.user("reviewer")
    thread = services.add_comment(actor=reviewer, subject=version, body="Fix the title.")
    services.resolve(actor=reviewer, comment=thread)
    with pytest.raises(ValidationError, match="already resolved"):
        services.resolve(actor=reviewer, comment=thread)

    services.reopen(actor=reviewer, comment=thread)

    thread.refresh_from_db()
    assert thread.resolved_at is None
