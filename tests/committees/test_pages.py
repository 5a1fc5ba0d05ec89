"""The committee and meeting pages: allocating, recording outcomes, papers, minutes PDF, iCalendar."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from credence.committees import services
from credence.files.models import Attachment

from ..factories import PASSWORD
from .conftest import waiting_stage_run

pytestmark = pytest.mark.django_db


def _as(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_committee_page_lists_members_meetings_and_waiting_proposals(world, board, template, client):
    stage_run = waiting_stage_run(world)
    page = _as(client, "home_committee_member").get("/committees/academic-board/").content.decode()

    assert "Academic Board" in page and "Approves new micro-credentials." in page
    assert "home_approver" in page and "Chair" in page
    assert stage_run.run.proposal.title in page
    assert "Schedule a meeting" not in page  # a member does not schedule


def test_outsiders_get_404(world, board, client):
    _as(client, "other_proposer")
    assert client.get("/committees/academic-board/").status_code == 404
    assert client.get(f"/meetings/{board.meeting.pk}/").status_code == 404
    assert client.get(f"/meetings/{board.meeting.pk}/meeting.ics").status_code == 404


def test_the_secretary_allocates_and_records_on_the_meeting_page(world, board, template, client):
    stage_run = waiting_stage_run(world)
    _as(client, "home_committee_secretary")
    url = f"/meetings/{board.meeting.pk}/"
    assert "Allocate a proposal to this meeting" in client.get(url).content.decode()

    response = client.post(f"{url}allocate/", {"stage_run": stage_run.pk})
    assert response.status_code == 302
    item = board.meeting.items.get()

    response = client.post(
        f"{url}outcome/",
        {"item": item.pk, f"item{item.pk}-outcome": "approved_with_conditions",
         f"item{item.pk}-conditions": "Add an employer to the panel.", f"item{item.pk}-note": "Warm support."},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Approved with conditions" in page and "Add an employer to the panel." in page


def test_an_outcome_without_conditions_is_shown_next_to_the_field(world, board, template, client):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    _as(client, "home_committee_secretary")

    response = client.post(
        f"/meetings/{board.meeting.pk}/outcome/",
        {"item": item.pk, f"item{item.pk}-outcome": "approved_with_conditions"},
    )

    assert response.status_code == 400
    assert "State at least one condition" in response.content.decode()
    item.refresh_from_db()
    assert item.outcome == ""


def test_an_outcome_for_an_item_not_on_the_agenda_is_refused_with_a_message(world, board, template, client):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    start = timezone.now() + dt.timedelta(days=40)
    other = services.schedule_meeting(actor=None, committee=board.committee, start=start, end=start + dt.timedelta(hours=1), place="Room 9")
    _as(client, "home_committee_secretary")

    response = client.post(f"/meetings/{other.pk}/outcome/", {"item": item.pk, f"item{item.pk}-outcome": "approved"})

    assert response.status_code == 400
    assert "That item is not on the agenda of this meeting." in response.content.decode()
    item.refresh_from_db()
    assert item.outcome == ""


def test_a_member_sees_the_agenda_but_no_forms(world, board, template, client):
    services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    page = _as(client, "home_committee_member").get(f"/meetings/{board.meeting.pk}/").content.decode()

    assert "Item 1:" in page
    assert "Record the outcome" not in page and "Upload the paper" not in page
    assert client.post(f"/meetings/{board.meeting.pk}/minutes/", {"minutes": "x"}).status_code == 403


def test_papers_are_uploaded_and_downloadable_by_members_only(world, board, client):
    _as(client, "home_committee_secretary")
    pdf = SimpleUploadedFile("agenda-pack.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    response = client.post(f"/meetings/{board.meeting.pk}/papers/", {"file": pdf, "item": ""})

    assert response.status_code == 302
    paper = Attachment.objects.get(name="agenda-pack.pdf")
    assert client.get(f"/files/{paper.pk}/").status_code == 200
    client.logout()
    _as(client, "other_qa")
    assert client.get(f"/files/{paper.pk}/").status_code == 404


def test_a_paper_of_the_wrong_kind_is_refused(world, board, client):
    _as(client, "home_committee_secretary")
    fake = SimpleUploadedFile("notes.pdf", b"just text", content_type="application/pdf")

    response = client.post(f"/meetings/{board.meeting.pk}/papers/", {"file": fake, "item": ""})

    assert response.status_code == 400
    assert "is not an accepted kind of file" in response.content.decode()


def test_the_minutes_pdf(world, board, template, client):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    services.record_outcome(actor=world.user("committee_secretary"), meeting=board.meeting, item=item,
                            outcome="approved_with_conditions", conditions=["Publish the rubric."])
    services.save_minutes(actor=None, meeting=board.meeting, minutes="Present: the chair, the secretary.")

    response = _as(client, "home_committee_member").get(f"/meetings/{board.meeting.pk}/minutes.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Minutes of the meeting" in text
    assert "Approved with conditions" in text and "Publish the rubric." in text


def test_icalendar_for_one_meeting_and_the_committee_feed(world, board, client):
    _as(client, "home_committee_member")
    one = client.get(f"/meetings/{board.meeting.pk}/meeting.ics")
    feed = client.get("/committees/academic-board/meetings.ics")

    assert one["Content-Type"].startswith("text/calendar")
    text = one.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"UID:meeting-{board.meeting.pk}@" in text
    assert "LOCATION:Senate Room" in text and "SUMMARY:Academic Board meeting" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    import icalendar  # an independent reader

    parsed = icalendar.Calendar.from_ical(feed.content)
    events = [c for c in parsed.walk("VEVENT")]
    assert len(events) == 1 and events[0]["DTSTART"].dt == board.meeting.start.replace(microsecond=0)


def test_an_org_admin_sets_up_a_committee_and_seats_people(world, client):
    _as(client, "home_org_admin")
    response = client.post("/committees/", {"name": "Quality Committee", "slug": "", "terms_of_reference": "QA."})
    assert response.status_code == 302 and response["Location"] == "/committees/quality-committee/"

    response = client.post("/committees/quality-committee/members/", {"username": "home_qa_officer", "role": "chair"})
    assert response.status_code == 302
    response = client.post("/committees/quality-committee/members/", {"username": "other_proposer", "role": "member"})
    assert response.status_code == 400
    assert "other_proposer is not a member of University of Home" in response.content.decode()
    page = client.get("/committees/quality-committee/").content.decode()
    assert "home_qa_officer" in page and "Chair" in page


def test_only_org_admins_see_the_set_up_form(world, client):
    page = _as(client, "home_committee_secretary").get("/committees/").content.decode()
    assert "Set up a committee" not in page
    assert client.post("/committees/", {"name": "Sneaky"}).status_code == 403


@pytest.mark.parametrize(
    ("role", "shown"),
    [("committee_secretary", True), ("committee_member", True), ("approver", True), ("proposer", False), ("reviewer", False)],
)
def test_the_top_bar_leads_committee_people_to_meetings(world, client, role, shown):
    html = _as(client, f"home_{role}").get("/").content.decode()
    nav = html[html.index('<nav class="topbar__nav"') : html.index("</nav>")]
    assert ('href="/committees/">Meetings</a>' in nav) is shown


def test_an_undecided_item_can_be_taken_off_the_agenda_and_offered_again(world, board, template, client):
    stage_run = waiting_stage_run(world)
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=stage_run)
    _as(client, "home_committee_member")
    assert client.post(f"/meetings/{board.meeting.pk}/items/{item.pk}/withdraw/").status_code == 403
    client.logout()
    _as(client, "home_committee_secretary")

    client.post(f"/meetings/{board.meeting.pk}/items/{item.pk}/withdraw/")

    assert not board.meeting.items.exists()
    assert "Allocate a proposal to this meeting" in client.get(f"/meetings/{board.meeting.pk}/").content.decode()


def test_a_decided_item_stays_on_the_agenda(world, board, template, client):
    item = services.allocate(actor=None, meeting=board.meeting, stage_run=waiting_stage_run(world))
    services.record_outcome(actor=world.user("committee_secretary"), meeting=board.meeting, item=item, outcome="approved")
    _as(client, "home_committee_secretary")

    response = client.post(f"/meetings/{board.meeting.pk}/items/{item.pk}/withdraw/", follow=True)

    assert "was decided (Approved): it stays on the agenda" in response.content.decode()
    assert board.meeting.items.filter(pk=item.pk).exists()


def test_cancelling_a_meeting_through_the_edit_page(world, board, client):
    _as(client, "home_committee_secretary")
    page = client.get(f"/meetings/{board.meeting.pk}/edit/").content.decode()
    assert "Senate Room" in page
    start = board.meeting.start.strftime("%Y-%m-%dT%H:%M")
    end = board.meeting.end.strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        f"/meetings/{board.meeting.pk}/edit/",
        {"start": start, "end": end, "place": "Senate Room", "online_link": "", "description": "", "status": "cancelled"},
    )

    assert response.status_code == 302
    board.meeting.refresh_from_db()
    assert board.meeting.status == "cancelled"
    ics = client.get(f"/meetings/{board.meeting.pk}/meeting.ics").content.decode()
    assert "STATUS:CANCELLED" in ics
