"""`psoas-print programme`: each client's handout for the week printed, read back from the
PDFs as a client would read it: their name, their doses, the progression with the stage
they are in marked, the log's weeks and boxes, and one file each with --split."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.book.programmes import read_programmes
from psoas_print.book.translations import languages
from psoas_print.errors import display_path
from psoas_print.language import phrases
from psoas_print.language.catalogues import words_for
from psoas_print.products.two_writers import cut_in_two
from tests.accessibility import element_text, structure_text, ua_problems
from tests.conftest import SAMPLE_BOOK, run_cli
from tests.pdfs import outline, page_size_mm, structure_elements, tagged_figures
from tests.test_programmes import PROGRAMMES


def edition_for(language: str | None):
    """The book a client's handout is made from: its translation into their language,
    where the sample has one (German), else the book as written."""
    return load_book(SAMPLE_BOOK, language if language in languages(SAMPLE_BOOK) else None)


def flat(text: str) -> str:
    """Text with its line breaks and hyphenation undone, spaces made one."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("-\n", ""))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("programmes")
    clients = folder / "clients.yaml"
    clients.write_text(PROGRAMMES, encoding="utf-8")
    week = ("--book", SAMPLE_BOOK, "--week", "3")
    one = run_cli("programme", clients, *week, "-o", folder / "all.pdf")
    assert one.exit_code == 0, one.stderr
    split = run_cli(
        "programme", clients, "--book", SAMPLE_BOOK, "--week", "3", "--split",
        "--names-in-files", "-o", folder / "each",
    )  # fmt: skip
    assert split.exit_code == 0, split.stderr
    return {"clients": clients, "all": folder / "all.pdf", "each": folder / "each"}


def client_pages(pdf: Path) -> dict[str, str]:
    """Each client's text, by the name at the head of their first page."""
    texts = [page.extract_text() for page in PdfReader(pdf).pages]
    found: dict[str, str] = {}
    for text in texts:
        name = next((n for n in ("Jane Doe", "Ravi Kumar") if n in text[:100]), None)
        key = name or list(found)[-1]
        found[key] = found.get(key, "") + text
    return found


def test_each_client_gets_their_doses_for_the_week_printed(made):
    book = load_book(SAMPLE_BOOK)
    jane, ravi = read_programmes([made["clients"]], book)
    pages = client_pages(made["all"])
    assert set(pages) == {"Jane Doe", "Ravi Kumar"}
    for client in (jane, ravi):
        edition = edition_for(client.language)
        words = words_for(edition, client.language)
        stage = client.stage_at(3)
        assert stage is not None
        text = flat(pages[client.name])
        for prescribed in stage.exercises:
            dose = prescribed.dose.apply(edition.exercises[prescribed.exercise].dose)
            assert flat(phrases.dose_summary(dose, words)) in text, (client.id, prescribed)
            often = phrases.frequency(prescribed.per_day, prescribed.per_week, words)
            assert flat(often) in text
        if client.notes:
            assert client.notes in text


def test_the_whole_progression_is_shown_with_the_stage_marked(made):
    book = load_book(SAMPLE_BOOK)
    jane, _ = read_programmes([made["clients"]], book)
    words = words_for(book, jane.language)
    text = flat(client_pages(made["all"])["Jane Doe"])
    stages = [phrases.weeks(stage.first_week, stage.last_week, words) for stage in jane.stages]
    for stage in stages:
        assert flat(stage) in text
    now = words.gettext("Now")
    assert f"{flat(stages[1])} {now}" in text  # week 3 is in the second stage
    assert f"{flat(stages[0])} {now}" not in text
    # The side kicks come in week 5: in the progression, not on this stage's cards.
    assert text.count(edition_for(jane.language).exercises["side-kicks"].label) == 1


def test_the_log_covers_each_week_of_the_stage_with_a_box_per_day(made):
    book = load_book(SAMPLE_BOOK)
    jane, ravi = read_programmes([made["clients"]], book)
    pages = client_pages(made["all"])
    for client, weeks in ((jane, (3, 4)), (ravi, (1, 2))):  # an endless stage: two weeks
        words = words_for(book, client.language)
        text = pages[client.name]
        for week in weeks:
            assert words.gettext("Week %(week)s", week=week) in text
        stage = client.stage_at(3)
        assert stage is not None
        doses = [p.dose.apply(book.exercises[p.exercise].dose) for p in stage.exercises]
        sided = [dose for dose in doses if dose.per_side]
        boxes = f"{words.gettext('L')} {words.gettext('R')}"
        assert text.count(boxes) == len(sided) * 7 * len(weeks)


