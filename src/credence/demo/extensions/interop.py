"""The imports demo: Northbridge's proposer (priya) saved a mapping for the Continuing Education office's
short-courses sheet and uploaded this term's sheet; its preview shows one row with a problem to fix.
Built through the services; loading twice changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from credence.interop import services
from credence.interop.models import ColumnMapping, ImportJob
from credence.organisations.models import User

ORDER = 70
SOURCE = "Continuing Education short-courses sheet"
FILENAME = "continuing-education-autumn.csv"
SHEET = (
    "Course code,Course title,Overview,What you will learn,Credits,Study time,Level\n"
    'NB-CE-201,Spreadsheet skills for small charities,"Budgets, donor lists and simple dashboards for '
    'volunteers and staff.","• Build a budget with checks\n• Keep a donor list tidy and lawful\n• Chart a '
    'year of income",5 ECTS,"6 weeks, 4 hours per week",EQF 5\n'
    'NB-CE-202,Introduction to grant writing,"Plan, write and review a small grant application.",'
    '"1. Read a funder\'s call\n2. Write a clear case for support\n3. Budget a project",about five,'
    "40 hours,EQF 5\n"
)
COLUMNS = {
    "Course code": "code",
    "Course title": "title",
    "Overview": "summary",
    "What you will learn": "learning_outcomes",
    "Credits": "credits",
    "Study time": "notional_hours",
    "Level": "eqf_level",
}


def load(context: Any) -> None:
    organisation = context.organisations.get("northbridge")
    priya = User.objects.filter(username="priya").first()
    if organisation is None or priya is None:
        return
    if not ColumnMapping.objects.filter(organisation=organisation, name=SOURCE).exists():
        services.save_mapping(actor=priya, organisation=organisation, name=SOURCE, columns=COLUMNS)
    if ImportJob.objects.filter(organisation=organisation, filename=FILENAME).exists():
        return
    job = services.start_import(
        actor=priya,
        organisation=organisation,
        upload=SimpleUploadedFile(FILENAME, SHEET.encode()),
        source=SOURCE,
    )
    services.preview_import(actor=priya, job=services.set_mapping(actor=priya, job=job, columns=job.mapping))
