"""Which kinds of object can be commented on, and who may see and comment on each.

An app makes its model commentable by registering it (in its AppConfig.ready, or at import of a module
loaded then):

    from credence.comments.registry import register
    register(
        Proposal,
        can_view=lambda user, proposal: ...,     # may read the comments (else 404)
        can_comment=lambda user, proposal: ...,  # may write, reply, edit own
        url=lambda proposal: f"/proposals/{proposal.pk}/",  # the page that shows the panel
        anchors=lambda proposal: [("title", "Title"), ...],  # optional: fields one may comment on
        organisation=lambda proposal: proposal.organisation,  # optional: default obj.organisation
    )

A comment's organisation is its subject's; @mentions reach only members of that organisation who can
view the subject.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models

from credence.organisations.models import Organisation


@dataclass(frozen=True)
class SubjectType:
    model: type[models.Model]
    can_view: Callable[[Any, Any], bool]
    can_comment: Callable[[Any, Any], bool]
    url: Callable[[Any], str]
    anchors: Callable[[Any], Sequence[tuple[str, str]]] | None = None
    organisation: Callable[[Any], Organisation] | None = None

    def organisation_of(self, obj: Any) -> Organisation:
        if self.organisation is not None:
            return self.organisation(obj)
        return obj.organisation  # type: ignore[no-any-return]

    def anchors_of(self, obj: Any) -> list[tuple[str, str]]:
        return list(self.anchors(obj)) if self.anchors is not None else []


_REGISTRY: dict[str, SubjectType] = {}


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def register(
    model: type[models.Model],
    *,
    can_view: Callable[[Any, Any], bool],
    can_comment: Callable[[Any, Any], bool],
    url: Callable[[Any], str],
    anchors: Callable[[Any], Sequence[tuple[str, str]]] | None = None,
    organisation: Callable[[Any], Organisation] | None = None,
) -> None:
    _REGISTRY[label_of(model)] = SubjectType(model, can_view, can_comment, url, anchors, organisation)


def subject_type(model_or_label: type[models.Model] | str) -> SubjectType | None:
    label = model_or_label if isinstance(model_or_label, str) else label_of(model_or_label)
    return _REGISTRY.get(label.lower())


def registered_labels() -> list[str]:
    return sorted(_REGISTRY)