def test_split_files_hold_one_client_each_named_as_asked(made):
    files = sorted(path.name for path in made["each"].glob("*.pdf"))
    assert files == ["programme-jane-doe-c-0042.pdf", "programme-ravi-kumar-c-0043.pdf"]
    jane = "".join(page.extract_text() for page in PdfReader(made["each"] / files[0]).pages)
    assert "Jane Doe" in jane and "Ravi Kumar" not in jane


@pytest.mark.slow
def test_files_are_named_by_id_alone_unless_asked(made, tmp_path):
    result = run_cli(
        "programme", made["clients"], "--book", SAMPLE_BOOK, "--week", "1", "--split",
        "-o", tmp_path / "each",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "each").glob("*.pdf")) == [
        "programme-C-0042.pdf", "programme-C-0043.pdf",
    ]  # fmt: skip


@pytest.mark.slow
def test_a_programme_that_has_ended_is_said_and_left_out(tmp_path):
    clients = tmp_path / "clients.yaml"
    clients.write_text(
        "clients:\n"
        "  - {id: A, name: Ann, stages: [{weeks: 1-2, exercises: [{exercise: crisscross}]}]}\n"
        "  - {id: B, name: Bo, exercises: [{exercise: crisscross}]}\n",
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "out.pdf"
    result = run_cli("programme", clients, "--book", SAMPLE_BOOK, "--week", "3", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert f"{display_path(clients)}:2: warning: the programme ended after week 2" in result.stderr
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "out.pdf").pages)
    assert "Bo" in text and "Ann" not in text


def test_no_client_data_is_kept_beside_the_outputs(made):
    """Client data is written only into the handouts asked for."""
    for kept in made["all"].parent.rglob(".psoas-print/**/*"):
        if kept.is_file():
            data = kept.read_bytes()
            for secret in (b"Jane", b"Ravi", b"pelvis level"):
                assert secret not in data, kept


def test_page_references_are_the_ebook_pages(made, ebook):
    """Ravi's handout is in the book's language: its references are the A4 ebook's pages."""
    book = load_book(SAMPLE_BOOK)
    _, ravi = read_programmes([made["clients"]], book)
    pages = {title: page for _, title, page in outline(ebook)}
    text = " ".join(client_pages(made["all"])["Ravi Kumar"].split())
    references = re.findall(r"Full steps: page (\d+)", text)
    stage = ravi.stage_at(3)
    assert stage is not None
    names = [book.exercises[item.exercise].name for item in stage.exercises]
    assert [int(n) for n in references] == [pages[name] for name in names]


