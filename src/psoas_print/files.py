"""Reading one file of untrusted input: only a regular file, and never past a size limit.

A book or a CSV file comes from someone else. A name such as ``exercises/x.md`` may be a
pipe (reading it would wait forever), a link to ``/dev/zero`` (reading it would never
end), a folder, or a file of gigabytes. The file is opened without waiting for a writer,
and what was opened is checked before a byte of it is read, so it cannot be swapped for
something else in between.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from psoas_print.limits import MAX_FILE_BYTES

# A pipe opens at once rather than waiting for a writer; a terminal never becomes ours.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class Unreadable(Exception):
    """Why a file cannot be used, in the words of its author (without its path)."""


def read_limited(path: Path, limit: int = MAX_FILE_BYTES, what: str = "a book file") -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes."""
    try:
        _refuse_kind(os.stat(path).st_mode)  # a device is never even opened
        handle = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise Unreadable("file not found") from None
    except IsADirectoryError:
        raise Unreadable(FOLDER) from None
    except OSError as error:  # no permission, a loop of links, a name too long
        raise Unreadable(f"cannot read it: {error.strerror or error}") from None
    except ValueError:  # a NUL character in the name
        raise Unreadable("not a valid file name") from None
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(handle)  # what was opened, whatever the name points to by now
        _refuse_kind(info.st_mode)
        size = info.st_size
        if size > limit:
            raise Unreadable(too_large(size, limit, what))
        try:
            data = stream.read(limit + 1)
        except OSError as error:
            raise Unreadable(f"cannot read it: {error.strerror or error}") from None
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
        raise Unreadable(FOLDER)
    if not stat.S_ISREG(mode):
        raise Unreadable(NOT_REGULAR)


FOLDER = "a folder, not a file"
NOT_REGULAR = "not a regular file (a pipe, a device or a socket); only regular files are read"
