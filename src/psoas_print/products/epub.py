"""The EPUB 3 edition: the same content and figures, reflowable, with the bundled fonts.

Each chapter and each exercise is an XHTML document, and the routines one more after them,
their exercises linked to their documents; figures are the same SVG files the PDFs draw,
with their alt text; the fonts are subset to the characters the book uses.
The zip is written in a fixed order with fixed dates, so SOURCE_DATE_EPOCH makes it
repeat to the byte.
"""

from __future__ import annotations

import base64
import datetime
import io
import re
import time
import uuid
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import ClassVar

import uharfbuzz as harfbuzz

from psoas_print.book import markup
from psoas_print.book.model import Book, Exercise
from psoas_print.book.resolver import Refused, Resolver
from psoas_print.book.sources import Sources
from psoas_print.book.svg import SvgProblem
from psoas_print.book.svg import clean as clean_svg
from psoas_print.errors import BookError
from psoas_print.figures.describe import alt_text
from psoas_print.figures.store import FigureStore
from psoas_print.figures.style import Style
from psoas_print.language.catalogues import words_for
from psoas_print.language.words import Words
from psoas_print.layout.geometry import TRIMS
from psoas_print.layout.templates import make_environment, render_template
from psoas_print.layout.typefaces import typeface_name
from psoas_print.layout.view import (
    Record,
    chapter_view,
    common_context,
    exercise_view,
    record,
    routine_view,
)
from psoas_print.products.context import BuildContext
from psoas_print.products.front_cover import store_picture
from psoas_print.products.parts import folios_of
from psoas_print.products.protocol import (
    BookProduct,
    Inputs,
    Made,
    MadeFile,
    Summary,
)
from psoas_print.products.settings import EpubSettings, ProductName

FONTS = {
    "GentiumBookPlus-Regular.ttf": "font/ttf",
    "GentiumBookPlus-Italic.ttf": "font/ttf",
    "GentiumBookPlus-Bold.ttf": "font/ttf",
    "GentiumBookPlus-BoldItalic.ttf": "font/ttf",
    "Inter-Regular.otf": "font/otf",
    "Inter-SemiBold.otf": "font/otf",
    "Inter-Bold.otf": "font/otf",
}
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
XHTML = "application/xhtml+xml"


@dataclass(frozen=True)
class Item:
    """One file of the EPUB and its manifest entry."""

    id: str
    href: str
    media_type: str
    data: bytes
    properties: str = ""


@dataclass(frozen=True)
class Entry:
    title: str
    href: str
    children: tuple[Entry, ...] = ()
    label: bool = False  # one of the tool's own words, not the author's


class Epub(BookProduct[EpubSettings]):
    """The EPUB 3 edition."""

    name: ClassVar[ProductName] = ProductName.EPUB

    def make(self, inputs: Inputs, settings: EpubSettings, context: BuildContext) -> Made:
        assert isinstance(inputs, Book)
        started = time.perf_counter()
        data, documents = build_epub(inputs, context, words_for(inputs, settings.language))
        made = MadeFile("", data, documents)
        return Made((made,), Summary(epub=True), time.perf_counter() - started)

    def check(self, book: Book | None, settings: EpubSettings) -> None:
        assert book is not None
        words_for(book, settings.language)  # a language with no labels fails here


def _typefaces(sources: Sources, words: Words) -> str:
    """The typefaces of the fonts the EPUB carries, named as their makers name them."""
    names = [typeface_name(sources.font(name)) for name in FONTS]
    return words.listing(dict.fromkeys(name for name in names if name))


