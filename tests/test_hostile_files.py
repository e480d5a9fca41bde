"""A shared book is untrusted: whatever its files name, link to or are, a build reads only
regular files inside the book (and the tool's own layouts and fonts), every output carries
only links to the web, and a failure is one clear line that leaves every output as it was.
"""

from __future__ import annotations

import base64
import os
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from psoas_print.book.resolver import Refused
from psoas_print.book.sources import Sources
from psoas_print.errors import BookError
from psoas_print.layout.typesetter import _fetcher_class
from psoas_print.products.epub import _asset
from psoas_print.runner.export import prepare_export
from psoas_print.shipped import shipped
from tests.conftest import Run, run_cli, run_guarded

OLD = b"%PDF-1.7 the last good build\n"
SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
PICTURE = f'{SVG_HEAD} width="400" height="300"><rect width="400" height="300"/></svg>'
LINKS = re.compile(r"""<(?:\w+:)?a\b[^>]*?\bhref\s*=\s*["']([^"']*)["']""")  # <a href>


# --- helpers -------------------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` with ``new`` in a book file; return the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def name_image(book: Path, exercise: str, image: str) -> int:
    """Give an exercise an ``image:``; return the line it is on."""
    return edit(book / f"exercises/{exercise}.md", "---\nname:", f"---\nimage: {image}\nname:") + 1


def add_to_chapter(book: Path, text: str, chapter: str = "01-meet-your-psoas.md") -> int:
    """Put Markdown before the first section of a chapter; return its first line."""
    return edit(book / "chapters" / chapter, "\n## ", f"\n{text}\n\n## ") + 1


def photo(path: Path, colour: str = "#c96") -> bytes:
    Image.new("RGB", (1800, 1350), colour).save(path)
    return path.read_bytes()


def old_outputs(out: Path) -> dict[str, bytes]:
    """Outputs from an earlier build, which a failing build must leave exactly as they are."""
    out.mkdir(exist_ok=True)
    old = {name: OLD + name.encode() for name in ("ebook.pdf", "ebook.epub", "cheatsheet.pdf")}
    for name, data in old.items():
        (out / name).write_bytes(data)
    return old


def assert_one_clean_line(result: Run, where: str | tuple[str, ...], message: str) -> None:
    """Exit status 2 and one line: ``where`` (a ``path:line`` or a path, or one of several),
    then ``message``."""
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    places = (where,) if isinstance(where, str) else where
    assert lines[0].startswith(tuple(f"{place}: " for place in places)), lines[0]
    assert message in lines[0], lines[0]


def assert_untouched(out: Path, old: dict[str, bytes]) -> None:
    assert sorted(path.name for path in out.iterdir()) == sorted(old)
    for name, data in old.items():
        assert (out / name).read_bytes() == data, name


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The output folder, the book at ``book/`` beside it, messages relative to both."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "out"


def fails_cleanly(
    book: Path, out: Path, where: str | tuple[str, ...], message: str, *command: str
) -> None:
    """``build`` (or ``command``) fails with one line and leaves the old outputs alone.

    It runs in a process of its own with a timeout: reading a pipe would wait forever.
    """
    old = old_outputs(out)
    command = command or ("build", "--book", "book", "--out", "out")
    result = run_guarded(*command, cwd=out.parent)
    assert_one_clean_line(result, where, message)
    assert_untouched(out, old)


# --- files outside the book, and files that are no files -------------------------------


def test_a_linked_image_outside_the_book_is_refused(book, out, tmp_path):
    photo(tmp_path / "private.png")
    (book / "figures/link.png").symlink_to(tmp_path / "private.png")
    line = name_image(book, "crisscross", "figures/link.png")
    message = f"'figures/link.png' points outside the book folder {book}"
    fails_cleanly(book, out, f"book/exercises/crisscross.md:{line}", message)


def test_a_linked_image_in_a_chapter_is_refused_with_where_it_points(book, out, tmp_path):
    photo(tmp_path / "private.png")
    (book / "figures/link.png").symlink_to(tmp_path / "private.png")
    line = add_to_chapter(book, "![A photo](figures/link.png)")
    message = f"(it is a link to {tmp_path / 'private.png'})"
    fails_cleanly(book, out, f"book/chapters/01-meet-your-psoas.md:{line}", message)


def test_a_linked_image_in_raw_html_is_refused(book, out, tmp_path):
    photo(tmp_path / "private.png")
    (book / "figures/link.png").symlink_to(tmp_path / "private.png")
    line = add_to_chapter(book, '<p><img src="figures/link.png" alt="A photo"></p>')
    message = "'figures/link.png' points outside the book folder"
    fails_cleanly(book, out, f"book/chapters/01-meet-your-psoas.md:{line}", message)


