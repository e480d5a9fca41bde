"""A figure in words: the alt text that screen readers, EPUB readers and SVG titles give."""

from __future__ import annotations

from psoas_print.book.model import Exercise, PoseFacts
from psoas_print.language.phrases import N_
from psoas_print.language.words import Words

_SEEN = {
    "side": N_("%(exercise)s, seen from the side: %(moments)s."),
    "front": N_("%(exercise)s, seen from the front: %(moments)s."),
    "above": N_("%(exercise)s, seen from above: %(moments)s."),
}


def alt_text(exercise: Exercise, words: Words) -> str:
    """What the figure shows, in words: the exercise and its keyframes in order."""
    pose: PoseFacts | None = exercise.pose
    if pose is None:
        return exercise.name
    moments = pose.keyframes[0].name
    for keyframe in pose.keyframes[1:]:
        moments = words.gettext("%(earlier)s, then %(later)s", earlier=moments, later=keyframe.name)
    return words.gettext(_SEEN[pose.view], exercise=exercise.name, moments=moments)
