"""Two approvers act at the same moment on an 'any one' stage: exactly one decision counts.

On PostgreSQL the stage run's row lock makes the second wait; on SQLite (immediate transactions) the
database lets one writer in at a time. Either way the second finds the stage decided and is refused."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from credence.workflows import services
from credence.workflows.models import Decision, ProposalStatus, StageRunStatus

from .conftest import APPROVAL, active, make_proposal, make_template


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_the_same_moment_make_one_decision(world, approvers):
    make_template(world.home, [APPROVAL])
    proposal = make_proposal(world)
    stage_run = active(proposal)[0]
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(person):
        try:
            start.wait()
            services.decide(actor=person, stage_run=stage_run, action="approve", comment=person.username)
            outcomes[person.username] = "decided"
        except ValidationError as error:
            outcomes[person.username] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(p,)) for p in (approvers.first, approvers.second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert list(outcomes.values()).count("decided") == 1
    refused = [text for text in outcomes.values() if text != "decided"]
    assert len(refused) == 1 and "no longer in progress" in refused[0]
    assert Decision.objects.filter(stage_run=stage_run).count() == 1
    assert Decision.objects.filter(stage_run=stage_run, closes_stage=True).count() == 1
    stage_run.refresh_from_db()
    proposal.refresh_from_db()
    assert stage_run.status == StageRunStatus.COMPLETED
    assert proposal.status == ProposalStatus.APPROVED
