"""Generated figures are drawn once and kept beside the outputs; a build that changes no
pose reads them back and never loads the drawing code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

KEPT = Path(".psoas-print/figures")


def build_ebook(book: Path, out: Path, *extra: str) -> set[str]:
    """Build the ebook with the real command; the modules its processes imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "psoas_print", "ebook", "--book", str(book),
         "-o", str(out / "ebook.pdf"), "--html", str(out / "ebook.html"), *extra],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}


def figure_uris(html: Path) -> list[str]:
    return re.findall(r'src="(data:image/svg\+xml;base64,[^"]+)"', html.read_text())


def kept(out: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in (out / KEPT).glob("*.svg")}


def test_a_build_that_changes_no_pose_reads_the_figures_back(outputs, book, tmp_path):
    # The figures the session's ebook drew (of the sample book, which ``book`` copies).
    out = tmp_path / "out"
    shutil.copytree(outputs["letter"] / KEPT, out / KEPT)
    before = kept(out)
    chapter = next((book / "chapters").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more line.\n")
    imported = build_ebook(book, out)
    assert "weasyprint" in imported  # the list of what it imported is read right
    drawing = ("reportlab", "psoas_print.figures.drawing")
    assert not {name for name in imported if name.startswith(drawing)}
    assert "One more line." in (out / "ebook.html").read_text()
    assert figure_uris(out / "ebook.html") == figure_uris(outputs["ebook-letter-html"])
    assert kept(out) == before


@pytest.mark.slow
def test_figures_drawn_again_are_the_same_as_those_kept(book, tmp_path):
    out = tmp_path / "out"
    build_ebook(book, out)
    first = figure_uris(out / "ebook.html")
    shutil.rmtree(out / KEPT)
    assert "reportlab.graphics.shapes" in build_ebook(book, out, "--force")
    assert figure_uris(out / "ebook.html") == first
    assert "reportlab.graphics.shapes" not in build_ebook(book, out, "--force")


@pytest.mark.slow
def test_a_changed_pose_redraws_only_its_figure(book, tmp_path):
    out = tmp_path / "out"
    build_ebook(book, out)
    before = kept(out)
    pose = book / "figures" / "side-kicks.yaml"
    pose.write_text(pose.read_text().replace("near_hip: -25", "near_hip: -20"))
    build_ebook(book, out)
    after = kept(out)
    assert len(after) == 5
    changed = {name for name in after if after[name] != before.get(name)}
    assert [name.split(".")[0] for name in changed] == ["side-kicks"]
    assert not [name for name in before if name.startswith("side-kicks.") and name in after]


def test_a_failed_build_keeps_no_figures(book, tmp_path):
    (book / "layouts").mkdir()
    (book / "layouts" / "ebook.html").write_text(
        '{% extends "default/ebook.html" %}{% block body %}{{ nowhere.to_be_found }}{% endblock %}'
    )
    out = tmp_path / "out"
    result = run_cli("ebook", "--book", book, "-o", out / "ebook.pdf")
    assert result.exit_code == 2
    assert not out.exists()


def test_every_product_shares_the_kept_figures(outputs):
    figures = kept(outputs["a4"])  # the session's ``build``: cheat sheet, ebook and EPUB
    styles = {name.split(".")[1] for name in figures}
    assert len(figures) == 10 and len(styles) == 2  # the ebook's and the thumbnails'
