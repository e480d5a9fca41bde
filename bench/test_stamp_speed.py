"""How fast licensed copies of the sample ebook are made (pytest-benchmark, not a test).

Run:  pip install '.[bench]' && python -m pytest bench --benchmark-only -n 0
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from psoas_print.book.sources import Sources
from psoas_print.cli import app
from psoas_print.language.catalogues import words_for
from psoas_print.layout.typesetter import Renderer
from psoas_print.pdf.overlays import page_size, stamped_copy
from psoas_print.products.licensed import licence_line, stamp_lines
from psoas_print.products.settings import Buyer
from psoas_print.shipped import shipped

BUYERS = 50
RENDERER = Renderer(Sources(book=None))  # one per batch, as the stamp command has
WORDS = words_for(None, "en")


@pytest.fixture(scope="module")
def ebook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    target = tmp_path_factory.mktemp("bench") / "ebook.pdf"
    result = CliRunner().invoke(app, ["ebook", "--book", str(shipped("book")), "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_bytes()


@pytest.fixture(scope="module")
def buyers() -> list[Buyer]:
    return [
        Buyer(f"Buyer Nº{n} Ørsted", f"b{n}@example.org", f"A-{n}", n + 1) for n in range(BUYERS)
    ]


def test_stamp_fifty_copies(benchmark, ebook: bytes, buyers: list[Buyer]) -> None:
    """One batch: the licence lines in one render, then fifty stamped copies."""
    size = page_size(ebook, Path("ebook.pdf"))

    def batch() -> int:
        lines = stamp_lines(RENDERER, tuple(buyers), Path("buyers.csv"), size, WORDS)
        with pikepdf.open(io.BytesIO(lines)) as pages:
            return sum(
                len(stamped_copy(ebook, pages, i, licence_line(b, WORDS)))
                for i, b in enumerate(buyers)
            )

    benchmark.pedantic(batch, rounds=5, iterations=1)
    benchmark.extra_info["copies"] = BUYERS


def test_stamp_one_copy(benchmark, ebook: bytes, buyers: list[Buyer]) -> None:
    """A single copy once the licence lines exist: the per-copy cost."""
    lines = stamp_lines(
        RENDERER, tuple(buyers[:1]), Path("buyers.csv"), page_size(ebook, Path("e.pdf")), WORDS
    )
    with pikepdf.open(io.BytesIO(lines)) as pages:
        benchmark(stamped_copy, ebook, pages, 0, licence_line(buyers[0], WORDS))
