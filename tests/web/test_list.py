from __future__ import annotations

import csv
import io

from tests.factories import make_version


def _codes(response) -> list[str]:
    return [v.micro_credential.code for v in response.context["page"].object_list]


def _csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_public_visitors_see_only_published(client, world, draft, published):
    make_version(world.other, status="in_review", code="OTHER-REV")
    response = client.get("/micro-credentials/")
    assert response.status_code == 200
    assert _codes(response) == ["PUB-1"]
    assert "Published micro-credentials" in response.content.decode()


def test_members_see_their_organisations_drafts_but_not_others(client_for, world, draft, published):
    make_version(world.other, code="OTHER-DRAFT")
    other_published = make_version(world.other, status="published", code="OTHER-PUB")
    codes = _codes(client_for(world.user("reviewer")).get("/micro-credentials/"))
    assert sorted(codes) == sorted(["DRAFT-1", "PUB-1", other_published.micro_credential.code])


def test_each_micro_credential_is_listed_once_with_its_latest_version(client_for, world, published):
    from credence.microcredentials import services

    services.start_new_version(actor=None, micro_credential=published.micro_credential)
    member = client_for(world.user("proposer")).get("/micro-credentials/")
    assert [(v.micro_credential.code, v.number, v.status) for v in member.context["page"]] == [
        ("PUB-1", 2, "draft")
    ]
    outsider = client_for(world.outsider).get("/micro-credentials/")
    assert [(v.number, v.status) for v in outsider.context["page"]] == [(1, "published")]


def test_filters_by_status(client_for, world, draft, published):
    response = client_for(world.user("proposer")).get("/micro-credentials/?status=draft")
    assert _codes(response) == ["DRAFT-1"]


def test_filters_by_organisation(client_for, world, published):
    make_version(world.other, status="published", code="OTHER-PUB")
    response = client_for(world.user("proposer")).get(f"/micro-credentials/?organisation={world.other.pk}")
    assert _codes(response) == ["OTHER-PUB"]


def test_searches_title_and_code(client_for, world, draft, published):
    client = client_for(world.user("proposer"))
    assert _codes(client.get("/micro-credentials/?q=statistics")) == ["PUB-1"]
    assert _codes(client.get("/micro-credentials/?q=draft-1")) == ["DRAFT-1"]
    assert (
        "No micro-credential matches" in client.get("/micro-credentials/?q=nothing-like-it").content.decode()
    )


def test_sorts(client_for, world, draft, published):
    client = client_for(world.user("proposer"))
    assert _codes(client.get("/micro-credentials/?sort=title")) == ["DRAFT-1", "PUB-1"]
    assert _codes(client.get("/micro-credentials/?sort=-title")) == ["PUB-1", "DRAFT-1"]
    assert _codes(client.get("/micro-credentials/?sort=code")) == ["DRAFT-1", "PUB-1"]


def test_paginates_and_keeps_the_filters_in_the_page_links(client_for, world):
    for n in range(27):
        make_version(
            world.home,
            code=f"BULK-{n:02d}",
            title=f"Bulk {n:02d}",
            learning_outcomes=[],
            assessments=[],
            modules=[],
        )
    client = client_for(world.user("proposer"))
    first = client.get("/micro-credentials/?q=bulk")
    assert len(first.context["page"].object_list) == 25
    assert 'href="?q=bulk&amp;page=2"' in first.content.decode()
    second = client.get("/micro-credentials/?q=bulk&page=2")
    assert _codes(second) == ["BULK-25", "BULK-26"]
    assert client.get("/micro-credentials/?page=99").status_code == 200


def test_csv_export_respects_filters(client_for, world, draft, published):
    make_version(world.home, status="in_review", code="REV-1", title="Reviewing statistics")
    client = client_for(world.user("proposer"))
    response = client.get("/micro-credentials/export.csv?q=statistics&status=published")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert [(r["code"], r["status"], r["version"]) for r in rows] == [("PUB-1", "published", "1")]
    everything = _csv(client.get("/micro-credentials/export.csv"))
    assert sorted(r["code"] for r in everything) == ["DRAFT-1", "PUB-1", "REV-1"]


def test_list_links_to_the_export_of_the_same_filters(client_for, world, draft):
    html = client_for(world.user("proposer")).get("/micro-credentials/?status=draft&q=x").content.decode()
    assert 'href="/micro-credentials/export.csv?q=x&amp;status=draft' in html


def test_csv_export_for_the_public_has_only_published(client, world, draft, published):
    assert [r["code"] for r in _csv(client.get("/micro-credentials/export.csv"))] == ["PUB-1"]


def test_csv_export_does_not_let_a_title_become_a_formula(client_for, world):
    make_version(world.home, code="CSV-1", title='=HYPERLINK("http://x")')
    rows = _csv(client_for(world.user("proposer")).get("/micro-credentials/export.csv"))
    assert rows[0]["title"].startswith("'=")


def test_invalid_filter_values_are_reported_not_fatal(client_for, world, draft):
    response = client_for(world.user("proposer")).get("/micro-credentials/?status=nonsense&organisation=x")
    assert response.status_code == 200
    assert response.context["form"].errors
