"""A laid-out PDF as the preview shows it: each page drawn as a picture, with its text
and where each line of it lies, so the page can carry it as a hidden layer (for search,
copying and tests)."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

import pypdfium2 as pdfium

# PDFium is not thread-safe: every call into it, from any request, holds this lock.
PDFIUM = threading.Lock()

WIDTHS = (400, 600, 800, 1000, 1200, 1600, 2000)  # the picture widths asked for, in pixels
MAX_WIDTH = WIDTHS[-1]


@dataclass(frozen=True)
class TextRun:
    """A run of text on a page, and its box as fractions of the page (from the top left)."""

    left: float
    top: float
    width: float
    height: float
    text: str


@dataclass(frozen=True)
class PageSize:
    width: float  # in points
    height: float
    label: str  # the page's label in the PDF ("Cover", "iv", "23"), else its number


class LaidOutPdf:
    """One product's PDF, kept in memory to draw its pages as they are asked for."""

    def __init__(self, data: bytes) -> None:
        self.data = data  # PDFium reads the document from these bytes as long as it is open
        self.runs: dict[int, list[TextRun]] = {}  # each page's text, once read
        with PDFIUM:
            self.document = pdfium.PdfDocument(data)
            self.sizes = [self._size(index) for index in range(len(self.document))]

    def __len__(self) -> int:
        return len(self.sizes)

    def text(self, index: int) -> list[TextRun]:
        """Page ``index``'s text runs, in reading order (read once)."""
        with PDFIUM:
            if index not in self.runs:
                self.runs[index] = self._page_text(index)
            return self.runs[index]

    def picture(self, index: int, width: int) -> bytes:
        """Page ``index`` (from 0) as a PNG ``width`` pixels wide (a width in WIDTHS)."""
        with PDFIUM:
            page = self.document[index]
            try:
                image = page.render(scale=width / page.get_width()).to_pil()
            finally:
                page.close()
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=1)  # speed over size: it goes to localhost
        return buffer.getvalue()

    def close(self) -> None:
        with PDFIUM:
            self.document.close()

    def _size(self, index: int) -> PageSize:
        width, height = self.document.get_page_size(index)
        return PageSize(width, height, self.document.get_page_label(index) or str(index + 1))

    def _page_text(self, index: int) -> list[TextRun]:
        page = self.document[index]
        text_page = page.get_textpage()
        try:
            width, height = page.get_size()
            runs = []
            for rect in range(text_page.count_rects()):
                left, bottom, right, top = text_page.get_rect(rect)
                text = text_page.get_text_bounded(left, bottom, right, top)
                if text.strip():
                    x, y = round(left / width, 5), round(1 - top / height, 5)
                    w, h = round((right - left) / width, 5), round((top - bottom) / height, 5)
                    runs.append(TextRun(x, y, w, h, text))
            return runs
        finally:
            text_page.close()
            page.close()


def nearest_width(asked: int) -> int:
    """The smallest width in WIDTHS at least ``asked``, so that pictures are few and kept."""
    return next((width for width in WIDTHS if width >= asked), MAX_WIDTH)
