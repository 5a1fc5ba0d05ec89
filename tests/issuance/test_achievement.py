"""The Achievement carries the EU Annex I elements of the published version."""

from __future__ import annotations

import pytest

from .conftest import document, issue

pytestmark = pytest.mark.django_db


def test_the_achievement_describes_the_micro_credential(offering):
    achievement = document(issue(offering, ["ada@example.org"])[0])["credentialSubject"]["achievement"]
    version = offering.version

    assert achievement["name"] == version.title
    assert achievement["achievementType"] == "MicroCredential"
    assert achievement["description"] == version.summary
    assert achievement["creditsAvailable"] == 5.0
    assert achievement["inLanguage"] == "en"
    assert achievement["humanCode"] == version.micro_credential.code
    assert "Clean and describe a data set" in achievement["criteria"]["narrative"]
    assert achievement["criteria"]["id"].endswith(f"/micro-credentials/{version.micro_credential_id}/")
    aligned = {a.get("targetType"): a for a in achievement["alignment"]}
    assert aligned["ext:ESCOSkill"]["targetUrl"] == "http://data.europa.eu/esco/skill/abc-123"
    assert aligned["ext:EQFLevel"]["targetCode"] == "6"
    assert aligned["ext:ISCEDField"]["targetCode"] == "0542"
    tags = "\n".join(achievement["tag"])
    for element in (
        "Notional learning hours: 125",
        "Credits: 5 ECTS",
        "Type of assessment: Online test or quiz, Project",
        "Form of participation: Online, scheduled",
        "Type of quality assurance: Approved by the university",
        f"Awarding body: {offering.organisation}",
    ):
        assert element in tags
    assert achievement["creator"]["name"] == str(offering.organisation)
