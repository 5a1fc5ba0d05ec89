"""Reads of reviews, judgements and check runs, scoped to what the user may see.

Members of the owning organisation see its reviews; an assigned reviewer (who may belong to another
organisation, e.g. an employer or external reviewer) sees their own review. Anything else answers 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from credence.errors import NotVisible
from credence.files.models import Attachment
from credence.files.selectors import attachments_by_owner
from credence.frameworks.packs import Area, Criterion, Pack
from credence.frameworks.selectors import get_pack
from credence.microcredentials.models import MicroCredentialVersion
from credence.organisations.authorization import REGISTERED, organisation_ids_of, roles_of

from .models import CheckRun, Judgement, Review, Verdict


def _viewer_org_ids(user: Any) -> list[int] | None:
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    viewers = REGISTERED["reviews.view_reviews"]
    return [org for org in organisation_ids_of(user) if roles_of(user, org) & viewers]


def reviews_visible_to(user: Any) -> QuerySet[Review]:
    queryset = Review.objects.select_related(
        "organisation", "version__micro_credential__organisation", "reviewer", "opened_by"
    )
    if user is None or not user.is_authenticated:
        return queryset.none()
    org_ids = _viewer_org_ids(user)
    if org_ids is None:
        return queryset
    return queryset.filter(Q(organisation_id__in=org_ids) | Q(reviewer_id=user.pk))


def get_review(user: Any, pk: int) -> Review:
    found = reviews_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such review.")
    return found


def judgement_visible_to(user: Any, judgement: Judgement) -> bool:
    """Whether `user` may see the judgement (and so its evidence files): they may see its review."""
    return reviews_visible_to(user).filter(pk=judgement.review_id).exists()


def open_reviews_assigned_to(user: Any) -> QuerySet[Review]:
    """The reviews waiting for `user`'s judgement (for a "what needs me now" home page)."""
    return reviews_visible_to(user).filter(reviewer_id=getattr(user, "pk", None), status="open")


def reviews_of_version(user: Any, version: MicroCredentialVersion) -> QuerySet[Review]:
    return reviews_visible_to(user).filter(version=version).order_by("opened_at", "pk")


def check_runs_visible_to(user: Any) -> QuerySet[CheckRun]:
    from credence.microcredentials.selectors import versions_visible_to

    return CheckRun.objects.filter(version__in=versions_visible_to(user)).select_related(
        "version__micro_credential__organisation"
    )


def latest_check_runs(version: MicroCredentialVersion, pack_ids: Iterable[str]) -> dict[str, CheckRun]:
    runs: dict[str, CheckRun] = {}
    for run in CheckRun.objects.filter(version=version, pack_id__in=list(pack_ids)).order_by("computed_at"):
        runs[run.pack_id] = run
    return runs


def review_packs(review: Review) -> list[Pack]:
    packs = []
    for pack_id, _version in review.packs:
        pack = get_pack(review.organisation_id, pack_id)
        if pack is not None:
            packs.append(pack)
    return packs


@dataclass
class CriterionRow:
    pack: Pack
    area: Area
    criterion: Criterion
    check: dict[str, Any] | None = None
    judgement: Judgement | None = None
    judgements: list[tuple[Review, Judgement | None]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    covered: list[bool] = field(default_factory=list)  # per reviewer: is the pack in their review?
    values: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)  # the judgement's evidence files
    # per reviewer in the combined view: judgement pk -> its evidence files
    attachments_by_judgement: dict[int, list[Attachment]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.pack.id}--{self.criterion.id}"

    @property
    def cells(self) -> list[tuple[Review, Judgement | None, bool, list[Attachment]]]:
        return [
            (r, j, c, self.attachments_by_judgement.get(j.pk, []) if j is not None else [])
            for (r, j), c in zip(self.judgements, self.covered, strict=False)
        ]

    @property
    def disagreement(self) -> bool:
        verdicts = {j.verdict for _, j in self.judgements if j is not None}
        return len(verdicts) > 1


@dataclass
class AreaBlock:
    pack: Pack
    area: Area
    rows: list[CriterionRow]

    def tally(self) -> dict[str, int]:
        counts = {v.value: 0 for v in Verdict} | {"unjudged": 0}
        for row in self.rows:
            if row.judgement is None:
                counts["unjudged"] += 1
            else:
                counts[row.judgement.verdict] += 1
        return counts


def review_sheet(review: Review) -> list[AreaBlock]:
    """The review's criteria grouped by pack and area, each with its check result and judgement."""
    judgements = {(j.pack_id, j.criterion_id): j for j in review.judgements.all()}
    files = attachments_by_owner(judgements.values())
    packs = review_packs(review)
    runs = latest_check_runs(review.version, [p.id for p in packs])
    blocks = []
    for pack in packs:
        checks = {r["criterion"]: r for r in runs[pack.id].results} if pack.id in runs else {}
        for area in pack.areas:
            rows = []
            for c in area.criteria:
                judgement = judgements.get((pack.id, c.id))
                row = CriterionRow(pack, area, c, checks.get(c.id), judgement)
                row.attachments = files.get(judgement.pk, []) if judgement is not None else []
                rows.append(row)
            blocks.append(AreaBlock(pack, area, rows))
    return blocks


def combined_sheet(reviews: list[Review]) -> list[AreaBlock]:
    """Every criterion in any of the reviews, with each reviewer's verdict side by side."""
    by_review = {r.pk: {(j.pack_id, j.criterion_id): j for j in r.judgements.all()} for r in reviews}
    files = attachments_by_owner(j for judged in by_review.values() for j in judged.values())
    seen: dict[str, Pack] = {}
    for review in reviews:
        for pack in review_packs(review):
            seen.setdefault(pack.id, pack)
    blocks = []
    for pack in seen.values():
        for area in pack.areas:
            rows = []
            for criterion in area.criteria:
                row = CriterionRow(pack, area, criterion)
                row.judgements = [(r, by_review[r.pk].get((pack.id, criterion.id))) for r in reviews]
                row.covered = [any(p == pack.id for p, _ in r.packs) for r in reviews]
                row.attachments_by_judgement = {
                    j.pk: files.get(j.pk, []) for _, j in row.judgements if j is not None
                }
                rows.append(row)
            blocks.append(AreaBlock(pack, area, rows))
    return blocks
