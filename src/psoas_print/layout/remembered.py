"""Page numbers remembered between builds: where a laid-out document's anchors fell.

A class handout prints, beside each exercise, the page of the ebook that has its full
instructions; finding those pages means laying the whole ebook out, most of a handout's
time. The pages follow from the ebook's HTML, the layouts and fonts it loads and the
typesetter, so they are kept under a digest of all of them, in this user's own state
folder (files.py), and read back while none of them has changed: a class's second
handout, or the same class next week, skips the ebook.

Whatever is read back is checked for its shape; anything else there is as good as nothing.

A render whose HTML has not changed (an ebook's cover page, a shop's cover picture) is
likewise kept beside the outputs it went into, and read back (``kept_render``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from psoas_print.figures.store import content_digest
from psoas_print.files import Unreadable, read_limited, state_folder, write_state
from psoas_print.output import KeptFiles
from psoas_print.version import __version__


def remembered_pages(
    html: str, made_with: str, lay_out: Callable[[], dict[str, int]]
) -> dict[str, int]:
    """The page of each anchor of ``html``: read back when the same HTML was laid out with
    the same layouts and fonts (``made_with``, their digest) and the same version of this
    tool, else ``lay_out()`` and kept. With no digest, always laid out."""
    if not made_with:
        return lay_out()
    kept = kept_file(html, made_with)
    if (pages := _read(kept)) is not None:
        return pages
    pages = lay_out()
    with suppress(OSError):  # only a saving of time: a full disk costs nothing else
        write_state(kept, json.dumps(pages, sort_keys=True))
    return pages


def keep_pages(html: str, made_with: str, pages: dict[str, int]) -> None:
    """Keep the pages of ``html``, laid out by the caller anyway, for the products that
    only need them (a handout's page references, the EPUB's page list)."""
    if made_with:
        with suppress(OSError):
            write_state(kept_file(html, made_with), json.dumps(pages, sort_keys=True))


def kept_file(html: str, made_with: str) -> Path:
    """Where the pages of ``html`` laid out with ``made_with`` are kept."""
    key = hashlib.blake2b(digest_size=16)
    for part in (__version__, made_with, html):
        key.update(part.encode("utf-8") + b"\0")
    return state_folder() / f"pages-{key.hexdigest()}.json"


def _read(path: Path) -> dict[str, int] | None:
    try:
        kept = json.loads(read_limited(path).decode("utf-8"))
    except (Unreadable, ValueError, RecursionError):
        return None
    if not isinstance(kept, dict):
        return None
    pages = {name: page for name, page in kept.items() if type(page) is int and page > 0}
    return pages if len(pages) == len(kept) and all(isinstance(n, str) for n in kept) else None


def kept_render(
    kept: KeptFiles | None, kind: str, made_with: str, inputs: list[bytes],
    render: Callable[[], bytes],
) -> bytes:  # fmt: skip
    """What ``render()`` makes of ``inputs`` (its HTML, the bytes of any file that HTML
    names): read back from what the product keeps beside its outputs when this version made
    it of the same inputs with the same layouts and fonts (``made_with``), else made and
    kept there in place of the last one of its ``kind``. With neither, always made."""
    if kept is None or not made_with:
        return render()
    folder = kept.folder
    key = hashlib.blake2b(digest_size=16)
    for part in (__version__.encode(), made_with.encode(), *inputs):
        key.update(hashlib.blake2b(part, digest_size=16).digest())
    stem = f"{kind}-{key.hexdigest()}-"
    with suppress(OSError, Unreadable):
        for path in folder.glob(f"{stem}*.bin"):
            data = read_limited(path, what="a kept render")
            if path.name == f"{stem}{content_digest(data)}.bin":  # whole, and not changed since
                return data
    data = render()
    kept.add(f"{stem}{content_digest(data)}.bin", data)
    kept.replace(f"{kind}-*.bin")
    return data
