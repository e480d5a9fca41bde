"""The routines that close the ebook and the EPUB: each on a page of its own, every exercise
with its dose and the page of its instructions, the same whether laid out whole or in parts."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from psoas_print import load_book
from tests.conftest import SAMPLE_BOOK, run_cli, summary
from tests.pdfs import folio, folio_page, outline
from tests.test_ebook import contents_entries
from tests.test_epub import NS, epubcheck_command

SAMPLE = load_book(SAMPLE_BOOK)
LEADER = re.compile(r"^(?P<name>.+?)\s*\.{3,}\s*(?P<page>\d+)$")
LEFT_OUT = "Bridge Kept for Later"  # an exercise that is in no chapter


def flat(text: str) -> str:
    return " ".join(text.split())


def routine_pages(reader: PdfReader) -> dict[str, int]:
    """The page of each routine: the bookmarks under "Routines"."""
    entries = outline(reader)
    start = entries.index(next(e for e in entries if e[:2] == (1, "Routines")))
    pages = {}
    for level, title, page in entries[start + 1 :]:
        if level == 1:
            break
        pages[title] = page
    return pages


def printed_pages(reader: PdfReader, page: int) -> dict[str, int]:
    """Each exercise name on a page with the page number its leader leads to."""
    lines = folio_page(reader, page).extract_text().splitlines()
    return {m["name"]: int(m["page"]) for line in lines if (m := LEADER.match(line.strip()))}


def link_targets(reader: PdfReader, page: int) -> dict[str, int]:
    """Each internal link on a page: the anchor it names and the page it jumps to."""
    destinations = reader.named_destinations
    targets = {}
    for annotation in folio_page(reader, page).get("/Annots", []):
        name = str(annotation.get_object()["/Dest"])
        targets[name] = folio(reader, reader.get_destination_page_number(destinations[name]))
    return targets


def bookmark_pages(reader: PdfReader) -> dict[str, int]:
    return {title: page for _, title, page in outline(reader)}


def test_the_routines_close_the_book_each_on_its_own_page(ebook):
    entries = outline(ebook)
    chapters = [(title, page) for level, title, page in entries if level == 1]
    heading_page = dict(chapters)["Routines"]
    assert chapters[-1] == ("Routines", heading_page)
    assert heading_page % 2 == 1 and heading_page > chapters[-2][1]
    pages = routine_pages(ebook)
    assert list(pages) == [routine.title for routine in SAMPLE.routines.values()]
    assert list(pages.values()) == list(range(heading_page, heading_page + len(pages)))
    assert folio(ebook, len(ebook.pages) - 1) == heading_page + len(pages) - 1
    assert contents_entries(ebook)["Routines"] == heading_page
    # Running head and folio as on any page of the book.
    lines = [
        line.strip() for line in folio_page(ebook, heading_page + 1).extract_text().splitlines()
    ]
    assert set(lines[-2:]) == {"ROUTINES", str(heading_page + 1)}


def test_each_routine_lists_its_exercises_with_dose_and_page(ebook):
    spreads = bookmark_pages(ebook)
    for routine in SAMPLE.routines.values():
        page = routine_pages(ebook)[routine.title]
        text = flat(folio_page(ebook, page).extract_text())
        assert routine.description in text
        for item in routine.items:
            assert summary(item.dose) in text, (routine.id, item.exercise.id)
        expected = {item.exercise.name: spreads[item.exercise.name] for item in routine.items}
        assert printed_pages(ebook, page) == expected
        assert link_targets(ebook, page) == {
            f"exercise-{item.exercise.id}": spreads[item.exercise.name] for item in routine.items
        }


@pytest.fixture(scope="module")
def long_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated book of twelve exercises with a second routine: a dose of its own, and an
    exercise that is in no chapter."""
    from bench.generate import generate

    book = generate(12, tmp_path_factory.mktemp("long") / "book", per_chapter=3)
    add_left_out_routine(book, "crisscross-012", "side-kicks-008", original="bridge-leg-lift-001")
    return book


def add_left_out_routine(book: Path, first: str, last: str, original: str) -> None:
    """A routine of ``first`` with a dose of its own, an exercise in no chapter and ``last``."""
    text = (book / "exercises" / f"{original}.md").read_text(encoding="utf-8")
    name = next(line for line in text.splitlines() if line.startswith("name: "))
    text = text.replace(name, f"name: {LEFT_OUT}").replace("sample: true\n", "")
    (book / "exercises" / "kept-for-later.md").write_text(text, encoding="utf-8")
    shutil.copyfile(book / "figures" / f"{original}.yaml", book / "figures" / "kept-for-later.yaml")
    (book / "routines" / "later.yaml").write_text(
        "title: Later on\ndescription: With one exercise still to come.\nexercises:\n"
        f"  - id: {first}\n    dose: {{reps: 3, sets: 2}}\n  - kept-for-later\n  - {last}\n",
        encoding="utf-8",
    )


