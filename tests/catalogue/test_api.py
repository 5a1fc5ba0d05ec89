"""The public JSON API: the search's filters, ETags and 304, caching that follows changes, rate limits;
the CSV export and the sitemap."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from credence.microcredentials import services as mc_services

from ..factories import make_version

pytestmark = pytest.mark.django_db


def test_it_lists_with_the_same_filters_as_the_page(client, shelf):
    data = client.get("/api/catalogue/", {"q": "data", "eqf": "6"}).json()
    assert data["count"] == 1
    hit = data["results"][0]
    assert hit["code"] == "DA-101" and hit["credits"] == "5.00" and hit["eqf_level"] == 6
    assert hit["url"].endswith(f"/catalogue/{shelf.provider.slug}/DA-101/")
    assert data["facets"] == {}


def test_it_counts_facets_when_asked(client, shelf):
    data = client.get("/api/catalogue/", {"facets": "true"}).json()
    eqf = {v["value"]: v["count"] for v in data["facets"]["eqf"]}
    assert eqf == {"4": 1, "5": 1, "6": 1}


def test_one_micro_credential_with_its_qa_and_outcomes(client, shelf):
    data = client.get(f"/api/catalogue/{shelf.analytics.micro_credential_id}/").json()
    assert data["title"] == "Practical data analysis"
    assert data["learning_outcomes"][0].startswith("Clean and describe")
    assert set(data["outcomes"]) == {
        "completion_rate",
        "pass_rate",
        "learner_satisfaction",
        "employer_satisfaction",
        "graduate_outcomes",
    }
    assert data["outcomes"]["completion_rate"]["value"] is None


def test_it_answers_304_to_a_matching_etag(client, shelf):
    first = client.get("/api/catalogue/", {"q": "data"})
    etag = first["ETag"]
    assert etag and "max-age" in first["Cache-Control"]
    again = client.get("/api/catalogue/", {"q": "data"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    detail = client.get(f"/api/catalogue/{shelf.solar.micro_credential_id}/")
    assert (
        client.get(
            f"/api/catalogue/{shelf.solar.micro_credential_id}/", HTTP_IF_NONE_MATCH=detail["ETag"]
        ).status_code
        == 304
    )


def test_a_cached_answer_is_served_without_the_database(client, shelf):
    client.get("/api/catalogue/", {"q": "solar"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/catalogue/", {"q": "solar"})
    assert response.status_code == 200 and len(queries) == 0


def test_publishing_changes_the_answer_and_its_etag(client, shelf):
    before = client.get("/api/catalogue/", {"q": "welding"})
    assert before.json()["count"] == 0
    make_version(shelf.college, status="published", code="W-1", title="Welding safety")
    after = client.get("/api/catalogue/", {"q": "welding"}, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after.json()["count"] == 1
    mc_services.retire_version(actor=None, version=shelf.solar, reason="Closed.")
    assert client.get("/api/catalogue/", {"q": "solar"}).json()["count"] == 0


def test_the_list_takes_the_same_queries_for_one_result_or_twenty(client, shelf):
    for i in range(20):
        make_version(shelf.college, status="published", code=f"B-{i}", title=f"Bricklaying {i}")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/catalogue/", {"q": "photovoltaic"}).json()["count"] == 1
    with CaptureQueriesContext(connection) as twenty:
        assert len(client.get("/api/catalogue/", {"q": "bricklaying"}).json()["results"]) == 20
    assert len(one) == len(twenty) <= 3


@override_settings(CATALOGUE_API_RATE="3/minute")
def test_anonymous_callers_are_rate_limited(client, shelf):
    statuses = [client.get("/api/catalogue/", {"page": str(n)}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_csv_export_has_the_search_results(client, shelf):
    response = client.get("/catalogue/export.csv", {"provider": shelf.provider.slug, "sort": "title"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Code", "Title", "Provider"]
    assert [r[1] for r in rows[1:]] == ["Infection control in care homes", "Practical data analysis"]


def test_the_csv_export_defuses_formulas(client, shelf):
    make_version(shelf.college, status="published", code="F-1", title='=HYPERLINK("http://x")')
    text = b"".join(client.get("/catalogue/export.csv", {"q": "hyperlink"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text


def test_the_sitemap_lists_every_published_page(client, shelf):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [e.text for e in index.findall("s:sitemap/s:loc", ns)]
    assert any(loc.endswith("/sitemap-catalogue-1.xml") for loc in locations)
    chunk = ET.fromstring(client.get("/sitemap-catalogue-1.xml").content)
    urls = {e.text for e in chunk.findall("s:url/s:loc", ns)}
    assert any(u.endswith(f"/catalogue/{shelf.college.slug}/SOL-1/") for u in urls) and len(urls) == 3
    pages = ET.fromstring(client.get("/sitemap-pages.xml").content)
    assert any(
        e.text.endswith(f"/providers/{shelf.provider.slug}/") for e in pages.findall("s:url/s:loc", ns)
    )
    assert client.get("/sitemap-catalogue-2.xml").status_code == 404


def test_robots_txt_points_crawlers_at_the_sitemap_and_away_from_private_pages(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /accounts/" in lines and "Disallow: /api/" in lines
    assert not any(line == "Disallow: /catalogue/" for line in lines)  # the catalogue itself is public