def build_epub(book: Book, build: BuildContext, words: Words) -> tuple[bytes, int]:
    """The EPUB file, and how many documents its spine has, its labels in the language of
    ``words``."""
    sources, figures = build.sources, build.figures
    environment = make_environment(sources, words)
    context = common_context(book, book.info.paper, build.created, words)

    def page(template: str, **values: object) -> bytes:
        return render_template(environment, f"epub/{template}", **context, **values).encode("utf-8")

    assets: dict[str, Item] = {}
    documents = [
        Item("cover", "cover.xhtml", XHTML, page("cover.xhtml")),
        Item(
            "title", "title.xhtml", XHTML, page("title.xhtml", typefaces=_typefaces(sources, words))
        ),
    ]
    contents = []
    number = 0
    for index, chapter in enumerate(book.chapters, start=1):
        href = f"chapter-{chapter.id}.xhtml"
        body = _xhtml(chapter.body_html, book.root, assets)
        documents.append(
            Item(
                f"chapter-{chapter.id}",
                href,
                XHTML,
                page("chapter.xhtml", chapter=chapter_view(chapter), number=index, body=body),
            )
        )
        children = []
        for exercise in book.chapter_exercises(chapter):
            number += 1
            documents.append(
                _exercise_document(exercise, number, book, assets, page, figures, words)
            )
            children.append(Entry(exercise.name, _exercise_href(exercise)))
        contents.append(Entry(chapter.title, href, tuple(children)))
    if book.routines:
        routines, entry = _routines_document(book, page, words)
        documents.append(routines)
        contents.append(entry)
    text = _all_text(documents)
    resources = [
        Item(
            "cover-image",
            "images/cover.jpg",
            "image/jpeg",
            store_picture(book, build, words),
            "cover-image",
        ),
        Item(
            "css",
            "css/book.css",
            "text/css",
            render_template(environment, "epub/book.css").encode(),
        ),
        *_fonts(sources, text),
        *assets.values(),
    ]
    pages = page_list(book, build, words)  # last: it may wait for the ebook beside it
    nav = Item(
        "nav", "nav.xhtml", XHTML, page("nav.xhtml", contents=contents, page_list=pages), "nav"
    )
    spine = [documents[0], documents[1], nav, *documents[2:]]
    package = page(
        "package.opf", identifier=identifier(book), modified=_modified(build.created),
        manifest=_listed([nav, *documents, *resources]), spine=_listed(spine),
        page_source=f"{book.info.title} (PDF, {TRIMS[book.info.paper].label})" if pages else "",
    )  # fmt: skip
    files = [Item("opf", "package.opf", "", package), nav, *documents, *resources]
    container = render_template(environment, "epub/container.xml")
    return _zip(files, container, build.created), len(spine)


def _listed(items: list[Item]) -> list[Record]:
    """Items as the package's manifest and spine name them: without their bytes."""
    return [record(item, omit=["data"]) for item in items]


def _exercise_document(
    exercise: Exercise,
    number: int,
    book: Book,
    assets: dict[str, Item],
    page: Callable[..., bytes],
    figures: FigureStore,
    words: Words,
) -> Item:
    figure = None
    if exercise.image_path is not None:
        href = _asset(exercise.image_path, Sources(book.root).resolver, assets)
        figure = {"href": href, "alt": f"{exercise.name}: {exercise.position}."}
    elif exercise.pose is not None:
        svg = _with_label_font(figures.svg(exercise, Style(), words), Sources(book.root))
        href = f"figures/{exercise.id}.svg"
        assets[href] = Item(f"figure-{exercise.id}", href, "image/svg+xml", svg.encode("utf-8"))
        figure = {"href": href, "alt": alt_text(exercise, words)}
    body = _xhtml(exercise.body_html, book.root, assets)
    shown = exercise_view(exercise, words)
    data = page("exercise.xhtml", exercise=shown, number=number, figure=figure, body=body)
    return Item(f"exercise-{exercise.id}", _exercise_href(exercise), XHTML, data)


