"""The figures stage's own check of a pose: that the body it describes can be drawn."""

from __future__ import annotations

from psoas_print.book.model import PoseFacts, PoseFault
from psoas_print.figures.body import PoseError
from psoas_print.figures.scene import build_scene


def pose_fault(pose: PoseFacts) -> PoseFault | None:
    """What keeps ``pose`` from being drawn (a joint past its range, a contact in the air),
    and where in the pose description; None when it draws."""
    try:
        build_scene(pose, place_label=False)  # where the label goes never refuses a pose
    except PoseError as error:
        return PoseFault(error.location, error.message)
    return None
