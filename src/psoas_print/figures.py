"""What a layout shows for an exercise: its own photo, or its generated figure.

A generated figure is drawn (drawing.py) only when nothing drew the same one before: drawn
figures are kept beside the outputs, one SVG file each, named by a digest of all that makes
them (the pose, the words of the title, the line style and the drawing code itself). A
build that changes no pose loads neither the drawing code nor reportlab.

A kept figure is used only when its bytes are the ones this tool wrote: a record beside
the figures holds the digest of each, and a file replaced since, or a record of any other
shape, means the figure is drawn again.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import glob
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from psoas_print.cache import STATE, read_kept_object
from psoas_print.errors import BookError
from psoas_print.files import Unreadable, read_limited
from psoas_print.model import Exercise, PoseFacts
from psoas_print.output import write_bytes, write_text

KEPT = Path(STATE) / "figures"  # beside the outputs
DIGESTS = "digests.json"  # in KEPT: the digest of each kept figure's bytes, by file name


@dataclass(frozen=True)
class Style:
    """How heavy the lines are, in body centimetres: thumbnails need heavier ones."""

    outline: float = 1.1
    arrow: float = 1.3
    label_size: float = 7.0


ROBUST = Style(outline=2.0, arrow=2.4, label_size=0.0)  # thumbnails: the text says the breath


@dataclass(frozen=True)
class Figure:
    """What a layout needs to show an exercise's picture."""

    uri: str
    alt: str
    generated: bool


def figure_for(exercise: Exercise, style: Style) -> Figure | None:
    """The exercise's own image when it names one, else its generated figure, else None."""
    if exercise.image_path is not None:
        return Figure(exercise.image_path.as_uri(), f"{exercise.name}: {exercise.position}.", False)
    if exercise.pose is None:
        return None
    return Figure(data_uri(svg_for(exercise, style)), alt_text(exercise), True)


def svg_for(exercise: Exercise, style: Style = Style()) -> str:
    """The exercise's generated figure as a standalone SVG, its alt text as the title."""
    return _drawn.svg(exercise, style)


def figures_for(exercises: list[Exercise], style: Style) -> dict[str, Figure]:
    return {e.id: figure for e in exercises if (figure := figure_for(e, style)) is not None}


def alt_text(exercise: Exercise) -> str:
    """What the figure shows, in words: the exercise and its keyframes in order."""
    pose: PoseFacts | None = exercise.pose
    if pose is None:
        return exercise.name
    view = {"side": "from the side", "front": "from the front", "above": "from above"}[pose.view]
    moments = ", then ".join(k.name for k in pose.keyframes)
    return f"{exercise.name}, seen {view}: {moments}."


def qr_code(url: str) -> str:
    """A QR code for a link, as a vector SVG data URI; the link itself is never fetched."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#1d2427")


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


class _DrawnFigures:
    """Figures drawn by earlier builds, read back; and those this process drew itself."""

    def __init__(self) -> None:
        self.folder: Path | None = None  # where earlier builds kept theirs; None: draw every one
        self.digests: dict[str, str] | None = None  # the folder's record, once read
        self.new: dict[str, str] = {}  # file name: SVG, drawn here and not yet kept

    def svg(self, exercise: Exercise, style: Style) -> str:
        assert exercise.pose is not None
        name = _file_name(exercise, style)
        if name in self.new:
            return self.new[name]
        if (kept := self._kept(name)) is not None:
            return kept
        from psoas_print.drawing import to_svg  # reportlab: only when something is drawn
        from psoas_print.scene import build_scene

        self.new[name] = to_svg(build_scene(exercise.pose), alt_text(exercise), style)
        return self.new[name]

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


_drawn = _DrawnFigures()


def read_drawings_from(folder: Path | None) -> None:
    """Take figures drawn before from ``folder`` (None: draw them all again)."""
    _drawn.folder = folder
    _drawn.digests = None


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


def new_drawings() -> dict[str, str]:
    """The figures drawn since the last call, by file name, to keep once the build succeeds."""
    drawn, _drawn.new = _drawn.new, {}
    return drawn


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


def _file_name(exercise: Exercise, style: Style) -> str:
    """EXERCISE.STYLE.DIGEST.svg: the digest covers all that makes the drawing."""
    assert exercise.pose is not None
    makings = [
        _drawing_code(),
        dataclasses.astuple(style),
        exercise.pose.model_dump(mode="json"),
        alt_text(exercise),
    ]
    digest = hashlib.blake2b(json.dumps(makings, sort_keys=True).encode(), digest_size=10)
    style_digest = hashlib.blake2b(repr(dataclasses.astuple(style)).encode(), digest_size=3)
    return f"{exercise.id}.{style_digest.hexdigest()}.{digest.hexdigest()}.svg"


@functools.cache
def _drawing_code() -> str:
    """A digest of the code that turns a pose into a drawing: changing it redraws them all."""
    digest = hashlib.blake2b(digest_size=10)
    for module in ("pose.py", "scene.py", "drawing.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()
