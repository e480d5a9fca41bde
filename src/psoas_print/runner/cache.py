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
from typing import NotRequired, TypedDict, TypeGuard, get_type_hints

from psoas_print.book.sources import Sources
from psoas_print.errors import BookError
from psoas_print.files import Unreadable, is_regular_file, read_kept_object, read_limited
from psoas_print.output import STATE, write_text
from psoas_print.products.protocol import WHOLE_BOOK
from psoas_print.version import __version__

RECORD = Path(STATE) / "records.json"
# An input entry ending in "/" stands for the names in that folder: a file added or removed
# there can change which routine a cheat sheet shows.


class Notes(TypedDict, total=False):
    """What a record keeps of an output's Summary: the fields that differ from an empty one
    (see products/summary.py)."""

    renders: int
    scale: float
    parts: int
    relaid: int
    epub: bool
    copies: int
    per_sheet: int
    copies_per_second: float


class Record(TypedDict):
    """What RECORD keeps of one output, by its file name."""

    fingerprint: str  # see fingerprint()
    inputs: dict[str, str | None]  # the digest of each book entry it was made from
    size: int
    mtime_ns: int
    pages: int
    notes: NotRequired[Notes]


def layouts_and_fonts(sources: Sources, outputs: set[Path]) -> str:
    """A hash of the layouts and fonts (the book's own and the shipped ones): what every
    render may load. Folders of outputs are left out."""
    return _hash_roots([*sources.layout_dirs, *sources.font_dirs], outputs)


def named_files(sources: Sources, outputs: set[Path]) -> str:
    """A hash of the files named on the command line (a logo, a roster, a finished PDF)."""
    return _hash_roots(list(sources.extra_files), outputs)


