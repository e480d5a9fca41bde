"""The fridge-door cheat sheet: one page, legible, complete."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from psoas_print import load_book
from tests.conftest import SAMPLE_BOOK, run_cli, summary
from tests.pdfs import page_size_mm, text_runs

SAMPLE = load_book(SAMPLE_BOOK)
FRIDGE = SAMPLE.routines["fridge"]


@pytest.mark.parametrize(
    ("name", "size"), [("cheatsheet-a4", (210.0, 297.0)), ("cheatsheet-letter", (215.9, 279.4))]
)
def test_one_page_with_every_exercise(outputs, name, size):
    reader = PdfReader(outputs[name])
    assert len(reader.pages) == 1
    assert page_size_mm(reader) == size
    text = " ".join(reader.pages[0].extract_text().split())
    assert FRIDGE.title in text
    for item in FRIDGE.items:
        assert item.exercise.label in text
        assert summary(item.dose) in text
        assert item.exercise.cues[0] in text
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        assert day in text


@pytest.mark.parametrize("name", ["cheatsheet-a4", "cheatsheet-letter"])
def test_text_is_legible_from_a_step_away(outputs, name):
    runs = text_runs(PdfReader(outputs[name]), 0)
    assert min(size for _, size, _ in runs) >= 9
    label_sizes = [
        size for text, size, _ in runs if text.strip() in {i.exercise.label for i in FRIDGE.items}
    ]
    assert len(label_sizes) == len(FRIDGE.items)
    assert min(label_sizes) >= 14


def test_summary_reports_few_fitting_renders(outputs):
    renders = [int(n) for n in re.findall(r"fitted in (\d+)", outputs["build-summary"])]
    assert renders and renders[0] <= 4  # fitting.MAX_RENDERS: a measure, then candidates


def test_short_routine_grows_but_stays_on_one_page(tmp_path):
    target = tmp_path / "quick.pdf"
    made = run_cli("cheatsheet", "--book", SAMPLE_BOOK, "--routine", "quick-standing", "-o", target)
    assert made.exit_code == 0, made.stderr
    reader = PdfReader(target)
    assert len(reader.pages) == 1
    sizes = [
        size for text, size, _ in text_runs(reader, 0) if text.strip() == "Standing Spine Twist"
    ]
    assert sizes and sizes[0] > 20  # larger than the 20 pt base size


def test_unknown_routine_is_a_clear_error(tmp_path):
    made = run_cli(
        "cheatsheet", "--book", SAMPLE_BOOK, "--routine", "nope", "-o", tmp_path / "x.pdf"
    )
    assert made.exit_code == 2
    assert "no routine 'nope'" in made.stderr and "fridge" in made.stderr
    assert not (tmp_path / "x.pdf").exists()
