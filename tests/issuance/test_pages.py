"""The pages: issuing from an upload, a credential's status, the learner's claim page, verification."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credence.issuance.models import CredentialState, IssuedCredential, VerificationEvent

from ..factories import PASSWORD
from .conftest import issue

pytestmark = pytest.mark.django_db


def _signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _upload(client, offering, text: str):
    return client.post(
        f"/credentials/offerings/{offering.pk}/issue/",
        {"file": SimpleUploadedFile("list.csv", text.encode(), content_type="text/csv")},
        follow=True,
    )


def test_a_qa_officer_issues_from_an_uploaded_list_as_a_background_run(
    client, world, offering, django_capture_on_commit_callbacks
):
    _signed_in(client, world.user("qa_officer"))

    with django_capture_on_commit_callbacks(execute=True):  # the job runs once the upload commits
        response = client.post(
            f"/credentials/offerings/{offering.pk}/issue/",
            {
                "file": SimpleUploadedFile(
                    "list.csv", b"email,grade\nada@example.org,A\ngrace@example.org,B\n"
                )
            },
        )

    page = client.get(response["Location"]).content.decode()
    assert "Issued 2 credentials" in page
    assert '<progress id="run-bar" class="run-progress" max="2" value="2">' in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    assert IssuedCredential.objects.filter(offering=offering).count() == 2


def test_a_queued_run_shows_its_progress_and_polls(client, world, offering):
    from credence.issuance import services

    run = services.start_issue_run(actor=None, offering=offering, rows=[{"email": "ada@example.org"}])
    _signed_in(client, world.user("qa_officer"))

    page = client.get(f"/credentials/runs/{run.pk}/").content.decode()

    assert "0 of 1 learners" in page
    assert 'hx-trigger="every 1s"' in page
    client.logout()
    _signed_in(client, world.outsider_qa)
    assert client.get(f"/credentials/runs/{run.pk}/").status_code == 404


def test_a_bad_upload_lists_the_rows_and_issues_nothing(client, world, offering):
    _signed_in(client, world.user("qa_officer"))

    response = _upload(client, offering, "email\nada@example.org\nwho@where\n")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was issued" in page and "Row 2, email" in page
    assert not IssuedCredential.objects.exists()


def test_other_organisations_and_roles_cannot_see_the_offering(client, world, offering):
    for user in (world.outsider_qa, world.user("proposer")):
        client.logout()
        _signed_in(client, user)
        assert client.get(f"/credentials/offerings/{offering.pk}/").status_code == 404


def test_the_learner_claims_downloads_and_the_claim_is_recorded(client, offering):
    credential = issue(offering, ["ada@example.org"])[0]

    page = client.get(f"/credentials/claim/{credential.claim_token}/")
    download = client.get(f"/credentials/claim/{credential.claim_token}/credential.json")

    assert page.status_code == 200
    assert "Valid credential" in page.content.decode()
    assert json.loads(download.content)["id"] == credential.credential_id
    assert "attachment" in download["Content-Disposition"]
    assert IssuedCredential.objects.get(pk=credential.pk).claimed_at is not None
    assert client.get("/credentials/claim/not-a-token/").status_code == 404


def test_anyone_verifies_by_pasting_uploading_or_link(client, offering):
    credential = issue(offering, ["ada@example.org"])[0]

    pasted = client.post("/verify/", {"credential": credential.signed_json})
    uploaded = client.post(
        "/verify/",
        {"file": SimpleUploadedFile("c.json", credential.signed_json.encode(), "application/json")},
    )
    linked = client.get(f"/verify/?link=http://127.0.0.1:8000/credentials/claim/{credential.claim_token}/")

    for response in (pasted, uploaded, linked):
        assert "Valid credential" in response.content.decode()
    assert VerificationEvent.objects.filter(credential=credential).count() == 3


def test_verification_explains_a_failure(client, offering):
    data = json.loads(issue(offering, ["ada@example.org"])[0].signed_json)
    data["validFrom"] = "2020-01-01T00:00:00Z"

    page = client.post("/verify/", {"credential": json.dumps(data)}).content.decode()

    assert "Not valid" in page
    assert "changed after signing" in page


def test_verification_refuses_links_to_other_sites(client):
    response = client.get("/verify/?link=https://evil.example/credential.json")

    assert response.status_code == 400
    assert "only links to credentials it holds" in response.content.decode()


def test_the_qa_officer_revokes_on_the_credential_page(client, world, offering):
    credential = issue(offering, ["ada@example.org"])[0]
    _signed_in(client, world.user("qa_officer"))

    response = client.post(
        f"/credentials/{credential.pk}/status/",
        {"state": "revoked", "reason": "Awarded by mistake."},
        follow=True,
    )

    assert "now revoked" in response.content.decode()
    assert IssuedCredential.objects.get(pk=credential.pk).state == CredentialState.REVOKED
    claim = client.get(f"/credentials/claim/{credential.claim_token}/").content.decode()
    assert "Awarded by mistake." in claim


def test_the_top_bar_offers_credentials_to_issuers_only(client, world, offering):
    assert "Verify a credential" in client.get("/verify/").content.decode()
    _signed_in(client, world.user("qa_officer"))
    assert 'href="/credentials/"' in client.get("/micro-credentials/").content.decode()
    client.logout()
    _signed_in(client, world.user("proposer"))
    assert 'href="/credentials/"' not in client.get("/micro-credentials/").content.decode()
    assert client.get("/credentials/").status_code == 403


def test_the_micro_credential_page_shows_its_offerings_to_issuers(client, world, offering):
    issue(offering, ["ada@example.org", "alan@example.org"])
    _signed_in(client, world.user("qa_officer"))

    page = client.get(f"/micro-credentials/{offering.version.micro_credential_id}/").content.decode()

    assert offering.code in page and "3 learners, 2 credentials issued" in page


def test_the_learner_downloads_a_pdf_certificate_with_a_qr_code(client, offering):
    from credence.issuance.certificates import verification_link

    credential = issue(offering, ["ada@example.org"])[0]

    response = client.get(f"/credentials/claim/{credential.claim_token}/certificate.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ada Lovelace" in text and offering.version.title in text
    assert credential.claim_token in text.replace("\n", "")
    link = verification_link(credential)
    assert link.endswith(f"/credentials/claim/{credential.claim_token}/")
    assert "Valid credential" in client.get(link.removeprefix("http://127.0.0.1:8000")).content.decode()


def test_the_credentials_page_counts_and_charts_issued_claimed_verified_and_revoked(client, world, offering):
    from credence.issuance import services

    first, second, _ = issue(offering)
    services.revoke_credential(actor=None, credential=second, reason="Mistake.")
    client.get(f"/credentials/claim/{first.claim_token}/")
    client.post(
        "/verify/", {"credential": first.signed_json}, HTTP_REFERER="https://www.linkedin.example/in/ada"
    )
    client.post("/verify/", {"credential": first.signed_json}, HTTP_REFERER="http://testserver/verify/")
    _signed_in(client, world.user("qa_officer"))

    page = client.get("/credentials/").content.decode()

    code = offering.version.micro_credential.code
    flat = page.replace("\n", "")
    assert (
        "<td>3</td><td>1</td><td>2</td><td>0</td><td>1</td>" in flat
    )  # issued, claimed, verified, suspended, revoked
    assert "<td>www.linkedin.example</td><td>1</td>" in flat  # our own verification page is not a referrer
    assert '<svg class="chart"' in page and "Issued 3" in page and "Revoked 1" in page
    assert "www.linkedin.example" in page and code in page


def test_an_organisation_admin_rotates_the_key_on_the_credentials_page(client, world, offering):
    first = issue(offering, ["ada@example.org"])[0]
    _signed_in(client, world.user("qa_officer"))
    assert "Rotate" not in client.get("/credentials/").content.decode()
    assert client.post(f"/credentials/keys/{world.home.slug}/rotate/").status_code == 403
    client.logout()
    _signed_in(client, world.user("org_admin"))

    page = client.post(f"/credentials/keys/{world.home.slug}/rotate/", follow=True).content.decode()

    assert "now signs with a new key" in page
    assert "retired" in page and "(signing now)" in page
    from credence.issuance import verification

    assert verification.verify(json.loads(first.signed_json)).valid
