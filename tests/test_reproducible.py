"""With SOURCE_DATE_EPOCH set, every product repeats to the byte and carries that date."""

from __future__ import annotations

import zipfile

import pytest
from pypdf import PdfReader

from tests.conftest import SAMPLE_BOOK, run_cli

pytestmark = pytest.mark.slow  # every product built twice

EPOCH = "1767225600"  # 2026-01-01 00:00:00 UTC
PRODUCTS = {
    "cheatsheet.pdf": ["cheatsheet"],
    "ebook.pdf": ["ebook"],
    "print.pdf": ["ebook", "--print", "--marks"],
    "handout.pdf": [
        "handout",
        "--routine",
        "fridge",
        "--per-sheet",
        "2",
        "--class-name",
        "Tuesday",
    ],
    "ebook.epub": ["epub"],
}


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name, command in PRODUCTS.items():
            copies = []
            for run in ("first", "second"):
                target = tmp_path_factory.mktemp(run) / name
                result = run_cli(*command, "--book", SAMPLE_BOOK, "-o", target)
                assert result.exit_code == 0, result.stderr
                copies.append(target)
            built[name] = (copies[0], copies[1])
    return built


@pytest.mark.parametrize("name", PRODUCTS)
def test_building_twice_gives_the_same_bytes(twice, name):
    first, second = twice[name]
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("name", [n for n in PRODUCTS if n.endswith(".pdf")])
def test_pdf_dates_come_from_source_date_epoch(twice, name):
    assert PdfReader(twice[name][0]).metadata["/CreationDate"] == "D:20260101000000Z"


def test_epub_dates_come_from_source_date_epoch(twice):
    with zipfile.ZipFile(twice["ebook.epub"][0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        assert b'<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>' in archive.read(
            "EPUB/package.opf"
        )
