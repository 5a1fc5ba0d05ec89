"""The packs that ship with Credence load, validate, cite their sources and say what is unverified."""

from __future__ import annotations

from credence.frameworks.packs import PACKS_DIR, load_pack_file, shipped_packs

EXPECTED = {
    "eu-council-2022",
    "ecampusontario-checklist",
    "pawilen-2024",
    "esg-2015-part1",
    "brown-duarte-2024-additional-qa",
    "nzqa-2022",
    "mqa-ggp-mc",
    "qaa-2022",
    "au-nmf-2021",
    "emc-cmf-2019",
    "bc-2021",
}


def test_every_pack_file_validates_and_cites_its_source():
    packs = [load_pack_file(path) for path in sorted(PACKS_DIR.glob("*.yaml"))]

    assert {p.id for p in packs} == EXPECTED
    assert all(p.source["citation"] for p in packs)


def test_the_eu_pack_checks_the_eleven_mandatory_elements_and_judges_the_ten_principles():
    pack = shipped_packs()["eu-council-2022"]
    areas = {a.id: a for a in pack.areas}

    elements = {
        c.id
        for c in areas["annex-i-mandatory"].criteria
        if c.id.count(".") == 2 and not c.id.endswith("_ects")
    }
    assert len(elements) == 11
    assert all(c.check and c.level == "mandatory" for c in areas["annex-i-mandatory"].criteria)
    assert {c.level for c in areas["annex-i-optional"].criteria} == {"advisory"}
    assert len(areas["annex-ii-principles"].criteria) == 10
    assert not any(c.check for c in areas["annex-ii-principles"].criteria)


def test_ecampusontario_has_all_eight_areas():
    assert len(shipped_packs()["ecampusontario-checklist"].areas) == 8


def test_pawilen_has_four_components_and_the_table_4_elements_as_completeness_checks():
    pack = shipped_packs()["pawilen-2024"]
    areas = {a.id: a for a in pack.areas}

    assert [a.id for a in pack.areas][:4] == ["standards", "design", "achievement", "learners-data"]
    assert len(areas["design-elements"].criteria) == 12
    assert {c.check for c in areas["design-elements"].criteria} == {"required_elements"}


def test_esg_has_standards_1_1_to_1_10():
    assert [c.id for _, c in shipped_packs()["esg-2015-part1"].criteria] == [
        f"esg.1.{n}" for n in range(1, 11)
    ]


def test_the_self_assessment_pack_is_institution_level():
    pack = shipped_packs()["brown-duarte-2024-additional-qa"]

    assert pack.scope == "institution"
    assert [a.id for a in pack.areas] == ["plan-and-adjust", "implement", "monitor"]


def test_national_packs_mark_the_rules_the_reference_could_not_verify():
    packs = shipped_packs()

    assert packs["mqa-ggp-mc"].criterion("mqa.slt")[1].unverified
    assert packs["qaa-2022"].criterion("qaa.hours")[1].unverified
    assert packs["au-nmf-2021"].criterion("nmf.ci.volume")[1].unverified
    assert packs["nzqa-2022"].criterion("nzqa.acc.delivery")[1].unverified
    assert not packs["nzqa-2022"].criterion("nzqa.size")[1].unverified
