"""Handouts two and four to a sheet: each copy laid out at the size of its part of the sheet.

A sheet draws each copy (and its student's name) as form XObjects placed by a matrix; a
copy is checked the way a reader sees it after cutting the sheet: taken out on its own
page, unplaced, its text read with pypdf and its words' boxes with poppler's pdftotext.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.pdf.imposition import assemble
from tests.accessibility import structure_text, ua_problems
from tests.conftest import SAMPLE_BOOK, run_cli
from tests.pdfs import MM_PER_PT, page_size_mm, text_runs

SAMPLE = load_book(SAMPLE_BOOK)
SHEETS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
# One copy to a sheet is the sheet itself: tests/test_handout.py (A4) and
# tests/test_second_book.py (US Letter) check those.
CELLS = {
    ("a4", 2): (148.5, 210.0),  # A5
    ("a4", 4): (105.0, 148.5),  # A6
    ("letter", 2): (139.7, 215.9),  # half-letter
    ("letter", 4): (107.95, 139.7),  # quarter-letter
}
# Four to a sheet takes a short routine: the five exercises of 'fridge' need a half sheet.
ROUTINES = {1: "fridge", 2: "fridge", 4: "quick-standing"}
STUDENTS = ["Zoë Ørsted", "Юлия Иванова", "Ελένη Παπαδοπούλου", "Łukasz Wiśniewski", "Ana Li"]
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="needs poppler's pdftotext")
FIVE = [item.exercise.id for item in SAMPLE.routines["fridge"].items]
LONG = FIVE + FIVE[:4]  # nine exercises: too many for one legible page


def handout(book: Path, target: Path, *options: str | Path) -> None:
    result = run_cli("handout", "--book", book, "-o", target, *options)
    assert result.exit_code == 0, result.stderr


def write_roster(folder: Path, names: list[str]) -> Path:
    path = folder / "roster.csv"
    path.write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], Path]:
    """Five students' copies on each paper at 1, 2 and 4 per sheet."""
    folder = tmp_path_factory.mktemp("cells")
    roster = write_roster(folder, STUDENTS)
    made = {}
    for paper, per_sheet in CELLS:
        target = folder / f"{paper}-{per_sheet}.pdf"
        handout(
            SAMPLE_BOOK, target, "--routine", ROUTINES[per_sheet], "--roster", roster,
            "--paper", paper, "--per-sheet", str(per_sheet), "--date", "2026-12-01",
            "--class-name", "Tuesday Pilates",
        )  # fmt: skip
        made[(paper, per_sheet)] = target
    return made


@dataclass(frozen=True)
class Placed:
    """One copy on a sheet: the matrix that places it, what it draws (in the copy's own
    coordinates) and the forms it draws."""

    matrix: tuple[float, ...]
    drawing: bytes
    forms: tuple[str, ...]


def placements(path: Path | bytes, sheet: int) -> list[Placed]:
    """The copies on a sheet: each a group ``q MATRIX cm … Q`` of the sheet's drawing."""
    placed: list[Placed] = []
    with pikepdf.open(io.BytesIO(path) if isinstance(path, bytes) else path) as pdf:
        depth, body = 0, []
        for instruction in pikepdf.parse_content_stream(pdf.pages[sheet]):
            operator = str(instruction.operator)
            depth += (operator == "q") - (operator == "Q")
            if depth == 1 and operator == "q":
                body = []
            elif depth == 0 and operator == "Q":
                if body and str(body[0].operator) == "cm":
                    matrix = tuple(float(value) for value in body[0].operands)
                    forms = tuple(str(i.operands[0]) for i in body if str(i.operator) == "Do")
                    drawing = pikepdf.unparse_content_stream(body[1:])
                    placed.append(Placed(matrix, drawing, forms))
            else:
                body.append(instruction)
    return placed


