"""Show changes: the difference between two versions of a micro-credential.

Fields are compared one by one; outcomes, assessments, modules and pathways are matched by the key
they carry from version to version, so an edited outcome shows as changed, not as removed and added.
"""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field
from typing import Any

from .documents import PART_FIELDS, version_document
from .models import DESCRIPTIVE_FIELDS, MicroCredentialVersion


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class PartChange:
    change: str  # added, removed, changed
    key: str
    old_number: int | None
    new_number: int | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class VersionDiff:
    old_number: int
    new_number: int
    fields: list[FieldChange]
    parts: dict[str, list[PartChange]]

    @property
    def is_empty(self) -> bool:
        return not self.fields and not any(self.parts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "from_version": self.old_number,
            "to_version": self.new_number,
            "fields": [vars(c) for c in self.fields],
            **{
                kind: [
                    {
                        "change": c.change,
                        "key": c.key,
                        "old_number": c.old_number,
                        "new_number": c.new_number,
                        "old": c.old,
                        "new": c.new,
                        "fields": [vars(f) for f in c.fields],
                    }
                    for c in changes
                ]
                for kind, changes in self.parts.items()
            },
        }


def _label(name: str) -> str:
    return str(MicroCredentialVersion._meta.get_field(name).verbose_name)


def _plain(value: Any) -> Any:
    from credence.audit.services import _jsonable

    return _jsonable(value)


def diff_versions(old: MicroCredentialVersion, new: MicroCredentialVersion) -> VersionDiff:
    before, after = version_document(old, with_ids=False), version_document(new, with_ids=False)
    fields = [
        FieldChange(name, _label(name), _plain(before[name]), _plain(after[name]))
        for name in DESCRIPTIVE_FIELDS
        if _plain(before[name]) != _plain(after[name])
    ]
    parts: dict[str, list[PartChange]] = {}
    for kind, names in PART_FIELDS.items():
        old_items = {item["key"]: (n, item) for n, item in enumerate(before[kind], start=1)}
        new_items = {item["key"]: (n, item) for n, item in enumerate(after[kind], start=1)}
        changes: list[PartChange] = []
        for key, (number, item) in new_items.items():
            if key not in old_items:
                changes.append(PartChange("added", key, None, number, None, _plain(item)))
                continue
            old_number, old_item = old_items[key]
            field_changes = [
                FieldChange(name, name.replace("_", " "), _plain(old_item[name]), _plain(item[name]))
                for name in names
                if _plain(old_item[name]) != _plain(item[name])
            ]
            if field_changes:
                changes.append(
                    PartChange(
                        "changed", key, old_number, number, _plain(old_item), _plain(item), field_changes
                    )
                )
        for key, (number, item) in old_items.items():
            if key not in new_items:
                changes.append(PartChange("removed", key, number, None, _plain(item), None))
        changes.sort(key=lambda c: (c.new_number or c.old_number or 0, c.change))
        parts[kind] = changes
    return VersionDiff(old.number, new.number, fields, parts)


def redline(old: Any, new: Any) -> str:
    """Word-level redline as HTML (<del>/<ins>); every piece of text is escaped."""
    old_words = str("" if old is None else old).split()
    new_words = str("" if new is None else new).split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(' '.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{html.escape(' '.join(new_words[b1:b2]))}</ins>")
    return " ".join(piece for piece in out if piece)
