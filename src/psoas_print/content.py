"""Reading a book folder into the model; every problem becomes a located Problem.

All problems of a book are collected before anything is raised, so that
``psoas-print check`` can list them all in one run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

from pydantic import BaseModel, ValidationError

from psoas_print import markdown
from psoas_print.errors import BookError, Problem
from psoas_print.model import (
    Book,
    BookInfo,
    Chapter,
    ChapterFacts,
    Exercise,
    ExerciseFacts,
    Routine,
    RoutineEntryFacts,
    RoutineFacts,
    RoutineItem,
    shown,
)
from psoas_print.yamlfile import YamlDocument, parse_yaml

Model = TypeVar("Model", bound=BaseModel)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".svg"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_ORDER_PREFIX = re.compile(r"^\d+[-_ ]")


def load_book(root: Path) -> Book:
    """Read and validate the whole book, or raise one BookError listing every problem."""
    root = root.resolve()
    if not (root / "book.yaml").is_file():
        raise BookError.at(
            root / "book.yaml", None, "no book.yaml here; point --book at a book folder"
        )
    problems: list[Problem] = []
    info = _load_info(root, problems)
    exercise_files = sorted((root / "exercises").glob("*.md"))
    exercises = {
        exercise.id: exercise
        for path in exercise_files
        if (exercise := _load_exercise(path, root, problems))
    }
    # An exercise whose own file has a problem is not also reported as unknown elsewhere.
    broken = {path.stem for path in exercise_files} - set(exercises)
    chapters = tuple(
        chapter
        for path in sorted((root / "chapters").glob("*.md"))
        if (chapter := _load_chapter(path, root, exercises, broken, problems))
    )
    routines = {
        routine.id: routine
        for path in sorted((root / "routines").glob("*.yaml"))
        if (routine := _load_routine(path, exercises, broken, problems))
    }
    if problems or info is None:
        raise BookError(problems)
    return Book(root, info, chapters, exercises, routines)


def _load_info(root: Path, problems: list[Problem]) -> BookInfo | None:
    path = root / "book.yaml"
    text = _read_text(path, problems)
    if text is None:
        return None
    return _validate(BookInfo, parse_yaml(text, path), problems)


def _load_exercise(path: Path, root: Path, problems: list[Problem]) -> Exercise | None:
    parsed = _read_markdown(path, problems)
    if parsed is None:
        return None
    document, body, body_offset = parsed
    facts = _validate(ExerciseFacts, document, problems)
    body_html = _render_body(body, body_offset, path, root, problems, heading_shift=1)
    if facts is None:
        return None
    image_path = None
    if facts.image is not None:
        image_path = _resolve_asset(facts.image, path, document.line_of(("image",)), root, problems)
    return Exercise(
        **dict(facts), id=path.stem, source=path, body_html=body_html, image_path=image_path
    )


def _load_chapter(
    path: Path,
    root: Path,
    exercises: dict[str, Exercise],
    broken: set[str],
    problems: list[Problem],
) -> Chapter | None:
    parsed = _read_markdown(path, problems)
    if parsed is None:
        return None
    document, body, body_offset = parsed
    facts = _validate(ChapterFacts, document, problems)
    body_html = _render_body(body, body_offset, path, root, problems, heading_shift=0)
    if facts is None:
        return None
    for index, exercise_id in enumerate(facts.exercises):
        if exercise_id not in exercises and exercise_id not in broken:
            line = document.line_of(("exercises", index))
            problems.append(Problem(path, line, _unknown_exercise(exercise_id, exercises)))
    chapter_id = _ORDER_PREFIX.sub("", path.stem)
    return Chapter(**dict(facts), id=chapter_id, source=path, body_html=body_html)


def _load_routine(
    path: Path, exercises: dict[str, Exercise], broken: set[str], problems: list[Problem]
) -> Routine | None:
    text = _read_text(path, problems)
    if text is None:
        return None
    document = parse_yaml(text, path)
    facts = _validate(RoutineFacts, document, problems)
    if facts is None:
        return None
    items = []
    for index, entry in enumerate(facts.exercises):
        if isinstance(entry, str):
            entry = RoutineEntryFacts(id=entry)
        exercise = exercises.get(entry.id)
        if exercise is None and entry.id in broken:
            continue
        if exercise is None:
            line = document.line_of(("exercises", index))
            problems.append(Problem(path, line, _unknown_exercise(entry.id, exercises)))
            continue
        items.append(RoutineItem(exercise, entry.dose.apply(exercise.dose)))
    return Routine(
        id=path.stem,
        title=facts.title,
        description=facts.description,
        items=tuple(items),
        source=path,
        exercises_line=document.line_of(("exercises",)),
    )


def _unknown_exercise(exercise_id: str, exercises: dict[str, Exercise]) -> str:
    known = ", ".join(sorted(exercises)) or "none"
    return f"unknown exercise '{exercise_id}' (exercises/ has: {known})"


# --- files -------------------------------------------------------------------


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file as text, or None after recording why it cannot be used."""
    data = path.read_bytes()
    if not data.strip():
        problems.append(Problem(path, 1, "file is empty"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(
            Problem(
                path,
                line,
                f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
            )
        )
        return None


def _read_markdown(path: Path, problems: list[Problem]) -> tuple[YamlDocument, str, int] | None:
    """Front matter as a YamlDocument, the body, and how many lines precede the body."""
    text = _read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != "---":
        problems.append(
            Problem(
                path, 1, "no front matter: start the file with a '---' line, the facts, then '---'"
            )
        )
        return None
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
    if closing is None:
        problems.append(Problem(path, 1, "front matter is not closed with a '---' line"))
        return None
    document = parse_yaml("".join(lines[1:closing]), path, line_offset=1)
    if not document.problems and not isinstance(document.data, dict):
        document.problems.append(
            Problem(path, 2, "front matter must be a set of 'key: value' lines")
        )
    problems.extend(document.problems)
    if document.problems:
        return None
    return document, "".join(lines[closing + 1 :]), closing + 1


def _validate(model: type[Model], document: YamlDocument, problems: list[Problem]) -> Model | None:
    if document.problems:
        problems.extend(document.problems)
        return None
    if not isinstance(document.data, dict):
        problems.append(Problem(document.path, document.first_line, "expected 'key: value' lines"))
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        for detail in error.errors():
            location = tuple(detail["loc"])
            line = document.line_of(location)
            problems.append(Problem(document.path, line, _describe(detail)))
        return None


def _describe(detail: dict) -> str:
    """A validation error in the words of the book's author."""
    field = ".".join(str(part) for part in detail["loc"] if not _is_union_branch(part))
    kind = detail["type"]
    value = detail.get("input")
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "extra_forbidden":
        return f"unknown field '{field}' (check its spelling)"
    if kind == "count":
        return f"{field} {detail['msg']}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{field} must be a whole number, got {shown(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{field} must be true or false, got {shown(value)}"
    if kind == "string_type":
        return f"{field} must be text, got {shown(value)}"
    if kind == "string_too_short":
        return f"{field} must not be empty"
    if kind == "too_short":
        return f"{field} must list at least one item"
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        expected = "a list" if kind == "list_type" else "a set of 'key: value' lines"
        return f"{field} must be {expected}, got {shown(value)}"
    return f"{field}: {detail['msg'].lower()}, got {shown(value)}"


def _is_union_branch(part: object) -> bool:
    # Pydantic names the tried branch of a union in the location ("str", "RoutineEntryFacts").
    return isinstance(part, str) and (part in ("str", "int") or part[:1].isupper())


# --- references to files -----------------------------------------------------


def _render_body(
    body: str, offset: int, path: Path, root: Path, problems: list[Problem], heading_shift: int
) -> str:
    tokens = markdown.parse(body)
    for reference in markdown.references(tokens):
        _resolve_asset(reference.url, path, offset + reference.line, root, problems)
    return markdown.to_html(tokens, heading_shift=heading_shift)


def _resolve_asset(
    url: str, path: Path, line: int, root: Path, problems: list[Problem]
) -> Path | None:
    """The file ``url`` names inside the book, or None after recording why it cannot be used.

    Paths are relative to the book folder, in the front matter and the Markdown body alike.
    """
    if url.startswith("data:"):
        return None
    problem = _asset_problem(url, root)
    if problem:
        problems.append(Problem(path, line, problem))
        return None
    return (root / unquote(url.split("#")[0].split("?")[0])).resolve()


def _asset_problem(url: str, root: Path) -> str | None:
    scheme = _SCHEME.match(url)
    if not url.strip():
        return "empty image path"
    if scheme and scheme[1].lower() in ("http", "https", "ftp"):
        return (
            f"remote image '{url}' is not allowed: nothing is fetched from the network; "
            "save the file in the book folder and give its path"
        )
    if scheme or url.startswith(("/", "\\")):
        return f"'{url}' is not a path inside the book; give a path relative to the book folder"
    target = (root / unquote(url.split("#")[0].split("?")[0])).resolve()
    if not target.is_relative_to(root):
        return f"'{url}' points outside the book folder {root}"
    if not target.is_file():
        return f"image '{url}' not found (looked for {target})"
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        return f"'{url}' is not a JPEG, PNG or SVG image"
    return None
