"""The worked examples of docs/layouts.md, as written there, do what the guide says."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf

from tests.conftest import SECOND_BOOK, run_cli

GUIDE = Path(__file__).parent.parent / "docs" / "layouts.md"
EXAMPLE = re.compile(r"^`(layouts/[^`]+)`:\n\n```\w+\n(.*?)```", re.MULTILINE | re.DOTALL)
PLUM = (0x7A / 255, 0x2E / 255, 0x8A / 255)


def fill_colours(pdf: Path) -> list[tuple[float, float, float]]:
    """Every RGB fill colour the first page sets."""
    with pikepdf.open(pdf) as document:
        return [
            tuple(float(operand) for operand in instruction.operands)  # type: ignore[misc]
            for instruction in pikepdf.parse_content_stream(document.pages[0])
            if str(instruction.operator) == "rg"
        ]


def test_the_guides_examples_build_as_it_says(tmp_path: Path):
    examples = EXAMPLE.findall(GUIDE.read_text(encoding="utf-8"))
    assert [name for name, _ in examples] == ["layouts/tokens.css", "layouts/cheatsheet.html"]
    book = tmp_path / "book"
    shutil.copytree(SECOND_BOOK, book)
    for name, text in examples:
        (book / name).parent.mkdir(exist_ok=True)
        (book / name).write_text(text, encoding="utf-8")
    sheet, html = tmp_path / "sheet.pdf", tmp_path / "sheet.html"
    result = run_cli("cheatsheet", "--book", book, "-o", sheet, "--html", html)
    assert result.exit_code == 0, result.stderr
    # Example 1: the accent is plum.
    assert any(max(abs(a - b) for a, b in zip(colour, PLUM, strict=True)) < 0.01
               for colour in fill_colours(sheet))  # fmt: skip
    # Example 2: the shipped cheat sheet's rules, then the book's own after them.
    style = html.read_text(encoding="utf-8")
    assert style.index(".cheatsheet h2 { font-variant-caps") > style.index(".card-name")