def copy_alone(path: Path | bytes, sheet: int, slot: int) -> bytes:
    """The copy in ``slot`` of a sheet on a page of its own, as it is once cut out."""
    drawing = placements(path, sheet)[slot].drawing
    with pikepdf.open(io.BytesIO(path) if isinstance(path, bytes) else path) as pdf:
        out = pikepdf.Pdf.new()
        resources = out.copy_foreign(pdf.make_indirect(pdf.pages[sheet].Resources))
        # A copy is the size of the sheet, or of the form that repeats it on the sheet.
        repeated = resources.get("/XObject", {}).get("/PsoasPrintCopy")
        sheet_box = pdf.pages[sheet].MediaBox
        box = [float(value) for value in (repeated.BBox if repeated else sheet_box)]
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=box, Resources=resources,
            Contents=out.make_stream(drawing),
        )  # fmt: skip
        out.pages.append(pikepdf.Page(page))
        buffer = io.BytesIO()
        out.save(buffer)
    return buffer.getvalue()


def slots(per_sheet: int, sheets: int = 1) -> list[tuple[int, int]]:
    return [(sheet, slot) for sheet in range(sheets) for slot in range(per_sheet)]


@pytest.mark.parametrize(("paper", "per_sheet"), list(CELLS))
def test_each_copy_is_the_size_of_its_part_of_the_sheet(sheets, paper, per_sheet):
    path = sheets[(paper, per_sheet)]
    reader = PdfReader(path)
    assert len(reader.pages) == math.ceil(len(STUDENTS) / per_sheet)
    assert page_size_mm(reader) == SHEETS[paper]
    cell = CELLS[(paper, per_sheet)]
    for sheet, slot in slots(per_sheet):
        alone = PdfReader(io.BytesIO(copy_alone(path, sheet, slot)))
        width, height = page_size_mm(alone)
        assert width == pytest.approx(cell[0], abs=0.1)
        assert height == pytest.approx(cell[1], abs=0.1)


@pytest.mark.parametrize("paper", SHEETS)
@pytest.mark.parametrize("per_sheet", [2, 4])
def test_every_copy_prints_at_7_pt_or_more_with_its_students_name(sheets, paper, per_sheet):
    path = sheets[(paper, per_sheet)]
    routine = SAMPLE.routines[ROUTINES[per_sheet]]
    sheet_count = math.ceil(len(STUDENTS) / per_sheet)
    copies = slots(per_sheet, sheet_count)[: len(STUDENTS)]
    for student, (sheet, slot) in zip(STUDENTS, copies, strict=True):
        alone = PdfReader(io.BytesIO(copy_alone(path, sheet, slot)))
        runs = text_runs(alone, 0)
        assert min(size for _, size, _ in runs) >= 7
        text = " ".join(alone.pages[0].extract_text().split())
        assert student in text and "Tuesday Pilates" in text
        assert all(name not in text for name in STUDENTS if name != student)
        assert text.count("Two-week log") == 1
        for item in routine.items:
            assert text.count(item.exercise.label) == 2  # its card and its log row


@pytest.mark.parametrize(("paper", "per_sheet"), list(CELLS))
def test_the_name_lands_on_its_line_in_every_copy(sheets, paper, per_sheet):
    path = sheets[(paper, per_sheet)]
    for student, (sheet, slot) in zip(STUDENTS, slots(per_sheet, 2), strict=False):
        alone = PdfReader(io.BytesIO(copy_alone(path, sheet, slot)))
        label = _position(alone, "Name")
        name = _position(alone, student)
        assert name[0] > label[0]  # to the right of "Name"
        assert abs(name[1] - label[1]) < 4 / MM_PER_PT  # on the same line, give or take