def test_a_linked_chapter_outside_the_book_is_refused(book, out, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\ntitle: Not of this book\n---\nPrivate words.\n", encoding="utf-8")
    (book / "chapters/06-borrowed.md").symlink_to(outside)
    fails_cleanly(book, out, "book/chapters/06-borrowed.md", "outside the book folder")


def test_an_image_linked_to_a_device_is_not_read(book, out):
    (book / "figures/zero.png").symlink_to("/dev/zero")
    line = name_image(book, "crisscross", "figures/zero.png")
    message = "'figures/zero.png' is not a regular file"
    fails_cleanly(book, out, f"book/exercises/crisscross.md:{line}", message)


def test_an_image_that_is_a_pipe_is_not_read(book, out):
    os.mkfifo(book / "figures/pipe.png")
    line = add_to_chapter(book, "![A photo](figures/pipe.png)")
    message = "'figures/pipe.png' is not a regular file"
    fails_cleanly(book, out, f"book/chapters/01-meet-your-psoas.md:{line}", message)


def test_a_chapter_that_is_a_pipe_is_not_read(book, out):
    os.mkfifo(book / "chapters/06-pipe.md")
    fails_cleanly(book, out, "book/chapters/06-pipe.md", "not a regular file")


def test_a_missing_image_with_a_query_is_named_as_written(book, out):
    url = "figures/a.png?/../../../../etc/hostname"
    line = add_to_chapter(book, f'<img src="{url}" alt="">')
    message = f"image '{url}' not found"
    fails_cleanly(book, out, f"book/chapters/01-meet-your-psoas.md:{line}", message)


def test_a_missing_image_with_an_escaped_space_is_an_error_not_a_traceback(book, out):
    line = name_image(book, "crisscross", "figures/no%20such.png")
    message = f"image 'figures/no%20such.png' not found (looked for {book}/figures/no such.png)"
    fails_cleanly(book, out, f"book/exercises/crisscross.md:{line}", message)


# --- SVG pictures that reach outside themselves ----------------------------------------


@pytest.mark.parametrize(
    ("inside", "reference"),
    [
        ('<image href="file:///etc/hostname" width="9" height="9"/>', "file:///etc/hostname"),
        (
            '<image xlink:href="http://example.com/a.png" width="9" height="9"/>',
            "http://example.com/a.png",
        ),
        ('<use href="../../outside.svg#x"/>', "../../outside.svg#x"),
        ("<style>rect { fill: url(file:///etc/hostname#x) }</style>", "file:///etc/hostname#x"),
    ],
    ids=["image-file", "xlink-http", "use-outside", "style-url"],
)
def test_an_svg_exercise_image_that_refers_outside_itself_is_an_error(book, out, inside, reference):
    (book / "figures/figure.svg").write_text(PICTURE.replace("</svg>", f"{inside}</svg>"))
    line = name_image(book, "crisscross", "figures/figure.svg")
    message = f"'figures/figure.svg' refers to '{reference}'"
    fails_cleanly(book, out, f"book/exercises/crisscross.md:{line}", message)


def test_an_svg_in_a_chapter_that_refers_outside_itself_is_an_error(book, out):
    inside = '<image href="file:///etc/hostname" width="9" height="9"/>'
    (book / "figures/map.svg").write_text(PICTURE.replace("</svg>", f"{inside}</svg>"))
    line = add_to_chapter(book, "![A map](figures/map.svg)")
    message = "'figures/map.svg' refers to 'file:///etc/hostname'"
    fails_cleanly(book, out, f"book/chapters/01-meet-your-psoas.md:{line}", message)


def test_an_svg_in_a_data_url_that_refers_outside_itself_is_an_error(book, out):
    inside = PICTURE.replace("</svg>", '<image href="file:///etc/hostname"/></svg>')
    encoded = base64.b64encode(inside.encode()).decode()
    line = add_to_chapter(book, f'<img src="data:image/svg+xml;base64,{encoded}" alt="">')
    message = "the SVG picture in a data: URL refers to 'file:///etc/hostname'"
    fails_cleanly(book, out, f"book/chapters/01-meet-your-psoas.md:{line}", message)


def test_an_svg_with_entities_is_refused_before_they_expand(book, out):
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "ha">{laughs}]>'
    (book / "figures/laughs.svg").write_text(f"{bomb}{PICTURE.replace('/>', '/>&l9;')}")
    line = name_image(book, "crisscross", "figures/laughs.svg")
    message = "'figures/laughs.svg' declares a DOCTYPE"
    fails_cleanly(book, out, f"book/exercises/crisscross.md:{line}", message)


