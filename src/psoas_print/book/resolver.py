"""The one place that decides which files a build may read.

A book folder is untrusted data: books get shared. Every reader of files (the book's
reader, the template loader, the fetcher behind WeasyPrint, the EPUB packer and the HTML
export) asks this resolver, so they can never disagree about what is inside the book.
A file may be read when, with every link followed, it lies inside one of the allowed
folders (the book, the layouts, the fonts, and files named on the command line), is a
regular file (not a device, a pipe or a folder) and is no larger than the limit.

A URL written in the book (an image, a raw HTML ``src``) is stricter still: it is relative
to the book folder and must name a file inside the book itself.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import unquote, urlsplit

from psoas_print.files import CANNOT_READ, Unreadable, open_regular
from psoas_print.limits import MAX_FILE_BYTES

Reason = Literal[
    "empty", "remote", "not_relative", "missing", "unreadable", "not_regular", "outside",
    "too_large",
]  # fmt: skip

REMOTE_SCHEMES = {"http", "https", "ftp", "ftps", "ws", "wss"}


class Refused(Exception):
    """A file the build may not read; the message says why, in the author's words."""

    def __init__(self, message: str, reason: Reason) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class _Name:
    """How a message names a file: by the URL the author wrote, else by its path."""

    path: Path
    url: str | None
    what: str = "file"

    def __str__(self) -> str:
        return f"'{self.url}'" if self.url is not None else str(self.path)


