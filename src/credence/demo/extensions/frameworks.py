"""The frameworks demo: each demo provider applies the packs that fit where it is, chosen by its QA
officer or admin through the same service the packs page uses."""

from __future__ import annotations

from typing import Any

from credence.frameworks import services
from credence.organisations.models import User

ORDER = 10

CHOICES = {
    "northbridge": ("olivia", ["eu-council-2022", "esg-2015-part1", "ecampusontario-checklist"]),
    "hanseatic-tu": ("hanna", ["eu-council-2022", "esg-2015-part1", "pawilen-2024"]),
    "lakeshore-college": ("leo", ["bc-2021", "ecampusontario-checklist"]),
    "codeforge": ("cora", ["emc-cmf-2019", "au-nmf-2021"]),
}


def load(context: Any) -> None:
    for slug, (username, pack_ids) in CHOICES.items():
        organisation = context.organisations.get(slug)
        actor = User.objects.filter(username=username).first()
        if organisation is None or actor is None:
            continue
        for pack_id in pack_ids:
            services.enable_pack(actor=actor, organisation=organisation, pack_id=pack_id)
