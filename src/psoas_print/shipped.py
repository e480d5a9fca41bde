"""Where the default layouts, fonts and sample book live.

In an installed wheel they are package data under ``psoas_print/data``; in a source
checkout (including an editable install) they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """The folder ``name`` (``layouts``, ``fonts`` or ``book``) that ships with the tool."""
    packaged = _PACKAGE / "data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / name


def default_book() -> Path:
    """``./book`` when the working folder has one, else the sample book that ships with the tool."""
    local = Path("book")
    return local if (local / "book.yaml").is_file() else shipped("book")