# --- layouts: the fetcher asks the same resolver ---------------------------------------


def override_layout(book: Path, name: str, before: str) -> None:
    """The book's own copy of a layout file, with ``before`` put first."""
    shipped_text = (shipped("layouts") / name).read_text(encoding="utf-8")
    (book / "layouts").mkdir(exist_ok=True)
    (book / "layouts" / name).write_text(f"{before}\n{shipped_text}", encoding="utf-8")


EBOOK = ("ebook", "--book", "book", "-o", "out/ebook.pdf")


EBOOK_LAYOUTS = ("layouts/ebook.html", "layouts/ebook-cover.html")  # interior, cover page


def test_a_layout_cannot_import_a_file_outside_the_book(book, out):
    override_layout(book, "fonts.css", '@import "file:///etc/hostname";')
    # The interior or its cover page, whichever is laid out first: both load fonts.css.
    fails_cleanly(book, out, EBOOK_LAYOUTS, "refused to read /etc/hostname", *EBOOK)


def test_a_layout_cannot_read_a_pipe_in_the_book(book, out):
    os.mkfifo(book / "figures/pipe.png")
    override_layout(book, "tokens.css", 'body { background: url("figures/pipe.png"); }')
    # Both load tokens.css: whichever is laid out first names the pipe.
    fails_cleanly(book, out, EBOOK_LAYOUTS, "pipe.png is not a regular file", *EBOOK)


# --- the HTML export: worked out before anything is written ----------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("figures/gone.png", "cannot export the HTML: file 'figures/gone.png' not found"),
        pytest.param(  # the same path through the export, for a file outside (slow)
            "file:///etc/hostname", "refused to read /etc/hostname", marks=pytest.mark.slow
        ),
    ],
)
def test_an_export_that_cannot_be_made_writes_not_even_the_pdf(book, out, url, message):
    # A rule that matches nothing: the render loads nothing for it, the export would.
    override_layout(book, "tokens.css", f'.no-such-class {{ background: url("{url}"); }}')
    out.mkdir()
    (out / "ebook.pdf").write_bytes(OLD)
    (out / "ebook.html").write_bytes(b"<p>the last export</p>")
    result = run_cli("ebook", "--book", "book", "-o", "out/ebook.pdf", "--html", "out/ebook.html")
    assert_one_clean_line(result, "out/ebook.html", message)
    assert (out / "ebook.pdf").read_bytes() == OLD
    assert (out / "ebook.html").read_bytes() == b"<p>the last export</p>"
    assert not (out / "ebook_files").exists()


# --- what builds: only web links, no scripts, the resolver's file --------------------------

HOSTILE_LINKS = (
    '<p><a href="javascript:alert(1)">one</a> <a href=" JaVaScRiPt&#x3a;alert(2)">two</a> '
    '<a href="data:text/html,x">three</a> <a href="file:///etc/hostname">four</a> '
    '<a href="vbscript:msgbox">five</a> <a href="https://example.org/fine">six</a> '
    '<a href="#where-it-runs">seven</a></p>\n\n'
    "[eight](ftp://example.org/x) and plain text naming file:///etc/hostname and "
    'url(file:///etc/hostname) and src="file:///etc/hostname".'
)
SCRIPTED = PICTURE.replace(
    "<rect",
    '<script>alert(1)</script><a href="javascript:alert(2)"><text>go</text></a>'
    '<rect onclick="alert(3)"',
).replace("<svg ", '<svg onload="alert(4)" ')


def allowed(uri: str) -> bool:
    return uri.split(":", 1)[0].lower() in ("http", "https", "mailto")


def test_pdf_and_export_carry_only_web_links_and_no_scripts(book, out):
    add_to_chapter(book, HOSTILE_LINKS)
    (book / "figures/scripted.svg").write_text(SCRIPTED, encoding="utf-8")
    name_image(book, "crisscross", "figures/scripted.svg")
    result = run_cli("ebook", "--book", "book", "-o", "out/ebook.pdf", "--html", "out/ebook.html")
    assert result.exit_code == 0, result.stderr

    with pikepdf.open(out / "ebook.pdf") as pdf:
        uris = [
            str(annotation.A.URI)
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if "/A" in annotation and annotation.A.get("/S") == "/URI"
        ]
    assert "https://example.org/fine" in uris
    assert all(allowed(uri) for uri in uris), uris

    copied = sorted((out / "ebook_files").iterdir())
    assert not [path for path in copied if "hostname" in path.name]  # links and text: no
    svg = next(path for path in copied if path.suffix == ".svg").read_text()
    assert "script" not in svg and "onload" not in svg and "onclick" not in svg
    assert "javascript" not in svg
    html = (out / "ebook.html").read_text()
    assert "javascript" not in html.lower() and "vbscript" not in html


