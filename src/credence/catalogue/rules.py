from __future__ import annotations

from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # The provider moderates its learners' ratings, replies to them and invites enrolled learners to rate.
    "catalogue.moderate_ratings": frozenset({Role.QA_OFFICER, Role.ORG_ADMIN}),
    # Rebuilding the whole search index is the platform operator's job.
    "catalogue.rebuild": frozenset(),
}

register_permissions(PERMISSIONS)
