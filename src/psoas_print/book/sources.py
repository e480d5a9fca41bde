"""The folders a render may read: the book's own and those that ship with the tool."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from psoas_print.book.resolver import Resolver
from psoas_print.errors import BookError
from psoas_print.shipped import shipped


@dataclass(frozen=True)
class Sources:
    """The folders a render may read: the book first, then what ships with the tool."""

    book: Path | None  # None for work on finished PDFs, which reads no book
    extra_files: tuple[Path, ...] = ()  # files named on the command line, such as a logo

    @property
    def layout_dirs(self) -> list[Path]:
        return self._with_book("layouts")

    @property
    def font_dirs(self) -> list[Path]:
        return self._with_book("fonts")

    def _with_book(self, name: str) -> list[Path]:
        own = [self.book / name] if self.book else []
        return [folder for folder in (*own, shipped(name)) if folder.is_dir()]

    @property
    def base_url(self) -> str:
        return (self.book or shipped("layouts")).resolve().as_uri() + "/"

    @property
    def readable_roots(self) -> list[Path]:
        # The book's own layouts/ and fonts/ are readable as part of the book, never as
        # roots of their own: a link in their place to another folder (/etc, say) would
        # otherwise make that whole folder readable.
        own = [self.book] if self.book else []
        tools = [folder for folder in (shipped("layouts"), shipped("fonts")) if folder.is_dir()]
        return [folder.resolve() for folder in (*own, *tools, *self.extra_files)]

    @property
    def resolver(self) -> Resolver:
        """The one judge of which files this build may read (see resolver.py)."""
        return Resolver.of(self.readable_roots, self.book)

    def font(self, name: str) -> Path:
        """A bundled font file; a missing one fails the build rather than falling back."""
        for folder in self.font_dirs:
            if (folder / name).is_file():
                return (folder / name).resolve()
        searched = ", ".join(str(folder) for folder in self.font_dirs)
        raise BookError.at(Path(name), None, f"font file not found (searched {searched})")
