"""The demo's micro-credentials: realistic ones in every status, and a few poorly specified drafts.

`status` is where the lifecycle services move the first version; `next_versions` are later versions,
each a dict of changes applied to a new draft (and the status it is moved to).
"""

from __future__ import annotations

from typing import Any

DATA_ANALYSIS: dict[str, Any] = {
    "org": "northbridge",
    "code": "NB-DA101",
    "title": "Practical Data Analysis with Python",
    "status": "published",
    "summary": "Learn to load, clean, explore and visualise real-world data with Python and pandas, and to "
    "report findings that colleagues can act on. Built with regional employers for analysts who work "
    "with spreadsheets today.",
    "target_learners": "People in work who analyse data in spreadsheets and want to move to reproducible "
    "analysis; no programming experience is assumed.",
    "prerequisites": "Comfortable with spreadsheets and basic percentages. A laptop able to run Python 3.",
    "languages": ["en"],
    "credit_system": "ECTS",
    "credits": "5",
    "notional_hours": 125,
    "contact_hours": 24,
    "duration_weeks": "10",
    "eqf_level": 6,
    "nqf_framework": "Irish National Framework of Qualifications",
    "nqf_level": "8",
    "qf_ehea_level": "first cycle",
    "field_of_study": "0542",
    "learning_activities": "Weekly live online workshops (2 hours), guided notebooks, a discussion forum "
    "moderated by tutors, and a capstone analysis of a data set from the learner's own workplace or an "
    "open data portal.",
    "assessment_certification": "assessment based certificate",
    "supervision": "supervised with identity verification",
    "grading_scheme": "Pass / fail; a pass needs 40 % overall and a submitted capstone.",
    "form_of_participation": "online scheduled",
    "support_academic": "Weekly tutor office hours; feedback on every notebook within five working days.",
    "support_administrative": "Lifelong-learning office by e-mail and phone, weekdays 9:00–17:00.",
    "support_library": "Full access to the university library's online collections for the course's duration.",
    "technology_needed": "A computer with a modern browser and 4 GB of memory; broadband of at least 5 Mbit/s.",
    "instructors": "Dr Aoife Byrne (PhD Statistics, 12 years teaching applied statistics); "
    "Tomás Ó Briain (MSc Data Science, senior analyst at a regional health authority).",
    "stackability_note": "Counts towards the Postgraduate Certificate in Applied Data Analytics.",
    "quality_assurance": "Internal review against the university's micro-credential policy and the EU "
    "Council Recommendation elements; approved by the Academic Council.",
    "content_lifespan_months": 24,
    "next_review_date": "2027-09-01",
    "employer_involvement": "Designed with the regional Skillnet; two employers supply capstone data sets.",
    "sdgs": [4, 8],
    "fee_amount": "450",
    "fee_currency": "EUR",
    "fee_note": "Eligible for the national Springboard+ subsidy (90 % for people in employment).",
    "learning_outcomes": [
        {
            "text": "Load, clean and reshape tabular data from files and databases using pandas.",
            "skills": [
                {
                    "uri": "http://data.europa.eu/esco/skill/2a6d4d4d-0d0c-4ae8-8e2b-8e6f5c1f2f1b",
                    "label": "use Python for data analysis",
                }
            ],
        },
        {"text": "Describe a data set with appropriate summary statistics and charts."},
        {"text": "Choose, carry out and interpret a suitable statistical test for a workplace question."},
        {"text": "Communicate findings and their limits in a short written report for non-specialists."},
    ],
    "assessments": [
        {
            "type": "online test",
            "description": "Four short notebook exercises, marked automatically and by tutors.",
            "weight": "30",
            "summative": True,
            "outcomes": [1, 2],
        },
        {
            "type": "project",
            "description": "Capstone analysis and a 1,500-word report.",
            "weight": "70",
            "summative": True,
            "outcomes": [1, 2, 3, 4],
        },
    ],
    "modules": [
        {"title": "Python and pandas for analysts", "hours": "35", "outcomes": [1]},
        {"title": "Describing and visualising data", "hours": "30", "outcomes": [2]},
        {"title": "Statistical questions at work", "hours": "30", "outcomes": [3]},
        {"title": "Capstone and reporting", "hours": "30", "outcomes": [4]},
    ],
    "pathways": [
        {
            "kind": "stacks into",
            "external_award": "Postgraduate Certificate in Applied Data Analytics",
            "external_provider": "Northbridge University",
            "credits": "5",
        },
    ],
}

