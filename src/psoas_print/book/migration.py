"""What a book's own layouts must change since layouts get plain values.

Layouts once received the book's model objects and called their methods; now they get
plain, read-only values with those answers filled in (see view.py). A book whose own
layouts still use the old spellings is told, line by line, what to write instead, before
anything is laid out.
"""

from __future__ import annotations

import re
from pathlib import Path

from psoas_print.errors import Problem
from psoas_print.files import Unreadable, read_limited

# (what a layout used to write, what it writes now)
OLD_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\.summary\(\s*\)"), ".summary (a value now, not a call)"),
    (re.compile(r"\.hold_text\([^)]*\)"), ".hold_text (a value now, not a call)"),
    (
        re.compile(r"\bchapter_exercises\(\s*([\w.]+?)\s*\)"),
        "chapter_exercises[{0}.id] (looked up by the chapter's id)",
    ),
    (re.compile(r"\broutines\.values\(\s*\)"), "routines (a list of the routines now)"),
)
LAYOUT_SUFFIXES = {".html", ".xhtml", ".css", ".opf", ".xml"}


def old_spellings(book: Path) -> list[Problem]:
    """A problem for each old spelling in the book's own layouts, at its line."""
    folder = book / "layouts"
    if not folder.is_dir():
        return []
    problems = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in LAYOUT_SUFFIXES:
            continue
        try:
            text = read_limited(path).decode("utf-8", errors="replace")
        except Unreadable:
            continue  # the template loader reports it, through the resolver
        problems += _in_text(path, text)
    return problems


def _in_text(path: Path, text: str) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, now in OLD_SPELLINGS:
            for match in pattern.finditer(line):
                instead = now.format(*match.groups())
                message = f"layouts get plain values now: instead of '{match[0]}' write {instead}"
                problems.append(Problem(path, number, message))
    return problems