def _hash_roots(roots: list[Path], outputs: set[Path]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for root in roots:
        _hash_tree(digest, root.resolve(), outputs)
    return digest.hexdigest()


def fingerprint(shared: str, settings: dict[str, object]) -> str:
    """What one product is made with besides the book's files: the layouts and fonts
    (``shared``, hashed once for all products of a build), its settings, the tool's version."""
    made_with = json.dumps([__version__, shared, settings], sort_keys=True, default=str)
    return hashlib.blake2b(made_with.encode(), digest_size=20).hexdigest()


class BookDigests:
    """The digests of a book's input entries, each read once per build: the ebook and the
    EPUB both list the whole book, and a record is checked before the output is made and
    written after (outputs never lie in the book, so it does not change in between)."""

    def __init__(self, book: Path | None, outputs: set[Path]) -> None:
        self.book = book
        self.outputs = outputs
        self._known: dict[str, str | None] = {}

    def of(self, entries: list[str]) -> dict[str, str | None]:
        """The digest of each entry (None for a file that is not there)."""
        if self.book is None:  # products made from a finished PDF: no book file is there
            return dict.fromkeys(entries)
        for entry in entries:
            if entry not in self._known:
                self._known[entry] = _entry_digest(self.book, entry, self.outputs)
        return {entry: self._known[entry] for entry in entries}


def _entry_digest(book: Path, entry: str, outputs: set[Path]) -> str | None:
    digest = hashlib.blake2b(digest_size=20)
    if entry == WHOLE_BOOK:
        _hash_tree(digest, book, outputs)
    elif entry.endswith("/"):
        folder = book / entry
        names = sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
        digest.update("\0".join(names).encode())
    elif is_regular_file(book / entry):
        _hash_file(digest, book / entry)
    else:
        return None
    return digest.hexdigest()


def _hash_tree(digest: hashlib.blake2b, root: Path, outputs: set[Path]) -> None:
    for path in _files(root, outputs):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        _hash_file(digest, path)


def _hash_file(digest: hashlib.blake2b, path: Path) -> None:
    """Add a file's bytes to ``digest``; for what a build cannot read, what it is instead.

    A pipe, a device or a folder among the book's files is never opened (reading a pipe
    would wait forever, a device might never end); a file over the size limit, which no
    build reads, counts by its size and time.
    """
    try:
        data = read_limited(path)
    except Unreadable as error:
        digest.update(str(error).encode())
        try:
            info = path.stat()
            digest.update(f"{info.st_size} {info.st_mtime_ns}".encode())
        except (OSError, ValueError):
            pass
        return
    digest.update(data)


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


def recorded(targets: list[Path], print_: str, digests: BookDigests) -> list[Record] | None:
    """The records of ``targets`` (the files of one output) when every one of them was made
    from the same inputs and is untouched since; None when any is not. Each folder's
    records are read once, however many files it holds (a class's handouts, say)."""
    kept: dict[Path, dict[str, Record]] = {}
    found = []
    for target in targets:
        if target.parent not in kept:
            kept[target.parent] = _records(target.parent)
        record = kept[target.parent].get(target.name)
        if record is None or not _current(record, target, print_, digests):
            return None
        found.append(record.copy())
    return found


def _current(record: Record, target: Path, print_: str, digests: BookDigests) -> bool:
    if record["fingerprint"] != print_ or not target.is_file():
        return False
    stat = target.stat()
    if (stat.st_size, stat.st_mtime_ns) != (record.get("size"), record.get("mtime_ns")):
        return False
    inputs = record["inputs"]
    return digests.of(list(inputs)) == inputs


def remember(
    made: list[tuple[Path, int]],
    print_: str,
    inputs: dict[str, str | None],
    notes: dict[str, object],  # as Notes, from a Summary: see runner/build.py
) -> None:
    """Record each file just written (its path and pages), made from ``inputs`` with
    ``print_``: one write of each folder's records, however many files it holds."""
    for folder in dict.fromkeys(path.parent for path, _ in made):
        records: dict[str, object] = {**_records(folder)}
        for path, pages in made:
            if path.parent == folder:
                stat = path.stat()
                records[path.name] = {
                    "fingerprint": print_, "inputs": inputs, "size": stat.st_size,
                    "mtime_ns": stat.st_mtime_ns, "pages": pages, "notes": notes,
                }  # fmt: skip
        try:
            write_text(folder / RECORD, json.dumps(records, indent=1, sort_keys=True))
        except BookError:  # a full disk, say: the outputs are written, only time is lost
            # A record left from before names the old output's size and time, so it is
            # not taken for this one: the next build makes it again.
            continue


def _records(folder: Path) -> dict[str, Record]:
    """The records kept in ``folder``: only those of the expected shape.

    The file is the tool's own, but it lies beside the outputs, where anything may have
    replaced it; a record of any other shape is as good as none.
    """
    records = read_kept_object(folder / RECORD)
    return {name: record for name, record in records.items() if _well_formed(record)}


def _well_formed(record: object) -> TypeGuard[Record]:
    if not isinstance(record, dict) or not isinstance(record.get("fingerprint"), str):
        return False
    numbers = [record.get(key) for key in ("size", "mtime_ns", "pages")]
    if not all(type(number) is int and number >= 0 for number in numbers):
        return False
    inputs, notes = record.get("inputs"), record.get("notes", {})
    return _well_formed_inputs(inputs) and _well_formed_notes(notes)


def _well_formed_inputs(inputs: object) -> bool:
    """Book files by their path inside the book, each with its digest (or None)."""
    if not isinstance(inputs, dict):
        return False
    return all(
        isinstance(digest, str | None) and _inside_book(entry) for entry, digest in inputs.items()
    )


def _inside_book(entry: str) -> bool:
    """Whether an input entry names a path inside the book (never ``..``, never absolute)."""
    path = Path(entry)
    return entry == WHOLE_BOOK or (
        bool(entry) and not path.is_absolute() and ".." not in path.parts and "\0" not in entry
    )


# The notes a record may carry, and of which types: those of Notes above.
_NOTES: dict[str, type] = get_type_hints(Notes)


def _well_formed_notes(notes: object) -> bool:
    if not isinstance(notes, dict):
        return False
    return all(key in _NOTES and _of_type(value, _NOTES[key]) for key, value in notes.items())


def _of_type(value: object, kind: type) -> bool:
    """``isinstance``, but a bool is not taken for a number, and a whole number may stand
    for a float."""
    if isinstance(value, bool):
        return kind is bool
    return isinstance(value, (int, float) if kind is float else kind)
