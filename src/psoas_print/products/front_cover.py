"""The front cover in its three places: the ebook's first page, the print cover's front
panel (see cover.py) and the picture ebook shops and the EPUB show. One design
(layouts/partials/front-cover.html), laid out at each place's size.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from psoas_print.book.model import Book, Paper
from psoas_print.files import Unreadable, read_limited
from psoas_print.language.words import Words
from psoas_print.layout.remembered import kept_render
from psoas_print.layout.templates import layout_path, make_environment, render_template
from psoas_print.layout.view import common_context
from psoas_print.products.context import BuildContext

TEMPLATE = "ebook-cover.html"
STORE_PIXELS = (1600, 2560)  # the 1:1.6 picture ebook shops ask for
STORE_WIDTH_MM = 152.4  # laid out 6 in wide, then drawn 1600 px across


@dataclass(frozen=True)
class CoverFace:
    """The front cover's size in mm, and the bleed its art runs on into (top, bottom and
    the outside edge)."""

    width_mm: float
    height_mm: float
    bleed_mm: float = 0.0


def face_values(book: Book, face: CoverFace) -> dict[str, object]:
    """What partials/front-cover.html is filled with, beside the common context."""
    art = book.cover_art.as_uri() if book.cover_art is not None else None
    return {"face": face, "cover_art": art}


def cover_alt(book: Book, words: Words) -> str:
    """The cover in words, for a screen reader."""
    info = book.info
    if info.subtitle:
        return words.gettext(
            "%(title)s: %(subtitle)s, by %(author)s",
            title=info.title, subtitle=info.subtitle, author=info.byline,
        )  # fmt: skip
    return words.gettext("%(title)s, by %(author)s", title=info.title, author=info.byline)


def cover_page(book: Book, context: BuildContext, face: CoverFace, words: Words) -> bytes:
    """The front cover alone on a page of its own size, as a PDF, laid out here."""
    html = _cover_html(book, context, face, words)
    return kept_render(
        context.kept, "cover-page", context.layouts_digest, [html.encode(), *_art(book)],
        lambda: context.renderer.render(html, layout_path(TEMPLATE)).write_pdf(),
    )  # fmt: skip


def _art(book: Book) -> list[bytes]:
    """The bytes of the cover art, which the cover's HTML names but does not hold."""
    if book.cover_art is None:
        return []
    try:
        return [read_limited(book.cover_art)]
    except Unreadable:
        return [b""]  # the render says what is wrong with it


def _cover_html(book: Book, context: BuildContext, face: CoverFace, words: Words) -> str:
    paper: Paper | str = book.info.paper
    return render_template(
        make_environment(context.sources, words), TEMPLATE,
        **common_context(book, paper, context.created, words), **face_values(book, face),
    )  # fmt: skip


def store_picture(book: Book, context: BuildContext, words: Words) -> bytes:
    """The shops' cover picture: 1600 x 2560 px, an sRGB JPEG, in the cover's design."""
    width, height = STORE_PIXELS
    face = CoverFace(STORE_WIDTH_MM, STORE_WIDTH_MM * height / width)
    html = _cover_html(book, context, face, words)
    return kept_render(
        context.kept, "store-picture", context.layouts_digest, [html.encode(), *_art(book)],
        lambda: _picture(html, context),
    )  # fmt: skip


def _picture(html: str, context: BuildContext) -> bytes:
    import pypdfium2

    # Laid out by the ready process where the command made one (``epub``): WeasyPrint is
    # already imported there.
    laid = context.typeset(html, layout_path(TEMPLATE), None)
    width, _ = STORE_PIXELS
    document = pypdfium2.PdfDocument(laid.data)
    try:
        page = document[0]
        scale = width / page.get_width()  # PDF points to pixels
        picture = page.render(scale=scale).to_pil().convert("RGB").resize(STORE_PIXELS)
    finally:
        document.close()
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=92, optimize=True, icc_profile=srgb_profile())
    return buffer.getvalue()


def srgb_profile() -> bytes:
    """LittleCMS's sRGB profile, with the date it was made and the checksum of that date
    left out, so that the same book gives the same picture."""
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = bytes(12)  # ICC header: date and time of creation
    profile[84:100] = bytes(16)  # ICC header: profile ID, "not computed" when zero
    return bytes(profile)