@pytest.mark.parametrize(("paper", "per_sheet"), [("a4", 2), ("letter", 4)])
def test_the_first_copy_on_a_sheet_is_read_the_others_are_artifacts(sheets, paper, per_sheet):
    """A screen reader reads each sheet once: its first copy, its student's name first.
    The other copies are there for the scissors, artifacts like the cut marks."""
    with pikepdf.open(sheets[(paper, per_sheet)]) as pdf:
        assert ua_problems(pdf) == []
        read = structure_text(pdf)
    for sheet in range(math.ceil(len(STUDENTS) / per_sheet)):
        on_sheet = STUDENTS[sheet * per_sheet : (sheet + 1) * per_sheet]
        texts = [text for _, page, text in read if page == sheet + 1]
        assert texts[0] == on_sheet[0]
        assert not [name for name in on_sheet[1:] if any(name in text for text in texts)]


def _position(reader: PdfReader, wanted: str) -> tuple[float, float]:
    """Where the run of text ``wanted`` starts on the page, in points from the bottom left."""
    found = []

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if text.strip() == wanted:
            x, y = tm[4], tm[5]
            found.append((cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]))

    reader.pages[0].extract_text(visitor_text=visit)
    assert len(found) == 1, wanted
    return found[0]


def test_copies_of_one_handout_fill_a_sheet_without_a_roster(long_names):
    """Four to a sheet with no roster: the sheet holds four copies of the handout."""
    target = long_names["a4-4"]
    reader = PdfReader(target)
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().count("Two-week log") == 4
    for slot in range(4):
        alone = PdfReader(io.BytesIO(copy_alone(target, 0, slot)))
        assert min(size for _, size, _ in text_runs(alone, 0)) >= 7


# Imposition, on one finished handout --------------------------------------------------------
#
# How copies are put together on a sheet does not depend on what they show: checked here on
# the copy of one handout, with a page of names of its own, rather than through full builds.


@pytest.fixture(scope="module")
def one_copy(sample_handout: Path) -> bytes:
    """One A4 copy of the shared handout, taken off its sheet."""
    return copy_alone(sample_handout, 0, 0)


def names_pages(copy: bytes, count: int) -> bytes:
    """A PDF of ``count`` pages the size of ``copy``, each marked with a box of its own."""
    with pikepdf.open(io.BytesIO(copy)) as source:
        box = [float(value) for value in source.pages[0].mediabox]
    out = pikepdf.Pdf.new()
    for index in range(count):
        marking = f"q 0 0 0 rg {10 * index + 5} 5 4 4 re f Q".encode()
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=box, Contents=out.make_stream(marking)
        )
        out.pages.append(pikepdf.Page(page))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("per_sheet", [1, 2, 4])
def test_copies_are_placed_whole_at_scale_one_and_tile_the_sheet(one_copy, per_sheet):
    sheet_pdf = assemble(one_copy, None, [None] * per_sheet, per_sheet)
    reader = PdfReader(io.BytesIO(sheet_pdf))
    assert len(reader.pages) == 1
    cell = PdfReader(io.BytesIO(one_copy)).pages[0].mediabox
    cell_width, cell_height = float(cell.width), float(cell.height)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    # The sheet the copies tile exactly: side by side and one above the other, or, two to a
    # sheet, turned a quarter one above the other.
    expected = {1: (cell_width, cell_height), 2: (cell_height, 2 * cell_width),
                4: (2 * cell_width, 2 * cell_height)}[per_sheet]  # fmt: skip
    assert (width, height) == pytest.approx(expected, abs=0.01)
    areas = []
    placed = placements(sheet_pdf, 0)
    assert len(placed) == per_sheet
    for copy in placed:
        a, b, c, d, e, f = copy.matrix
        assert abs(a * d - b * c) == pytest.approx(1)  # never scaled
        turned = (a, d) == (0, 0)  # a quarter turn; otherwise upright
        assert turned == (per_sheet == 2) and (turned or (b, c) == (0, 0))
        corners = [(a * x + c * y + e, b * x + d * y + f) for x in (0, cell_width)
                   for y in (0, cell_height)]  # fmt: skip
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        assert min(xs) > -0.5 and max(xs) < width + 0.5
        assert min(ys) > -0.5 and max(ys) < height + 0.5
        areas.append((round(min(xs)), round(min(ys))))
    assert len(set(areas)) == per_sheet  # each in a part of its own
    with pikepdf.open(io.BytesIO(sheet_pdf)) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
    assert (b" l S" in content) == (per_sheet > 1)  # cut marks between copies


