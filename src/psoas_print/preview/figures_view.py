"""The preview's figures view: every pose drawn whole and keyframe by keyframe; a pose
that cannot be drawn shows why, the nearest working angle, the last drawing that worked,
and the drawing that angle would give."""

from __future__ import annotations

import hashlib
import json
import threading
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

MAX_KEPT_DRAWINGS = 20_000  # drawings named and kept; the oldest are let go beyond
MAX_DRAWN = 1_000  # drawings kept drawn (about 25 KB each); the oldest are drawn again


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


@dataclass(frozen=True)
class Recipe:
    """What a drawing shows: enough to draw it when it is first asked for."""

    pose: PoseFacts
    caption: str
    breath_words: tuple[tuple[str, str], ...]
    language: str


class FiguresView:
    """The drawings of the poses last read: named when the book is read, drawn when the
    page first asks for each (a long book has thousands, the page shows a few), and kept."""

    def __init__(self) -> None:
        self.recipes: dict[str, Recipe] = {}  # name: what it shows, newest last
        self.drawn: dict[str, str] = {}  # name: SVG
        self.last_good: dict[str, Drawn] = {}  # exercise: its last whole drawing
        self.language = "en"
        self.lock = threading.Lock()  # the page's requests draw side by side

    def entries(self, seen: Iterable[SeenPose], words: Words) -> list[FigureEntry]:
        """The view of every pose read, in the order read, its words in ``words``."""
        self.language = words.language
        entries = [self._entry(pose, breath_labels(words)) for pose in seen]
        self._forget_old()
        return entries

    def svg(self, name: str) -> str | None:
        """The drawing called ``name``, drawn now if it was not before; None if unknown."""
        with self.lock:
            if name in self.drawn:
                return self.drawn[name]
            recipe = self.recipes.get(name)
        if recipe is None:
            return None
        try:
            svg = _drawing(recipe)
        except PoseError:  # only a pose known to draw is named here; but never a traceback
            return None
        with self.lock:
            self.drawn[name] = svg
            while len(self.drawn) > MAX_DRAWN:
                del self.drawn[next(iter(self.drawn))]
        return svg

    def _entry(self, seen: SeenPose, breath_words: dict[str, str]) -> FigureEntry:
        source = Problem(seen.source, seen.line, seen.fault.message if seen.fault else "")
        if seen.fault is None:  # it draws (reading the book checked it)
            whole = self._named(seen.pose, f"{seen.exercise}", breath_words)
            self.last_good[seen.exercise] = whole
            return FigureEntry(seen.exercise, source, whole, self._keyframes(seen, breath_words))
        fixed = self._fixed(seen, seen.fault.fix, breath_words)
        return FigureEntry(
            seen.exercise, source, None, (), seen.fault.message, seen.fault.fix, fixed,
            self.last_good.get(seen.exercise),
        )  # fmt: skip

    def _keyframes(self, seen: SeenPose, breath_words: dict[str, str]) -> tuple[Drawn, ...]:
        named = []
        for keyframe in seen.pose.keyframes:
            alone = seen.pose.model_copy(
                update={"keyframes": [keyframe], "arrows": [], "breath": None}
            )
            named.append(self._named(alone, keyframe.name, breath_words))
        return tuple(named)

    def _fixed(
        self, seen: SeenPose, fix: AngleFix | None, breath_words: dict[str, str]
    ) -> Drawn | None:
        """The pose with the fix applied, drawn now, when the fix is all it needs."""
        if fix is None or fix.keyframe >= len(seen.pose.keyframes):
            return None
        keyframes = list(seen.pose.keyframes)
        angles = {**keyframes[fix.keyframe].angles, fix.joint: fix.angle}
        keyframes[fix.keyframe] = keyframes[fix.keyframe].model_copy(update={"angles": angles})
        pose = seen.pose.model_copy(update={"keyframes": keyframes})
        fixed = self._named(pose, f"{fix.joint} at {fix.angle:g}°", breath_words)
        return fixed if self.svg(fixed.name) is not None else None  # another joint is wrong too

    def _named(self, pose: PoseFacts, caption: str, breath_words: dict[str, str]) -> Drawn:
        """A drawing of the pose, named by a digest of what it shows, to draw when asked."""
        recipe = Recipe(pose, caption, tuple(sorted(breath_words.items())), self.language)
        makings = json.dumps(
            [pose.model_dump(mode="json"), caption, recipe.breath_words, self.language]
        )
        name = hashlib.blake2b(makings.encode(), digest_size=10).hexdigest() + ".svg"
        with self.lock:
            self.recipes.pop(name, None)  # to the newest end: the oldest are let go first
            self.recipes[name] = recipe
        return Drawn(name, caption)

    def _forget_old(self) -> None:
        with self.lock:
            while len(self.recipes) > MAX_KEPT_DRAWINGS:
                name = next(iter(self.recipes))
                del self.recipes[name]
                self.drawn.pop(name, None)


def _drawing(recipe: Recipe) -> str:
    """The recipe drawn (or PoseError)."""
    scene = build_scene(recipe.pose, dict(recipe.breath_words))
    return to_svg(scene, recipe.caption, Style(), recipe.language)