CYBER: dict[str, Any] = {
    "org": "northbridge",
    "code": "NB-CYB201",
    "title": "Cyber Security Fundamentals for Small Businesses",
    "status": "published",
    "summary": "Protect a small organisation against the most common attacks: phishing, ransomware and "
    "weak access control. Practical, with a risk assessment of your own organisation.",
    "target_learners": "Owners, managers and IT generalists in small and medium-sized enterprises.",
    "prerequisites": "None beyond everyday use of computers and e-mail.",
    "languages": ["en"],
    "credit_system": "ECTS",
    "credits": "5",
    "notional_hours": 125,
    "contact_hours": 20,
    "duration_weeks": "8",
    "eqf_level": 6,
    "qf_ehea_level": "first cycle",
    "field_of_study": "0612",
    "learning_activities": "Short video lectures, weekly hands-on labs in a virtual environment and a "
    "moderated case discussion.",
    "assessment_certification": "assessment based certificate",
    "supervision": "supervised, no identity verification",
    "form_of_participation": "online self-paced",
    "support_academic": "Tutor forum answered within two working days.",
    "technology_needed": "A computer with a modern browser.",
    "instructors": "Dr Niamh Doyle (PhD Computer Science, CISSP).",
    "quality_assurance": "Internal review under the university's micro-credential policy.",
    "content_lifespan_months": 18,
    "next_review_date": "2027-03-01",
    "employer_involvement": "Reviewed by the regional chamber of commerce's digital group.",
    "sdgs": [9],
    "fee_amount": "395",
    "fee_currency": "EUR",
    "learning_outcomes": [
        {"text": "Identify the common cyber threats to a small organisation."},
        {"text": "Carry out a basic cyber risk assessment."},
        {"text": "Recommend proportionate technical and organisational controls."},
    ],
    "assessments": [
        {
            "type": "project",
            "description": "Risk assessment of the learner's own organisation.",
            "weight": "60",
            "outcomes": [1, 2],
        },
        {
            "type": "online test",
            "description": "Multiple-choice test on threats and controls.",
            "weight": "40",
            "outcomes": [1, 3],
        },
    ],
    "modules": [
        {"title": "The threat landscape", "hours": "40", "outcomes": [1]},
        {"title": "Assessing risk", "hours": "45", "outcomes": [2]},
        {"title": "Controls that work", "hours": "40", "outcomes": [3]},
    ],
    "next_versions": [
        {
            "status": "published",
            "changes": {
                "summary": "Protect a small organisation against the most common attacks: phishing, "
                "ransomware, weak access control and insecure cloud services. Practical, with a risk "
                "assessment and an incident response plan for your own organisation.",
                "supervision": "supervised with identity verification",
                "next_review_date": "2028-03-01",
            },
            "outcomes_update": {
                2: "Carry out a cyber risk assessment using the NIST Cybersecurity Framework 2.0.",
            },
            "outcomes_add": ["Draft an incident response plan for a ransomware attack."],
            "assessment_weights": ["50", "30"],
            "assessments_add": [
                {
                    "type": "portfolio",
                    "description": "Incident response plan.",
                    "weight": "20",
                    "outcomes": [4],
                },
            ],
        },
        {
            "status": "draft",
            "changes": {"fee_amount": "425", "fee_note": "Price from the 2027 intake."},
        },
    ],
}

