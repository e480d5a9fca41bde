"""A long ebook's layout kept beside its PDF, so that an edit to some exercises lays out
only their spreads again (see products/parts.py, ``make_in_parts``).

A book laid out in portions keeps each part as laid out (tagged, with whole font
programs), the front matter, the page numbers laid over each part, the font subsets the
join made, and what each page holds: where each exercise's spread lies, and a digest of
what the layout showed, split in two. A spread's digest covers the HTML between its
markers in ebook.html; the frame's covers all the rest of the HTML, the pictures and other
files the book holds besides its text, the layouts and fonts, the edition and the tool's
version. The next build of the same edition, while the frame is the same, lays out again
only the spreads whose digest changed, puts them in place in their parts, and joins.

Every file is named after a digest of its bytes and checked against it when read back:
anything else there (a file cut short, another tool's) is as good as nothing kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psoas_print.book.model import Book
from psoas_print.book.resolver import Refused, Resolver
from psoas_print.figures.store import content_digest
from psoas_print.files import Unreadable, read_kept_object, read_limited
from psoas_print.limits import MAX_EBOOK_BYTES
from psoas_print.output import KeptFiles
from psoas_print.version import __version__

LAYOUT = "layout"  # the folder in the product's kept folder
FORMAT = 1  # of what is kept: a layout kept in another is laid out afresh
SPREAD_START, SPREAD_END = "<!--spread-->", "<!--/spread-->"  # around each, in ebook.html
_FILE = re.compile(r"[0-9a-f]{40}\.(pdf|bin)")
TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".csv", ".txt"}  # shown through the HTML


@dataclass(frozen=True)
class Laid:
    """A part of the book as a PDF, with its blank pages and the local page of each anchor."""

    data: bytes
    pages: int
    blanks: tuple[bool, ...]
    anchors: dict[str, int]
    drawn: dict[str, str] = field(default_factory=dict)  # figures drawn, by file name


@dataclass(frozen=True)
class Spread:
    """Where an exercise's spread lies: in which part, from which local page, how long."""

    part: int
    page: int
    pages: int


@dataclass
class KeptLayout:
    """A long ebook as laid out in parts, and what its layout showed."""

    frame: str
    spreads: dict[str, str]  # the digest of each exercise's spread, by exercise id
    front: Laid
    parts: list[Laid]  # the portions, then the back matter when there is one
    folios: list[bytes]  # each part's page numbers
    portions: int  # how many of the parts are portions of chapters
    subsets: dict[str, bytes] = field(default_factory=dict)  # see pdf/font_sharing.py
    relaid: int = 0  # spreads laid out again since it was kept
    checked: frozenset[str] = frozenset()  # its files read back whole: need no writing


def shown(html: str, book: Book, resolver: Resolver) -> tuple[str, dict[str, str]] | None:
    """The frame's digest and each spread's, from the HTML of the whole ebook; None when
    its layout marks no spreads (an ebook.html of the book's own, say) or others than the
    book's exercises."""
    ids = [exercise for chapter in book.chapters for exercise in chapter.exercises]
    pieces = html.split(SPREAD_START)
    if len(pieces) != len(ids) + 1 or len(set(ids)) != len(ids):
        return None
    frame = hashlib.blake2b(pieces[0].encode(), digest_size=20)
    digests = {}
    for exercise, piece in zip(ids, pieces[1:], strict=True):
        spread, end, rest = piece.partition(SPREAD_END)
        if not end:
            return None
        digests[exercise] = content_digest(spread.encode())
        frame.update(b"\0" + rest.encode())
    frame.update(_assets_digest(book, resolver).encode())
    return frame.hexdigest(), digests


def _assets_digest(book: Book, resolver: Resolver) -> str:
    """What the HTML does not show of the book's files: the bytes of its pictures and any
    file besides its text (a photo replaced under the same name), as ``resolver`` lets the
    build read them."""
    digest = hashlib.blake2b(digest_size=20)
    for folder, subfolders, names in os.walk(book.root):  # not into linked folders
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.suffix.lower() in TEXT_SUFFIXES:
                continue
            digest.update(str(path.relative_to(book.root)).encode() + b"\0")
            with suppress(Refused):  # one the build may not read: its name alone
                digest.update(resolver.read_bytes(path))
    return digest.hexdigest()


def edition_key(layouts_digest: str, edition: object) -> str:
    """What a kept layout must have been laid out with to serve again: the tool's
    version, the layouts and fonts, the edition (paper, sample, printing, language)."""
    made_with = json.dumps([__version__, layouts_digest, repr(edition)])
    return content_digest(made_with.encode())


