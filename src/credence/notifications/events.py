"""The event names other apps pass to `notify`, with the label people see on the preferences page.

Event names are free strings (`notify` accepts any); the ones listed here are those the apps send today,
so that people can choose a channel for each. An event not listed follows the person's "*" choice.
"""

from __future__ import annotations

EVENTS: dict[str, str] = {
    "task.assigned": "A task is assigned to me",
    "task.reminder": "A reminder of a task that is due soon or overdue",
    "proposal.submitted": "A proposal I follow is submitted",
    "proposal.decided": "A decision is made on a proposal I follow",
    "proposal.returned": "My proposal is returned to me for changes",
    "proposal.published": "A version from a proposal I follow is published",
    "comment.mention": "Someone mentions me in a comment",
    "comment.reply": "Someone replies to my comment",
    "meeting.scheduled": "A meeting of my committee is scheduled or changed",
    "meeting.outcome": "A committee records an outcome on a proposal I follow",
    "monitoring.flag_raised": "A monitoring indicator raises a flag",
}


def label_of(event: str) -> str:
    return EVENTS.get(event, event)
