"""Writing outputs so that an interrupted build never leaves a broken file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from psoas_print.errors import BookError


@contextmanager
def atomic_file(target: Path) -> Iterator[IO[bytes]]:
    """A temporary file beside ``target`` that replaces it only once fully written."""
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
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(target: Path, write: Callable[[IO[bytes]], object]) -> None:
    with atomic_file(target) as stream:
        write(stream)


def write_text(target: Path, text: str) -> None:
    write_atomically(target, lambda stream: stream.write(text.encode("utf-8")))


def _permissions_for(target: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual mode (mkstemp makes it 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
