"""Outcomes, assessments, modules and pathways are edited in place (htmx) or by plain POST (no JavaScript)."""

from __future__ import annotations

from credence.microcredentials import services
from credence.microcredentials.models import MicroCredentialVersion

HTMX = {"HX-Request": "true"}


def _outcomes(version: MicroCredentialVersion) -> list[str]:
    return list(version.learning_outcomes.order_by("order").values_list("text", flat=True))


def test_editor_works_without_javascript(client_for, world, draft):
    client = client_for(world.user("proposer"))
    response = client.post(
        f"/versions/{draft.pk}/parts/outcomes/add/", {"outcomes-new-text": "Present findings."}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/versions/{draft.pk}/edit/#part-outcomes"
    page = client.get(response["Location"]).content.decode()
    assert "Present findings." in page
    assert "The learning outcome is added." in page
    assert _outcomes(draft)[-1] == "Present findings."


def test_plain_post_with_an_error_shows_the_editor_with_the_error_next_to_the_field(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/add/", {"outcomes-new-text": ""}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "<legend>What it is</legend>" in html  # the whole editor
    assert 'id="id_outcomes-new-text_error"' in html
    assert 'aria-describedby="id_outcomes-new-text_helptext id_outcomes-new-text_error"' in html


def test_htmx_add_returns_the_section_and_the_new_lock_version_out_of_band(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/add/", {"outcomes-new-text": "Present findings."}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="part-outcomes"')
    assert "<legend>" not in html  # a partial, not the page
    assert "Present findings." in html
    draft.refresh_from_db()
    assert (
        f'<input type="hidden" name="lock_version" id="id_lock_version" form="version-form" '
        f'value="{draft.lock_version}" hx-swap-oob="true">'
    ) in html
    assert '<div id="editor-status" hx-swap-oob="innerHTML">The learning outcome is added.</div>' in html
    assert 'id="draft-checks" class="draft-checks" hx-swap-oob="true"' in html
    # Outcome numbers changed: the assessments' and modules' outcome checkboxes come along.
    assert '<section id="part-assessments"' in html and '<section id="part-modules"' in html
    assert "LO3 Present findings." in html
    assert response["Vary"].find("HX-Request") >= 0


def test_htmx_error_is_next_to_the_field_and_saves_nothing(client_for, world, draft):
    before = _outcomes(draft)
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/add/", {"outcomes-new-text": "x" * 2001}, headers=HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_outcomes-new-text_error"' in html
    assert "at most 2000 characters" in html
    assert _outcomes(draft) == before


def test_service_errors_about_skills_land_on_the_skills_field(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/add/",
        {"outcomes-new-text": "Do things.", "outcomes-new-skills": "not-a-web-address Thing"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert 'id="id_outcomes-new-skills_error"' in response.content.decode()


def test_skills_are_read_one_a_line(client_for, world, draft):
    client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/add/",
        {
            "outcomes-new-text": "Use spreadsheets.",
            "outcomes-new-skills": "http://data.europa.eu/esco/skill/abc use spreadsheets software\n\n",
        },
    )
    outcome = draft.learning_outcomes.order_by("order").last()
    assert outcome.skills == [
        {"uri": "http://data.europa.eu/esco/skill/abc", "label": "use spreadsheets software"}
    ]


def test_edit_link_opens_the_outcome_in_place(client_for, world, draft):
    outcome = draft.learning_outcomes.first()
    client = client_for(world.user("proposer"))
    partial = client.get(f"/versions/{draft.pk}/parts/outcomes/?edit={outcome.pk}", headers=HTMX)
    assert partial.status_code == 200
    assert f'name="outcomes-{outcome.pk}-text"' in partial.content.decode()
    # Without JavaScript the same link is a page of its own.
    plain = client.get(f"/versions/{draft.pk}/parts/outcomes/?edit={outcome.pk}")
    assert plain.status_code == 302
    page = client.get(plain["Location"])
    assert f'name="outcomes-{outcome.pk}-text"' in page.content.decode()


def test_updating_an_outcome(client_for, world, draft):
    outcome = draft.learning_outcomes.first()
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/{outcome.pk}/",
        {f"outcomes-{outcome.pk}-text": "Clean, describe and plot a data set."},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert _outcomes(draft)[0] == "Clean, describe and plot a data set."
    assert "The learning outcome is saved." in response.content.decode()


def test_update_error_keeps_the_item_open_with_the_error(client_for, world, draft):
    outcome = draft.learning_outcomes.first()
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/{outcome.pk}/",
        {f"outcomes-{outcome.pk}-text": ""},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert f'id="id_outcomes-{outcome.pk}-text_error"' in response.content.decode()


def test_removing_an_outcome_keeps_assessments_aligned_to_the_same_outcomes(client_for, world, draft):
    first = draft.learning_outcomes.order_by("order").first()
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/{first.pk}/remove/", headers=HTMX
    )
    assert response.status_code == 200
    assert _outcomes(draft) == ["Choose and interpret a suitable statistical test."]
    project = draft.assessments.order_by("order").first()
    assert [o.text for o in project.outcomes.all()] == ["Choose and interpret a suitable statistical test."]


def test_moving_an_outcome_down_and_up(client_for, world, draft):
    first, second = draft.learning_outcomes.order_by("order")
    client = client_for(world.user("proposer"))
    client.post(f"/versions/{draft.pk}/parts/outcomes/{first.pk}/move/", {"direction": "down"})
    assert _outcomes(draft) == [second.text, first.text]
    client.post(f"/versions/{draft.pk}/parts/outcomes/{first.pk}/move/", {"direction": "up"}, headers=HTMX)
    assert _outcomes(draft) == [first.text, second.text]


def test_adding_an_assessment_aligned_to_outcomes(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/assessments/add/",
        {
            "assessments-new-type": "portfolio",
            "assessments-new-description": "A portfolio",
            "assessments-new-weight": "0",
            "assessments-new-summative": "on",
            "assessments-new-outcomes": ["1", "2"],
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assessment = draft.assessments.order_by("order").last()
    assert assessment.type == "portfolio"
    assert assessment.outcomes.count() == 2
    assert "LO1, LO2" in response.content.decode()


def test_assessment_outcome_checkboxes_name_each_outcome(client_for, world, draft):
    html = client_for(world.user("proposer")).get(f"/versions/{draft.pk}/edit/").content.decode()
    assert 'name="assessments-new-outcomes" value="1"' in html
    assert "LO2 Choose and interpret a suitable statistical test." in html


def test_weight_out_of_range_is_refused_next_to_the_field(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/assessments/add/",
        {"assessments-new-type": "essay", "assessments-new-weight": "150"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert 'id="id_assessments-new-weight_error"' in response.content.decode()


def test_adding_a_module_with_hours_and_outcomes(client_for, world, draft):
    client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/modules/add/",
        {"modules-new-title": "Testing ideas", "modules-new-hours": "20", "modules-new-outcomes": ["2"]},
    )
    module = draft.modules.order_by("order").last()
    assert module.title == "Testing ideas"
    assert [o.text for o in module.outcomes.all()] == ["Choose and interpret a suitable statistical test."]


def test_adding_a_pathway_needs_an_award_or_a_micro_credential(client_for, world, draft, published):
    client = client_for(world.user("proposer"))
    response = client.post(
        f"/versions/{draft.pk}/parts/pathways/add/",
        {"pathways-new-pathway_kind": "stacks into"},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert 'id="id_pathways-new-external_award_error"' in response.content.decode()
    client.post(
        f"/versions/{draft.pk}/parts/pathways/add/",
        {
            "pathways-new-pathway_kind": "stacks into",
            "pathways-new-target_micro_credential": published.micro_credential_id,
        },
    )
    assert draft.pathways.get().target_micro_credential_id == published.micro_credential_id


def test_part_of_another_version_cannot_be_changed(client_for, world, draft):
    other = services.create_micro_credential(
        actor=None,
        organisation=world.home,
        code="OTHER",
        title="Other",
        learning_outcomes=[{"text": "Theirs"}],
    )
    theirs = other.learning_outcomes.get()
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/{theirs.pk}/remove/", headers=HTMX
    )
    assert response.status_code == 422
    assert "not part of this version" in response.content.decode()
    assert other.learning_outcomes.count() == 1


def test_parts_of_a_frozen_version_cannot_change(client_for, world, draft):
    services.submit_version(actor=None, version=draft)
    outcome = draft.learning_outcomes.first()
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/{outcome.pk}/remove/", headers=HTMX
    )
    assert response.status_code == 422
    assert "can no longer be edited" in response.content.decode()
    assert draft.learning_outcomes.count() == 2


def test_unknown_part_kind_is_404(client_for, world, draft):
    assert (
        client_for(world.user("proposer")).post(f"/versions/{draft.pk}/parts/secrets/add/").status_code == 404
    )


def test_outsiders_and_readers_cannot_change_parts(client_for, world, draft):
    url = f"/versions/{draft.pk}/parts/outcomes/add/"
    assert client_for(world.outsider).post(url, {"outcomes-new-text": "x"}).status_code == 404
    assert client_for(world.user("reviewer")).post(url, {"outcomes-new-text": "x"}).status_code == 403
    assert client_for(None).post(url, {"outcomes-new-text": "x"}).status_code == 302
    assert len(_outcomes(draft)) == 2


def test_part_changes_need_post(client_for, world, draft):
    assert (
        client_for(world.user("proposer")).get(f"/versions/{draft.pk}/parts/outcomes/add/").status_code == 405
    )


def test_markup_in_an_outcome_is_shown_as_text(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/add/",
        {"outcomes-new-text": "<script>alert(1)</script>"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_opening_an_item_of_a_version_that_left_draft_goes_to_its_page(client_for, world, draft):
    services.submit_version(actor=None, version=draft)
    outcome = draft.learning_outcomes.first()
    client = client_for(world.user("proposer"))
    url = f"/versions/{draft.pk}/parts/outcomes/?edit={outcome.pk}"
    assert client.get(url, headers=HTMX)["HX-Redirect"] == f"/micro-credentials/{draft.micro_credential_id}/"
    assert client.get(url)["Location"] == f"/micro-credentials/{draft.micro_credential_id}/"
