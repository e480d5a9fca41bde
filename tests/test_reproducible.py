"""With SOURCE_DATE_EPOCH set, every product repeats to the byte and carries that date.

The session's shared outputs (tests/conftest.py) were made under SOURCE_DATE_EPOCH by the
command, each in a process of its own: their dates are checked as they are. To show that
they repeat to the byte, a product is made once more in this process, with the same
options. The ebook is the one the command lays out in the process it makes ready at its
start, so this also shows that process makes the same ebook as a build in one process; the
EPUB is the one ``build`` made in a worker process.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import (
    EPOCH,
    EPOCH_PDF_DATE,
    HANDOUT_COMMAND,
    OUTPUT_COMMANDS,
    PRINT_COMMAND,
    SAMPLE,
    Made,
    run_cli,
)

# Each product: the options it was made with, and where its first making is.
AGAIN = {
    "cheatsheet.pdf": OUTPUT_COMMANDS["cheatsheet-letter"],
    "ebook.pdf": OUTPUT_COMMANDS["ebook-letter"],
    "print.pdf": PRINT_COMMAND,
    "handout.pdf": HANDOUT_COMMAND,
    "ebook.epub": ["epub", "--book", SAMPLE, "-o", "ebook.epub"],
    "sample.pdf": OUTPUT_COMMANDS["sample-edition"],
}


@pytest.fixture(scope="module")
def first(outputs: dict[str, Path], print_edition: Made, sample_handout: Path) -> dict[str, Path]:
    return {
        "cheatsheet.pdf": outputs["cheatsheet-letter"],
        "ebook.pdf": outputs["ebook-letter"],
        "print.pdf": print_edition.path,
        "handout.pdf": sample_handout,
        "ebook.epub": outputs["epub-a4"],
        "sample.pdf": outputs["sample-edition"],
    }


def in_folder(folder: Path, arguments: list[str]) -> list[str | Path]:
    """The command's arguments with its outputs in ``folder`` (the book stays where it is)."""
    return [
        folder / argument if previous in ("-o", "--html") else argument
        for previous, argument in zip(["", *arguments], arguments, strict=False)
    ]


# The quick run makes the two quickest again (one of them made by ``build`` in a worker
# process); the full run makes every one.
QUICK = {"cheatsheet.pdf", "ebook.epub"}


@pytest.mark.parametrize(
    "name", [n if n in QUICK else pytest.param(n, marks=pytest.mark.slow) for n in AGAIN]
)
def test_building_twice_gives_the_same_bytes(first, tmp_path, monkeypatch, name):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    command = in_folder(tmp_path, AGAIN[name])
    result = run_cli(*command)  # in this process, under the same SOURCE_DATE_EPOCH
    assert result.exit_code == 0, result.stderr
    again = Path(command[command.index("-o") + 1])
    assert first[name].read_bytes() == again.read_bytes()


@pytest.mark.parametrize("name", [n for n in AGAIN if n.endswith(".pdf")])
def test_pdf_dates_come_from_source_date_epoch(first, name):
    assert PdfReader(first[name]).metadata["/CreationDate"] == EPOCH_PDF_DATE


def test_epub_dates_come_from_source_date_epoch(first):
    with zipfile.ZipFile(first["ebook.epub"]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        assert b'<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>' in archive.read(
            "EPUB/package.opf"
        )


@pytest.mark.slow
def test_named_handouts_licensed_copies_and_covers_repeat_to_the_byte(
    outputs, tmp_path, monkeypatch
):
    """The products made from other files: a class's handouts two to a sheet, a buyer's
    licensed copy of the ebook, and the print cover, each made twice."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    roster, buyers = tmp_path / "class.csv", tmp_path / "buyers.csv"
    roster.write_text("name\nAda Lovelace\nGrace Hopper\nKatherine Johnson\n", encoding="utf-8")
    buyers.write_text("name,email,order\nAda Lovelace,ada@example.org,A-1\n", encoding="utf-8")
    commands = {
        "handouts.pdf": ["handout", "--book", SAMPLE, "--routine", "fridge", "--roster",
                         roster, "--per-sheet", "2", "--qr", "https://example.org", "-o"],
        "copies": ["stamp", outputs["ebook-a4"], "--buyers", buyers, "--out"],
        "cover.pdf": ["cover", "--book", SAMPLE, "--preset", "kdp", "-o"],
    }  # fmt: skip
    for name, command in commands.items():
        made = []
        for attempt in ("first", "again"):
            target = tmp_path / attempt / name
            result = run_cli(*command, target)
            assert result.exit_code == 0, result.stderr
            files = sorted(target.glob("*.pdf")) if target.is_dir() else [target]
            made.append([path.read_bytes() for path in files])
        assert made[0] == made[1], name
