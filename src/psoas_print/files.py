"""Reading one file of untrusted input: only a regular file, and never past a size limit.

A book or a CSV file comes from someone else. A name such as ``exercises/x.md`` may be a
pipe (reading it would wait forever), a link to ``/dev/zero`` (reading it would never
end), a folder, or a file of gigabytes. The file is opened without waiting for a writer,
and what was opened is checked before a byte of it is read, so it cannot be swapped for
something else in between.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from functools import cache
from pathlib import Path
from typing import BinaryIO

from psoas_print.limits import MAX_FILE_BYTES

# A pipe opens at once rather than waiting for a writer; a terminal never becomes ours.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class Unreadable(Exception):
    """Why a file cannot be used, in the words of its author (without its path)."""

    def __init__(self, message: str, not_regular: bool = False) -> None:
        super().__init__(message)
        self.not_regular = not_regular  # a folder, a pipe, a device: not a file at all


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading when it is a regular file; Unreadable otherwise.

    What was opened is checked again, so a name swapped for a pipe or a device between
    the look and the opening is never read."""
    try:
        _refuse_kind(os.stat(path).st_mode)  # a device is never even opened
        handle = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise Unreadable("file not found") from None
    except IsADirectoryError:
        raise Unreadable(FOLDER, not_regular=True) from None
    except OSError as error:  # no permission, a loop of links, a name too long
        raise Unreadable(CANNOT_READ + str(error.strerror or error)) from None
    except ValueError:  # a NUL character in the name
        raise Unreadable("not a valid file name") from None
    stream = os.fdopen(handle, "rb")
    try:
        _refuse_kind(os.fstat(handle).st_mode)  # what was opened, wherever the name points now
    except Unreadable:
        stream.close()
        raise
    return stream


def read_limited(path: Path, limit: int = MAX_FILE_BYTES, what: str = "a book file") -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes."""
    with open_regular(path) as stream:
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            raise Unreadable(too_large(size, limit, what))
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise Unreadable(CANNOT_READ + str(error.strerror or error)) from None
    if len(data) > limit:  # it grew after it was opened
        raise Unreadable(too_large(len(data), limit, what))
    return data


def is_regular_file(path: Path) -> bool:
    """Whether ``path``, with its links followed, is a regular file (never opening it)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def too_large(size: int, limit: int, what: str) -> str:
    return f"too large: {_megabytes(size)}; {what} may be at most {_megabytes(limit)}"


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB" if size < 10e6 else f"{size / 1e6:,.0f} MB"


def _refuse_kind(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise Unreadable(FOLDER, not_regular=True)
    if not stat.S_ISREG(mode):
        raise Unreadable(NOT_REGULAR, not_regular=True)


CANNOT_READ = "cannot read it: "
FOLDER = "a folder, not a file"
NOT_REGULAR = "not a regular file (a pipe, a device or a socket); only regular files are read"


def read_kept_object(path: Path) -> dict[str, object]:
    """A JSON object the tool kept beside the outputs, or an empty one when the file is
    missing, unreadable or of any other shape: anything may have replaced it there."""
    try:
        kept = json.loads(read_limited(path).decode("utf-8"))
    except (Unreadable, ValueError, RecursionError):
        return {}
    return kept if isinstance(kept, dict) else {}


@cache
def state_folder() -> Path:
    """A folder of this user's in the temporary folder: kept between runs, so fontconfig
    scans each font folder once, and nobody else's, so nobody else can write our config."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    home = Path(tempfile.gettempdir()) / f"psoas-print-fonts-{user}"
    try:
        home.mkdir(mode=0o700, exist_ok=True)
        status = home.lstat()  # a link there is not ours, wherever it points
        if not stat.S_ISDIR(status.st_mode) or status.st_uid != getattr(os, "getuid", int)():
            raise PermissionError(f"{home} is not a folder of this user's")
    except OSError:
        return Path(tempfile.mkdtemp(prefix="psoas-print-fonts-"))
    return home


def write_state(path: Path, text: str) -> None:
    """Write beside ``path`` and rename: a process reading it never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)