SUSTAINABILITY: dict[str, Any] = {
    "org": "northbridge",
    "code": "NB-SUS110",
    "title": "Sustainability Reporting under the CSRD for Finance Professionals",
    "status": "in_review",
    "summary": "Prepare for the EU Corporate Sustainability Reporting Directive: the European Sustainability "
    "Reporting Standards, double materiality, and assurance of sustainability information.",
    "target_learners": "Accountants, auditors and finance staff in companies within the CSRD's scope.",
    "prerequisites": "A professional accounting qualification, or two years' experience in financial reporting.",
    "languages": ["en"],
    "credit_system": "ECTS",
    "credits": "10",
    "notional_hours": 250,
    "contact_hours": 36,
    "duration_weeks": "12",
    "eqf_level": 7,
    "qf_ehea_level": "second cycle",
    "field_of_study": "0411",
    "assessment_certification": "assessment based certificate",
    "supervision": "supervised with identity verification",
    "form_of_participation": "blended",
    "quality_assurance": "Internal review; professional body accreditation for CPD sought.",
    "employer_involvement": "Co-designed with two audit firms that provide guest practitioners.",
    "sdgs": [12, 13],
    "fee_amount": "1200",
    "fee_currency": "EUR",
    "learning_outcomes": [
        {
            "text": "Explain the structure and requirements of the European Sustainability Reporting Standards."
        },
        {"text": "Carry out a double materiality assessment for a company."},
        {"text": "Evaluate the readiness of sustainability information for limited assurance."},
    ],
    "assessments": [
        {
            "type": "project",
            "description": "Double materiality assessment of a listed company.",
            "weight": "60",
            "outcomes": [1, 2],
        },
        {
            "type": "written exam",
            "description": "Two-hour invigilated examination.",
            "weight": "40",
            "outcomes": [1, 3],
        },
    ],
}

RESPONSIBLE_AI: dict[str, Any] = {
    "org": "northbridge",
    "code": "NB-AI300",
    "title": "Responsible AI for Managers",
    "status": "approved",
    "summary": "Understand what AI systems can and cannot do, the obligations of the EU AI Act, and how to "
    "govern AI projects responsibly in your organisation.",
    "target_learners": "Managers who commission, buy or oversee AI systems.",
    "languages": ["en", "ga"],
    "credit_system": "ECTS",
    "credits": "5",
    "notional_hours": 125,
    "contact_hours": 18,
    "duration_weeks": "6",
    "eqf_level": 7,
    "qf_ehea_level": "second cycle",
    "field_of_study": "0413",
    "assessment_certification": "assessment based certificate",
    "supervision": "unsupervised, no identity verification",
    "form_of_participation": "online scheduled",
    "quality_assurance": "Internal review under the university's micro-credential policy.",
    "sdgs": [9, 16],
    "fee_amount": "600",
    "fee_currency": "EUR",
    "learning_outcomes": [
        {"text": "Explain the main families of AI systems and their typical failure modes."},
        {"text": "Classify an AI use case under the risk categories of the EU AI Act."},
        {"text": "Design a governance process for an AI project."},
    ],
    "assessments": [
        {
            "type": "essay",
            "description": "Governance proposal for an AI use case.",
            "weight": "100",
            "outcomes": [1, 2, 3],
        },
    ],
}

HEALTH_RECORDS: dict[str, Any] = {
    "org": "northbridge",
    "code": "NB-HLT150",
    "title": "Digital Health Records Essentials",
    "status": "draft",
    "summary": "Work safely and effectively with electronic health records: data quality, privacy and "
    "interoperability standards such as HL7 FHIR.",
    "target_learners": "Nurses, allied health professionals and administrators moving to electronic records.",
    "languages": ["en"],
    "credit_system": "ECTS",
    "credits": "5",
    "notional_hours": 125,
    "eqf_level": 6,
    "field_of_study": "0914",
    "form_of_participation": "online self-paced",
    "employer_involvement": "Meridian Health Group co-designs the case studies and hosts site visits.",
    "learning_outcomes": [
        {"text": "Record patient information accurately and in line with data-quality standards."},
        {"text": "Apply GDPR and health-information privacy rules to everyday record keeping."},
        {"text": "Describe how FHIR resources let systems exchange health records."},
    ],
    "assessments": [
        {"type": "online test", "description": "Scenario-based quiz.", "weight": "50", "outcomes": [1, 2]},
        {
            "type": "practical",
            "description": "Simulated record-keeping exercise.",
            "weight": "40",
            "outcomes": [1],
        },
    ],
    "partners": [("meridian-health", "industry partner")],
}