def test_each_copy_carries_its_own_page_of_names(one_copy):
    names = names_pages(one_copy, 5)
    copies = [0, 1, 2, None, 4]  # a copy with no name between named ones
    sheet_pdf = assemble(one_copy, names, copies, 2)
    assert len(PdfReader(io.BytesIO(sheet_pdf)).pages) == 3  # two, two and one
    with pikepdf.open(io.BytesIO(names)) as pdf:
        marks = [page.Contents.read_bytes() for page in pdf.pages]
    handout_text = PdfReader(io.BytesIO(one_copy)).pages[0].extract_text().split()
    placed = [(sheet, copy) for sheet in range(3) for copy in placements(sheet_pdf, sheet)]
    assert len(placed) == len(copies)
    with pikepdf.open(io.BytesIO(sheet_pdf)) as pdf:
        for (sheet, copy), student in zip(placed, copies, strict=True):
            xobjects = pdf.pages[sheet].Resources.XObject
            drawn = [xobjects[name].read_bytes() for name in copy.forms]
            # The handout, whole (the first copy on a sheet draws it, the others repeat it)...
            alone = copy_alone(sheet_pdf, sheet, placements(sheet_pdf, sheet).index(copy))
            assert PdfReader(io.BytesIO(alone)).pages[0].extract_text().split() == handout_text
            # ...and then its own name.
            assert [d for d in drawn if d in marks] == ([] if student is None else [marks[student]])


def test_imposing_the_same_copies_twice_gives_the_same_bytes(one_copy):
    names = names_pages(one_copy, 2)
    assert assemble(one_copy, names, [0, 1], 4) == assemble(one_copy, names, [0, 1], 4)


def test_only_one_two_or_four_copies_go_on_a_sheet(one_copy):
    with pytest.raises(ValueError, match="per_sheet"):
        assemble(one_copy, None, [None] * 3, 3)


# A routine too long for its part of the sheet --------------------------------------------


def fail(book: Path, target: Path, *options: str | Path) -> str:
    result = run_cli("handout", "--book", book, "-o", target, *options)
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert not target.exists()
    return lines[0]


@pytest.mark.slow
def test_too_long_for_a_quarter_sheet_names_the_most_per_sheet_that_stays_legible(tmp_path):
    message = fail(SAMPLE_BOOK, tmp_path / "out.pdf", "--routine", "fridge", "--per-sheet", "4")
    match = re.fullmatch(
        r".*book/routines/fridge\.yaml:3: routine 'fridge' has 5 exercises but only (\d) fits? "
        r"on a legible A6 quarter-sheet copy \(text at least 7 pt\); the most per sheet that "
        r"stays legible is 2: use --per-sheet 2",
        message,
    )
    assert match, message
    assert 1 <= int(match[1]) < 5
    handout(SAMPLE_BOOK, tmp_path / "two.pdf", "--routine", "fridge", "--per-sheet", "2")


@pytest.mark.slow
def test_too_long_for_half_a_sheet_says_one_per_sheet(book, tmp_path):
    routine_of(book, "six", FIVE + FIVE[:1])  # A4 holds six or seven; A5 only five
    message = fail(book, tmp_path / "out.pdf", "--routine", "six", "--per-sheet", "4")
    assert re.fullmatch(
        r".*routines/six\.yaml:2: routine 'six' has 6 exercises but only \d fits? on a legible "
        r"A6 quarter-sheet copy \(text at least 7 pt\); only one per sheet stays legible: use "
        r"--per-sheet 1",
        message,
    ), message
    handout(book, tmp_path / "one.pdf", "--routine", "six")


