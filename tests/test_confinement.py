"""Renders read only the book, the layouts and the fonts; failed loads fail the build."""

from __future__ import annotations

import pytest

from psoas_print.shipped import shipped
from tests.conftest import run_cli


def override_layout(book, name, text):
    """Give the book its own copy of one layout file."""
    (book / "layouts").mkdir(exist_ok=True)
    (book / "layouts" / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("css", "message"),
    [
        (
            'body { background: url("https://example.com/bg.png"); }',
            "refused to fetch https://example.com/bg.png",
        ),
        ('body { background: url("file:///etc/hostname"); }', "refused to read /etc/hostname"),
        (
            'body { background: url("../../../../../../../../../../etc/hostname"); }',
            "refused to read /etc/hostname",
        ),
        ('body { background: url("figures/none.png"); }', "file not found"),
    ],
)
def test_a_layout_cannot_reach_outside_the_book(book, tmp_path, css, message):
    tokens = (shipped("layouts") / "tokens.css").read_text(encoding="utf-8")
    override_layout(book, "tokens.css", f"{tokens}\n{css}\n")
    target = tmp_path / "cheatsheet.pdf"
    result = run_cli("cheatsheet", "--book", book, "-o", target)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()


def test_a_missing_font_fails_the_build(book, tmp_path):
    override_layout(
        book,
        "fonts.css",
        "@font-face { font-family: Inter; src: url(\"{{ font_url('Missing-Regular.otf') }}\"); }\n",
    )
    result = run_cli("ebook", "--book", book, "-o", tmp_path / "ebook.pdf")
    assert result.exit_code == 2
    assert "Missing-Regular.otf: font file not found" in result.stderr
    assert not (tmp_path / "ebook.pdf").exists()


def test_a_book_layout_overrides_the_default_by_name(book, tmp_path):
    override_layout(
        book,
        "cheatsheet.html",
        '{% extends "default/cheatsheet.html" %}{% block title %}My own sheet{% endblock %}',
    )
    from pypdf import PdfReader

    result = run_cli("cheatsheet", "--book", book, "-o", tmp_path / "sheet.pdf")
    assert result.exit_code == 0, result.stderr
    assert PdfReader(tmp_path / "sheet.pdf").metadata.title == "My own sheet"


def test_an_undefined_template_value_is_an_error(book, tmp_path):
    override_layout(book, "cheatsheet.html", "<p>{{ no_such_value }}</p>")
    result = run_cli("cheatsheet", "--book", book, "-o", tmp_path / "sheet.pdf")
    assert result.exit_code == 2
    assert "undefined" in result.stderr and "no_such_value" in result.stderr