@pytest.mark.slow  # lays the ebook out for the EPUB's page list
def test_epub_carries_only_web_links_and_clean_pictures(book, out):
    add_to_chapter(book, HOSTILE_LINKS)
    (book / "figures/scripted.svg").write_text(SCRIPTED, encoding="utf-8")
    name_image(book, "crisscross", "figures/scripted.svg")
    result = run_cli("epub", "--book", "book", "-o", "out/ebook.epub")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out / "ebook.epub") as epub:
        names = [name for name in epub.namelist() if name.endswith((".xhtml", ".svg"))]
        texts = {name: epub.read(name).decode() for name in names}
    documents = {name: text for name, text in texts.items() if name.endswith(".xhtml")}
    hrefs = [href for text in documents.values() for href in LINKS.findall(text)]
    assert "https://example.org/fine" in hrefs
    for href in hrefs:  # the web, or another document of the EPUB
        assert allowed(href) or re.fullmatch(r"[\w.-]*\.xhtml(#[\w-]+)?|#[\w-]+", href), href
    pictures = [text for name, text in texts.items() if name.endswith(".svg")]
    assert any("<text>go</text>" in picture for picture in pictures)
    for text in [*documents.values(), *pictures]:
        assert "<script" not in text and "javascript:" not in text.lower()
        assert not re.search(r"\son\w+\s*=", text)


@pytest.mark.slow  # lays the ebook out for the EPUB's page list
def test_epub_packs_the_file_the_check_accepted_whatever_the_url_adds(book, out):
    mine = photo(book / "figures/photo one.png")
    add_to_chapter(book, '<img src="figures/photo%20one.png?/../../../../etc/hostname" alt="">')
    assert run_cli("check", "--book", "book").exit_code == 0
    result = run_cli("epub", "--book", "book", "-o", "out/ebook.epub")
    assert result.exit_code == 0, result.stderr
    hostname = Path("/etc/hostname").read_bytes() if Path("/etc/hostname").is_file() else None
    with zipfile.ZipFile(out / "ebook.epub") as epub:
        packed = [epub.read(name) for name in epub.namelist() if name.startswith("EPUB/images/")]
        chapter = epub.read("EPUB/chapter-meet-your-psoas.xhtml").decode()
    assert mine in packed
    assert hostname is None or hostname not in packed
    assert 'src="images/photo-one.png"' in chapter


# --- one resolver: every reader of files gives the same answer ---------------------------


def test_every_reader_asks_the_same_resolver(book, tmp_path):
    photo(tmp_path / "private.png")
    link = book / "figures/link.png"
    link.symlink_to(tmp_path / "private.png")
    (book / "figures/scripted.svg").write_text(SCRIPTED, encoding="utf-8")
    resolver = Sources(book).resolver
    fetcher = _fetcher_class()(resolver)

    with pytest.raises(Refused, match="points outside the book folder"):
        resolver.book_file("figures/link.png")
    with pytest.raises(PermissionError, match=f"refused to read {tmp_path / 'private.png'}"):
        fetcher.fetch(link.as_uri())
    with pytest.raises(BookError, match="points outside the book folder"):
        _asset(link, resolver, {})
    with pytest.raises(BookError, match="points outside the book folder"):
        prepare_export('<img src="figures/link.png">', tmp_path / "page.html", Sources(book))

    served = fetcher.fetch((book / "figures/scripted.svg").as_uri()).read().decode()
    assert "<rect" in served and "script" not in served and "onload" not in served


def test_a_layout_of_the_book_makes_only_web_and_mail_links(book, tmp_path):
    (book / "layouts").mkdir(exist_ok=True)
    (book / "layouts/cheatsheet.html").write_text(
        '{% extends "default/cheatsheet.html" %}{% block body %}'
        '<a href="javascript:alert(1)">a</a> <a href="file:///etc/hostname">b</a> '
        '<a href="https://example.org/">c</a> <a href="mailto:a@example.org">d</a>'
        "{{ super() }}{% endblock %}",
        encoding="utf-8",
    )
    result = run_cli("cheatsheet", "--book", book, "-o", tmp_path / "sheet.pdf")
    assert result.exit_code == 0, result.stderr
    with pikepdf.open(tmp_path / "sheet.pdf") as pdf:
        actions = [annotation.get("/A") for annotation in pdf.pages[0].get("/Annots", [])]
    uris = sorted(str(action.get("/URI")) for action in actions if action is not None)
    assert uris == ["https://example.org/", "mailto:a@example.org"]