def routine_of(book: Path, name: str, exercises: list[str]) -> None:
    listed = "".join(f"  - {exercise}\n" for exercise in exercises)
    (book / "routines" / f"{name}.yaml").write_text(
        f"title: {name.title()}\nexercises:\n{listed}", encoding="utf-8"
    )


@pytest.mark.slow
def test_too_long_for_a_page_says_what_takes_the_room(book, tmp_path):
    from PIL import Image

    routine_of(book, "long", LONG)
    Image.new("RGB", (400, 400), "#0e6b66").save(tmp_path / "logo.png")
    extras = ["--logo", tmp_path / "logo.png", "--qr", "https://example.org/class"]
    notes = ["--notes", "Bring a mat and some water"]
    message = fail(book, tmp_path / "out.pdf", "--routine", "long", *extras, *notes)
    match = re.fullmatch(
        r".*routines/long\.yaml:2: routine 'long' has 9 exercises but only (\d) fit on one "
        r"legible A4 handout \(text at least 7 pt\); the header takes (\d+) mm, the logo (\d+) "
        r"mm, the QR code (\d+) mm, the notes (\d+) mm: without the notes (\d) would fit, "
        r"without the logo and QR code (?:still )?(\d); split it into shorter routines",
        message,
    )
    assert match, message
    fitting, header, logo, qr, notes_mm, without_notes, without_badges = map(int, match.groups())
    assert max(logo, qr) < header < 60 and 10 < notes_mm < 60
    assert fitting < without_notes and fitting <= without_badges
    # The counts are those a layout of that many exercises gets.
    routine_of(book, "fits", LONG[:fitting])
    handout(book, tmp_path / "fits.pdf", "--routine", "fits", *extras, *notes)
    routine_of(book, "one-more", LONG[: fitting + 1])
    fail(book, tmp_path / "more.pdf", "--routine", "one-more", *extras, *notes)
    # Without the logo and QR code, as many fit as the message said.
    message = fail(book, tmp_path / "out.pdf", "--routine", "long", *notes)
    assert f"but only {without_badges} fit" in message
    assert "logo" not in message and "QR" not in message


# Long exercise names ---------------------------------------------------------------------

NAME_80 = "Pilates Bridge with Single Leg Lift, Slow Controlled Return to the Mat Each Time"
WORD_80 = "Squat" + "x" * 70 + "Raise"  # one word that no line can hold