def page_list(book: Book, build: BuildContext, words: Words) -> list[tuple[int, str]]:
    """(folio, document) for the first page of every chapter and exercise, in page order:
    where each begins in the PDF ebook at the book's own paper, in the same language."""
    build.wait_for_ebook_pages()
    folios = folios_of(book, build, book.info.paper, words)
    starts: dict[int, str] = {}
    for chapter in book.chapters:
        starts.setdefault(folios.get(f"chapter-{chapter.id}", 0), f"chapter-{chapter.id}.xhtml")
        for exercise in book.chapter_exercises(chapter):
            starts.setdefault(folios.get(f"exercise-{exercise.id}", 0), _exercise_href(exercise))
    return sorted((folio, href) for folio, href in starts.items() if folio > 0)


def _exercise_href(exercise: Exercise) -> str:
    return f"exercise-{exercise.id}.xhtml"


def _routines_document(book: Book, page: Callable[..., bytes], words: Words) -> tuple[Item, Entry]:
    """The book's routines, after the chapters, each exercise a link to its own document,
    and their entry in the navigation."""
    href = "routines.xhtml"
    documents = {
        exercise.id: _exercise_href(exercise)
        for chapter in book.chapters
        for exercise in book.chapter_exercises(chapter)
    }
    routines = list(book.routines.values())
    shown = [routine_view(routine, words) for routine in routines]
    data = page("routines.xhtml", routines=shown, documents=documents)
    entries = tuple(Entry(routine.title, f"{href}#routine-{routine.id}") for routine in routines)
    heading = Entry(words.gettext("Routines"), href, entries, label=True)
    return Item("routines", href, XHTML, data), heading


def _xhtml(html: str, root: Path, assets: dict[str, Item]) -> str:
    """HTML from Markdown as well-formed XHTML, its images packed into the EPUB.

    The HTML is cleaned once more (it reaches a reader that may run scripts), and every
    file it loads is packed as the book's resolver finds it: by its path, never by the
    URL as written, so a query or a ``..`` in the URL cannot reach another file.
    """
    body = markup.parse_fragment(html)
    markup.clean_tree(body)
    resolver = Sources(root).resolver
    for element in body.iter():
        if isinstance(element.tag, str):
            _pack_loads(element, resolver, assets)
    inner = escape(body.text or "") + "".join(
        ElementTree.tostring(child, encoding="unicode", method="xml") for child in body
    )
    return inner.replace("&#10;", "\n")


def _pack_loads(element: ElementTree.Element, resolver: Resolver, assets: dict[str, Item]) -> None:
    """Point each file ``element`` loads at its packed copy; drop what the EPUB cannot
    carry (a srcset, a poster: the src is enough)."""

    def packed(url: str) -> str | None:
        url = url.strip()
        if not url or url.startswith("#") or url[:5].lower() == "data:":
            return None
        try:
            path = resolver.book_file(url, what="image")
        except Refused as refused:
            raise BookError.at(resolver.book or Path(url), None, str(refused)) from None
        return _asset(path, resolver, assets)

    for name in list(markup.loading_attributes(element)):
        value, attribute = element.attrib[name], markup.local_name(name)
        if attribute in ("src", "data", "href"):
            element.attrib[name] = packed(value) or value
        elif attribute in ("srcset", "poster", "background", "lowsrc", "dynsrc"):
            del element.attrib[name]
        else:  # CSS: a style attribute, an SVG fill="url(...)"
            element.attrib[name] = markup.rewrite_css_urls(value, packed)
    if markup.local_name(element.tag) == "style" and element.text:
        element.text = markup.rewrite_css_urls(element.text, packed)


def _asset(path: Path, resolver: Resolver, assets: dict[str, Item]) -> str:
    """Pack a picture of the book (an SVG one cleaned of scripts) and give its href.

    Pictures of the same name from different folders get different names in the EPUB.
    """
    try:
        data = resolver.read_bytes(path, url=path.relative_to(resolver.book or path).as_posix())
        media_type = IMAGE_TYPES[path.suffix.lower()]
        if media_type == "image/svg+xml":
            data = clean_svg(data)
    except (Refused, SvgProblem, KeyError, ValueError) as problem:
        raise BookError.at(path, None, f"cannot go into the EPUB: {problem}") from None
    stem = _UNSAFE_NAME.sub("-", path.stem) or "image"
    href, number = f"images/{stem}{path.suffix.lower()}", 1
    while href in assets and assets[href].data != data:
        number += 1
        href = f"images/{stem}-{number}{path.suffix.lower()}"
    if href not in assets:
        assets[href] = Item(f"image-{len(assets)}", href, media_type, data)
    return href


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")  # what an EPUB's file names may hold


