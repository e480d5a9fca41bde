"""Writing outputs so that an interrupted or failed build never leaves a broken file behind,
and never writes over what a build reads."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from psoas_print.errors import BookError, display_path
from psoas_print.shipped import shipped

STATE = ".psoas-print"  # beside the outputs: what the tool keeps between builds

# Every output replaced by this process, in order: what an interruption has to mention.
written: list[Path] = []


@contextmanager
def atomic_file(target: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside ``target`` that replaces it only once fully written.

    A write that fails (a full disk, a read-only file system) removes the temporary file
    and leaves the previous ``target`` as it was.
    """
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise BookError.at(target, None, f"cannot write here: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _permissions_for(target))
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise BookError.at(target, None, _cannot_write(target, error)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    written.append(target)


def _cannot_write(target: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    kept = "the previous file is kept" if target.exists() else "nothing was written"
    return f"cannot write: {reason}; {kept}"


def write_atomically(target: Path, write: Callable[[IO[bytes]], object]) -> None:
    with atomic_file(target) as stream:
        write(stream)


def write_bytes(target: Path, data: bytes) -> None:
    write_atomically(target, lambda stream: stream.write(data))


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def _permissions_for(target: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual mode (mkstemp makes it 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# --- where outputs may go --------------------------------------------------------


def check_outputs(targets: Iterable[Path], book: Path | None, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before anything is laid out, any output that would replace what builds read.

    ``targets`` are the files and folders a command writes, the products first; none may
    be inside the book, inside the layouts, fonts or sample book that ship with the tool,
    or be one of the ``inputs`` named on the command line (a roster, a logo, the ebook
    being stamped). The first one refused is named: one mistake, one line.
    """
    sources = {place for source in inputs for place in (_where(source), source.resolve())}
    for target in targets:
        reason = _refusal(_where(target), book, sources)
        if reason is not None:
            raise BookError.at(target, None, reason)


def _refusal(where: Path, book: Path | None, sources: set[Path]) -> str | None:
    if book is not None and where == book.resolve():
        return "is the book folder itself; write outputs outside it"
    if book is not None and where.is_relative_to(book.resolve()):
        return f"is inside the book folder {display_path(book)}; write outputs outside it"
    for folder in _tool_folders():
        if where.is_relative_to(folder):
            return f"is inside {display_path(folder)}, which ships with psoas-print; {ELSEWHERE}"
    if where in sources:
        return "is one of this command's own input files; choose another name for the output"
    return None


ELSEWHERE = "write outputs elsewhere"


def _where(path: Path) -> Path:
    """Where writing ``path`` lands: its folder's links followed, not a link it may be itself
    (the output replaces such a link, never what the link points to)."""
    absolute = Path(os.path.abspath(path))
    return absolute.parent.resolve() / absolute.name


def _tool_folders() -> list[Path]:
    return [shipped(name).resolve() for name in ("layouts", "fonts", "book")]


# --- names of output files ----------------------------------------------------------


def file_stem(text: str, fallback: str, lower: bool = False) -> str:
    """``text`` as a safe file name stem: runs of anything but letters and digits (in any
    script) become one hyphen; ``fallback`` when nothing is left."""
    letters = unicodedata.normalize("NFC", text)
    stem = re.sub(r"[\W_]+", "-", letters.lower() if lower else letters).strip("-")
    return stem or fallback


def distinct(stems: list[str]) -> list[str]:
    """``stems`` made distinct: a second "jane" becomes "jane-2", a third "jane-3"."""
    chosen: list[str] = []
    taken: set[str] = set()  # a roster of thousands is looked up in, not scanned
    for stem in stems:
        candidate, number = stem, 2
        while candidate in taken:
            candidate, number = f"{stem}-{number}", number + 1
        chosen.append(candidate)
        taken.add(candidate)
    return chosen


def refuse_existing(targets: list[Path]) -> None:
    """Outputs that are never silently replaced (licensed copies): the first that exists
    is named, with a count of the others (a second run into the same folder would name
    every copy)."""
    existing = [target for target in targets if target.exists() or target.is_symlink()]
    if not existing:
        return
    others = f" (and {len(existing) - 1} more copies)" if len(existing) > 1 else ""
    message = f"already exists{others}; remove it, choose another --out, or add --force"
    raise BookError.at(existing[0], None, message)


@dataclass
class KeptFiles:
    """What a product keeps in its folder beside the outputs for later builds to reuse (a
    long book's layout, a cover render): gathered while it is made, written only once every
    product of the build is made and written, so a failed build writes nothing at all.
    Keeping is only a saving of time: what cannot be written costs the next build time."""

    folder: Path
    files: dict[str, bytes] = field(default_factory=dict)  # by name in the folder
    staying: set[str] = field(default_factory=set)  # kept before, still wanted
    replaced: list[str] = field(default_factory=list)  # patterns of files they replace

    def add(self, name: str, data: bytes) -> None:
        self.files[name] = data

    def stay(self, name: str) -> None:
        """Keep ``name``, kept by an earlier build, though it matches a replaced pattern."""
        self.staying.add(name)

    def replace(self, pattern: str) -> None:
        """Remove the files matching ``pattern`` (in the folder) that were not added."""
        self.replaced.append(pattern)

    def write(self) -> None:
        # Records (.json) last: they name the other files, which must be whole by then.
        names = sorted(self.files, key=lambda name: (name.endswith(".json"), name))
        try:
            for name in names:
                write_bytes(self.folder / name, self.files[name])
            for pattern in self.replaced:
                for path in self.folder.glob(pattern):
                    name = path.relative_to(self.folder).as_posix()
                    if name not in self.files and name not in self.staying:
                        path.unlink()
        except (BookError, OSError):
            return
