from __future__ import annotations

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
