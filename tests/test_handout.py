"""Class handouts: sheets, the log, page references, rosters and their errors."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print import load_book
from tests.accessibility import structure_text, ua_problems
from tests.conftest import SAMPLE_BOOK, run_cli
from tests.pdfs import outline, page_size_mm, text_runs

SAMPLE = load_book(SAMPLE_BOOK)
FRIDGE = SAMPLE.routines["fridge"]
FIRST = ["Zoë", "Ørsted", "Łukasz", "Ελένη", "Юлия", "Amélie", "Søren", "Nuño", "Ignác", "Dorota"]
LAST = ["Ørsted", "Wiśniewski", "Παπαδοπούλου", "Иванова", "Dvořák", "García"]
CLASS = [f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]} {i + 1}" for i in range(30)]
PAPERS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


def write_roster(folder: Path, names: list[str], notes: dict[int, str] | None = None) -> Path:
    rows = ["name,notes"] + [f"{name},{(notes or {}).get(i, '')}" for i, name in enumerate(names)]
    path = folder / "roster.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def make(target: Path, *options: str | Path) -> str:
    result = run_cli(
        "handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "-o", target, *options
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def handouts(
    tmp_path_factory: pytest.TempPathFactory, sample_handout: Path
) -> dict[str, Path | str]:
    """A class of thirty's copies, and the shared handout: one A4 copy, dated 1 December."""
    folder = tmp_path_factory.mktemp("handouts")
    class_roster = write_roster(folder, CLASS, {0: "Knee: go easy on squats"})
    made: dict[str, Path | str] = {}
    made["summary-30"] = make(
        folder / "class.pdf", "--roster", class_roster, "--class-name", "Tuesday Pilates"
    )
    made["class"] = folder / "class.pdf"
    made["a4-1"] = sample_handout
    return made


LONG_NAME = "Maria Magdalena Fernández de la Concepción y Santísima Trinidad Ørsted-Łukasiewicz"


@pytest.fixture(scope="module")
def with_a_logo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies for a short name and a very long one, with a logo from outside the book and
    a QR code in the header."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("logo")
    Image.new("RGB", (400, 400), "#0e6b66").save(folder / "logo.png")
    roster = write_roster(folder, ["Ana Li", LONG_NAME])
    make(
        folder / "long.pdf", "--roster", roster,
        "--logo", folder / "logo.png", "--qr", "https://example.org/class",
    )  # fmt: skip
    return folder / "long.pdf"


def test_each_named_copy_is_tagged_its_name_first_and_its_qr_code_a_link(with_a_logo):
    with pikepdf.open(with_a_logo) as pdf:
        assert ua_problems(pdf) == []
        read = structure_text(pdf)
        for number, (page, name) in enumerate(
            zip(pdf.pages, ["Ana Li", LONG_NAME], strict=True), 1
        ):
            first = next(text for _, on, text in read if on == number)
            assert "".join(first.split()) == "".join(name.split())  # a long name wraps
            (link,) = page.obj.Annots
            assert str(link.A.URI) == "https://example.org/class"


def test_one_copy_fills_one_sheet(handouts):
    reader = PdfReader(handouts["a4-1"])
    assert len(reader.pages) == 1
    assert page_size_mm(reader) == PAPERS["a4"]
    text = reader.pages[0].extract_text()
    assert text.count("Two-week log") == 1
    assert text.count(FRIDGE.items[0].exercise.label) == 2  # card and log row
    assert min(size for _, size, _ in text_runs(reader, 0)) >= 7
    with pikepdf.open(handouts["a4-1"]) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
    assert b" l S" not in content  # no cut marks on a sheet of one


def test_log_has_a_row_per_exercise_and_boxes_per_side(handouts):
    text = PdfReader(handouts["a4-1"]).pages[0].extract_text()
    log = text[text.index("Two-week log") :]
    for number, item in enumerate(FRIDGE.items, start=1):
        assert f"{number} {item.exercise.label}" in log
    per_side = sum(1 for item in FRIDGE.items if item.dose.per_side)
    tokens = log.split()
    assert tokens.count("L") == tokens.count("R") == per_side * 14 + 1  # and "L and R" in the hint
    assert "Tu 1" in log and "Mo 14" in log  # two weeks of dates from the class date


def test_page_references_are_the_ebook_pages(handouts, ebook):
    pages = {title: page for _, title, page in outline(ebook)}
    text = " ".join(PdfReader(handouts["a4-1"]).pages[0].extract_text().split())
    references = re.findall(r"Full steps: page (\d+)", text)
    assert [int(n) for n in references] == [pages[item.exercise.name] for item in FRIDGE.items]


