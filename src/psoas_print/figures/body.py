"""The body model behind the generated figures: joint angles to a body of segments.

A keyframe gives joint angles and which body parts touch a surface. One body model with
human proportions turns the angles into segments (here); the placement (placement.py) then
turns and moves the whole body until the contacts rest on the floor, the mat or the chair.
Nobody writes coordinates. Units are centimetres, y points up, the floor is y = 0.

Side view: the figure faces +x. ``trunk`` is the lean from upright (forward positive,
-90 lies on the back); hips and shoulders flex forward from the line of the trunk; knees
bend the shin back, elbows bend the forearm forward, ankles point the toes (plantar flexion
positive). ``near_`` and ``far_`` name the limbs nearer and farther from the viewer.
Above view: the same body seen from the ceiling, lying on its side on a mat.
Front view: ``trunk`` leans sideways, ``twist`` turns the chest, ``neck`` turns the head,
shoulders and hips open the limbs away from the body, ``left_`` and ``right_`` are the
figure's own sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

View = Literal["side", "front", "above"]
Surface = Literal["floor", "chair"]

HEIGHT = 170.0
SEGMENT = {  # lengths as fractions of body height (Drillis and Contini)
    "trunk": 0.288,
    "neck": 0.118,
    "thigh": 0.245,
    "shank": 0.246,
    "ankle_height": 0.039,
    "foot": 0.152,
    "upper_arm": 0.186,
    "forearm": 0.146,
    "hand": 0.07,
    "shoulder_width": 0.22,
    "hip_width": 0.11,
}
RADIUS = {  # half the drawn thickness of each part, in cm
    "head": 11.0,
    "neck": 4.0,
    "trunk": 12.5,
    "thigh": 7.5,
    "shank": 5.5,
    "foot": 3.0,
    "upper_arm": 4.5,
    "forearm": 3.7,
    "hand": 3.0,
}
MAT_THICKNESS = 1.2
CHAIR_SEAT_HEIGHT = 46.0
CHAIR_DEPTH = 42.0
CONTACT_TOLERANCE = 1.0  # cm a contact may miss its surface by
FLOOR_TOLERANCE = 0.5  # cm a body part may sink into the floor (line widths hide it)


def length(name: str) -> float:
    return SEGMENT[name] * HEIGHT


# Human ranges of motion, in degrees, for the joints each view knows.
SIDE_RANGES = {
    "trunk": (-180.0, 180.0),
    "neck": (-60.0, 80.0),
    "hip": (-30.0, 140.0),
    "knee": (0.0, 155.0),
    "ankle": (-30.0, 55.0),
    "shoulder": (-60.0, 185.0),
    "elbow": (0.0, 150.0),
}
FRONT_RANGES = {
    "trunk": (-40.0, 40.0),
    "twist": (-80.0, 80.0),
    "neck": (-80.0, 80.0),
    "shoulder": (-10.0, 185.0),
    "elbow": (0.0, 150.0),
    "hip": (-20.0, 50.0),
}
SIDES = {"side": ("near", "far"), "above": ("near", "far"), "front": ("left", "right")}
LIMB_JOINTS = {"hip", "knee", "ankle", "shoulder", "elbow"}

# What a contact may name, per view: the body point and the part whose thickness touches.
CONTACTS = {
    "head": ("head", "head"),
    "shoulders": ("shoulders", "trunk"),
    "pelvis": ("pelvis", "trunk"),
    "{side}_knee": ("{side}_knee", "{side}_shank"),
    "{side}_foot": ("{side}_ankle", "{side}_foot"),  # a flat foot: the ankle over the sole
    "{side}_heel": ("{side}_heel", "{side}_foot"),
    "{side}_toe": ("{side}_toe", "{side}_foot"),
    "{side}_hand": ("{side}_hand", "{side}_hand"),
    "{side}_elbow": ("{side}_elbow", "{side}_forearm"),
}


class PoseError(ValueError):
    """A pose that no body can take; ``location`` is where in the description it comes from."""

    def __init__(self, location: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


Point = tuple[float, float]


def direction(degrees: float) -> Point:
    """Unit vector at ``degrees`` from straight up, clockwise (toward +x)."""
    radians = math.radians(degrees)
    return math.sin(radians), math.cos(radians)


def add(point: Point, vector: Point, scale: float = 1.0) -> Point:
    return point[0] + vector[0] * scale, point[1] + vector[1] * scale


@dataclass(frozen=True)
class Segment:
    """A drawn part of the body: a rounded bar from ``start`` to ``end``."""

    name: str  # e.g. "near_thigh", "trunk", "head"
    start: Point
    end: Point
    radius: float

    @property
    def length(self) -> float:
        return math.dist(self.start, self.end)

    @property
    def bottom(self) -> float:
        return min(self.start[1], self.end[1]) - self.radius


@dataclass(frozen=True)
class Body:
    """A body in one keyframe: its segments and the named points a figure can refer to."""

    segments: tuple[Segment, ...]
    points: dict[str, Point] = field(default_factory=dict)

    def moved(self, dx: float, dy: float, turn: float = 0.0) -> Body:
        """The body turned by ``turn`` degrees (clockwise) about the origin, then moved."""

        def move(point: Point) -> Point:
            cos, sin = math.cos(math.radians(turn)), math.sin(math.radians(turn))
            x, y = point
            return x * cos + y * sin + dx, -x * sin + y * cos + dy

        return Body(
            tuple(replace(s, start=move(s.start), end=move(s.end)) for s in self.segments),
            {name: move(point) for name, point in self.points.items()},
        )

    def segment(self, name: str) -> Segment:
        return next(s for s in self.segments if s.name == name)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for s in self.segments for x in (s.start[0] - s.radius, s.end[0] + s.radius)]
        xs += [x for s in self.segments for x in (s.start[0] + s.radius, s.end[0] - s.radius)]
        ys = [y for s in self.segments for y in (s.start[1] - s.radius, s.end[1] + s.radius)]
        ys += [y for s in self.segments for y in (s.start[1] + s.radius, s.end[1] - s.radius)]
        return min(xs), min(ys), max(xs), max(ys)


# --- keyframes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Keyframe:
    name: str
    angles: dict[str, float]
    contacts: dict[str, Surface]


def joint_names(view: View) -> set[str]:
    ranges = FRONT_RANGES if view == "front" else SIDE_RANGES
    names = {name for name in ranges if name not in LIMB_JOINTS}
    for joint in LIMB_JOINTS & set(ranges):
        names.add(joint)  # shorthand for both sides
        names.update(f"{side}_{joint}" for side in SIDES[view])
    return names


def contact_names(view: View) -> dict[str, tuple[str, str]]:
    """Each contact a view knows, with its body point and touching part."""
    names = {}
    for pattern, (point, part) in CONTACTS.items():
        for side in SIDES[view]:
            names[pattern.format(side=side)] = (point.format(side=side), part.format(side=side))
    return names


def check_angles(view: View, angles: dict[str, float], where: tuple[str | int, ...]) -> None:
    """Raise PoseError for an unknown joint or an angle outside the human range."""
    ranges = FRONT_RANGES if view == "front" else SIDE_RANGES
    known = joint_names(view)
    for name, value in angles.items():
        if name not in known:
            raise PoseError(
                (*where, name),
                f"no joint '{name}' in a {view} view (joints: {', '.join(sorted(known))})",
            )
        low, high = ranges[name.split("_", 1)[-1] if name not in ranges else name]
        if not low <= value <= high:
            raise PoseError(
                (*where, name),
                f"{name} at {value:g}° is outside the human range {low:g}° to {high:g}°",
            )


def angle(angles: dict[str, float], joint: str, side: str | None = None) -> float:
    """A joint's angle: the side's own value, else the shorthand for both sides, else 0."""
    if side is not None and f"{side}_{joint}" in angles:
        return angles[f"{side}_{joint}"]
    return angles.get(joint, 0.0)


def build_body(view: View, angles: dict[str, float]) -> Body:
    """The body with its pelvis at the origin, before placement."""
    if view == "front":
        return _front_body(angles)
    return _side_body(angles)


def _side_body(angles: dict[str, float]) -> Body:
    pelvis: Point = (0.0, 0.0)
    trunk = angle(angles, "trunk")
    shoulders = add(pelvis, direction(trunk), length("trunk"))
    head = add(shoulders, direction(trunk + angle(angles, "neck")), length("neck"))
    segments = [
        Segment(
            "trunk",
            add(pelvis, direction(trunk), 5),
            add(shoulders, direction(trunk), -4),
            RADIUS["trunk"],
        ),
        Segment(
            "neck",
            shoulders,
            add(head, direction(trunk + angle(angles, "neck")), -RADIUS["head"] * 0.6),
            RADIUS["neck"],
        ),
        Segment("head", head, head, RADIUS["head"]),
    ]
    points = {"pelvis": pelvis, "shoulders": shoulders, "head": head}
    for side in ("near", "far"):
        leg, leg_points = _side_leg(side, pelvis, trunk, angles)
        arm, arm_points = _side_arm(side, shoulders, trunk, angles)
        segments += leg + arm
        points |= leg_points | arm_points
    return Body(tuple(segments), points)


def _side_leg(
    side: str, hip: Point, trunk: float, angles: dict[str, float]
) -> tuple[list[Segment], dict[str, Point]]:
    thigh_angle = trunk + 180 - angle(angles, "hip", side)
    knee = add(hip, direction(thigh_angle), length("thigh"))
    shank_angle = thigh_angle + angle(angles, "knee", side)
    ankle = add(knee, direction(shank_angle), length("shank"))
    foot_angle = shank_angle - 90 + angle(angles, "ankle", side)
    heel, toe = foot(ankle, foot_angle)
    segments = [
        Segment(f"{side}_thigh", hip, knee, RADIUS["thigh"]),
        Segment(f"{side}_shank", knee, ankle, RADIUS["shank"]),
        Segment(f"{side}_foot", heel, toe, RADIUS["foot"]),
    ]
    points = {
        f"{side}_knee": knee,
        f"{side}_ankle": ankle,
        f"{side}_heel": heel,
        f"{side}_toe": toe,
    }
    return segments, points


def foot(ankle: Point, foot_angle: float) -> tuple[Point, Point]:
    """Heel and toe: the sole lies an ankle height below the ankle, the heel a little behind it."""
    sole = add(ankle, direction(foot_angle + 90), length("ankle_height") - RADIUS["foot"])
    heel = add(sole, direction(foot_angle), -0.2 * length("foot"))
    return heel, add(heel, direction(foot_angle), length("foot") - RADIUS["foot"])


def _side_arm(
    side: str, shoulder: Point, trunk: float, angles: dict[str, float]
) -> tuple[list[Segment], dict[str, Point]]:
    upper_angle = trunk + 180 - angle(angles, "shoulder", side)
    elbow = add(shoulder, direction(upper_angle), length("upper_arm"))
    fore_angle = upper_angle - angle(angles, "elbow", side)
    wrist = add(elbow, direction(fore_angle), length("forearm"))
    hand = add(wrist, direction(fore_angle), length("hand"))
    segments = [
        Segment(f"{side}_upper_arm", shoulder, elbow, RADIUS["upper_arm"]),
        Segment(f"{side}_forearm", elbow, wrist, RADIUS["forearm"]),
        Segment(f"{side}_hand", wrist, hand, RADIUS["hand"]),
    ]
    return segments, {f"{side}_elbow": elbow, f"{side}_wrist": wrist, f"{side}_hand": hand}


def _front_body(angles: dict[str, float]) -> Body:
    """Seen from the front; a twist narrows the shoulders and turns the arms away."""
    pelvis: Point = (0.0, 0.0)
    lean = angle(angles, "trunk")
    twist = math.radians(angle(angles, "twist"))
    shoulders = add(pelvis, direction(lean), length("trunk"))
    head = add(shoulders, direction(lean), length("neck"))
    segments = [
        Segment(
            "trunk",
            add(pelvis, direction(lean), 5),
            add(shoulders, direction(lean), -6),
            RADIUS["trunk"] * 1.25,
        ),
        Segment(
            "neck",
            shoulders,
            add(head, direction(lean), -RADIUS["head"] * 0.6),
            RADIUS["neck"] * 1.2,
        ),
        Segment("head", head, head, RADIUS["head"] * 0.95),
    ]
    points = {"pelvis": pelvis, "shoulders": shoulders, "head": head}
    # The nose turns with the head; the figure's left is the viewer's right.
    turn = math.radians(angle(angles, "twist") + angle(angles, "neck"))
    points["nose"] = add(head, direction(lean + 90), 0.8 * RADIUS["head"] * math.sin(turn))
    for side, outward in (("left", 1.0), ("right", -1.0)):
        hip = add(pelvis, direction(lean + 90), outward * length("hip_width") / 2)
        hip_angle = lean + 180 - outward * angle(angles, "hip", side)
        knee = add(hip, direction(hip_angle), length("thigh"))
        ankle = add(knee, direction(hip_angle), length("shank"))
        toe = add(ankle, direction(lean + 90), outward * 4)
        heel = add(ankle, direction(lean + 90), -outward * 4)
        foot_down = add(heel, (0, -1), length("ankle_height") - RADIUS["foot"])
        toe_down = add(toe, (0, -1), length("ankle_height") - RADIUS["foot"])
        shoulder = add(
            shoulders,
            direction(lean + 90),
            outward * math.cos(twist) * length("shoulder_width") / 2,
        )
        arm_angle = lean + 180 - outward * angle(angles, "shoulder", side)
        fore_angle = arm_angle + outward * angle(angles, "elbow", side)
        squeeze = abs(math.cos(twist))  # a turned arm is seen shortened
        elbow = _foreshortened(shoulder, arm_angle, length("upper_arm"), squeeze)
        wrist = _foreshortened(elbow, fore_angle, length("forearm"), squeeze)
        hand = _foreshortened(wrist, fore_angle, length("hand"), squeeze)
        segments += [
            Segment(f"{side}_thigh", hip, knee, RADIUS["thigh"] * 1.1),
            Segment(f"{side}_shank", knee, ankle, RADIUS["shank"] * 1.1),
            Segment(f"{side}_foot", foot_down, toe_down, RADIUS["foot"] * 1.3),
            Segment(f"{side}_upper_arm", shoulder, elbow, RADIUS["upper_arm"]),
            Segment(f"{side}_forearm", elbow, wrist, RADIUS["forearm"]),
            Segment(f"{side}_hand", wrist, hand, RADIUS["hand"]),
        ]
        points |= {
            f"{side}_knee": knee,
            f"{side}_ankle": ankle,
            f"{side}_heel": foot_down,
            f"{side}_toe": toe_down,
            f"{side}_elbow": elbow,
            f"{side}_wrist": wrist,
            f"{side}_hand": hand,
            f"{side}_shoulder": shoulder,
        }
    return Body(tuple(segments), points)


def _foreshortened(start: Point, degrees: float, size: float, squeeze: float) -> Point:
    dx, dy = direction(degrees)
    return start[0] + dx * size * squeeze, start[1] + dy * size
