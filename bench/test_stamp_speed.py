"""How fast licensed copies of the sample ebook are made (pytest-benchmark, not a test).

Run:  pip install '.[bench]' && python -m pytest bench --benchmark-only -n 0
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from psoas_print.products import licensed
from psoas_print.cli import app
from psoas_print.shipped import shipped

BUYERS = 50


@pytest.fixture(scope="module")
def ebook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    target = tmp_path_factory.mktemp("bench") / "ebook.pdf"
    result = CliRunner().invoke(app, ["ebook", "--book", str(shipped("book")), "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_bytes()


@pytest.fixture(scope="module")
def buyers() -> list[stamp.Buyer]:
    return [
        stamp.Buyer(f"Buyer Nº{n} Ørsted", f"b{n}@example.org", f"A-{n}", n + 1)
        for n in range(BUYERS)
    ]


def test_stamp_fifty_copies(benchmark, ebook: bytes, buyers: list[stamp.Buyer]) -> None:
    """One batch: the licence lines in one render, then fifty stamped copies."""
    size = stamp.page_size(ebook, Path("ebook.pdf"))

    def batch() -> int:
        lines = stamp.stamp_lines(buyers, Path("buyers.csv"), size)
        with pikepdf.open(io.BytesIO(lines)) as pages:
            return sum(
                len(stamp.stamped_copy(ebook, pages, i, b.licence)) for i, b in enumerate(buyers)
            )

    benchmark.pedantic(batch, rounds=5, iterations=1)
    benchmark.extra_info["copies"] = BUYERS


def test_stamp_one_copy(benchmark, ebook: bytes, buyers: list[stamp.Buyer]) -> None:
    """A single copy once the licence lines exist: the per-copy cost."""
    lines = stamp.stamp_lines(buyers[:1], Path("buyers.csv"), stamp.page_size(ebook, Path("e.pdf")))
    with pikepdf.open(io.BytesIO(lines)) as pages:
        benchmark(stamp.stamped_copy, ebook, pages, 0, buyers[0].licence)