def identifier(book: Book) -> str:
    """The ISBN when the book has one, else a UUID that stays the same for the same book."""
    if book.info.isbn:
        return f"urn:isbn:{book.info.isbn.replace('-', '')}"
    name = f"psoas-print:{book.info.title}|{book.info.byline}|{book.info.edition}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _modified(created: str | None) -> str:
    return created or datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _all_text(documents: list[Item]) -> str:
    return "".join(item.data.decode("utf-8") for item in documents)


def _fonts(sources: Sources, text: str) -> list[Item]:
    """The bundled fonts, cut down by HarfBuzz to the characters the book uses."""
    codepoints = {ord(character) for character in text} | set(range(0x20, 0x7F))
    items = []
    for name, media_type in FONTS.items():
        data = _cut_down(sources.font(name), codepoints)
        stem = name.rsplit(".", 1)[0]
        items.append(Item(f"font-{stem}", f"fonts/{name}", media_type, data))
    return items


def _cut_down(path: Path, codepoints: set[int]) -> bytes:
    request = harfbuzz.SubsetInput()
    request.unicode_set.update(codepoints)
    subset = harfbuzz.subset(harfbuzz.Face(harfbuzz.Blob.from_file_path(str(path))), request)
    if subset is None:
        raise BookError.at(path, None, "this font could not be cut down for the EPUB")
    data: bytes = subset.blob.data
    return data


LABEL_FONT = "Inter-Italic.otf"  # the figures' labels ("inhale"), as the PDFs set them
_SVG_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")


def _with_label_font(svg: str, sources: Sources) -> str:
    """The figure with its labels' font inside it. A reading system shows an SVG picture
    on its own, without the book's fonts: the face its labels ask for travels with it,
    cut down to their letters."""
    letters = "".join(_SVG_TEXT.findall(svg))
    if not letters.strip():
        return svg
    data = _cut_down(sources.font(LABEL_FONT), {ord(c) for c in letters} | {0x20})
    face = (
        "@font-face { font-family: Inter; font-style: italic; "
        f'src: url("data:font/otf;base64,{base64.b64encode(data).decode("ascii")}") '
        'format("opentype"); }'
    )
    opening = re.search(r"<svg\b[^>]*>", svg)
    assert opening is not None  # the figures are drawn as SVG
    return svg[: opening.end()] + f"<style>{face}</style>" + svg[opening.end() :]


def _zip(files: list[Item], container: str, created: str | None) -> bytes:
    """mimetype first and stored, then everything else in order, with fixed dates."""
    stamp = _zip_date(created)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "mimetype", b"application/epub+zip", stamp, zipfile.ZIP_STORED)
        _add(archive, "META-INF/container.xml", container.encode("utf-8"), stamp)
        for item in files:
            _add(archive, f"EPUB/{item.href}", item.data, stamp)
    return buffer.getvalue()


def _add(
    archive: zipfile.ZipFile,
    name: str,
    data: bytes,
    stamp: tuple[int, int, int, int, int, int],
    compression: int = zipfile.ZIP_DEFLATED,
) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _zip_date(date: str | None) -> tuple[int, int, int, int, int, int]:
    moment = (
        datetime.datetime.strptime(date, "%Y-%m-%dT%H:%M:%SZ")
        if date
        else datetime.datetime.now(datetime.UTC)
    )
    moment = max(moment.replace(tzinfo=None), datetime.datetime(1980, 1, 1))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
