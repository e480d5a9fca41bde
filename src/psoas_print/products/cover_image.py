"""The cover picture ebook shops and the EPUB show: 1600 x 2560 px, sRGB, a JPEG, in the
design of the printed cover, drawn with the bundled fonts."""

from __future__ import annotations

import io

from PIL import Image, ImageCms, ImageDraw, ImageFont

from psoas_print.book.model import Book
from psoas_print.book.sources import Sources
from psoas_print.language.words import Words

WIDTH, HEIGHT = 1600, 2560  # the 1:1.6 shops ask for


def cover_jpeg(book: Book, sources: Sources, words: Words) -> bytes:
    """The shop's cover picture, with its sRGB profile."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "#0a4d4a")
    draw = ImageDraw.Draw(image)
    left = 160
    draw.rectangle((left, 600, left + 190, 612), fill="#7fc4bb")
    title_font = ImageFont.truetype(str(sources.font("Inter-Bold.otf")), 150)
    y = 680
    for line in _wrap(draw, book.info.title, title_font, WIDTH - 2 * left):
        draw.text((left, y), line, font=title_font, fill="#ffffff")
        y += 170
    subtitle_font = ImageFont.truetype(str(sources.font("Inter-Regular.otf")), 62)
    y += 60
    for line in _wrap(draw, book.info.subtitle, subtitle_font, WIDTH - 2 * left):
        draw.text((left, y), line, font=subtitle_font, fill="#d4ebe8")
        y += 84
    author_font = ImageFont.truetype(str(sources.font("Inter-SemiBold.otf")), 54)
    authors = words.listing(book.info.author_names).upper()
    byline = _wrap(draw, authors, author_font, WIDTH - 2 * left)
    for index, line in enumerate(byline):
        y = HEIGHT - 280 - 70 * (len(byline) - 1 - index)
        draw.text((left, y), line, font=author_font, fill="#ffffff")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92, optimize=True, icc_profile=profile)
    return buffer.getvalue()


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines
