from __future__ import annotations

from credence.organisations import services as org_services


def _nav(response) -> str:
    html = response.content.decode()
    return html[html.index('<nav class="topbar__nav"') : html.index("</nav>")]


def test_top_bar_shows_only_pages_that_exist_and_the_user_may_use(client_for, world):
    nav = _nav(client_for(world.user("proposer")).get("/"))
    # The lifecycle in order. The register and the catalogue are public; reviews are for those who review,
    # meetings for those who sit on committees, integrations for admins, the audit log for QA.
    assert (
        nav.index("Micro-credentials")
        < nav.index("Proposals")
        < nav.index("Monitoring")
        < nav.index("Catalogue")
        < nav.index("Register")
    )
    for missing in ("Reviews", "Meetings", "Integrations", "Audit log"):
        assert missing not in nav
    reviewer_nav = _nav(client_for(world.user("reviewer")).get("/"))
    assert (
        reviewer_nav.index("Micro-credentials")
        < reviewer_nav.index("Reviews")
        < reviewer_nav.index("Register")
    )


def test_audit_log_link_is_for_qa_officers_and_org_admins(client_for, world):
    for role in ("qa_officer", "org_admin"):
        assert "Audit log" in _nav(client_for(world.user(role)).get("/"))
    for role in ("proposer", "reviewer", "approver", "committee_member"):
        assert "Audit log" not in _nav(client_for(world.user(role)).get("/"))
    assert "Audit log" in _nav(client_for(world.admin).get("/"))


def test_top_bar_names_the_user_and_offers_sign_out(client_for, world):
    html = client_for(world.user("proposer")).get("/").content.decode()
    assert "home_proposer" in html
    assert 'action="/accounts/logout/"' in html


def test_anonymous_visitors_see_a_public_header(client, db):
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert "Sign out" not in html
    assert 'href="/micro-credentials/"' in html


def test_page_has_landmarks_and_a_skip_link(client_for, world):
    html = client_for(world.user("proposer")).get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert 'aria-label="Main"' in html
    assert "<header" in html and "<footer" in html
    assert '<html lang="en-GB">' in html


def test_organisation_switcher_only_with_several_memberships(client_for, world):
    user = world.user("proposer")
    assert "org-switch" not in client_for(user).get("/").content.decode()
    org_services.add_member(actor=None, organisation=world.other, email=user.email, roles=["reviewer"])
    html = client_for(user).get("/").content.decode()
    assert 'class="org-switch"' in html
    assert "Other University" in html


def test_switching_organisation_is_remembered_in_the_session(client_for, world):
    user = world.user("proposer")
    org_services.add_member(actor=None, organisation=world.other, email=user.email, roles=["reviewer"])
    client = client_for(user)
    response = client.post(
        "/organisation/switch/", {"organisation": world.other.pk, "next": "/micro-credentials/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/micro-credentials/"
    assert client.session["active_organisation"] == world.other.pk
    home = client.get("/")
    assert home.context["active_membership"].organisation == world.other
    assert "Reviewer" in home.content.decode()


def test_switching_to_an_organisation_one_is_not_a_member_of_is_refused(client_for, world):
    client = client_for(world.user("proposer"))
    assert client.post("/organisation/switch/", {"organisation": world.other.pk}).status_code == 404
    assert "active_organisation" not in client.session


def test_switcher_ignores_an_outside_next_address(client_for, world):
    client = client_for(world.user("proposer"))
    response = client.post(
        "/organisation/switch/", {"organisation": world.home.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_member_of_several_organisations_starts_in_the_one_they_joined_first(db, client):
    from credence.organisations import services as orgs

    from ..factories import PASSWORD, make_organisation, make_user

    zeta = make_organisation("Zeta University")
    alpha = make_organisation("Alpha College")
    person = make_user(zeta, ["qa_officer"], username="multi")
    orgs.add_member(actor=None, organisation=alpha, email=person.email, roles=["reviewer"])
    client.login(username="multi", password=PASSWORD)
    response = client.get("/")
    assert response.context["active_membership"].organisation == zeta


def test_a_qa_agency_member_sees_no_provider_pages(client_for, world):
    from tests.factories import make_organisation, make_user

    agency = make_organisation("Agency for Quality", acronym="AQ", kind="qa_agency")
    nav = _nav(client_for(make_user(agency, ["org_admin"], username="agency_admin")).get("/"))
    assert "Register" in nav and "Catalogue" in nav
    for missing in ("Proposals", "Monitoring"):
        assert missing not in nav