@dataclass(frozen=True)
class Resolver:
    """Which files a build may read: those inside ``roots`` (folders or single files)."""

    roots: tuple[Path, ...]
    book: Path | None = None  # relative URLs in the book's text are relative to it

    @classmethod
    def of(cls, roots: list[Path], book: Path | None) -> Resolver:
        resolved = tuple(root.resolve() for root in roots)
        return cls(resolved, book.resolve() if book is not None else None)

    # --- paths ---------------------------------------------------------------------

    def file(self, path: Path, *, url: str | None = None, what: str = "file") -> Path:
        """``path`` with its links followed, when the build may read it; else Refused.

        With ``url`` (what the book's text wrote), the file must be inside the book
        itself, and the messages name it by that URL.
        """
        name = _Name(Path(path), url, what)
        if url is not None and not self.allows(_lexical(name.path), within_book=True):
            raise Refused(self._outside(name, None), "outside")  # whether it exists or not
        resolved = _resolve(name)
        mode, size = _stat(resolved, name)
        # Checked before where it lies: a link to /dev/zero is a device wherever it points.
        if not stat.S_ISREG(mode):
            raise Refused(_not_regular(name), "not_regular")
        if not self.allows(resolved, within_book=url is not None):
            raise Refused(self._outside(name, resolved), "outside")
        if size > MAX_FILE_BYTES:
            raise Refused(_too_large(name, size), "too_large")
        return resolved

    def allows(self, resolved: Path, within_book: bool = False) -> bool:
        """Whether a file (its links followed) lies in the allowed folders, or the book."""
        if within_book:
            roots: tuple[Path, ...] = (self.book,) if self.book is not None else ()
        else:
            roots = self.roots
        return any(resolved == root or resolved.is_relative_to(root) for root in roots)

    def open(self, path: Path, *, url: str | None = None, what: str = "file") -> BinaryIO:
        """The file, opened for reading after the checks of ``file``.

        What was opened is checked once more, so a file swapped for a pipe or a device
        between the check and the opening is never read.
        """
        resolved = self.file(path, url=url, what=what)
        name = _Name(Path(path), url, what)
        try:
            return open_regular(resolved)
        except Unreadable as error:
            if error.not_regular:
                raise Refused(_not_regular(name), "not_regular") from None
            reason = str(error).removeprefix(CANNOT_READ)
            raise Refused(f"cannot read {name}: {reason}", "unreadable") from None

    def read_bytes(self, path: Path, *, url: str | None = None, what: str = "file") -> bytes:
        """The file's bytes, read only after the checks above (and never past the limit)."""
        with self.open(path, url=url, what=what) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # it grew after the check
            raise Refused(_too_large(_Name(Path(path), url, what), len(data)), "too_large")
        return data

    # --- URLs ----------------------------------------------------------------------

    def book_url(self, url: str, what: str = "file") -> Path:
        """The file a relative URL written in the book names, before it is checked.

        The query and fragment are no part of the file's name (``a.png?x`` is ``a.png``);
        ``%20`` and the like are decoded once.
        """
        if not url.strip():
            raise Refused(f"empty {what} path", "empty")
        try:
            parts = urlsplit(url)
        except ValueError:  # such as an unclosed [ in the host
            raise Refused(_not_relative(url), "not_relative") from None
        if parts.scheme.lower() in REMOTE_SCHEMES or (not parts.scheme and parts.netloc):
            raise Refused(
                f"remote {what} '{url}' is not allowed: nothing is fetched from the network; "
                "save the file in the book folder and give its path",
                "remote",
            )
        if parts.scheme or parts.netloc or parts.path.startswith(("/", "\\")):
            raise Refused(_not_relative(url), "not_relative")
        if not parts.path:
            raise Refused(
                f"'{url}' names no file; give a path relative to the book folder", "empty"
            )
        if self.book is None:
            raise Refused(f"'{url}' is not a file of the book", "not_relative")
        return self.book / unquote(parts.path)

    def book_file(self, url: str, what: str = "file") -> Path:
        """The file a relative URL written in the book names, checked: inside the book."""
        return self.file(self.book_url(url, what), url=url, what=what)

    def url(self, url: str) -> Path:
        """The file a ``file:`` URL or a URL relative to the book names, checked.

        A ``file:`` URL may name any file the build may read (the layouts make such URLs
        for the fonts); a relative one is the book's and must stay inside it.
        """
        from urllib.request import url2pathname  # slow to import: loads http.client

        try:
            parts = urlsplit(url)
        except ValueError:
            raise Refused(f"refused to fetch {url}: not a URL", "not_relative") from None
        if parts.scheme.lower() == "file":
            if parts.netloc not in ("", "localhost"):  # a file on another machine
                raise Refused(
                    f"refused to fetch {url}: nothing is loaded from the network", "remote"
                )
            return self.file(Path(url2pathname(parts.path)))
        if parts.scheme:
            raise Refused(f"refused to fetch {url}: nothing is loaded from the network", "remote")
        return self.book_file(url)

    def _outside(self, name: _Name, resolved: Path | None) -> str:
        if name.url is None:
            return (
                f"refused to read {resolved}: only the book, the layouts and the fonts may be read"
            )
        link = f" (it is a link to {resolved})" if resolved is not None else ""
        return f"{name} points outside the book folder {self.book}{link}"


def _lexical(path: Path) -> Path:
    """``path`` with ``..`` taken away as written, before any link is followed."""
    return Path(os.path.normpath(path))


def _not_relative(url: str) -> str:
    return f"'{url}' is not a path inside the book; give a path relative to the book folder"


def _resolve(name: _Name) -> Path:
    try:
        return name.path.resolve(strict=True)
    except FileNotFoundError:
        pass
    except (OSError, RuntimeError, ValueError) as error:  # a loop of links, a NUL byte
        reason = getattr(error, "strerror", None) or str(error)
        raise Refused(f"cannot open {name}: {reason}", "unreadable") from None
    if name.url is None:
        raise Refused(f"file not found: {name.path}", "missing")
    raise Refused(f"{name.what} {name} not found (looked for {name.path})", "missing")


def _stat(resolved: Path, name: _Name) -> tuple[int, int]:
    try:
        info = os.stat(resolved)
    except OSError as error:
        raise Refused(f"cannot open {name}: {error.strerror}", "unreadable") from None
    return info.st_mode, info.st_size


def _not_regular(name: _Name) -> str:
    return f"{name} is not a regular file (a folder, a pipe or a device); only files are read"


def _too_large(name: _Name, size: int) -> str:
    return (
        f"{name} is {size / 1e6:.0f} MB; a book file may be at most {MAX_FILE_BYTES / 1e6:.0f} MB"
    )
