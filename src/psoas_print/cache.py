"""Knowing when an output is already up to date, so that a rebuild with nothing changed is
instant and an edit remakes only the outputs it touches.

Each output's record holds two things: a fingerprint of what every product reads (the
layouts, the fonts, its settings and the tool's version), and the digest of each book file
it was made from. A cheat sheet lists its routine's files; an ebook lists the whole book.
Checking a record reads only those files, never the book as a whole model.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from psoas_print import __version__
from psoas_print.output import write_text
from psoas_print.resources import Sources

STATE = ".psoas-print"  # beside the outputs: what the tool keeps between builds
RECORD = Path(STATE) / "records.json"
WHOLE_BOOK = "*"  # an input entry standing for every file in the book folder
# An input entry ending in "/" stands for the names in that folder: a file added or removed
# there can change which routine a cheat sheet shows.


def fingerprint(sources: Sources, settings: dict[str, Any], outputs: set[Path]) -> str:
    """A hash of the layouts and fonts (the book's own and the shipped ones), the product's
    settings and the tool's version. Folders that hold outputs are left out."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([__version__, settings], sort_keys=True, default=str).encode())
    roots = [*sources.layout_dirs, *sources.font_dirs, *sources.extra_files]
    for root in roots:
        _hash_tree(digest, root.resolve(), outputs)
    return digest.hexdigest()


def input_digests(book: Path, entries: list[str], outputs: set[Path]) -> dict[str, str | None]:
    """The digest of each input entry of a book (None for a file that is not there)."""
    return {entry: _entry_digest(book, entry, outputs) for entry in entries}


def _entry_digest(book: Path, entry: str, outputs: set[Path]) -> str | None:
    digest = hashlib.blake2b(digest_size=20)
    if entry == WHOLE_BOOK:
        _hash_tree(digest, book, outputs)
    elif entry.endswith("/"):
        folder = book / entry
        names = sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
        digest.update("\0".join(names).encode())
    elif (book / entry).is_file():
        digest.update((book / entry).read_bytes())
    else:
        return None
    return digest.hexdigest()


def _hash_tree(digest: Any, root: Path, outputs: set[Path]) -> None:
    for path in _files(root, outputs):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes())


def _files(root: Path, outputs: set[Path]) -> list[Path]:
    if root.is_file():
        return [root]
    found = []
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(
            d for d in subfolders if here / d not in outputs and d not in ("__pycache__", STATE)
        )
        found += [here / name for name in sorted(names)]
    return found


def recorded(target: Path, print_: str, book: Path, outputs: set[Path]) -> dict[str, Any] | None:
    """The record of ``target`` when it was made from the same inputs and is untouched since."""
    record = _records(target.parent).get(target.name)
    if not isinstance(record, dict) or record.get("fingerprint") != print_:
        return None
    inputs = record.get("inputs")
    if not isinstance(inputs, dict) or not target.is_file():
        return None
    stat = target.stat()
    if (stat.st_size, stat.st_mtime_ns) != (record.get("size"), record.get("mtime_ns")):
        return None
    if input_digests(book, list(inputs), outputs) != inputs:
        return None
    return record


def remember(
    target: Path, print_: str, inputs: dict[str, str | None], pages: int, notes: dict[str, Any]
) -> None:
    records = _records(target.parent)
    stat = target.stat()
    records[target.name] = {
        "fingerprint": print_, "inputs": inputs, "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns, "pages": pages, "notes": notes,
    }  # fmt: skip
    write_text(target.parent / RECORD, json.dumps(records, indent=1, sort_keys=True))


def _records(folder: Path) -> dict[str, Any]:
    try:
        records = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}
