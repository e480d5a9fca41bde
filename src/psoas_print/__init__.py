"""psoas-print: exercise content in, printable PDFs out.

The public API (see api.py and the README) is loaded on first use, so that the command
line, which imports this package first, starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psoas_print.version import __version__

__all__ = [
    "BookError",
    "__version__",
    "load_book",
    "make_cheatsheet",
    "make_ebook",
    "make_epub",
    "make_handouts",
    "make_licensed_copies",
]

if TYPE_CHECKING:
    from psoas_print.api import (
        load_book,
        make_cheatsheet,
        make_ebook,
        make_epub,
        make_handouts,
        make_licensed_copies,
    )
    from psoas_print.errors import BookError


def __getattr__(name: str) -> object:
    if name == "BookError":
        from psoas_print.errors import BookError

        return BookError
    if name in __all__:
        from psoas_print import api

        return getattr(api, name)
    raise AttributeError(f"module 'psoas_print' has no attribute {name!r}")
