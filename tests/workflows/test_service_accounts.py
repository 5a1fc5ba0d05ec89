"""An API token's account holds a role so that permission checks apply to it, but it is not a person:
a stage for its role gives it no task and no notification."""

from __future__ import annotations

import pytest

from credence.integrations import services as integrations
from credence.notifications.models import Notification
from credence.workflows.models import Task

from .conftest import REVIEW, make_proposal, make_template

pytestmark = pytest.mark.django_db


def test_a_token_with_the_reviewer_role_gets_no_review_task(world):
    token, _ = integrations.create_api_token(
        actor=world.user("org_admin"), organisation=world.home, name="LMS sync", scopes=["catalogue:read"]
    )
    bot = token.service_user
    assert bot.is_service_account
    assert "reviewer" in bot.memberships.get(organisation=world.home).roles

    make_template(world.home, [REVIEW])
    proposal = make_proposal(world)

    assignees = set(Task.objects.filter(proposal=proposal).values_list("assignee__username", flat=True))
    assert "home_reviewer" in assignees
    assert bot.username not in assignees
    assert not Notification.objects.filter(recipient=bot).exists()
    assert not world.user("reviewer").is_service_account
