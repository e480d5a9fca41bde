"""One module per printed product: what it selects from the book and which layout it fills."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psoas_print import __version__
from psoas_print.geometry import TRIMS
from psoas_print.model import Book, Paper
from psoas_print.view import book_view

if TYPE_CHECKING:
    from weasyprint import Document


@dataclass
class Rendered:
    """A laid-out product, ready to be written; ``notes`` feed the build summary."""

    document: Document
    html: str
    notes: dict[str, Any] = field(default_factory=dict)


def common_context(book: Book, paper: Paper | str) -> dict[str, Any]:
    """What every layout may use: plain data about the book (see view.py), no paths."""
    view = book_view(book)
    return {
        "book": view,
        "info": view.info,
        "paper": TRIMS[paper],
        "version": __version__,
        "book_url": book.root.resolve().as_uri() + "/",
        "created": build_date(),
    }


def build_date() -> str | None:
    """The ISO date to stamp into a PDF, taken from SOURCE_DATE_EPOCH when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def layout_path(name: str) -> Path:
    """How a layout is named in error messages."""
    return Path("layouts") / name
