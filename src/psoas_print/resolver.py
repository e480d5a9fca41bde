"""The one place that decides which files a build may read.

A book folder is untrusted data: books get shared. Every reader of files (the book's
reader, the template loader, the fetcher behind WeasyPrint, the EPUB packer and the HTML
export) asks this resolver, so they can never disagree about what is inside the book.
A file may be read when, with every link followed, it lies inside one of the allowed
folders (the book, the layouts, the fonts, and files named on the command line), is a
regular file (not a device, a pipe or a folder) and is no larger than the limit.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from psoas_print.limits import MAX_FILE_BYTES


class Refused(Exception):
    """A file the build may not read; the message says why, in the author's words."""


@dataclass(frozen=True)
class Resolver:
    """Which files a build may read: those inside ``roots`` (folders or single files)."""

    roots: tuple[Path, ...]
    book: Path | None = None  # relative URLs in the book's text are relative to it

    @classmethod
    def of(cls, roots: list[Path], book: Path | None) -> Resolver:
        resolved = tuple(root.resolve() for root in roots)
        return cls(resolved, book.resolve() if book is not None else None)

    def file(self, path: Path) -> Path:
        """``path`` with its links followed, when the build may read it; else Refused."""
        try:
            resolved = Path(path).resolve(strict=True)
        except FileNotFoundError:
            raise Refused(f"file not found: {path}") from None
        except (OSError, RuntimeError) as error:  # a loop of links, a name too long
            raise Refused(f"cannot open {path}: {error}") from None
        if not self.allows(resolved):
            raise Refused(
                f"refused to read {resolved}: only the book, the layouts and the fonts may be read"
            )
        mode = os.stat(resolved).st_mode
        if not stat.S_ISREG(mode):
            raise Refused(f"{path} is not a regular file")
        size = os.stat(resolved).st_size
        if size > MAX_FILE_BYTES:
            raise Refused(
                f"{path} is {size / 1e6:.0f} MB; a book file may be at most "
                f"{MAX_FILE_BYTES / 1e6:.0f} MB"
            )
        return resolved

    def allows(self, resolved: Path) -> bool:
        return any(resolved == root or resolved.is_relative_to(root) for root in self.roots)

    def read_bytes(self, path: Path) -> bytes:
        """The file's bytes, read only after the checks above (and never past the limit)."""
        resolved = self.file(path)
        with open(resolved, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:  # it grew after the check
            raise Refused(f"{path} is larger than {MAX_FILE_BYTES / 1e6:.0f} MB")
        return data

    def book_url(self, url: str) -> Path:
        """The file a relative URL written in the book names, before it is checked.

        The query and fragment are no part of the file's name (``a.png?x`` is ``a.png``);
        ``%20`` and the like are decoded.
        """
        if self.book is None:
            raise Refused(f"'{url}' is not a file of the book")
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("/", "\\")):
            raise Refused(
                f"'{url}' is not a path inside the book; give a path relative to the book folder"
            )
        return self.book / unquote(parts.path)

    def url(self, url: str) -> Path:
        """The file a ``file:`` URL or a URL relative to the book names, checked."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            return self.file(Path(url2pathname(unquote(parts.path))))
        if parts.scheme:
            raise Refused(f"refused to fetch {url}: nothing is loaded from the network")
        return self.file(self.book_url(url))
