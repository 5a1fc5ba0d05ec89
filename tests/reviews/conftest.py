from __future__ import annotations

from typing import Any

import pytest

from credence.frameworks import services as fw_services
from credence.reviews import services

from ..factories import make_version


@pytest.fixture
def review(world: Any) -> Any:
    """A review of a draft (titled so that NZQA's title check fails) by the home reviewer."""
    fw_services.enable_pack(actor=None, organisation=world.home, pack_id="nzqa-2022")
    fw_services.enable_pack(actor=None, organisation=world.home, pack_id="esg-2015-part1")
    version = make_version(world.home, title="Diploma of data analysis", status="in_review")
    return services.open_review(
        actor=world.user("qa_officer"), version=version, reviewer=world.user("reviewer")
    )
