"""Bad query strings get a normal page or a 400 that says why, never a server error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    {"colour": "blue"},  # an unknown facet
    {"page": "-3"},
    {"page": "abc"},
    {"page": "99999999999999999999"},
    {"page_size": "0"},
    {"eqf": "nine"},
    {"eqf": "-1"},
    {"stackable": "maybe"},
    {"sort": "DROP TABLE"},
    {"q": "'; DROP TABLE catalogue_searchentry; --"},
    {"q": "<script>alert(1)</script>"},
    {"q": "data & | ! ( :* <->"},
    {"q": "\x00nul\x01"},
    {"q": "%_\\"},
    {"provider": "x" * 500},
    {"q": "data", "eqf": ["6", "6", "x", "7"]},
]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=[str(q)[:40] for q in ODD_QUERIES])
@pytest.mark.parametrize("url", ["/catalogue/", "/api/catalogue/", "/catalogue/export.csv"])
def test_odd_queries_get_a_normal_answer(client, shelf, url, query):
    response = client.get(url, query)
    assert response.status_code == 200, response.content[:500]
    if url == "/catalogue/":
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "Find a micro-credential" in html


def test_the_database_survives_the_injection_attempt(client, shelf):
    client.get("/catalogue/", {"q": "'; DROP TABLE catalogue_searchentry; --"})
    assert "Practical data analysis" in client.get("/catalogue/").content.decode()


@pytest.mark.parametrize("url", ["/catalogue/", "/api/catalogue/", "/catalogue/export.csv"])
def test_a_10_kb_query_is_refused_with_a_message(client, shelf, url):
    response = client.get(url, {"q": "data " * 2048})
    assert response.status_code == 400
    assert b"at most 200" in response.content


def test_an_unknown_micro_credential_is_a_404(client, shelf):
    assert client.get("/catalogue/nowhere/NOPE/").status_code == 404
    assert client.get("/api/catalogue/999999/").status_code == 404
    assert client.get("/providers/nowhere/").status_code == 404


def test_compare_ignores_what_is_not_an_id(client, shelf):
    response = client.get("/catalogue/compare/", {"ids": "x,-1,99999999999999999,"})
    assert response.status_code == 200
    assert b"Nothing to compare yet" in response.content
