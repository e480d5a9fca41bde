"""Knowing when an output is already up to date, so that a rebuild with nothing changed is
instant: each output's record holds a fingerprint of everything it was made from.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from psoas_print import __version__
from psoas_print.output import write_text
from psoas_print.resources import Sources

STATE = ".psoas-print"  # beside the outputs: what the tool keeps between builds
RECORD = Path(STATE) / "records.json"


def fingerprint(sources: Sources, settings: dict[str, Any], outputs: set[Path]) -> str:
    """A hash of every file the product may read (book, layouts, fonts), its settings and
    the tool's version. Folders that hold outputs are left out: they are not inputs."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([__version__, settings], sort_keys=True, default=str).encode())
    for root in sources.readable_roots:
        for path in _files(root, outputs):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


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


def recorded(target: Path, print_: str) -> dict[str, Any] | None:
    """The record of ``target`` when it was made from the same inputs and is untouched since."""
    record = _records(target.parent).get(target.name)
    if not record or record.get("fingerprint") != print_ or not target.is_file():
        return None
    stat = target.stat()
    if (stat.st_size, stat.st_mtime_ns) != (record.get("size"), record.get("mtime_ns")):
        return None
    return record


def remember(target: Path, print_: str, pages: int, notes: dict[str, Any]) -> None:
    records = _records(target.parent)
    stat = target.stat()
    records[target.name] = {
        "fingerprint": print_, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
        "pages": pages, "notes": notes,
    }  # fmt: skip
    write_text(target.parent / RECORD, json.dumps(records, indent=1, sort_keys=True))


def _records(folder: Path) -> dict[str, Any]:
    try:
        records = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}