@pytest.mark.slow
def test_in_parts_the_routines_give_the_same_pages_and_links(long_book, tmp_path):
    single, joined = tmp_path / "single.pdf", tmp_path / "joined.pdf"
    assert run_cli("ebook", "--book", long_book, "--parts", "1", "-o", single).exit_code == 0
    result = run_cli("ebook", "--book", long_book, "--parts", "2", "-o", joined)
    assert result.exit_code == 0, result.stderr
    assert "laid out in 2 parts" in result.stdout
    one, parts = PdfReader(single), PdfReader(joined)
    book = load_book(long_book)
    assert routine_pages(parts) == routine_pages(one)
    assert list(routine_pages(parts)) == [routine.title for routine in book.routines.values()]
    assert contents_entries(parts)["Routines"] == contents_entries(one)["Routines"]
    assert [p.extract_text() for p in parts.pages] == [p.extract_text() for p in one.pages]
    spreads = bookmark_pages(one)
    for routine in book.routines.values():
        page = routine_pages(one)[routine.title]
        laid_out = [item for item in routine.items if item.exercise.name != LEFT_OUT]
        expected = {item.exercise.name: spreads[item.exercise.name] for item in laid_out}
        links = {f"exercise-{item.exercise.id}": spreads[item.exercise.name] for item in laid_out}
        for reader in (one, parts):
            assert printed_pages(reader, page) == expected, routine.id
            assert link_targets(reader, page) == links, routine.id
    later = flat(folio_page(parts, routine_pages(parts)["Later on"]).extract_text())
    assert "2 sets of 3 reps each side" in later
    assert LEFT_OUT in later  # named, with no page to turn to
    # The contents' line for the routines jumps to their heading.
    contents_page = next(i for i, p in enumerate(parts.pages) if p.extract_text().startswith("Con"))
    assert (
        contents_entries(parts)["Routines"]
        in link_targets(parts, folio(parts, contents_page)).values()
    )


def test_the_sample_keeps_only_the_routines_it_has_every_exercise_of(outputs, book, tmp_path):
    reader = PdfReader(outputs["sample-edition"])  # of the sample book, which ``book`` copies
    # Each of the sample book's routines has an exercise that is not in the sample.
    assert "Routines" not in bookmark_pages(reader)
    assert "Routines" not in contents_entries(reader)
    target = tmp_path / "sample.pdf"
    (book / "routines" / "pair.yaml").write_text(
        "title: The sample pair\nexercises:\n  - bridge-leg-lift\n  - squat-arm-raise\n",
        encoding="utf-8",
    )
    assert run_cli("ebook", "--book", book, "--sample", "-o", target).exit_code == 0
    reader = PdfReader(target)
    assert routine_pages(reader) == {"The sample pair": bookmark_pages(reader)["Routines"]}
    assert contents_entries(reader)["Routines"] == bookmark_pages(reader)["Routines"]
    spreads = bookmark_pages(reader)
    page = routine_pages(reader)["The sample pair"]
    names = [SAMPLE.exercises[i].name for i in ("bridge-leg-lift", "squat-arm-raise")]
    assert printed_pages(reader, page) == {name: spreads[name] for name in names}
    assert "Enjoyed the sample?" in reader.pages[-1].extract_text()  # still the last page


def test_a_book_with_no_routines_has_no_routines_section(without_routines):
    out, made = without_routines  # the sample book with its routines taken out
    assert made.exit_code == 0, made.stderr
    reader = PdfReader(out / "ebook.pdf")
    assert "Routines" not in bookmark_pages(reader)
    assert "Routines" not in contents_entries(reader)
    with zipfile.ZipFile(out / "ebook.epub") as archive:
        assert "EPUB/routines.xhtml" not in archive.namelist()


def xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(archive.read(name))


@pytest.fixture(scope="module")
def routines_epub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample book with a routine that has a dose of its own and an exercise in no
    chapter, and its EPUB."""
    book = Path(shutil.copytree(SAMPLE_BOOK, tmp_path_factory.mktemp("routines") / "book"))
    add_left_out_routine(book, "squat-arm-raise", "crisscross", original="bridge-leg-lift")
    target = book.parent / "ebook.epub"
    assert run_cli("epub", "--book", book, "-o", target).exit_code == 0
    return book, target


def test_the_epub_links_each_routine_exercise_to_its_document(routines_epub):
    book, target = routines_epub
    loaded = load_book(book)
    with zipfile.ZipFile(target) as archive:
        package = xml(archive, "EPUB/package.opf")
        hrefs = {i.get("id"): i.get("href") for i in package.iter(f"{{{NS['opf']}}}item")}
        spine = [hrefs[ref.get("idref")] for ref in package.iter(f"{{{NS['opf']}}}itemref")]
        last_chapter = loaded.chapters[-1]
        assert spine[-1] == "routines.xhtml"
        assert spine[-2] == f"chapter-{last_chapter.id}.xhtml"  # the last chapter has no exercises
        toc = xml(archive, "EPUB/nav.xhtml").find(".//x:nav[@epub:type='toc']", NS)
        links = [(a.get("href"), "".join(a.itertext())) for a in toc.iter(f"{{{NS['x']}}}a")]
        routines = [("routines.xhtml", "Routines")] + [
            (f"routines.xhtml#routine-{r.id}", r.title) for r in loaded.routines.values()
        ]
        assert links[-len(routines) :] == routines
        document = xml(archive, "EPUB/routines.xhtml")
        for routine in loaded.routines.values():
            section = document.find(f".//x:section[@id='routine-{routine.id}']", NS)
            steps = section.findall(".//x:ol/x:li", NS)
            assert len(steps) == len(routine.items)
            for step, item in zip(steps, routine.items, strict=True):
                assert summary(item.dose) in " ".join("".join(step.itertext()).split())
                link = step.find("x:a", NS)
                if item.exercise.name == LEFT_OUT:
                    assert link is None and LEFT_OUT in "".join(step.itertext())
                else:
                    assert link.get("href") == f"exercise-{item.exercise.id}.xhtml"
                    assert link.get("href") in spine


@pytest.mark.slow
def test_the_epub_with_its_routines_passes_epubcheck(routines_epub):
    _, target = routines_epub
    command = epubcheck_command()
    if command is None:
        pytest.skip("epubcheck is not installed here")
    checked = subprocess.run(
        [*command, str(target)], capture_output=True, text=True, timeout=300
    )  # fmt: skip
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0, report
    assert "No errors or warnings detected" in report, report
