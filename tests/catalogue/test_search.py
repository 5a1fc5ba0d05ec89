"""Search over the published micro-credentials: text, facets with counts, sorting, paging, and the
catalogue kept current by the publish and retire services."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from credence.catalogue import selectors
from credence.catalogue.models import SearchEntry
from credence.microcredentials import services as mc_services

from ..factories import make_organisation, make_version

pytestmark = pytest.mark.django_db


def _search(**query):
    return selectors.search(selectors.parse_search(query))


def _facet(result, param):
    return {v.value: v.count for fc in result.facets if fc.facet.param == param for v in fc.values}


def test_it_lists_only_published_micro_credentials(shelf):
    draft = make_version(shelf.provider, status="draft", code="DRAFT-1", title="Draft data course")
    in_review = make_version(shelf.provider, status="in_review", code="REV-1", title="Data in review")
    result = _search()
    titles = {hit["title"] for hit in result.hits}
    assert titles == {
        "Practical data analysis",
        "Solar panel installation",
        "Infection control in care homes",
    }
    assert draft.title not in titles and in_review.title not in titles
    assert result.total == 3


def test_it_finds_by_text_in_the_summary_and_the_provider(shelf):
    assert [h["code"] for h in _search(q="photovoltaic").hits] == ["SOL-1"]
    assert {h["code"] for h in _search(q="Northbridge").hits} == {"DA-101", "HC-7"}
    assert _search(q="quantum").total == 0


def test_it_counts_each_facet_value_over_the_matches(shelf):
    result = _search()
    assert _facet(result, "eqf") == {"4": 1, "5": 1, "6": 1}
    assert _facet(result, "provider") == {shelf.provider.slug: 2, shelf.college.slug: 1}
    assert _facet(result, "language") == {"en": 2, "de": 1}
    assert _facet(result, "fee")["free"] == 1
    assert _facet(result, "provider_type") == {"higher_education": 2, "college": 1}
    filtered = _search(provider=shelf.provider.slug)
    assert filtered.total == 2
    assert _facet(filtered, "eqf") == {"5": 1, "6": 1}


def test_it_combines_text_and_two_facets(shelf):
    result = _search(q="data", eqf="6", form="online scheduled")
    assert [h["code"] for h in result.hits] == ["DA-101"]
    assert _search(q="data", eqf="6", form="on site").total == 0


def test_values_of_one_facet_are_alternatives(shelf):
    result = selectors.search(selectors.parse_search({"eqf": "4,5"}))
    assert {h["code"] for h in result.hits} == {"SOL-1", "HC-7"}


def test_it_sorts_and_pages(shelf):
    by_title = _search(sort="title")
    assert [h["title"] for h in by_title.hits] == sorted(h["title"] for h in by_title.hits)
    by_hours = _search(sort="hours")
    assert by_hours.hits[0]["code"] == "SOL-1"
    page = selectors.search(selectors.parse_search({"sort": "title", "page_size": "2", "page": "2"}))
    assert page.total == 3 and len(page.hits) == 1 and page.pages == 2


def test_a_page_past_the_end_shows_the_last_page(shelf):
    result = selectors.search(selectors.parse_search({"page": "999", "page_size": "2"}))
    assert result.page == 2 and len(result.hits) == 1


def test_retiring_removes_it_and_a_new_version_replaces_it(shelf):
    mc_services.retire_version(actor=None, version=shelf.solar, reason="No longer offered.")
    assert not SearchEntry.objects.filter(code="SOL-1").exists()
    analytics = shelf.analytics.micro_credential
    draft = mc_services.start_new_version(actor=None, micro_credential=analytics)
    mc_services.update_draft(
        actor=None,
        version=draft,
        data={"title": "Data analysis in practice"},
        lock_version=draft.lock_version,
    )
    draft.refresh_from_db()
    for step in (mc_services.submit_version, mc_services.approve_version, mc_services.publish_version):
        draft = step(actor=None, version=draft)
    entry = SearchEntry.objects.get(code="DA-101")
    assert entry.title == "Data analysis in practice" and entry.version_id == draft.pk


def test_a_draft_in_review_marks_the_published_one_under_review(shelf):
    analytics = shelf.analytics.micro_credential
    draft = mc_services.start_new_version(actor=None, micro_credential=analytics)
    mc_services.submit_version(actor=None, version=draft)
    call_command("rebuild_catalogue", verbosity=0)
    assert SearchEntry.objects.get(code="DA-101").qa_status == "under review"
    assert _facet(_search(), "qa")["under review"] == 1


def test_rebuild_restores_a_lost_entry(shelf):
    SearchEntry.objects.filter(code="HC-7").delete()
    call_command("rebuild_catalogue", verbosity=0)
    assert SearchEntry.objects.filter(code="HC-7").exists()
    assert SearchEntry.objects.count() == 3


def test_the_search_page_is_shareable_and_works_without_javascript(client, shelf):
    response = client.get("/catalogue/", {"q": "data", "eqf": "6"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Practical data analysis" in html
    assert "Solar panel installation" not in html
    assert 'name="eqf" value="6" checked' in html
    assert 'action="/catalogue/"' in html and 'method="get"' in html


def test_htmx_gets_only_the_results(client, shelf):
    response = client.get("/catalogue/", {"q": "solar"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Solar panel installation" in html and "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_other_organisations_micro_credentials_are_searchable_without_sign_in(client, shelf):
    other = make_organisation("Faraway Institute")
    make_version(other, status="published", code="FAR-1", title="Remote sensing basics")
    assert "Remote sensing basics" in client.get("/catalogue/?q=remote").content.decode()


def test_only_a_platform_admin_rebuilds_the_catalogue(shelf):
    from django.core.exceptions import PermissionDenied

    from credence.catalogue.services import rebuild_catalogue

    from ..factories import make_platform_admin, make_user

    with pytest.raises(PermissionDenied):
        rebuild_catalogue(actor=make_user(shelf.provider, ["org_admin"]))
    assert rebuild_catalogue(actor=make_platform_admin("catroot")) == 3
