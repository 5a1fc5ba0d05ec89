"""The top bar offers Reviews to the roles that review or open reviews, and to no one else."""

from __future__ import annotations

import pytest


def _nav(html: str) -> str:
    return html[html.index('<nav class="topbar__nav"') : html.index("</nav>")]


@pytest.mark.parametrize("role", ["reviewer", "qa_officer", "org_admin"])
def test_reviewers_and_qa_staff_see_reviews_in_the_top_bar(world, client, role):
    client.force_login(world.user(role))

    assert 'href="/reviews/"' in _nav(client.get("/").content.decode())


@pytest.mark.parametrize("role", ["proposer", "approver", "committee_member"])
def test_other_roles_do_not(world, client, role):
    client.force_login(world.user(role))

    assert 'href="/reviews/"' not in _nav(client.get("/").content.decode())


def test_the_reviews_page_lists_the_reviews_assigned_to_me(world, review, client):
    client.force_login(world.user("reviewer"))

    html = client.get("/reviews/").content.decode()

    assert 'aria-current="page">Reviews' in html
    assert f'href="/reviews/{review.pk}/"' in html


def test_open_reviews_assigned_to_the_reviewer(world, review):
    from credence.reviews.selectors import open_reviews_assigned_to

    assert list(open_reviews_assigned_to(world.user("reviewer"))) == [review]
    assert list(open_reviews_assigned_to(world.user("qa_officer"))) == []


def test_the_list_filters_and_exports(world, review, client):
    client.force_login(world.user("qa_officer"))

    assert f'href="/reviews/{review.pk}/"' not in client.get("/reviews/?status=submitted").content.decode()
    assert f'href="/reviews/{review.pk}/"' in client.get("/reviews/?status=open").content.decode()
    csv_text = client.get("/reviews/export.csv?status=open").content.decode()
    assert csv_text.splitlines()[0].startswith("review,organisation,code")
    assert "Diploma of data analysis" in csv_text and "home_reviewer" in csv_text

    client.force_login(world.outsider_qa)
    assert "Diploma of data analysis" not in client.get("/reviews/export.csv").content.decode()
