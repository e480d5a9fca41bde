"""`check --format`: the same findings as lines for a person, JSON for an editor or a
script, and GitHub workflow commands that annotate the files in a pull request."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from psoas_print import load_book
from tests.conftest import SECOND_BOOK, run_cli


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The second book with a front matter that is not YAML, in a file whose name has a
    comma (which a GitHub annotation must escape)."""
    book = tmp_path / "book"
    shutil.copytree(SECOND_BOOK, book)
    (book / "exercises" / "odd,name.md").write_text(
        "---\nname: [unclosed\n---\nText.\n", encoding="utf-8"
    )
    return book


def test_json_lists_each_warning_and_what_the_book_holds():
    result = run_cli("check", "--book", SECOND_BOOK, "--format", "json")
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    book = load_book(SECOND_BOOK)
    assert found["ok"] is True
    assert found["book"] == {
        "chapters": len(book.chapters),
        "exercises": len(book.exercises),
        "routines": len(book.routines),
    }
    assert len(found["problems"]) == len(book.warnings)
    for problem in found["problems"]:
        assert problem["severity"] == "warning"
        assert Path(problem["file"]).exists()
        assert problem["message"]


def test_a_broken_book_in_each_format(broken: Path):
    text = run_cli("check", "--book", broken)
    as_json = run_cli("check", "--book", broken, "--format", "json")
    github = run_cli("check", "--book", broken, "--format", "github")
    assert text.exit_code == as_json.exit_code == github.exit_code == 2

    (line,) = text.stderr.strip().splitlines()
    where, message = re.fullmatch(r"(.*odd,name\.md:2): (invalid YAML: .*)", line).groups()
    found = json.loads(as_json.stdout)
    assert found["ok"] is False and found["book"] is None
    (problem,) = found["problems"]
    assert (problem["line"], problem["severity"]) == (2, "error")
    assert problem["file"].endswith("odd,name.md") and problem["message"] == message
    assert github.stdout.strip() == (
        f"::error file={problem['file'].replace(',', '%2C')},line=2::{message}"
    )
    assert where.startswith(problem["file"])
