"""The preview's figures view: every pose drawn whole and keyframe by keyframe; a pose
that cannot be drawn shows why, the nearest working angle, the last drawing that worked,
and the drawing that angle would give."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from psoas_print.book.loading import SeenPose
from psoas_print.book.model import AngleFix, PoseFacts
from psoas_print.errors import Problem
from psoas_print.figures.body import PoseError
from psoas_print.figures.drawing import to_svg
from psoas_print.figures.scene import build_scene
from psoas_print.figures.store import breath_words as breath_labels
from psoas_print.figures.style import Style
from psoas_print.language.words import Words

MAX_KEPT_DRAWINGS = 2_000  # drawings kept in memory; the oldest are let go beyond


@dataclass(frozen=True)
class Drawn:
    """A drawing the view shows, by the name it is served under, and what it shows."""

    name: str
    caption: str


@dataclass(frozen=True)
class FigureEntry:
    """One exercise's pose as the figures view shows it."""

    exercise: str
    source: Problem  # the pose's file, and the line of its fault if it has one
    whole: Drawn | None  # the figure as the book prints it; None when it cannot be drawn
    keyframes: tuple[Drawn, ...]
    fault: str | None = None
    fix: AngleFix | None = None
    fixed: Drawn | None = None  # the figure with the fix applied
    last_good: Drawn | None = None  # the last drawing of this pose that worked


class FiguresView:
    """The drawings of the poses last read, made once per distinct pose and kept."""

    def __init__(self) -> None:
        self.drawings: dict[str, str] = {}  # name: SVG
        self.last_good: dict[str, Drawn] = {}  # exercise: its last whole drawing
        self.language = "en"

    def entries(self, seen: Iterable[SeenPose], words: Words) -> list[FigureEntry]:
        """The view of every pose read, in the order read, its words in ``words``."""
        self.language = words.language
        entries = [self._entry(pose, breath_labels(words)) for pose in seen]
        self._forget_old()
        return entries

    def svg(self, name: str) -> str | None:
        return self.drawings.get(name)

    def _entry(self, seen: SeenPose, breath_words: dict[str, str]) -> FigureEntry:
        source = Problem(seen.source, seen.line, seen.fault.message if seen.fault else "")
        if seen.fault is None:
            whole = self._draw(seen.pose, f"{seen.exercise}", breath_words)
            self.last_good[seen.exercise] = whole
            return FigureEntry(seen.exercise, source, whole, self._keyframes(seen, breath_words))
        fixed = self._fixed(seen, seen.fault.fix, breath_words)
        return FigureEntry(
            seen.exercise, source, None, (), seen.fault.message, seen.fault.fix, fixed,
            self.last_good.get(seen.exercise),
        )  # fmt: skip

    def _keyframes(self, seen: SeenPose, breath_words: dict[str, str]) -> tuple[Drawn, ...]:
        drawn = []
        for keyframe in seen.pose.keyframes:
            alone = seen.pose.model_copy(
                update={"keyframes": [keyframe], "arrows": [], "breath": None}
            )
            drawn.append(self._draw(alone, keyframe.name, breath_words))
        return tuple(drawn)

    def _fixed(
        self, seen: SeenPose, fix: AngleFix | None, breath_words: dict[str, str]
    ) -> Drawn | None:
        """The pose with the fix applied, when the fix is all it needs."""
        if fix is None or fix.keyframe >= len(seen.pose.keyframes):
            return None
        keyframes = list(seen.pose.keyframes)
        angles = {**keyframes[fix.keyframe].angles, fix.joint: fix.angle}
        keyframes[fix.keyframe] = keyframes[fix.keyframe].model_copy(update={"angles": angles})
        pose = seen.pose.model_copy(update={"keyframes": keyframes})
        try:
            return self._draw(pose, f"{fix.joint} at {fix.angle:g}°", breath_words)
        except PoseError:  # another joint is wrong too: no drawing to show for this one
            return None

    def _draw(self, pose: PoseFacts, caption: str, breath_words: dict[str, str]) -> Drawn:
        """The pose drawn (or raise PoseError), named by a digest of what it shows."""
        makings = json.dumps(
            [pose.model_dump(mode="json"), caption, breath_words, self.language], sort_keys=True
        )
        name = hashlib.blake2b(makings.encode(), digest_size=10).hexdigest() + ".svg"
        if name not in self.drawings:
            scene = build_scene(pose, breath_words)
            self.drawings[name] = to_svg(scene, caption, Style(), self.language)
        else:  # kept, and moved to the newest end so the oldest are the ones let go
            self.drawings[name] = self.drawings.pop(name)
        return Drawn(name, caption)

    def _forget_old(self) -> None:
        while len(self.drawings) > MAX_KEPT_DRAWINGS:
            del self.drawings[next(iter(self.drawings))]
