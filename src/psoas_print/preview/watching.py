"""Watching the book folder: every save, of any file in it, starts a rebuild."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import watch

QUIET_MS = 50  # a save is seen once nothing more has changed for this long


def watch_book(book_dir: Path, changed: Callable[[], None], stop: threading.Event) -> None:
    """Call ``changed`` after each group of changes in ``book_dir``, until ``stop`` is set.
    Editors' swap and backup files are left out (watchfiles' default filter)."""
    for _changes in watch(book_dir, stop_event=stop, step=QUIET_MS, raise_interrupt=False):
        changed()
