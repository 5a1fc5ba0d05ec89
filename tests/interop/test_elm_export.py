"""The ELM v3 export of a published micro-credential: Annex I elements in the places the EDC sample puts
them, QA reports as accreditations, and an EDC credential that conforms to the EDC SHACL shapes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from credence.interop.elm import micro_credential_to_edc, micro_credential_to_elm
from credence.register import services as register

from ..factories import make_organisation, make_version
from .conftest import FULL, NO_CV, shacl_report, to_graph

ELM = Namespace("http://data.europa.eu/snb/model/elm/")
SKILL = "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"


def _demo_like(organisation):
    return make_version(
        organisation,
        status="published",
        code="PDA-1",
        languages=["en", "fr"],
        prerequisites="A bachelor's degree or two years of relevant work.",
        grading_scheme="Pass or fail.",
        learning_outcomes=[
            {
                "text": "Clean and describe a data set with summary statistics.",
                "skills": [{"uri": SKILL, "label": "stimulate creativity in the team"}],
            },
            {"text": "Choose and interpret a suitable statistical test."},
        ],
    )


def _assert_conforms(document, profile):
    conforms, text = shacl_report(document, *profile)
    assert conforms, text


def test_a_complete_published_version_exports_as_an_edc_credential_that_conforms(world):
    version = _demo_like(world.home)
    credential = micro_credential_to_edc(version)

    _assert_conforms(credential, NO_CV)
    _assert_conforms(credential, FULL)
    assert credential["credentialSubject"]["hasClaim"]["specifiedBy"]["type"] == "Qualification"
    json.dumps(credential)  # plain JSON


def test_the_specification_carries_the_annex_i_elements(world):
    version = _demo_like(world.home)
    document = micro_credential_to_elm(version)
    graph = to_graph(document)
    spec = URIRef(document["id"])

    assert (spec, RDF.type, ELM.Qualification) in graph
    assert (spec, DCTERMS.title, Literal("Practical data analysis", lang="en")) in graph
    outcomes = {str(graph.value(o, DCTERMS.title)) for o in graph.objects(spec, ELM.learningOutcome)}
    assert outcomes == {
        "Clean and describe a data set with summary statistics.",
        "Choose and interpret a suitable statistical test.",
    }
    assert (None, ELM.relatedESCOSkill, URIRef(SKILL)) in graph
    credit = graph.value(spec, ELM.creditPoint)
    assert str(graph.value(credit, ELM.point)) == "5"
    assert graph.value(credit, ELM.framework) == URIRef(
        "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    )
    assert document["volumeOfLearning"] == "PT125H"  # rdflib normalises durations as it reads them
    assert graph.value(spec, ELM.EQFLevel) == URIRef("http://data.europa.eu/snb/eqf/6")
    assert graph.value(spec, ELM.ISCEDFCode) == URIRef("http://data.europa.eu/snb/isced-f/0542")
    assert graph.value(spec, ELM.mode) == URIRef("http://data.europa.eu/snb/learning-assessment/920fbb3cbe")
    assert set(graph.objects(spec, DCTERMS.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
        URIRef("http://publications.europa.eu/resource/authority/language/FRA"),
    }
    assert "bachelor" in str(graph.value(graph.value(spec, ELM.entryRequirement), ELM.noteLiteral))
    assessment_types = {
        str(
            graph.value(graph.value(a, DCTERMS.type), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))
        )
        for a in graph.objects(spec, ELM.provenBy)
    }
    assert assessment_types == {"Project", "Online test or quiz"}
    body = graph.value(graph.value(spec, ELM.awardingOpportunity), ELM.awardingBody)
    address = graph.value(graph.value(body, ELM.location), ELM.address)
    assert graph.value(address, ELM.countryCode) == URIRef(
        "http://publications.europa.eu/resource/authority/country/IRL"
    )
    notes = " ".join(str(graph.value(n, ELM.noteLiteral)) for n in graph.objects(spec, ELM.additionalNote))
    assert "Type of quality assurance: Approved by the university's academic council" in notes
    assert "accreditation" not in document


def test_an_unpublished_version_is_refused(world):
    draft = make_version(world.home, status="draft")
    with pytest.raises(ValueError, match="only a published version can be exported"):
        micro_credential_to_elm(draft)
    with pytest.raises(ValueError, match="is draft"):
        micro_credential_to_edc(draft)


def test_a_version_without_a_level_exports_without_one_and_conforms(world):
    version = make_version(
        world.home,
        status="published",
        eqf_level=None,
        level_not_applicable=True,
        level_not_applicable_reason="A professional update course outside the frameworks.",
    )
    document = micro_credential_to_elm(version)
    assert "eqfLevel" not in document
    assert any("Level: not applicable" in n["noteLiteral"]["en"] for n in document["additionalNote"])
    _assert_conforms(micro_credential_to_edc(version), FULL)


def _report_on(version, provider, decision="positive"):
    agency = make_organisation("ELM Test Agency", kind="qa_agency", acronym="ETA")
    register.set_agency_profile(actor=None, agency=agency, registration_start=dt.date(2020, 1, 1))
    register.add_agency_activity(
        actor=None, agency=agency, name="MC certification", activity_type="programme"
    )
    return register.submit_report(
        actor=None,
        package={
            "agency": "ETA",
            "local_identifier": "ETA-7",
            "activities": [{"activity": "MC certification"}],
            "status": "voluntary",
            "decision": decision,
            "valid_from": "2025-01-10",
            "institutions": [{"identifier": provider.slug, "resource": "credence"}],
            "programmes": [register.programme_for_micro_credential(version.micro_credential)],
            "report_links": [{"link": "https://agency.example.org/reports/ETA-7.pdf"}],
        },
    )


def test_a_register_report_covering_it_appears_as_an_accreditation(world):
    version = _demo_like(world.home)
    version.micro_credential.refresh_from_db()
    report = _report_on(version, world.home)

    document = micro_credential_to_elm(version)
    (accreditation,) = document["accreditation"]
    assert accreditation["dcType"]["id"] == "http://data.europa.eu/snb/accreditation/c_64666c29"
    assert accreditation["accreditingAgent"]["legalName"] == {"en": "ELM Test Agency"}
    assert accreditation["limitQualification"]["id"] == document["id"]
    assert accreditation["title"] == {"en": "ETA report ETA-7"}
    assert accreditation["landingPage"]["contentURL"].endswith(f"/register/reports/{report.pk}/")
    assert accreditation["report"]["contentURL"] == "https://agency.example.org/reports/ETA-7.pdf"
    assert accreditation["dateIssued"] == "2025-01-10T00:00:00Z"
    _assert_conforms(micro_credential_to_edc(version), FULL)


def test_a_withdrawn_report_is_left_out(world):
    version = _demo_like(world.home)
    version.micro_credential.refresh_from_db()
    report = _report_on(version, world.home)
    register.withdraw_report(actor=None, report=report, reason="Issued in error.")
    assert "accreditation" not in micro_credential_to_elm(version)


def test_the_shapes_do_catch_a_broken_credential(world):
    credential = micro_credential_to_edc(_demo_like(world.home))
    del credential["issued"]
    del credential["credentialSubject"]["hasClaim"]["specifiedBy"]["title"]
    conforms, text = shacl_report(credential, *NO_CV)
    assert not conforms
    assert "EuropeanDigitalCredential-cred_issued" in text
    assert "Qualification-dc_title" in text or "LearningAchievementSpecification-dc_title" in text