def spreads_in(book: Book, parts: list[Laid]) -> dict[str, Spread]:
    """Where each exercise's spread lies: from its anchor to the next chapter's or
    exercise's, without the blank pages before that (they follow from where it ends)."""
    starts = {f"chapter-{chapter.id}" for chapter in book.chapters}
    exercises = {f"exercise-{exercise}": exercise for exercise in book.exercises}
    found = {}
    for index, part in enumerate(parts):
        blocks = sorted(
            (page, name)
            for name, page in part.anchors.items()
            if name in starts or name in exercises
        )
        ends = [page for page, _ in blocks[1:]] + [part.pages] * bool(blocks)
        for (page, name), end in zip(blocks, ends, strict=True):
            if name in exercises:
                while end > page + 1 and part.blanks[end - 1]:
                    end -= 1
                found[exercises[name]] = Spread(index, page, end - page)
    return found


def read_kept(kept: KeptFiles, key: str) -> KeptLayout | None:
    """The layout kept for the edition ``key``, or None."""
    folder = kept.folder / LAYOUT
    manifest: Any = read_kept_object(folder / _manifest(key))  # its shape is checked as read
    if (manifest.get("key"), manifest.get("version"), manifest.get("format")) != (
        key, __version__, FORMAT
    ):  # fmt: skip
        return None
    checked: set[str] = set()
    try:
        front = _laid(folder, manifest["front"], checked)
        parts = [_laid(folder, part, checked) for part in manifest["parts"]]
        folios = [_file(folder, name, checked) for name in manifest["folios"]]
        subsets = {key: _file(folder, name, checked) for key, name in manifest["subsets"].items()}
        frame, spreads, portions = manifest["frame"], manifest["spreads"], manifest["portions"]
    except (KeyError, TypeError, ValueError, AttributeError, Unreadable):
        return None
    if not isinstance(frame, str) or not isinstance(spreads, dict) or len(folios) != len(parts):
        return None
    if type(portions) is not int or not 0 < portions <= len(parts):
        return None
    return KeptLayout(frame, {str(k): str(v) for k, v in spreads.items()}, front, parts,
                      folios, portions, subsets, checked=frozenset(checked))  # fmt: skip


def _laid(folder: Path, entry: dict[str, object], checked: set[str]) -> Laid:
    data = _file(folder, str(entry["file"]), checked)
    pages, blanks, anchors = entry["pages"], entry.get("blanks", []), entry.get("anchors", {})
    if not isinstance(pages, int) or not isinstance(blanks, list) or not isinstance(anchors, dict):
        raise ValueError("not a kept part")
    if len(blanks) not in (0, pages) or not all(type(page) is int for page in anchors.values()):
        raise ValueError("not a kept part")
    return Laid(data, pages, tuple(bool(blank) for blank in blanks), dict(anchors))


def _file(folder: Path, name: str, checked: set[str]) -> bytes:
    """A kept file, checked against the digest it is named after (and added to
    ``checked``)."""
    if not _FILE.fullmatch(name):
        raise ValueError(f"not a kept file: {name}")
    data = read_limited(folder / name, MAX_EBOOK_BYTES, "a kept layout")
    if content_digest(data) != name.split(".")[0]:
        raise ValueError(f"changed since it was kept: {name}")
    checked.add(name)
    return data


def keep(kept: KeptFiles, key: str, layout: KeptLayout) -> None:
    """Keep ``layout`` for the edition ``key``: the files this build did not read back
    whole, the record naming them, in place of the files it no longer names (see
    output.KeptFiles)."""

    def stored(data: bytes, suffix: str) -> str:
        name = f"{content_digest(data)}.{suffix}"
        if name in layout.checked:  # read back whole by this build
            kept.stay(f"{LAYOUT}/{name}")
        else:
            kept.add(f"{LAYOUT}/{name}", data)
        return name

    def part(laid: Laid) -> dict[str, object]:
        return {"file": stored(laid.data, "pdf"), "pages": laid.pages,
                "blanks": list(laid.blanks), "anchors": laid.anchors}  # fmt: skip

    manifest = {
        "version": __version__, "format": FORMAT, "key": key, "frame": layout.frame,
        "spreads": layout.spreads, "front": part(layout.front),
        "parts": [part(laid) for laid in layout.parts],
        "folios": [stored(data, "pdf") for data in layout.folios],
        "portions": layout.portions,
        "subsets": {name: stored(data, "bin") for name, data in layout.subsets.items()},
    }  # fmt: skip
    kept.add(f"{LAYOUT}/{_manifest(key)}", json.dumps(manifest, sort_keys=True).encode())
    for kind in ("json", "pdf", "bin"):  # of editions this build did not keep
        kept.replace(f"{LAYOUT}/*.{kind}")


def _manifest(key: str) -> str:
    """The record of the layout kept for the edition ``key``: one for each edition a build
    makes (a print edition laid out again with a wider inside margin has two)."""
    return f"layout-{key[:20]}.json"
