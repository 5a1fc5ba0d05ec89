"""The reviews demo: Northbridge's sustainability micro-credential (in review) has two reviews in
progress, an internal one by Robert and an employer one by Emma, who disagree on one criterion; Quinn
opened both. CodeForge's cloud course has a review waiting for its QA lead."""

from __future__ import annotations

from typing import Any

from credence.microcredentials.models import MicroCredential
from credence.organisations.models import User
from credence.reviews import services

ORDER = 11


def _latest(code: str) -> Any:
    micro_credential = MicroCredential.objects.filter(code=code).first()
    return micro_credential.versions.order_by("-number").first() if micro_credential else None


def load(context: Any) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["quinn", "rob", "emma", "cora"])}
    version = _latest("NB-SUS110")
    if version is not None and {"quinn", "rob", "emma"} <= set(users):
        internal = services.open_review(
            actor=users["quinn"],
            version=version,
            reviewer=users["rob"],
            pack_ids=["eu-council-2022", "esg-2015-part1"],
        )
        employer = services.open_review(
            actor=users["quinn"],
            version=version,
            reviewer=users["emma"],
            pack_ids=["esg-2015-part1"],
            reviewer_kind="employer",
        )
        judge = services.record_judgement
        judge(
            actor=users["rob"],
            review=internal,
            pack_id="esg-2015-part1",
            criterion_id="esg.1.2",
            verdict="met",
            evidence="Approved by the Faculty board; outcomes, level and credits are on the version.",
        )
        judge(
            actor=users["rob"],
            review=internal,
            pack_id="esg-2015-part1",
            criterion_id="esg.1.7",
            verdict="partly met",
            comment="Completion will be tracked, but no employer feedback survey is planned yet.",
            evidence_links=["https://www.northbridge.example.ie/quality/data-dashboard"],
        )
        judge(
            actor=users["rob"],
            review=internal,
            pack_id="eu-council-2022",
            criterion_id="eu.p3",
            verdict="met",
            evidence="Designed with two accountancy firms and the regional chamber of commerce.",
        )
        judge(
            actor=users["emma"],
            review=employer,
            pack_id="esg-2015-part1",
            criterion_id="esg.1.7",
            verdict="not met",
            comment="Employers are not asked whether the course made a difference at work.",
        )
        judge(
            actor=users["emma"],
            review=employer,
            pack_id="esg-2015-part1",
            criterion_id="esg.1.2",
            verdict="met",
        )
    cloud = _latest("CF-CLD-10")
    if cloud is not None and "cora" in users:
        services.open_review(
            actor=users["cora"], version=cloud, reviewer=users["cora"], pack_ids=["emc-cmf-2019"]
        )
