"""Running a pack's machine checks on a version: pure, given a `Subject`."""

from __future__ import annotations

from typing import Any

from .checks import REGISTRY, Subject
from .packs import Pack


def evaluate(pack: Pack, subject: Subject) -> list[dict[str, Any]]:
    """One result per machine-checked criterion of `pack`, in the pack's order."""
    results = []
    for area, criterion in pack.criteria:
        if not criterion.check:
            continue
        result = REGISTRY[criterion.check].function(subject, criterion.params)
        results.append(
            {
                "area": area.id,
                "criterion": criterion.id,
                "title": criterion.title,
                "check": criterion.check,
                "level": criterion.level,
                "status": result.status,
                "message": result.message,
                "field": result.field,
            }
        )
    return results


def summarise(results: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"pass": 0, "fail": 0, "not_applicable": 0, "mandatory_fail": 0}
    for result in results:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
        if result["status"] == "fail" and result.get("level") == "mandatory":
            counts["mandatory_fail"] += 1
    return counts