@pytest.mark.slow
def test_a_class_of_thirty_gets_thirty_named_copies_cheaply(handouts):
    reader = PdfReader(handouts["class"])
    assert len(reader.pages) == 30
    for page, name in zip(reader.pages, CLASS, strict=True):
        text = page.extract_text()
        assert name in text
        assert "Tuesday Pilates" in text
    assert "Knee: go easy on squats" in reader.pages[0].extract_text()
    assert "go easy on squats" not in reader.pages[1].extract_text()
    renders = int(re.search(r"(\d+) renders", handouts["summary-30"])[1])
    assert renders <= 10  # the ebook, the fitting handout, one page of names: not 30


def test_names_print_in_the_bundled_fonts(handouts):
    from tests.pdfs import bundled_fonts, embedded_fonts

    assert embedded_fonts(PdfReader(handouts["class"])) <= bundled_fonts()


def test_a_very_long_name_shrinks_then_takes_two_lines(with_a_logo):
    reader = PdfReader(with_a_logo)
    assert [size for text, size, _ in text_runs(reader, 0) if text.strip() == "Ana Li"] == [15]
    runs = [(text, size) for text, size, _ in text_runs(reader, 1) if text.strip() in LONG_NAME]
    assert " ".join(" ".join(text.split()) for text, _ in runs) == LONG_NAME  # in full
    assert len(runs) == 2  # on two lines, rather than under 7 pt on one
    assert all(7 <= size < 15 for _, size in runs)


def test_split_writes_one_file_per_student(tmp_path):
    roster = write_roster(tmp_path, ["Zoë Ørsted", "Юлия Иванова", "Zoë Ørsted"])
    make(tmp_path / "out", "--roster", roster, "--split")
    files = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert files == [
        "handout-zoë-ørsted-2.pdf",
        "handout-zoë-ørsted.pdf",
        "handout-юлия-иванова.pdf",
    ]
    text = PdfReader(tmp_path / "out/handout-юлия-иванова.pdf").pages[0].extract_text()
    assert "Юлия Иванова" in text


def bad_roster(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "roster.csv"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"student,notes\nAna,\n", "roster.csv:1: no 'name' column (columns found: student, notes"),
        (b"", "roster.csv:1: file is empty"),
        ("name\nAna\nZo\u00eb\n".encode("latin-1"), "roster.csv:3: not UTF-8 text (byte 0xeb)"),
        (b"name,notes\nAna,\n,bad knee\n", "roster.csv:3: blank name"),
        ("name\nAna\n王小明\n".encode(), "roster.csv:3: no bundled font can print '王' (U+738B)"),
    ],
    ids=["no name column", "empty", "not utf-8", "blank name", "unprintable"],
)
def test_bad_rosters_are_located_errors(tmp_path, monkeypatch, content, message):
    roster = bad_roster(tmp_path, content)
    monkeypatch.chdir(tmp_path)
    result = run_cli(
        "handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "--roster", roster, "-o", "out.pdf"
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), lines
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_a_name_the_fonts_lack_fails_before_anything_is_laid_out(tmp_path, monkeypatch):
    from psoas_print.layout.typesetter import Renderer

    def refuse(*args: object) -> None:
        raise AssertionError("laid out before the roster was checked")

    monkeypatch.setattr(Renderer, "render", refuse)
    roster = write_roster(tmp_path, ["Ana", "Zoë", "王小明"])
    result = run_cli(
        "handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "--roster", roster,
        "-o", tmp_path / "out.pdf",
    )  # fmt: skip
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(
        "roster.csv:4: no bundled font can print '王' (U+738B), '小' (U+5C0F), '明' (U+660E) "
        "in '王小明'"
    )
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--per-sheet", "3"], "--per-sheet: must be 1, 2 or 4"),
        (["--date", "1 Dec"], "--date: expected YYYY-MM-DD, got '1 Dec'"),
        (["--qr", "example.org"], "--qr: expected a link"),
        (["--logo", "missing.png"], "missing.png: logo file not found"),
        (["--split"], "--split: needs --roster"),
    ],
)
def test_bad_options_are_clear_errors(tmp_path, monkeypatch, options, message):
    monkeypatch.chdir(tmp_path)
    result = run_cli(
        "handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "-o", "out.pdf", *options
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(message)
    assert not (tmp_path / "out.pdf").exists()


def test_a_logo_from_outside_the_book_is_allowed(with_a_logo):
    for page in PdfReader(with_a_logo).pages:
        assert len(page.images) == 1  # the logo; the QR code is vector
