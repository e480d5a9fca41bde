"""A figure in words: the alt text that screen readers, EPUB readers and SVG titles give."""

from __future__ import annotations

from psoas_print.book.model import Exercise, PoseFacts


def alt_text(exercise: Exercise) -> str:
    """What the figure shows, in words: the exercise and its keyframes in order."""
    pose: PoseFacts | None = exercise.pose
    if pose is None:
        return exercise.name
    view = {"side": "from the side", "front": "from the front", "above": "from above"}[pose.view]
    moments = ", then ".join(k.name for k in pose.keyframes)
    return f"{exercise.name}, seen {view}: {moments}."
