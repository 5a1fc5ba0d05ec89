"""The strict Content-Security-Policy holds: no inline script or style anywhere in our pages."""

from __future__ import annotations

import re
from pathlib import Path

import credence

STATIC = Path(credence.__file__).resolve().parent / "static"


def _pages(world, draft, published) -> list[str]:
    mc = draft.micro_credential_id
    return [
        "/",
        "/micro-credentials/",
        f"/micro-credentials/{mc}/",
        f"/versions/{draft.pk}/edit/",
        f"/micro-credentials/{published.micro_credential_id}/changes/",
        "/audit/",
        "/micro-credentials/new/",
    ]


def test_pages_send_a_strict_content_security_policy(client_for, world, draft, published):
    client = client_for(world.user("qa_officer"))
    for url in _pages(world, draft, published):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self';" in policy, url
        assert "style-src 'self';" in policy, url
        assert "unsafe-inline" not in policy


def test_pages_have_no_inline_script_or_style(client_for, world, draft, published):
    client = client_for(world.user("qa_officer"))
    for url in [*_pages(world, draft, published), "/accounts/login/"]:
        html = client.get(url).content.decode()
        for script in re.findall(r"<script[^>]*>", html):
            assert 'src="/static/' in script, (url, script)
        assert not re.search(r"<script[^>]*>[^<]+</script>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers
        for stylesheet in re.findall(r"<link[^>]*>", html):
            assert 'href="/static/' in stylesheet, (url, stylesheet)  # nothing from another origin


def test_htmx_is_vendored_with_its_licence_and_configured_by_meta(client, db):
    assert (STATIC / "vendor" / "htmx.min.js").stat().st_size > 10_000
    assert (STATIC / "vendor" / "htmx.LICENSE").exists()
    html = client.get("/").content.decode()
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in html
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert meta is not None
    import json

    config = json.loads(meta.group(1))
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False


def test_editor_partials_have_no_inline_script_or_style(client_for, world, draft):
    response = client_for(world.user("proposer")).post(
        f"/versions/{draft.pk}/parts/outcomes/add/",
        {"outcomes-new-text": "Explain things."},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<script" not in html and "<style" not in html and " style=" not in html


def test_an_expired_form_gets_our_own_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("proposer"))
    response = client.post("/micro-credentials/new/", {"code": "X", "title": "Y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "The form has expired" in html
    assert "<style" not in html
