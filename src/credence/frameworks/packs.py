"""Framework packs: YAML files of criteria, validated against a JSON schema when they are read.

A bad pack is refused with a `PackError` that names the file, the line and the reason. The shipped packs
live in `packs/*.yaml` next to this module; organisations may upload their own (see `services`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .checks import REGISTRY

PACKS_DIR = Path(__file__).parent / "packs"
MAX_PACK_BYTES = 512_000
LEVELS = ("mandatory", "advisory")
SCOPES = ("version", "institution")
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"

PACK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title", "version", "source", "areas"],
    "properties": {
        "id": {"type": "string", "pattern": ID_PATTERN},
        "title": {"type": "string", "minLength": 1, "maxLength": 300},
        "version": {"type": "string", "minLength": 1, "maxLength": 40},
        "scope": {"enum": list(SCOPES)},
        "jurisdiction": {"type": "string", "maxLength": 100},
        "description": {"type": "string", "maxLength": 5000},
        "source": {
            "type": "object",
            "additionalProperties": False,
            "required": ["citation"],
            "properties": {
                "citation": {"type": "string", "minLength": 1, "maxLength": 1000},
                "url": {"type": "string", "pattern": "^https?://", "maxLength": 1000},
                "licence": {"type": "string", "maxLength": 200},
                "note": {"type": "string", "maxLength": 2000},
            },
        },
        "areas": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "criteria"],
                "properties": {
                    "id": {"type": "string", "pattern": ID_PATTERN},
                    "title": {"type": "string", "minLength": 1, "maxLength": 300},
                    "description": {"type": "string", "maxLength": 2000},
                    "criteria": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "title", "requirement", "level"],
                            "properties": {
                                "id": {"type": "string", "pattern": ID_PATTERN},
                                "title": {"type": "string", "minLength": 1, "maxLength": 300},
                                "requirement": {"type": "string", "minLength": 1, "maxLength": 3000},
                                "guidance": {"type": "string", "maxLength": 3000},
                                "level": {"enum": list(LEVELS)},
                                "check": {"type": "string"},
                                "params": {"type": "object"},
                                "unverified": {"type": "boolean"},
                                "note": {"type": "string", "maxLength": 2000},
                            },
                        },
                    },
                },
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(PACK_SCHEMA)


class PackError(ValueError):
    """A pack was refused: where, and why."""

    def __init__(self, source: str, line: int | None, reason: str) -> None:
        self.source, self.line, self.reason = source, line, reason
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    requirement: str
    level: str
    guidance: str = ""
    check: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    unverified: bool = False
    note: str = ""

    @property
    def is_machine_checked(self) -> bool:
        return bool(self.check)


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    description: str = ""


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    version: str
    source: Mapping[str, str]
    areas: tuple[Area, ...]
    scope: str = "version"
    jurisdiction: str = ""
    description: str = ""
    text: str = ""  # the YAML it was read from

    @property
    def criteria(self) -> Iterator[tuple[Area, Criterion]]:
        for area in self.areas:
            for criterion in area.criteria:
                yield area, criterion

    @property
    def criterion_count(self) -> int:
        return sum(len(a.criteria) for a in self.areas)

    @property
    def check_count(self) -> int:
        return sum(1 for _, c in self.criteria if c.check)

    @property
    def has_unverified(self) -> bool:
        return any(c.unverified for _, c in self.criteria)

    def criterion(self, criterion_id: str) -> tuple[Area, Criterion] | None:
        return next(((a, c) for a, c in self.criteria if c.id == criterion_id), None)


# --- reading YAML while keeping line numbers -------------------------------------------------------------


def _lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int], source: str) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
            if name in seen:
                raise PackError(source, key.start_mark.line + 1, f"'{name}' is given twice.")
            seen.add(name)
            out[(*path, name)] = key.start_mark.line + 1
            _lines(value, (*path, name), out, source)
            out[(*path, name)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), out, source)


def _line_of(lines: Mapping[tuple[Any, ...], int], path: tuple[Any, ...]) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _describe(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_pack(text: str, source: str = "pack") -> Pack:
    """Read and validate one pack; raise PackError naming the line and the reason."""
    if len(text.encode("utf-8", "replace")) > MAX_PACK_BYTES:
        raise PackError(source, None, f"The pack is larger than {MAX_PACK_BYTES // 1000} kB.")
    try:
        # Aliases would let a small upload expand into a huge document (a "billion laughs"): refuse them.
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise PackError(
                    source,
                    event.start_mark.line + 1,
                    "Anchors and aliases (& and *) are not allowed in a pack.",
                )
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise PackError(
            source, mark.line + 1 if mark else None, f"Not valid YAML: {error.problem or error}"
        ) from None
    except yaml.YAMLError as error:
        raise PackError(source, None, f"Not valid YAML: {error}") from None
    if node is None or not isinstance(data, dict):
        raise PackError(source, 1, "A pack is a mapping with id, title, version, source and areas.")
    lines: dict[tuple[Any, ...], int] = {}
    _lines(node, (), lines, source)

    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: _line_of(lines, tuple(e.absolute_path)) or 0)
    if errors:
        first = errors[0]
        path = tuple(first.absolute_path)
        where = _describe(path)
        if first.validator == "required":
            reason = (
                f"{where or 'the pack'}: {first.message.replace(' is a required property', ' is missing')}"
            )
        elif first.validator == "additionalProperties":
            reason = f"{where or 'the pack'}: {first.message}"
        elif first.validator == "pattern":
            reason = f"{where}: '{first.instance}' is not a valid id (lower-case letters, digits, '.', '_' and '-')."
        else:
            reason = f"{where}: {first.message}" if where else first.message
        raise PackError(source, _line_of(lines, path), reason)

    seen_areas: set[str] = set()
    seen: set[str] = set()
    areas = []
    for a_index, area in enumerate(data["areas"]):
        if area["id"] in seen_areas:
            raise PackError(
                source,
                _line_of(lines, ("areas", a_index, "id")),
                f"The area id '{area['id']}' is used twice.",
            )
        seen_areas.add(area["id"])
        criteria = []
        for c_index, raw in enumerate(area["criteria"]):
            at = ("areas", a_index, "criteria", c_index)
            if raw["id"] in seen:
                raise PackError(
                    source, _line_of(lines, (*at, "id")), f"The criterion id '{raw['id']}' is used twice."
                )
            seen.add(raw["id"])
            check_id, params = raw.get("check", ""), raw.get("params", {})
            if params and not check_id:
                raise PackError(
                    source,
                    _line_of(lines, (*at, "params")),
                    f"Criterion '{raw['id']}' has params but no check.",
                )
            if check_id:
                spec = REGISTRY.get(check_id)
                if spec is None:
                    raise PackError(
                        source,
                        _line_of(lines, (*at, "check")),
                        f"Criterion '{raw['id']}' names an unknown check '{check_id}' "
                        f"(known: {', '.join(sorted(REGISTRY))}).",
                    )
                problems = sorted(
                    jsonschema.Draft202012Validator(spec.params_schema).iter_errors(params), key=str
                )
                if problems:
                    problem = problems[0]
                    inner = tuple(problem.absolute_path)
                    raise PackError(
                        source,
                        _line_of(lines, (*at, "params", *inner)),
                        f"Criterion '{raw['id']}': wrong parameters for the check '{check_id}': {problem.message}",
                    )
            criteria.append(
                Criterion(
                    id=raw["id"],
                    title=raw["title"],
                    requirement=raw["requirement"].strip(),
                    level=raw["level"],
                    guidance=raw.get("guidance", "").strip(),
                    check=check_id,
                    params=params,
                    unverified=raw.get("unverified", False),
                    note=raw.get("note", "").strip(),
                )
            )
        areas.append(Area(area["id"], area["title"], tuple(criteria), area.get("description", "").strip()))
    return Pack(
        id=data["id"],
        title=data["title"],
        version=str(data["version"]),
        source=data["source"],
        areas=tuple(areas),
        scope=data.get("scope", "version"),
        jurisdiction=data.get("jurisdiction", ""),
        description=data.get("description", "").strip(),
        text=text,
    )


def load_pack_file(path: Path) -> Pack:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(str(path), None, f"Cannot read the file: {error}") from None
    return parse_pack(text, source=path.name)


@functools.cache
def shipped_packs() -> dict[str, Pack]:
    """Every pack that ships with Credence, by id. A broken shipped pack stops the app loudly."""
    packs: dict[str, Pack] = {}
    for path in sorted(PACKS_DIR.glob("*.yaml")):
        pack = load_pack_file(path)
        if pack.id in packs:
            raise PackError(path.name, 1, f"Two shipped packs have the id '{pack.id}'.")
        packs[pack.id] = pack
    return packs
