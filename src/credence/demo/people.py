"""The demo's organisations and people. Every demo user has the same password, printed by `make run`."""

from __future__ import annotations

DEMO_PASSWORD = "credence-demo-2026"

ORGANISATIONS = [
    {
        "slug": "northbridge",
        "name": "Northbridge University",
        "acronym": "NBU",
        "kind": "higher_education",
        "organisation_type": "public organisation",
        "website": "https://www.northbridge.example.ie",
        "qa_policy_url": "https://www.northbridge.example.ie/quality/micro-credentials-policy",
        "description": "A public research university with a lifelong-learning centre that offers short, "
        "credit-bearing courses for people at work.",
        "qf_ehea_levels": ["first cycle", "second cycle", "third cycle"],
        "founding_date": "1908-10-01",
        "source_of_information": "Demo data",
        "locations": [
            {"country": "IE", "city": "Dublin", "postcode": "D04 V1W8", "is_legal_seat": True},
            {"country": "IE", "city": "Galway", "is_legal_seat": False},
        ],
        "identifiers": [
            {"resource": "SCHAC", "value": "northbridge.example.ie"},
            {"resource": "EU-PIC", "value": "999912345"},
            {"resource": "Erasmus", "value": "IRL NORTHBR01"},
        ],
    },
    {
        "slug": "hanseatic-tu",
        "name": "Hanseatische Technische Universität",
        "name_english": "Hanseatic Technical University",
        "acronym": "HTU",
        "kind": "higher_education",
        "organisation_type": "public organisation",
        "website": "https://www.htu.example.de",
        "qf_ehea_levels": ["first cycle", "second cycle", "third cycle"],
        "source_of_information": "Demo data",
        "locations": [{"country": "DE", "city": "Hamburg", "postcode": "20095", "is_legal_seat": True}],
        "identifiers": [
            {"resource": "EU-PIC", "value": "999954321"},
            {"resource": "Erasmus", "value": "D HAMBURG99"},
        ],
    },
    {
        "slug": "lakeshore-college",
        "name": "Lakeshore College of Applied Arts and Technology",
        "acronym": "LCAAT",
        "kind": "college",
        "organisation_type": "public organisation",
        "website": "https://www.lakeshore.example.ca",
        "source_of_information": "Demo data",
        "locations": [{"country": "CA", "city": "Toronto", "postcode": "M8V 1K8", "is_legal_seat": True}],
        "identifiers": [
            {"resource": "national identifier", "value": "ON-CAAT-0417", "source": "Ontario MCU"}
        ],
    },
    {
        "slug": "codeforge",
        "name": "CodeForge Academy Limited",
        "name_english": "CodeForge Academy",
        "acronym": "CodeForge",
        "kind": "alternative_provider",
        "organisation_type": "private company",
        "website": "https://codeforge.example.nz",
        "qf_ehea_levels": ["short cycle"],
        "source_of_information": "Demo data",
        "locations": [
            {"country": "NZ", "city": "Wellington", "is_legal_seat": True},
            {"country": "AU", "city": "Sydney", "is_legal_seat": False},
        ],
        "identifiers": [
            {
                "resource": "national identifier",
                "value": "NZBN 9429000000000",
                "source": "NZ Companies Office",
            }
        ],
    },
    {
        "slug": "aqte",
        "name": "Agency for Quality in Tertiary Education",
        "acronym": "AQTE",
        "kind": "qa_agency",
        "organisation_type": "public organisation",
        "website": "https://www.aqte.example.eu",
        "source_of_information": "Demo data",
        "locations": [{"country": "BE-fl", "city": "Brussels", "is_legal_seat": True}],
    },
    {
        "slug": "meridian-health",
        "name": "Meridian Health Group",
        "acronym": "Meridian",
        "kind": "employer",
        "organisation_type": "private company",
        "website": "https://www.meridianhealth.example.com",
        "source_of_information": "Demo data",
        "locations": [{"country": "IE", "city": "Cork", "is_legal_seat": True}],
    },
]

# username, first name, last name, organisation slug, roles
PEOPLE = [
    ("priya", "Priya", "Raman", "northbridge", ["proposer"]),
    ("rob", "Robert", "Keane", "northbridge", ["reviewer"]),
    ("quinn", "Quinn", "O'Sullivan", "northbridge", ["qa_officer"]),
    ("sam", "Samira", "Haddad", "northbridge", ["committee_secretary"]),
    ("carmen", "Carmen", "Ruiz", "northbridge", ["committee_member"]),
    ("abdul", "Abdul", "Karim", "northbridge", ["approver"]),
    ("olivia", "Olivia", "Brennan", "northbridge", ["org_admin"]),
    ("hanna", "Hanna", "Vogel", "hanseatic-tu", ["proposer", "qa_officer"]),
    ("leo", "Leo", "Tremblay", "lakeshore-college", ["proposer", "approver", "qa_officer"]),
    ("cora", "Cora", "Ngata", "codeforge", ["proposer", "org_admin"]),
    ("agnes", "Agnes", "Peeters", "aqte", ["org_admin", "reviewer"]),
    ("emma", "Emma", "Walsh", "meridian-health", ["reviewer"]),
]
# Quinn also reviews for Lakeshore College, so the organisation switcher has something to switch.
EXTRA_MEMBERSHIPS = [("quinn", "lakeshore-college", ["reviewer"])]
PLATFORM_ADMIN = ("admin", "Platform", "Admin")
# Learners with an account but no membership: they hold a credential and rate it in the catalogue.
# username, first name, last name, e-mail (the address their credential was issued to)
LEARNERS = [("aoife", "Aoife", "Byrne", "aoife.byrne@learners.example")]