def test_clients_of_one_language_share_a_render(tmp_path):
    """Several clients in the same language: one document, each client on their pages."""
    clients = tmp_path / "clients.csv"
    rows = ["client_id,client_name,exercise,reps"]
    for number in range(1, 4):
        rows += [
            f"K-{number},Client Number {number},{name},{4 + number}"
            for name in ("crisscross", "side-kicks")
        ]
    clients.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "all.pdf"
    result = run_cli("programme", clients, "--book", SAMPLE_BOOK, "--week", "1", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "2 renders" in result.stdout  # the ebook for its pages, and every client at once
    texts = [page.extract_text() for page in PdfReader(out).pages]
    heads = [next(n for n in range(1, 4) if f"Client Number {n}" in text[:100]) for text in texts]
    assert heads == sorted(heads) and set(heads) == {1, 2, 3}


@pytest.mark.slow
def test_a_caseload_in_one_pdf_is_one_tagged_document(tmp_path):
    """All clients in one file (written in two halves on two cores, then joined): every
    client's heading is read on their own first page, the file passes the PDF/UA checks,
    and each figure is drawn once per half however many cards show it."""
    clients = tmp_path / "clients.csv"
    rows = ["client_id,client_name,exercise,reps"]
    for number in range(1, 6):
        rows += [f"Q-{number},Person {number},{name},5" for name in ("crisscross", "side-kicks")]
    clients.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "all.pdf"
    result = run_cli("programme", clients, "--book", SAMPLE_BOOK, "--week", "1", "-o", out)
    assert result.exit_code == 0, result.stderr
    texts = [page.extract_text() for page in PdfReader(out).pages]
    firsts = [number for number, text in enumerate(texts, 1) if "Person" in text[:100]]
    with pikepdf.open(out) as pdf:
        assert ua_problems(pdf) == []
        headings = [element_text(pdf, e) for e in structure_elements(pdf) if e.S == "/H1"]
        read_on = [page for _, page, text in structure_text(pdf) if text.startswith("Person")]
        forms = {
            x_object.objgen
            for page in pdf.pages
            for x_object in page.Resources.get("/XObject", {}).values()
            if x_object.get("/Subtype") == "/Form"
        }
    assert headings == [f"Person {n}" for n in range(1, 6)]
    assert read_on == firsts
    figures = [alt for alt, _, _ in tagged_figures(out)]
    assert len(figures) == 10 and all(figures)
    assert 2 <= len(forms) <= 4  # two figures, drawn once in each of two halves


def test_pages_are_cut_in_two_between_clients():
    assert cut_in_two([3, 1, 2]) == 1  # 3 pages, then 3
    assert cut_in_two([1, 1, 1, 1]) == 2
    assert cut_in_two([1, 5]) == 1
    assert cut_in_two([2]) == 1  # one client: one piece


def test_two_per_sheet_puts_half_sheets_side_by_side(made, tmp_path):
    """--per-sheet 2: landscape sheets of two half sheets (A5 on A4), each client from a
    sheet of their own, with their doses and progression."""
    out = tmp_path / "two.pdf"
    week = ("--book", SAMPLE_BOOK, "--week", "3")
    result = run_cli("programme", made["clients"], *week, "--per-sheet", "2", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "2 per sheet" in result.stdout
    reader = PdfReader(out)
    assert all(page_size_mm(reader, i) == (297, 210) for i in range(len(reader.pages)))
    book = load_book(SAMPLE_BOOK)
    pages = client_pages(out)
    assert set(pages) == {"Jane Doe", "Ravi Kumar"}
    for client in read_programmes([made["clients"]], book):
        edition = edition_for(client.language)
        words = words_for(edition, client.language)
        text = flat(pages[client.name])
        stage = client.stage_at(3)
        assert stage is not None
        for prescribed in stage.exercises:
            dose = prescribed.dose.apply(edition.exercises[prescribed.exercise].dose)
            assert flat(phrases.dose_summary(dose, words)) in text, (client.id, prescribed)
        assert words.gettext("Now") in text
    with pikepdf.open(out) as pdf:
        assert ua_problems(pdf) == []
    refused = run_cli("programme", made["clients"], *week, "--per-sheet", "4", "-o", out)
    assert refused.exit_code == 2
    assert refused.stderr.strip() == "--per-sheet: must be 1 or 2, not 4"


@pytest.mark.slow
def test_clients_in_several_languages_and_batches_keep_their_order(tmp_path, monkeypatch):
    """Clients laid out a few to a render (as a large caseload is, to bound memory), in two
    languages given turn about: the one PDF has them in the order given, and is one tagged
    document; with --split, a file each."""
    monkeypatch.setattr("psoas_print.products.programme.CLIENTS_PER_RENDER", 2)
    languages = ["en", "de", "en", "en", "de"]
    rows = ["client_id,client_name,language,exercise,reps"]
    rows += [f"M-{n},Mixed {n},{lang},crisscross,5" for n, lang in enumerate(languages, 1)]
    clients = tmp_path / "clients.csv"
    clients.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "all.pdf"
    week = ("--book", SAMPLE_BOOK, "--week", "1")
    result = run_cli("programme", clients, *week, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "5 renders" in result.stdout  # English in two, German in one; the ebook in each
    texts = [page.extract_text() for page in PdfReader(out).pages]
    heads = [next(n for n in range(1, 6) if f"Mixed {n}" in text[:100]) for text in texts]
    assert heads == [1, 2, 3, 4, 5]
    german = words_for(load_book(SAMPLE_BOOK), "de").gettext("Progression")
    assert [german in text for text in texts] == [lang == "de" for lang in languages]
    with pikepdf.open(out) as pdf:
        assert ua_problems(pdf) == []
        assert str(pdf.Root.Lang) == "en"  # the first client's; a German page says its own
        spoken = [_language_of(pdf, page) for page in pdf.pages]
    assert spoken == languages
    split = run_cli("programme", clients, *week, "--split", "-o", tmp_path / "each")
    assert split.exit_code == 0, split.stderr
    for number in range(1, 6):
        (page,) = PdfReader(tmp_path / "each" / f"programme-M-{number}.pdf").pages
        assert f"Mixed {number}" in page.extract_text()


def _language_of(pdf: pikepdf.Pdf, page: pikepdf.Page) -> str:
    """The language a screen reader uses for the first element read on ``page``: its own
    /Lang or its nearest ancestor's, else the document's."""
    for element in structure_elements(pdf):
        if element.get("/Pg") is not None and element.Pg.objgen == page.obj.objgen:
            node = element
            while node is not None and node.get("/Type") == "/StructElem":
                if "/Lang" in node:
                    return str(node.Lang)
                node = node.get("/P")
            return str(pdf.Root.Lang)
    raise AssertionError("no element on the page")
