"""`new book` starts a book that checks and builds as it is; `new exercise` adds an exercise
with a pose that draws, from any starting position; neither writes over anything."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.runner.starting import POSITIONS
from tests.conftest import run_cli

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    folder = tmp_path / "my-book"
    result = run_cli("new", "book", folder)
    assert result.exit_code == 0, result.stderr
    return folder


def test_a_new_book_checks_and_its_yaml_names_schemas_it_fits(book: Path):
    loaded = load_book(book)  # raises on any problem
    assert len(loaded.chapters) == 1 and len(loaded.exercises) == 2 and loaded.routines
    assert loaded.warnings == ()
    named = 0
    for path in [book / "book.yaml", *book.glob("routines/*.yaml"), *book.glob("figures/*.yaml")]:
        text = path.read_text(encoding="utf-8")
        (schema_path,) = SCHEMA_LINE.findall(text)
        schema = json.loads((path.parent / schema_path).read_text(encoding="utf-8"))
        assert Draft202012Validator(schema).is_valid(yaml.safe_load(text)), path
        named += 1
    assert named == 4  # book.yaml, the routine and the two poses
    # Every key book.yaml takes is there, set or commented out, with a word on it.
    schema = json.loads((book / "schemas" / "book.schema.json").read_text(encoding="utf-8"))
    text = (book / "book.yaml").read_text(encoding="utf-8")
    for key in schema["properties"]:
        assert re.search(rf"^(# )?{key}:.*#", text, re.MULTILINE), key


def test_new_book_writes_only_into_a_new_or_empty_folder(tmp_path: Path):
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("new", "book", folder)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("is not an empty folder: give a new one for the book")
    assert [path.name for path in folder.iterdir()] == ["notes.txt"]


def test_new_exercises_from_every_position_draw(book: Path):
    for position in POSITIONS:
        result = run_cli("new", "exercise", f"from-{position}", "--book", book,
                         "--position", position)  # fmt: skip
        assert result.exit_code == 0, result.stderr
    loaded = load_book(book)  # every pose checked: it draws
    added = {f"from-{position}" for position in POSITIONS}
    assert added <= set(loaded.exercises)
    in_no_chapter = {
        Path(str(w.path)).stem for w in loaded.warnings if "in no chapter" in w.message
    }
    assert in_no_chapter == added  # and check says how to put them in the ebook


def test_new_exercise_never_writes_over_a_file(book: Path):
    text = (book / "exercises" / "bird-dog.md").read_bytes()
    result = run_cli("new", "exercise", "bird-dog", "--book", book)
    assert result.exit_code == 2
    assert "is there already: it is never written over" in result.stderr
    assert (book / "exercises" / "bird-dog.md").read_bytes() == text
    bad = run_cli("new", "exercise", "Side_Plank", "--book", book)
    assert bad.exit_code == 2 and "is not an exercise id" in bad.stderr
    assert not (book / "exercises" / "Side_Plank.md").exists()


@pytest.mark.slow
def test_a_new_book_builds_as_it_is(book: Path, tmp_path: Path):
    result = run_cli("build", "--book", book, "--out", tmp_path / "dist")
    assert result.exit_code == 0, result.stderr
    assert len(PdfReader(tmp_path / "dist" / "cheatsheet.pdf").pages) == 1
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "dist" / "ebook.pdf").pages)
    assert "Pelvic Tilt" in text and "Bird Dog" in text
    assert (tmp_path / "dist" / "ebook.epub").stat().st_size > 0
