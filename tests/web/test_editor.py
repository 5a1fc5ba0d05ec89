from __future__ import annotations

import re

from credence.microcredentials import services
from credence.microcredentials.elements import ELEMENT_GROUPS
from credence.microcredentials.models import DESCRIPTIVE_FIELDS, MicroCredentialVersion
from tests.factories import make_version

from .conftest import editor_data


def test_editor_shows_every_element_in_grouped_fieldsets(client_for, world, draft):
    response = client_for(world.user("proposer")).get(f"/versions/{draft.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    for _slug, title, _names in ELEMENT_GROUPS:
        assert f"<legend>{title}</legend>" in html
    for name in DESCRIPTIVE_FIELDS:
        assert f'name="{name}"' in html, name
    assert (
        f'name="lock_version" id="id_lock_version" form="version-form" value="{draft.lock_version}"' in html
    )
    assert '<select name="credit_system"' in html
    assert re.search(
        r'<select[^>]* name="languages"[^>]* multiple|<select[^>]* multiple[^>]* name="languages"', html
    )
    assert 'type="checkbox" name="sdgs"' in html
    # The inputs sit outside the <form> element, tied to it by their form attribute.
    for name in ("title", "summary", "sdgs", "languages", "eqf_level", "field_of_study", "fee_currency"):
        assert re.search(
            rf'<(input|textarea|select)[^>]*(name="{name}"[^>]*form="version-form"|form="version-form"[^>]*name="{name}")',
            html,
        ), name


def test_every_element_sits_in_exactly_one_group():
    names = [name for _slug, _title, group in ELEMENT_GROUPS for name in group]
    assert sorted(names) == sorted(DESCRIPTIVE_FIELDS)


def test_saving_changes_the_draft_and_redirects(client_for, world, draft):
    client = client_for(world.user("proposer"))
    data = editor_data(draft, title="Better title", languages=["en", "ga"], sdgs=["4", "8"], credits="7.5")
    response = client.post(f"/versions/{draft.pk}/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/versions/{draft.pk}/edit/"
    draft.refresh_from_db()
    assert draft.title == "Better title"
    assert draft.languages == ["en", "ga"]
    assert draft.sdgs == [4, 8]
    assert str(draft.credits) == "7.50"
    assert draft.lock_version == 2
    assert "Your changes are saved." in client.get(response["Location"]).content.decode()


def test_errors_are_shown_next_to_the_field(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/edit/", editor_data(draft, credits="500", contact_hours="900")
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_credits_error"' in html
    assert "more than a micro-credential can carry" in html
    assert 'aria-describedby="id_credits_error"' in html
    assert 'id="id_contact_hours_error"' in html
    assert "There is a problem" in html and 'href="#id_credits"' in html
    draft.refresh_from_db()
    assert draft.credits != 500


def test_stale_save_is_refused_and_keeps_current_values(client_for, world, draft):
    client = client_for(world.user("proposer"))
    stale_form = editor_data(draft, title="My title", summary="My summary")
    services.update_draft(
        actor=world.user("qa_officer"),
        version=draft,
        data={"title": "Their title"},
        lock_version=draft.lock_version,
    )
    response = client.post(f"/versions/{draft.pk}/edit/", stale_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by someone else" in html
    assert "Nothing was overwritten" in html
    # The form now holds the stored values and the current lock version...
    assert 'value="Their title"' in html
    assert 'id="id_lock_version" form="version-form" value="2"' in html
    # ...and the person's unsaved entries are shown so they can apply them again.
    assert "My title" in html and "My summary" in html
    draft.refresh_from_db()
    assert draft.title == "Their title"
    assert draft.summary != "My summary"


def test_version_out_of_draft_is_not_editable(client_for, world):
    version = make_version(world.home, status="in_review", code="REV")
    response = client_for(world.user("proposer")).get(f"/versions/{version.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/micro-credentials/{version.micro_credential_id}/"


def test_members_who_may_not_edit_get_403(client_for, world, draft):
    for role in ("reviewer", "approver", "committee_member"):
        assert client_for(world.user(role)).get(f"/versions/{draft.pk}/edit/").status_code == 403
        assert (
            client_for(world.user(role)).post(f"/versions/{draft.pk}/edit/", editor_data(draft)).status_code
            == 403
        )


def test_outsider_gets_404_for_other_org_draft_editor(client_for, world, draft):
    for user in (world.outsider, world.outsider_qa, world.nobody):
        assert client_for(user).get(f"/versions/{draft.pk}/edit/").status_code == 404
        assert client_for(user).post(f"/versions/{draft.pk}/edit/", editor_data(draft)).status_code == 404
    assert MicroCredentialVersion.objects.get(pk=draft.pk).lock_version == draft.lock_version


def test_script_in_a_field_is_shown_as_text_in_the_editor(client_for, world):
    version = make_version(world.home, code="XSS", title='"><script>alert(1)</script>')
    html = client_for(world.user("proposer")).get(f"/versions/{version.pk}/edit/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
