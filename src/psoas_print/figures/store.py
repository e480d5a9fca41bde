"""The store of drawn figures: a figure is drawn only when nothing drew the same one before.

Drawn figures are kept beside the outputs, one SVG file each, named by a digest of all that
makes them (the pose, the words of the title, the line style and the drawing code itself).
A build that changes no pose loads neither the drawing code nor reportlab.

A kept figure is used only when its bytes are the ones this tool wrote: a record beside
the figures holds the digest of each, and a file replaced since, or a record of any other
shape, means the figure is drawn again.

One store serves one build (or one worker process of it): it travels in the build's
context, never as a global.
"""

from __future__ import annotations

import dataclasses
import functools
import glob
import hashlib
import json
import re
from pathlib import Path

from psoas_print.book.model import Exercise
from psoas_print.errors import BookError
from psoas_print.figures.describe import alt_text
from psoas_print.figures.scene import build_scene
from psoas_print.figures.style import Style
from psoas_print.files import Unreadable, read_kept_object, read_limited
from psoas_print.language.phrases import BREATHS, breath_label
from psoas_print.language.words import Words
from psoas_print.output import STATE, write_bytes, write_text

KEPT = Path(STATE) / "figures"  # beside the outputs
DIGESTS = "digests.json"  # in KEPT: the digest of each kept figure's bytes, by file name


class FigureStore:
    """Figures drawn by earlier builds into ``folder``, read back; and those drawn since.

    ``folder`` None draws every figure afresh.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.digests: dict[str, str] | None = None  # the folder's record, once read
        self.new: dict[str, str] = {}  # file name: SVG, drawn here and not yet kept

    def svg(self, exercise: Exercise, style: Style, words: Words) -> str:
        """The exercise's generated figure as a standalone SVG, its alt text as the title,
        its label and title in the language of ``words``."""
        assert exercise.pose is not None
        title, labels = alt_text(exercise, words), breath_words(words)
        name = _file_name(exercise, style, words.language, title, labels)
        if name in self.new:
            return self.new[name]
        if (kept := self._kept(name)) is not None:
            return kept
        from psoas_print.figures.drawing import to_svg  # reportlab: only when something is drawn

        scene = build_scene(exercise.pose, labels)
        self.new[name] = to_svg(scene, title, style, words.language)
        return self.new[name]

    def take_new(self) -> dict[str, str]:
        """The figures drawn since the last call, by file name, to keep once the build succeeds."""
        drawn, self.new = self.new, {}
        return drawn

    def _kept(self, name: str) -> str | None:
        """The kept figure ``name`` when its bytes are those recorded for it, else None."""
        if self.folder is None:
            return None
        if self.digests is None:
            self.digests = read_digests(self.folder)
        if name not in self.digests:
            return None
        try:
            data = read_limited(self.folder / name)
        except Unreadable:
            return None
        if content_digest(data) != self.digests[name]:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def read_digests(folder: Path) -> dict[str, str]:
    """The record of the figures kept in ``folder``; empty when it has any other shape."""
    return {
        name: digest
        for name, digest in read_kept_object(folder / DIGESTS).items()
        if isinstance(digest, str) and _KEPT_NAME.fullmatch(name)
    }


# EXERCISE.STYLE.DIGEST.svg, as _file_name makes them: never a path, never the record.
_KEPT_NAME = re.compile(r"[^/\\\0]+\.[0-9a-f]{6}\.[0-9a-f]{20}\.svg")


def keep_drawings(folder: Path, drawings: dict[str, str]) -> None:
    """Keep newly drawn figures in ``folder``, each replacing its exercise's older drawing,
    and record the digest of each. Keeping is only a saving of time: a figure that cannot
    be kept (a full disk) is drawn again next time."""
    if not drawings:
        return
    digests = read_digests(folder)
    try:
        for name, svg in drawings.items():
            data = svg.encode("utf-8")
            write_bytes(folder / name, data)
            digests[name] = content_digest(data)
            for older in _older_drawings(folder, name):
                older.unlink(missing_ok=True)
                digests.pop(older.name, None)
        write_text(folder / DIGESTS, json.dumps(digests, indent=1, sort_keys=True))
    except (BookError, OSError):
        return


def _older_drawings(folder: Path, name: str) -> list[Path]:
    """The files that drew the same exercise in the same style as ``name``, from before."""
    exercise_and_style = name.rsplit(".", 2)[0]
    return [
        older
        for older in folder.glob(f"{glob.escape(exercise_and_style)}.*.svg")
        if older.name != name and older.name.rsplit(".", 2)[0] == exercise_and_style
    ]


def breath_words(words: Words) -> dict[str, str]:
    """The breath labels a figure may show, in the language of ``words``."""
    return {label: breath_label(label, words) for label in BREATHS}


def _file_name(
    exercise: Exercise, style: Style, language: str, title: str, labels: dict[str, str]
) -> str:
    """EXERCISE.STYLE.DIGEST.svg: the digest covers all that makes the drawing, its words
    included (a figure in German is another file than the same one in English)."""
    assert exercise.pose is not None
    makings = [
        drawing_code(),
        dataclasses.astuple(style),
        exercise.pose.model_dump(mode="json"),
        title,
        language,
        labels,
    ]
    digest = hashlib.blake2b(json.dumps(makings, sort_keys=True).encode(), digest_size=10)
    style_digest = hashlib.blake2b(repr(dataclasses.astuple(style)).encode(), digest_size=3)
    return f"{exercise.id}.{style_digest.hexdigest()}.{digest.hexdigest()}.svg"


@functools.cache
def drawing_code() -> str:
    """A digest of the code that turns a pose into a drawing: changing it redraws them all."""
    digest = hashlib.blake2b(digest_size=10)
    for module in ("body.py", "placement.py", "scene.py", "style.py", "drawing.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()
