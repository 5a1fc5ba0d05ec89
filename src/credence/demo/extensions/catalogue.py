"""The public catalogue's demo: a submitted peer review of NB-CYB201's published version (so its QA panel
shows results per framework area), and a rating: Aoife Byrne, who holds the NB-DA101 credential, rates
it; the Northbridge QA officer (quinn) publishes the rating and replies. Aoife signs in as `aoife` with
the demo password. Built through the services; loading twice changes nothing."""

from __future__ import annotations

from typing import Any

from credence.catalogue import services
from credence.catalogue.models import Rating
from credence.demo.people import LEARNERS
from credence.microcredentials.models import MicroCredential
from credence.organisations.models import User
from credence.reviews import services as reviews
from credence.reviews.models import Review, ReviewStatus

ORDER = 60

AOIFE_EMAIL = LEARNERS[0][3]


CYBER_JUDGEMENTS = [
    ("eu.e.title", "met", ""),
    ("eu.e.lo", "met", ""),
    ("eu.e.workload", "met", ""),
    ("eu.e.level", "met", ""),
    ("eu.e.assessment", "partly met", "The weighting of the lab report is not stated."),
    ("eu.e.participation", "met", ""),
    ("eu.e.qa", "met", ""),
    ("eu.o.prereq", "met", ""),
    ("eu.o.stack", "not applicable", ""),
]


def _peer_review_of_cyber_security() -> None:
    cyber = MicroCredential.objects.filter(organisation__slug="northbridge", code="NB-CYB201").first()
    rob = User.objects.filter(username="rob").first()
    quinn = User.objects.filter(username="quinn").first()
    if cyber is None or cyber.published_version is None or rob is None or quinn is None:
        return
    version = cyber.published_version
    if Review.objects.filter(version=version, status=ReviewStatus.SUBMITTED).exists():
        return
    review = reviews.open_review(
        actor=quinn, version=version, reviewer=rob, pack_ids=["eu-council-2022"], reviewer_kind="peer"
    )
    for criterion, verdict, comment in CYBER_JUDGEMENTS:
        reviews.record_judgement(
            actor=rob,
            review=review,
            pack_id="eu-council-2022",
            criterion_id=criterion,
            verdict=verdict,
            comment=comment,
        )
    reviews.submit_review(
        actor=rob,
        review=review,
        recommendation="approve with conditions",
        summary="Sound and well assessed; state the weighting of the lab report.",
    )


def load(context: Any) -> None:
    from credence.demo.people import DEMO_PASSWORD

    _peer_review_of_cyber_security()

    analytics = MicroCredential.objects.filter(organisation__slug="northbridge", code="NB-DA101").first()
    quinn = User.objects.filter(username="quinn").first()
    if analytics is None or quinn is None or analytics.published_version_id is None:
        return
    aoife = User.objects.filter(email=AOIFE_EMAIL).first()
    if aoife is None:
        username, first_name, last_name, email = LEARNERS[0]
        aoife = User.objects.create_user(
            username=username, email=email, password=DEMO_PASSWORD, first_name=first_name, last_name=last_name
        )
    if Rating.objects.filter(micro_credential=analytics, author=aoife).exists():
        return
    if not services.holds_credential(aoife, analytics):
        return
    rating = services.submit_rating(
        actor=aoife,
        micro_credential=analytics,
        stars=4,
        text=(
            "Practical from the first week: every exercise used real public data. The statistics unit was "
            "fast for someone who had not studied maths for years, so plan extra time there."
        ),
    )
    services.moderate_rating(actor=quinn, rating=rating, publish=True)
    services.reply_to_rating(
        actor=quinn,
        rating=rating,
        reply="Thank you. From the next run the statistics unit has an optional refresher week before it starts.",
    )
