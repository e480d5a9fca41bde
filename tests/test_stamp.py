"""Licensed copies: a buyer's line on every page, the book's links, outline and metadata kept."""

from __future__ import annotations

import re

import pikepdf
import pytest
from pypdf import PdfReader

from tests.accessibility import second_opinion, ua_problems
from tests.conftest import run_cli
from tests.pdfs import outline

BUYERS = [
    ("Zoë Ørsted", "zoe@example.org", "A-1001"),
    ("Юлия Иванова", "yulia@example.org", "A-1002"),
    ("Ελένη Παπαδοπούλου", "eleni@example.org", "A-1003"),
]


def write_buyers(folder, rows) -> object:
    path = folder / "buyers.csv"
    lines = ["name,email,order"] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_every_page_carries_its_buyer_and_the_book_survives(outputs, tmp_path):
    source = PdfReader(outputs["ebook-a4"])
    result = run_cli(
        "stamp",
        outputs["ebook-a4"],
        "--buyers",
        write_buyers(tmp_path, BUYERS),
        "--out",
        tmp_path / "out",
    )
    assert result.exit_code == 0, result.stderr
    assert re.search(r"3 licensed copies .*: \d+ copies a second", " ".join(result.stdout.split()))
    for name, email, order in BUYERS:
        copy = PdfReader(tmp_path / "out" / f"ebook-{order}.pdf")
        line = f"Licensed to {name} · {email} · order {order}"
        assert len(copy.pages) == len(source.pages)
        for page in copy.pages:
            assert line in " ".join(page.extract_text().split())
        assert copy.metadata["/LicensedTo"] == line
        assert copy.metadata.title == source.metadata.title
        assert copy.metadata.author == source.metadata.author
        assert outline(copy) == outline(source)
        links = [len(page.get("/Annots", [])) for page in copy.pages]
        assert links == [len(page.get("/Annots", [])) for page in source.pages]
    assert_stamped_as_artifacts(outputs["ebook-a4"], tmp_path / "out" / "ebook-A-1001.pdf")
    with pikepdf.open(tmp_path / "out" / "ebook-A-1001.pdf") as stamped:
        assert ua_problems(stamped) == []  # the ebook's tagging, kept
    assert second_opinion(tmp_path / "out" / "ebook-A-1001.pdf") == []


def assert_stamped_as_artifacts(source, copy) -> None:
    """The copy keeps the book's structure and lays its licence line on as a watermark
    artifact: a screen reader reads the book, not the line on every page."""
    import pikepdf

    with pikepdf.open(source) as book, pikepdf.open(copy) as stamped:
        kept = stamped.Root.StructTreeRoot.ParentTree.Nums
        assert len(kept) == len(book.Root.StructTreeRoot.ParentTree.Nums)
        assert bool(stamped.Root.MarkInfo.Marked)
        for page in stamped.pages:
            marked, depth = [], 0
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("BDC", "BMC"):
                    marked.append(str(operands[0]))
                elif str(operator) == "EMC":
                    marked.pop()
                elif str(operator) == "Do" and str(operands[0]) == "/PsoasPrintLicence":
                    assert marked and marked[-1] == "/Artifact", marked
                    depth += 1
            assert depth == 1  # the line, once per page


def test_a_name_prints_in_whichever_bundled_font_has_its_letters(outputs, tmp_path):
    """Set without a layout engine, a line still falls back from Inter to Gentium Book
    Plus, letter by letter, and reads back as written; a letter in neither is an error."""
    name = "Ԁлена Ǆurić"  # Ԁ and Ǆ are in Gentium Book Plus, not in Inter
    buyers = write_buyers(tmp_path, [(name, "e@example.org", "G-1")])
    result = run_cli("stamp", outputs["ebook-a4"], "--buyers", buyers, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    copy = PdfReader(tmp_path / "out" / "ebook-G-1.pdf")
    assert f"Licensed to {name}" in " ".join(copy.pages[1].extract_text().split())
    licence = copy.pages[1]["/Resources"]["/XObject"]["/PsoasPrintLicence"].get_object()
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for f in licence["/Resources"]["/Font"].values()
    }
    assert fonts == {"Inter-Regular", "GentiumBookPlus"}  # PostScript names, as embedded
    buyers = write_buyers(tmp_path, [("王小明", "w@example.org", "G-2")])
    result = run_cli("stamp", outputs["ebook-a4"], "--buyers", buyers, "--out", tmp_path / "no")
    assert result.exit_code == 2
    assert "buyers.csv:2: no bundled font can print '王'" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,email\nAna,ana@example.org\n", "buyers.csv:1: no 'order' column"),
        (
            b"name,email,order\nAna,not-an-address,7\n",
            "buyers.csv:2: 'not-an-address' is not an email address",
        ),
        (b"name,email,order\n,ana@example.org,7\n", "buyers.csv:2: blank name"),
        (b"", "buyers.csv:1: file is empty"),
        (b"name,email,order\n\xe9,a@b.org,1\n", "buyers.csv:2: not UTF-8 text"),
    ],
    ids=["no order column", "bad email", "blank name", "empty", "not utf-8"],
)
def test_bad_buyer_lists_are_located_errors(outputs, tmp_path, monkeypatch, content, message):
    (tmp_path / "buyers.csv").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    result = run_cli("stamp", outputs["ebook-a4"], "--buyers", "buyers.csv", "--out", "out")
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(message), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_ebook_is_a_clear_error(tmp_path):
    result = run_cli("stamp", tmp_path / "none.pdf", "--buyers", write_buyers(tmp_path, BUYERS))
    assert result.exit_code == 2
    assert "none.pdf: file not found" in result.stderr
