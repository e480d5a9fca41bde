"""What ``check`` says about a book, in the form its reader wants: lines for a person,
JSON for an editor or a script, or GitHub's workflow commands, which turn each problem
into an annotation on the file and line it names."""

from __future__ import annotations

import json
from enum import StrEnum

from psoas_print.book.model import Book
from psoas_print.errors import Problem, display_path, one_line


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def report(
    problems: list[Problem], warnings: tuple[Problem, ...], book: Book | None, form: CheckFormat
) -> list[str]:
    """The lines ``check`` prints: ``problems`` (errors) and ``warnings``, and what the book
    holds when it could be read."""
    if form is CheckFormat.JSON:
        return [json.dumps(_as_json(problems, warnings, book), ensure_ascii=False, indent=1)]
    if form is CheckFormat.GITHUB:
        return [_command("error", p) for p in problems] + [_command("warning", w) for w in warnings]
    return [str(problem) for problem in problems] + [_warning_line(w) for w in warnings]


def _warning_line(warning: Problem) -> str:
    where, _, message = str(warning).partition(": ")
    return f"{where}: warning: {message}"


def _as_json(
    problems: list[Problem], warnings: tuple[Problem, ...], book: Book | None
) -> dict[str, object]:
    found = [_entry("error", p) for p in problems] + [_entry("warning", w) for w in warnings]
    held = None
    if book is not None:
        held = {"chapters": len(book.chapters), "exercises": len(book.exercises),
                "routines": len(book.routines)}  # fmt: skip
    return {"ok": not problems, "problems": found, "book": held}


def _entry(severity: str, problem: Problem) -> dict[str, object]:
    return {
        "file": display_path(problem.path), "line": problem.line,
        "severity": severity, "message": one_line(problem.message),
    }  # fmt: skip


def _command(kind: str, problem: Problem) -> str:
    """``::error file=F,line=L::MESSAGE``, escaped as GitHub reads workflow commands."""
    where = f"file={_property(display_path(problem.path))}"
    if problem.line is not None:
        where += f",line={problem.line}"
    return f"::{kind} {where}::{_data(problem.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
