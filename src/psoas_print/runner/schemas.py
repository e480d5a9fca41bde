"""JSON Schemas of the book's files, made from the very models that validate them, for
editors that check and complete YAML as the author types (the YAML language server reads
a ``# yaml-language-server: $schema=...`` line) and for scripts.

The joints a pose may bend and the body points it may rest are the figures stage's: they
are added here, where both stages are known.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel

from psoas_print.book.clinic import ClinicFacts
from psoas_print.book.model import BookInfo, ChapterFacts, ExerciseFacts, PoseFacts, RoutineFacts
from psoas_print.book.programmes import ProgrammeFile
from psoas_print.figures.body import View, contact_names, joint_names
from psoas_print.output import check_outputs, write_text

DRAFT = "https://json-schema.org/draft/2020-12/schema"

# File name: (what it describes, the model that validates it).
SCHEMAS: dict[str, tuple[str, type[BaseModel]]] = {
    "book.schema.json": ("book.yaml", BookInfo),
    "exercise.schema.json": ("an exercise's front matter (exercises/ID.md)", ExerciseFacts),
    "chapter.schema.json": ("a chapter's front matter (chapters/NN-ID.md)", ChapterFacts),
    "routine.schema.json": ("a routine (routines/ID.yaml)", RoutineFacts),
    "pose.schema.json": ("a pose (figures/ID.yaml, or 'pose:' in an exercise)", PoseFacts),
    "programme.schema.json": (
        "a programme file (one client, or many under 'clients:'; not in the book)",
        ProgrammeFile,
    ),
    "clinic.schema.json": ("a clinic's branding (clinic.yaml; not in the book)", ClinicFacts),
}


def schemas() -> dict[str, dict[str, Any]]:
    """Each schema by its file name."""
    made = {}
    for name, (what, model) in SCHEMAS.items():
        schema = model.model_json_schema(by_alias=True)
        schema = {"$schema": DRAFT, **schema, "title": f"psoas-print: {what}"}
        _name_joints_and_contacts(schema)
        made[name] = schema
    for kind in TRANSLATED:
        made[f"{kind}.translation.schema.json"] = _translation(made[f"{kind}.schema.json"])
    return made


# The files a translation (translations/LANG/..., see book/translations.py) may give.
TRANSLATED = ("book", "exercise", "chapter", "routine")


def _translation(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of a translated file: its source's, every key optional (a fact left out
    is the source's; one given must be the source's, which ``check`` sees, not the schema)."""

    def optional(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: optional(value) for key, value in node.items() if key != "required"}
        if isinstance(node, list):
            return [optional(item) for item in node]
        return node

    title = schema["title"].replace("psoas-print: ", "psoas-print: a translation of ")
    return {**optional(schema), "title": f"{title} (translations/LANG/)"}


def _name_joints_and_contacts(schema: dict[str, Any]) -> None:
    """A keyframe's angles and contacts, with the names a pose may use (any view's)."""
    keyframe = schema.get("$defs", {}).get("KeyframeFacts")
    if keyframe is None:
        return
    views: tuple[View, ...] = get_args(View)
    joints = sorted({name for view in views for name in joint_names(view)})
    contacts = sorted({name for view in views for name in contact_names(view)})
    properties = keyframe["properties"]
    properties["angles"]["propertyNames"] = {"enum": joints}
    surfaces = properties["contacts"]["anyOf"]
    for kind in surfaces:
        if kind.get("type") == "array":
            kind["items"] = {"enum": contacts}
        elif kind.get("type") == "object":
            kind["propertyNames"] = {"enum": contacts}


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; the files written."""
    made = schemas()
    targets = [folder / name for name in made]
    check_outputs(targets, None)
    for target in targets:
        write_text(target, json.dumps(made[target.name], indent=2, ensure_ascii=False) + "\n")
    return targets


def format_reference() -> str:
    """The book format as Markdown tables, from the schemas (docs/book-format.md holds it):
    every key of every file, whether it must be there, what it takes and what it is for."""
    parts = []
    made = schemas()
    for name, (what, _) in SCHEMAS.items():
        schema = made[name]
        whole = _table(schema, schema) if "properties" in schema else _one_of(schema)
        parts.append(f"## {what}\n\n{whole}")
        for definition, nested in schema.get("$defs", {}).items():
            if name == "exercise.schema.json" and definition in _POSE_PARTS:
                continue  # the pose's own section tells them
            parts.append(f"### {definition.removesuffix('Facts')}\n\n{_table(nested, schema)}")
    return "\n\n".join(parts) + "\n"


def _one_of(schema: dict[str, Any]) -> str:
    """A file that is one of several shapes (a programme file: a client, or clients)."""
    shapes = [kind["$ref"].rsplit("/", 1)[-1].removesuffix("Facts") for kind in schema["anyOf"]]
    return "One of: " + " or ".join(f"{shape} (below)" for shape in shapes) + "."


_POSE_PARTS = {"PoseFacts", "KeyframeFacts", "ArrowFacts", "BreathFacts"}


def _table(schema: dict[str, Any], root: dict[str, Any]) -> str:
    required = set(schema.get("required", []))
    rows = ["| key | | takes | what it is |", "|---|---|---|---|"]
    for key, field in schema.get("properties", {}).items():
        need = "required" if key in required else "optional"
        rows.append(
            f"| `{key}` | {need} | {_takes(field, root)} | {field.get('description', '')} |"
        )
    return "\n".join(rows)


def _takes(field: dict[str, Any], root: dict[str, Any]) -> str:
    """What a field takes, in a few words."""
    if "$ref" in field:
        return f"see {field['$ref'].rsplit('/', 1)[-1].removesuffix('Facts')}"
    if "anyOf" in field:
        kinds = [_takes(kind, root) for kind in field["anyOf"] if kind.get("type") != "null"]
        return " or ".join(kinds)
    if "enum" in field:
        return ", ".join(f"`{value}`" for value in field["enum"])
    kind = field.get("type", "a value")
    if kind == "array":
        return f"a list of {_takes(field.get('items', {}), root)}"
    if kind == "object":
        names = field.get("propertyNames", {}).get("enum")
        keys = ", ".join(f"`{name}`" for name in names) if names else "names"
        return f"a mapping of {keys} to {_takes(field.get('additionalProperties', {}), root)}"
    if "pattern" in field:
        return f"{kind} like the pattern `{field['pattern']}`"
    return str(kind)