LEADERSHIP_DRAFT: dict[str, Any] = {
    "org": "northbridge",
    "code": "NB-LDR-TBC",
    "title": "Leadership skills (working title)",
    "status": "draft",
    "summary": "",
    "credit_system": "ECTS",
    "assessments": [
        {"type": "presentation", "description": "Presentation", "weight": "70"},
        {"type": "essay", "description": "Reflective essay", "weight": "20"},
    ],
}

GIS: dict[str, Any] = {
    "org": "northbridge",
    "code": "NB-GIS120",
    "title": "Introduction to Geographic Information Systems",
    "status": "retired",
    "retirement_reason": "Replaced by the spatial data science pathway from 2026.",
    "summary": "Map, query and analyse spatial data with QGIS.",
    "languages": ["en"],
    "credit_system": "ECTS",
    "credits": "5",
    "notional_hours": 125,
    "eqf_level": 6,
    "field_of_study": "0532",
    "assessment_certification": "assessment based certificate",
    "form_of_participation": "on site",
    "quality_assurance": "Internal review.",
    "learning_outcomes": [
        {"text": "Produce a thematic map from open spatial data."},
        {"text": "Run basic spatial queries and overlays."},
    ],
    "assessments": [
        {"type": "project", "description": "Mapping project.", "weight": "100", "outcomes": [1, 2]}
    ],
}

HYDROGEN: dict[str, Any] = {
    "org": "hanseatic-tu",
    "code": "HTU-H2-01",
    "title": "Green Hydrogen Systems",
    "status": "published",
    "summary": "Production, storage and use of green hydrogen: electrolysis technologies, system design and "
    "the economics of hydrogen in port and industrial settings.",
    "target_learners": "Engineers with a bachelor's degree working in energy, process or maritime industries.",
    "prerequisites": "A bachelor's degree in engineering or natural sciences.",
    "languages": ["en", "de"],
    "credit_system": "ECTS",
    "credits": "6",
    "notional_hours": 180,
    "contact_hours": 45,
    "duration_weeks": "14",
    "eqf_level": 7,
    "nqf_framework": "Deutscher Qualifikationsrahmen (DQR)",
    "nqf_level": "7",
    "qf_ehea_level": "second cycle",
    "field_of_study": "0713",
    "assessment_certification": "assessment based certificate",
    "supervision": "supervised with identity verification",
    "grading_scheme": "German grading scale 1.0 (best) to 4.0 (pass).",
    "form_of_participation": "blended",
    "quality_assurance": "System-accredited university; reviewed by the faculty's study commission.",
    "employer_involvement": "Port of Hamburg energy cluster partners supply the design brief.",
    "sdgs": [7, 9, 13],
    "fee_amount": "1500",
    "fee_currency": "EUR",
    "learning_outcomes": [
        {"text": "Compare alkaline, PEM and solid-oxide electrolysis in efficiency, cost and maturity."},
        {"text": "Size a hydrogen production and storage system for an industrial demand profile."},
        {"text": "Assess the levelised cost of hydrogen for a project."},
    ],
    "assessments": [
        {"type": "project", "description": "System design report.", "weight": "70", "outcomes": [2, 3]},
        {"type": "oral", "description": "Oral examination, 20 minutes.", "weight": "30", "outcomes": [1]},
    ],
    "modules": [
        {"title": "Electrolysis technologies", "hours": "60", "outcomes": [1]},
        {"title": "System design", "hours": "70", "outcomes": [2]},
        {"title": "Hydrogen economics", "hours": "50", "outcomes": [3]},
    ],
}

BIM_DRAFT: dict[str, Any] = {
    "org": "hanseatic-tu",
    "code": "HTU-BIM-02",
    "title": "BIM for Infrastructure Projects",
    "status": "draft",
    "summary": "Building information modelling for roads, bridges and rail.",
    "languages": ["de"],
    "learning_outcomes": [{"text": "Understand BIM."}],
}

