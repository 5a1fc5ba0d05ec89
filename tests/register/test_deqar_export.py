"""A report exported in DEQAR's shape can be submitted again without losing anything."""

from __future__ import annotations

import json

from credence.register import services
from credence.register.exports import report_as_deqar
from credence.register.models import QAReport

from .test_deqar_csv import _read


def _strip_id(package):
    return {k: v for k, v in package.items() if k != "report_id"}


def test_it_exports_every_full_test_report_and_reimports_it_unchanged(deqar):
    for name in ("fulltest_inst.csv", "fulltest_prog.csv", "fulltest_jp.csv", "fulltest_op.csv"):
        services.submit_csv(actor=None, text=_read(name))

    for report in QAReport.objects.all():
        first = report_as_deqar(report)
        services.submit_report(actor=None, package=first, update=True)
        second = report_as_deqar(QAReport.objects.get(pk=report.pk))

        assert second == first


def test_it_carries_the_micro_credential_fields_into_the_export(deqar):
    services.submit_csv(actor=None, text=_read("fulltest_op.csv"))
    report = QAReport.objects.get(local_identifier="4711-echt-kölnisch-wasser")

    exported = report_as_deqar(report)

    assert exported["agency"] == "51"
    assert exported["institutions"] == [{"deqar_id": "DEQARINSTAP0010"}]
    assert exported["platforms"] == [{"deqar_id": "DEQARINST0002"}]
    [programme] = exported["programmes"]
    assert programme["workload_ects"] == 15
    assert programme["degree_outcome"] == "no full degree"
    assert programme["assessment_certification"] == "assessment based certificate"
    assert programme["field_study"] == "0912"
    assert json.loads(json.dumps(exported)) == exported


def test_it_imports_an_export_into_a_fresh_register_with_the_same_content(deqar):
    services.submit_csv(actor=None, text=_read("fulltest_prog.csv"))
    exported = [_strip_id(report_as_deqar(r)) for r in QAReport.objects.order_by("pk")]
    for report in QAReport.objects.all():
        report.delete()  # only the test may: the product never deletes reports

    again = [_strip_id(report_as_deqar(services.submit_report(actor=None, package=p))) for p in exported]

    assert again == exported
