"""Wrongly typed values (as imports and other non-API callers send them) are refused, never a crash."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from credence.microcredentials import services as mc

from ..factories import make_version


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"eqf_level": []}, "eqf_level"),
        ({"notional_hours": {}}, "notional_hours"),
        ({"contact_hours": True}, "contact_hours"),
        ({"next_review_date": 20270101}, "next_review_date"),
        ({"next_review_date": "01/01/2027"}, "next_review_date"),
        ({"credit_system": ["ECTS"]}, "credit_system"),
        ({"languages": [["en"]]}, "languages"),
        ({"languages": "en"}, "languages"),
    ],
)
def test_wrongly_typed_values_are_refused_naming_the_field(world, data, path):
    version = make_version(world.home, title="Untouched")
    with pytest.raises(ValidationError) as error:
        mc.update_draft(actor=None, version=version, data=data, lock_version=version.lock_version)
    assert path in error.value.message_dict, error.value.message_dict
    version.refresh_from_db()
    assert version.lock_version == 1


def test_empty_strings_clear_number_and_date_fields(world):
    version = make_version(world.home)
    version = mc.update_draft(
        actor=None,
        version=version,
        lock_version=version.lock_version,
        data={"eqf_level": "", "notional_hours": "", "contact_hours": " ", "next_review_date": ""},
    )
    version.refresh_from_db()
    assert (version.eqf_level, version.notional_hours, version.contact_hours, version.next_review_date) == (
        None,
        None,
        None,
        None,
    )


def test_permission_is_checked_before_the_lock_so_outsiders_learn_nothing(world):
    from django.core.exceptions import PermissionDenied

    version = make_version(world.home)
    with pytest.raises(PermissionDenied):
        mc.update_draft(actor=world.user("reviewer"), version=version, data={"title": "x"}, lock_version=99)


def test_weights_message_has_no_trailing_zeros(world):
    version = make_version(world.home, assessments=[{"type": "project", "weight": "90.00", "outcomes": [1]}])
    with pytest.raises(ValidationError) as error:
        mc.submit_version(actor=None, version=version)
    assert "add up to 90 %" in error.value.message_dict["assessments"][0]
