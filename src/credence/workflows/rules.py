from __future__ import annotations

from typing import Any

from credence.files.selectors import register_owner_check
from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PROPOSERS = frozenset({Role.PROPOSER, Role.QA_OFFICER, Role.ORG_ADMIN})
MANAGERS = frozenset({Role.QA_OFFICER, Role.ORG_ADMIN})

PERMISSIONS = {
    # Reading the organisation's proposals, their timelines, the pipeline board and the cycle times.
    "workflows.view_proposals": frozenset(Role),
    # Drafting a proposal and its business case, submitting it, resubmitting it after a return.
    "workflows.create_proposal": PROPOSERS,
    # Withdrawing a proposal (a proposer may withdraw their own only; see services.withdraw_proposal).
    "workflows.withdraw_proposal": PROPOSERS,
    # Returning or rejecting a proposal at any stage, reassigning tasks, completing others' tasks.
    "workflows.manage_proposals": MANAGERS,
    # Publishing (or carrying out the retirement of) an approved proposal, now or on a date.
    "workflows.publish_proposal": MANAGERS,
    # Configuring workflow templates and their stages.
    "workflows.manage_templates": frozenset({Role.ORG_ADMIN}),
    # Recording a committee's outcome on a proposal at a committee stage.
    "workflows.record_committee_outcome": frozenset({Role.COMMITTEE_SECRETARY, Role.ORG_ADMIN}),
    # Opening a cyclic review of a micro-credential (monitoring does so when indicators raise flags).
    "workflows.open_cyclic_review": MANAGERS,
}

register_permissions(PERMISSIONS)


def _proposal_visible(user: Any, proposal: Any) -> bool:
    from .selectors import proposals_visible_to

    return proposals_visible_to(user).filter(pk=proposal.pk).exists()


# Business-case attachments are downloadable by whoever may see the proposal (else 404).
register_owner_check("workflows.proposal", _proposal_visible)
