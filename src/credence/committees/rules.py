from __future__ import annotations

from typing import Any

from credence.files.selectors import register_owner_check
from credence.organisations.authorization import register_permissions
from credence.organisations.models import Role

PERMISSIONS = {
    # Seeing the organisation's committees, their members and meetings, agendas, papers and minutes.
    "committees.view_committees": frozenset(Role),
    # Setting up committees and choosing their members, chair and secretary.
    "committees.manage_committees": frozenset({Role.ORG_ADMIN}),
    # Scheduling and editing meetings, building agendas, adding papers, writing minutes. The chair and
    # the secretary of a committee may do this for their own committee's meetings whatever their roles.
    "committees.manage_meetings": frozenset({Role.COMMITTEE_SECRETARY, Role.ORG_ADMIN}),
    # Recording the outcome of an agenda item (which moves the proposal's workflow on). The chair and the
    # secretary of the committee may also record; the workflows service checks its own permission too.
    "committees.record_outcome": frozenset({Role.COMMITTEE_SECRETARY, Role.ORG_ADMIN}),
}

register_permissions(PERMISSIONS)


def _meeting_visible(user: Any, meeting: Any) -> bool:
    from credence.organisations.authorization import can

    return can(user, "committees.view_committees", meeting.committee.organisation)


def _item_visible(user: Any, item: Any) -> bool:
    return _meeting_visible(user, item.meeting)


# Papers are downloadable by the people who can see the meeting (else 404).
register_owner_check("committees.meeting", _meeting_visible)
register_owner_check("committees.agendaitem", _item_visible)
