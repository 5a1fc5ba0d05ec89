from __future__ import annotations

from typing import Any

from credence.files.selectors import register_owner_check
from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # Opening a review of a version and assigning its reviewer.
    "reviews.open_review": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    # Reading the organisation's reviews, the combined view and the reports. The assigned reviewer
    # reads their own review whatever their roles; judging is for the assigned reviewer alone.
    "reviews.view_reviews": frozenset(Role),
}

register_permissions(PERMISSIONS)


def _judgement_visible(user: Any, judgement: Any) -> bool:
    from .selectors import judgement_visible_to

    return judgement_visible_to(user, judgement)


# Evidence files of a judgement are downloadable by whoever may see its review (else 404).
register_owner_check("reviews.judgement", _judgement_visible)
