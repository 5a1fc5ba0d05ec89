"""Show changes: the redline between two versions."""

from __future__ import annotations

from credence.microcredentials import services
from tests.factories import make_version


def _second_version(published, **data):
    draft = services.start_new_version(actor=None, micro_credential=published.micro_credential)
    if data:
        services.update_draft(actor=None, version=draft, data=data, lock_version=None)
    return draft


def test_default_compares_the_previous_with_the_latest_version(client_for, world, published):
    _second_version(
        published, summary="A short, assessed course in applied data analysis for people at work."
    )
    response = client_for(world.user("reviewer")).get(
        f"/micro-credentials/{published.micro_credential_id}/changes/"
    )
    assert response.status_code == 200
    assert (response.context["from_number"], response.context["to_number"]) == (1, 2)
    html = response.content.decode()
    assert "<del>practical</del>" in html
    assert "<ins>applied</ins>" in html
    assert ">Summary</th>" in html


def test_changed_outcome_shows_old_text_deleted_and_new_text_inserted(client_for, world, published):
    draft = _second_version(published)
    first = draft.learning_outcomes.order_by("order").first()
    services.change_part(
        actor=None,
        version=draft,
        kind="learning_outcomes",
        update=(first.pk, {"text": "Clean and plot a data set."}),
    )
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{published.micro_credential_id}/changes/?from=1&to=2")
        .content.decode()
    )
    assert "<strong>Changed</strong> LO1" in html
    assert "<del>describe</del>" in html or "<del>Clean and describe" in html
    assert "<ins>plot</ins>" in html


def test_added_and_removed_parts_are_marked(client_for, world, published):
    draft = _second_version(published)
    second = draft.learning_outcomes.order_by("order").last()
    services.change_part(actor=None, version=draft, kind="learning_outcomes", remove=second.pk)
    services.change_part(actor=None, version=draft, kind="modules", add={"title": "Plotting", "hours": "10"})
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{published.micro_credential_id}/changes/")
        .content.decode()
    )
    assert "<strong>Removed</strong> LO2" in html
    assert "<del>Choose and interpret a suitable statistical test.</del>" in html
    assert "<strong>Added</strong> 2" in html
    assert "<ins>Plotting</ins>" in html


def test_changed_choice_is_shown_in_words(client_for, world, published):
    _second_version(published, form_of_participation="blended", eqf_level=5)
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{published.micro_credential_id}/changes/")
        .content.decode()
    )
    assert "<del>Online, scheduled</del> → <ins>Blended</ins>" in html
    assert "<del>EQF level 6</del> → <ins>EQF level 5</ins>" in html


def test_equal_versions_say_no_differences(client_for, world, published):
    _second_version(published)
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{published.micro_credential_id}/changes/")
        .content.decode()
    )
    assert "No differences" in html


def test_a_single_version_has_nothing_to_compare(client_for, world, published):
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{published.micro_credential_id}/changes/")
        .content.decode()
    )
    assert "only one version" in html


def test_redline_escapes_markup(client_for, world, published):
    _second_version(published, summary="<script>alert(1)</script> course")
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{published.micro_credential_id}/changes/")
        .content.decode()
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_outsider_cannot_compare_with_an_unpublished_version(client_for, world, published):
    _second_version(published, summary="Secret")
    client = client_for(world.outsider)
    assert (
        client.get(f"/micro-credentials/{published.micro_credential_id}/changes/?from=1&to=2").status_code
        == 404
    )
    response = client.get(f"/micro-credentials/{published.micro_credential_id}/changes/")
    assert "Secret" not in response.content.decode()


def test_outsider_gets_404_for_the_changes_of_another_organisations_draft(client_for, world, draft):
    assert (
        client_for(world.outsider).get(f"/micro-credentials/{draft.micro_credential_id}/changes/").status_code
        == 404
    )


def test_unknown_version_numbers_are_404(client_for, world, published):
    client = client_for(world.user("reviewer"))
    assert (
        client.get(f"/micro-credentials/{published.micro_credential_id}/changes/?from=1&to=7").status_code
        == 404
    )
    assert (
        client.get(f"/micro-credentials/{published.micro_credential_id}/changes/?from=x").status_code == 404
    )


def test_any_two_versions_can_be_compared(client_for, world):
    version = make_version(world.home, status="published", code="V3")
    v2 = services.start_new_version(actor=None, micro_credential=version.micro_credential)
    services.update_draft(actor=None, version=v2, data={"title": "Second"}, lock_version=None)
    for step in (services.submit_version, services.approve_version, services.publish_version):
        step(actor=None, version=v2)
    v3 = services.start_new_version(actor=None, micro_credential=version.micro_credential)
    services.update_draft(actor=None, version=v3, data={"title": "Third"}, lock_version=None)
    html = (
        client_for(world.user("reviewer"))
        .get(f"/micro-credentials/{version.micro_credential_id}/changes/?from=1&to=3")
        .content.decode()
    )
    assert "<del>Practical data analysis</del>" in html or "<del>Practical" in html
    assert "<ins>Third</ins>" in html
