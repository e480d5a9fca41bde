"""The figures stage's own check of a pose: that the body it describes can be drawn."""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress

from psoas_print.book.model import PoseFacts, PoseFault
from psoas_print.figures.body import PoseError
from psoas_print.figures.scene import build_scene
from psoas_print.files import read_kept_object, state_folder, write_state

MAX_KNOWN_POSES = 20_000  # remembered as drawable; the oldest are let go beyond


def pose_fault(pose: PoseFacts) -> PoseFault | None:
    """What keeps ``pose`` from being drawn (a joint past its range, a contact in the air),
    and where in the pose description; None when it draws."""
    try:
        build_scene(pose, place_label=False)  # where the label goes never refuses a pose
    except PoseError as error:
        return PoseFault(error.location, error.message, error.fix)
    return None


class KnownPoses:
    """The poses found to draw before, remembered in this user's state folder: every
    command reads the whole book, and checking a long book's poses was most of that. Each
    pose is known by a digest of itself and of the code that draws it."""

    def __init__(self) -> None:
        from psoas_print.figures.store import drawing_code  # the drawing's own code

        self.code = drawing_code()
        self.path = state_folder() / "drawable-poses.json"
        kept = read_kept_object(self.path)
        known = kept.get("poses") if kept.get("code") == self.code else None
        self.known = dict.fromkeys(known if isinstance(known, list) else [], True)
        self.added = False

    def fault(self, pose: PoseFacts) -> PoseFault | None:
        """pose_fault, for a pose not known to draw."""
        key = hashlib.blake2b(pose.model_dump_json().encode(), digest_size=12).hexdigest()
        if key in self.known:
            return None
        fault = pose_fault(pose)
        if fault is None:
            self.known[key] = self.added = True
        return fault

    def keep(self) -> None:
        """Remember the poses found to draw; only a saving of time, so nothing is lost if
        it cannot be written."""
        if not self.added:
            return
        poses = list(self.known)[-MAX_KNOWN_POSES:]
        with suppress(OSError):
            write_state(self.path, json.dumps({"code": self.code, "poses": poses}))