@pytest.fixture(scope="module")
def long_names(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A book whose exercises have 80-character names: as a name and as a short name."""
    folder = tmp_path_factory.mktemp("long-names")
    book = Path(shutil.copytree(SAMPLE_BOOK, folder / "book"))
    _rename(book / "exercises/bridge-leg-lift.md", "name", NAME_80)
    _rename(book / "exercises/squat-arm-raise.md", "name", WORD_80)
    _rename(book / "exercises/side-kicks.md", "short_name", NAME_80.replace("Bridge", "Kicks!"))
    routine_of(book, "two", ["bridge-leg-lift", "squat-arm-raise"])
    routine_of(book, "one", ["bridge-leg-lift"])
    made = {"book": book}
    for name, options in {
        "cheatsheet": None,
        "a4-1": ("--routine", "fridge"),
        "letter-2": ("--routine", "two", "--per-sheet", "2", "--paper", "letter"),
        "a4-4": ("--routine", "one", "--per-sheet", "4"),
    }.items():
        made[name] = folder / f"{name}.pdf"
        if options is None:
            result = run_cli("cheatsheet", "--book", book, "-o", made[name])
            assert result.exit_code == 0, result.stderr
        else:
            handout(book, made[name], *options, "--date", "2026-12-01")
    return made


def _rename(path: Path, key: str, value: str) -> None:
    assert len(value) == 80
    text = path.read_text(encoding="utf-8")
    if re.search(rf"^{key}: ", text, flags=re.M):
        text = re.sub(rf"^{key}: .*$", f'{key}: "{value}"', text, count=1, flags=re.M)
    else:
        text = text.replace("---\n", f'---\n{key}: "{value}"\n', 1)
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


def words(pdf: bytes, folder: Path) -> tuple[list[Word], tuple[float, float]]:
    """Every word on the first page with its box (points from the top left), and the size."""
    source = folder / "page.pdf"
    source.write_bytes(pdf)
    xml = subprocess.run(
        [PDFTOTEXT, "-bbox", "-f", "1", "-l", "1", source, "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', xml)
    found = [
        Word(text, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            xml,
        )
    ]
    return found, (float(size[1]), float(size[2]))


def _first_copy(path: Path) -> bytes:
    return copy_alone(path, 0, 0) if "cheatsheet" not in path.name else path.read_bytes()


@needs_pdftotext
@pytest.mark.parametrize("name", ["cheatsheet", "a4-1", "letter-2", "a4-4"])
def test_long_names_wrap_inside_their_page_in_full(long_names, name, tmp_path):
    found, (width, height) = words(_first_copy(long_names[name]), tmp_path)
    margin = 5 / MM_PER_PT  # every layout keeps at least this much clear at the edges
    for word in found:
        assert margin - 1 < word.left and word.right < width - margin + 1, word
        assert margin - 1 < word.top and word.bottom < height - margin + 1, word
    # The log's L and R boxes sit on the lines of a wrapped name: read around them.
    printed = "".join(word.text for word in found if word.text not in ("L", "R"))
    copies = 2 if name != "cheatsheet" else 1  # a handout names it on its card and in its log
    assert printed.count("".join(NAME_80.split())) == copies
    if name != "a4-4":
        assert printed.count(WORD_80) == copies


@needs_pdftotext
@pytest.mark.parametrize("name", ["a4-1", "letter-2", "a4-4"])
def test_long_names_in_the_log_stay_left_of_the_days(long_names, name, tmp_path):
    found, _ = words(_first_copy(long_names[name]), tmp_path)
    table = found[next(i for i, word in enumerate(found) if word.text == "Exercise") :]
    first_day = min(word.left for word in table if word.text == "Tu")
    names = [word for word in table if word.left < first_day and word.text not in ("L", "R")]
    assert names and all(word.right <= first_day + 0.5 for word in names)
    assert {"Each", "Time"} <= {word.text for word in names}  # wrapped, and kept whole
    boxes = [word for word in table if word.text in ("L", "R")]
    assert boxes and all(box.left >= first_day - 2 for box in boxes)


def test_list_shows_long_names_in_full_when_piped(long_names):
    result = run_cli("list", "--book", long_names["book"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(NAME_80 in line and line.startswith("bridge-leg-lift") for line in lines)
    assert any(WORD_80 in line and line.startswith("squat-arm-raise") for line in lines)
    assert "…" not in result.stdout


def test_list_shows_long_names_in_full_on_an_80_column_terminal(long_names):
    import os
    import pty
    import sys

    leader, follower = pty.openpty()
    environment = {**os.environ, "COLUMNS": "80", "LINES": "50", "TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "psoas_print", "list", "--book", long_names["book"]],
        stdout=follower, stderr=follower, env=environment,
    )  # fmt: skip
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", output.decode())
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert "…" not in text
    assert "".join(NAME_80.split()) in _column(lines, "name")
    assert WORD_80 in _column(lines, "name")


def _column(lines: list[str], header: str) -> str:
    """The cells of a rich table's column, read down and joined, spaces dropped."""
    start = next(i for i, line in enumerate(lines) if f" {header} " in line)
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("└"))
    index = [cell.strip() for cell in lines[start].split("┃")].index(header)
    cells = [line.split("│")[index] for line in lines[start:end] if line.startswith("│")]
    return "".join("".join(cells).split())