EV_SAFETY: dict[str, Any] = {
    "org": "lakeshore-college",
    "code": "LC-EVS-01",
    "title": "Electric Vehicle High-Voltage Safety",
    "status": "published",
    "summary": "Work safely on battery-electric and hybrid vehicles: high-voltage isolation, personal "
    "protective equipment and emergency response.",
    "target_learners": "Licensed automotive service technicians.",
    "prerequisites": "Ontario 310S automotive service technician licence or equivalent.",
    "languages": ["en", "fr"],
    "credit_system": "CEU",
    "credits": "3",
    "notional_hours": 30,
    "contact_hours": 24,
    "duration_weeks": "3",
    "level_not_applicable": True,
    "level_not_applicable_reason": "Ontario's qualifications framework does not level continuing-education "
    "micro-credentials; the course is not referenced to the EQF.",
    "field_of_study": "0716",
    "assessment_certification": "assessment based certificate",
    "supervision": "supervised with identity verification",
    "form_of_participation": "on site",
    "quality_assurance": "Approved by the college's Academic Council under its micro-credential policy.",
    "employer_involvement": "Designed with two dealership groups; their technicians assess the practical.",
    "fee_amount": "650",
    "fee_currency": "CAD",
    "learning_outcomes": [
        {"text": "Isolate and verify the absence of voltage in a high-voltage vehicle system."},
        {"text": "Select and inspect the personal protective equipment for high-voltage work."},
    ],
    "assessments": [
        {
            "type": "practical",
            "description": "Observed de-energising procedure.",
            "weight": "70",
            "outcomes": [1, 2],
        },
        {"type": "written exam", "description": "Safety rules test.", "weight": "30", "outcomes": [2]},
    ],
}

CLOUD: dict[str, Any] = {
    "org": "codeforge",
    "code": "CF-CLD-10",
    "title": "Cloud Infrastructure as Code with Terraform",
    "status": "in_review",
    "summary": "Provision and manage cloud infrastructure reproducibly with Terraform, from a first module "
    "to a tested, reviewed deployment pipeline.",
    "target_learners": "Developers and system administrators moving into platform engineering.",
    "prerequisites": "Working knowledge of the Linux command line and Git.",
    "languages": ["en"],
    "credit_system": "NZQF",
    "credits": "10",
    "notional_hours": 100,
    "contact_hours": 20,
    "duration_weeks": "8",
    "nqf_framework": "New Zealand Qualifications and Credentials Framework",
    "nqf_level": "6",
    "field_of_study": "0612",
    "assessment_certification": "assessment based certificate",
    "supervision": "supervised with identity verification",
    "form_of_participation": "online scheduled",
    "quality_assurance": "Submitted to NZQA for micro-credential approval.",
    "employer_involvement": "Industry advisory group of four software companies.",
    "fee_amount": "1100",
    "fee_currency": "NZD",
    "learning_outcomes": [
        {"text": "Write reusable Terraform modules for networked cloud resources."},
        {"text": "Manage state and secrets safely in a team."},
        {"text": "Build an automated, tested deployment pipeline for infrastructure changes."},
    ],
    "assessments": [
        {
            "type": "project",
            "description": "Infrastructure for a three-tier application.",
            "weight": "80",
            "outcomes": [1, 2, 3],
        },
        {
            "type": "peer assessment",
            "description": "Code review of another learner's module.",
            "weight": "20",
            "outcomes": [1],
        },
    ],
}

UX_DRAFT: dict[str, Any] = {
    "org": "codeforge",
    "code": "CF-UX-05",
    "title": "UX Research Foundations",
    "status": "draft",
    "summary": "Interviews, usability tests and turning findings into design decisions.",
    "credit_system": "NZQF",
    "credits": "5",
    "notional_hours": 50,
    "contact_hours": 40,
    "learning_outcomes": [
        {"text": "Plan and run a user interview."},
        {"text": "Run a usability test."},
    ],
    "assessments": [{"type": "portfolio", "description": "Research portfolio."}],
}

MICRO_CREDENTIALS = [
    DATA_ANALYSIS,
    CYBER,
    SUSTAINABILITY,
    RESPONSIBLE_AI,
    HEALTH_RECORDS,
    LEADERSHIP_DRAFT,
    GIS,
    HYDROGEN,
    BIM_DRAFT,
    EV_SAFETY,
    CLOUD,
    UX_DRAFT,
]
