"""The body model behind the generated figures: joint angles to a body of segments.

A keyframe gives joint angles and which body surfaces touch a surface. One body model with
human proportions turns the angles into segments (here); the placement (placement.py) then
turns and moves the whole body until the contacts rest on the floor, the mat, the chair or
the wall. Nobody writes coordinates. Units are centimetres, y points up, the floor is y = 0.

Side view: the figure faces +x. ``trunk`` is the lean of the whole trunk from upright, the
line from the hip joints to the shoulders (forward positive, -90 lies on the back, 90 lies
face down or kneels on all fours). The spine bends in three pieces along that line:
``pelvis`` tilts the pelvis (anterior tilt positive, posterior negative), ``lumbar`` and
``thoracic`` bend the lower and the upper back (flexion, rounding, positive; extension,
arching, negative); the line from hips to shoulders keeps the ``trunk`` angle, so a
curled or arched back keeps its place. Hips flex forward from the line of the pelvis and
shoulders from the line of the chest; knees bend the shin back, elbows bend the forearm
forward, wrists bend the hand back (90 lays a palm flat under a vertical forearm), ankles
point the toes (plantar flexion positive). ``near_`` and ``far_`` name the
limbs nearer and farther from the viewer.
Above view: the same body seen from the ceiling, lying on its side on a mat.
Front view: ``trunk`` leans the back sideways above the pelvis (toward the figure's left
positive), ``lumbar`` and ``thoracic`` bend it further sideways, ``twist`` turns the chest,
``neck`` turns the head (unless the feet stand planted, ``trunk`` leans the whole body,
as lying on one side does), ``pelvis`` shifts the hips sideways (the angle the legs lean, the
feet staying where they stand), shoulders and hips open the limbs away from the body,
``hip_flexion`` and ``knee`` bend the leg toward the viewer (seen shortened: a seated
thigh points at the viewer), ``left_`` and ``right_`` are the figure's own sides. Past 40°
of ``trunk`` the body lies on its side (a side plank seen from the front).

Segments taper (a thigh is thicker at the hip than at the knee, where it meets the shin),
so a kneeling figure rests on its knee and shin without the thigh sinking into the floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

from psoas_print.book.model import AngleFix

View = Literal["side", "front", "above"]
Surface = Literal["floor", "chair"]

HEIGHT = 170.0
SEGMENT = {  # lengths as fractions of body height (Drillis and Contini)
    "trunk": 0.288,  # hip joints to shoulders, as pelvis + lumbar + thoracic below
    "pelvis": 0.065,  # hip joints to the lumbosacral joint
    "lumbar": 0.100,
    "thoracic": 0.123,
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
# Half the drawn thickness of each part, in cm, where it starts and where it ends.
RADIUS = {
    "head": (11.0, 11.0),
    "neck": (4.0, 4.0),
    "pelvis": (12.5, 11.5),
    "lumbar": (11.5, 11.0),
    "thoracic": (11.5, 12.5),
    "thigh": (7.5, 5.5),
    "shank": (5.5, 4.0),
    "foot": (3.0, 3.0),
    "upper_arm": (4.5, 3.7),
    "forearm": (3.7, 3.0),
    "hand": (3.0, 3.0),
}
FRONT_WIDTH = {"pelvis": 1.2, "lumbar": 1.15, "thoracic": 1.25, "neck": 1.2, "head": 0.95}
FRONT_LIMB_WIDTH = {"thigh": 1.1, "shank": 1.1, "foot": 1.3}
MAT_THICKNESS = 1.2
CHAIR_SEAT_HEIGHT = 46.0
CHAIR_DEPTH = 42.0
CONTACT_TOLERANCE = 1.0  # cm a contact may miss its surface by
FLOOR_TOLERANCE = 0.5  # cm a body part may sink into the floor or a prop (line widths hide it)


def length(name: str) -> float:
    return SEGMENT[name] * HEIGHT


# Human ranges of motion, in degrees, for the joints each view knows (the spine's after
# Kapandji; the ankle's up to the plantar flexion of kneeling on the tops of the feet).
SIDE_RANGES = {
    "trunk": (-180.0, 180.0),
    "pelvis": (-20.0, 25.0),
    "lumbar": (-30.0, 50.0),
    "thoracic": (-25.0, 40.0),
    "neck": (-60.0, 80.0),
    "hip": (-30.0, 140.0),
    "knee": (0.0, 160.0),
    "ankle": (-30.0, 80.0),
    "shoulder": (-60.0, 185.0),
    "elbow": (0.0, 150.0),
    "wrist": (-70.0, 90.0),
}
FRONT_RANGES = {
    "trunk": (-95.0, 95.0),  # past 40 the body lies on its side: a side plank, a side-lying leg
    "pelvis": (-15.0, 15.0),
    "lumbar": (-30.0, 30.0),
    "thoracic": (-25.0, 25.0),
    "twist": (-80.0, 80.0),
    "neck": (-80.0, 80.0),
    "shoulder": (-10.0, 185.0),
    "elbow": (0.0, 150.0),
    "hip": (-20.0, 50.0),
    "hip_flexion": (-20.0, 130.0),  # the thigh toward the viewer, seen shortened
    "knee": (0.0, 160.0),  # the shin back from the line of the thigh, seen shortened
}
SIDES = {"side": ("near", "far"), "above": ("near", "far"), "front": ("left", "right")}
LIMB_JOINTS = {"hip", "hip_flexion", "knee", "ankle", "shoulder", "elbow", "wrist"}
SPINE = ("pelvis", "lumbar", "thoracic")

# What a contact may name: the body surface that rests on the floor, a prop or the wall,
# as the parts whose outline touches. ("segment", NAME) is the whole part, ("start", NAME)
# and ("end", NAME) its round ends; ("sole", SIDE) a flat foot's sole.
Part = tuple[Literal["segment", "start", "end", "sole"], str]
CONTACTS: dict[str, Part] = {
    "head": ("segment", "head"),  # the back (or side) of the head
    "shoulders": ("end", "thoracic"),  # the upper back
    "back": ("segment", "thoracic"),  # the ribcage, lying on the back or front
    "pelvis": ("segment", "pelvis"),
    "sacrum": ("segment", "pelvis"),  # the back of the pelvis, lying on the back
    "sit_bones": ("segment", "pelvis"),  # the bottom of the pelvis, seated
    "{side}_knee": ("start", "{side}_shank"),
    "{side}_shin": ("segment", "{side}_shank"),  # kneeling: the shin along the floor
    "{side}_foot": ("sole", "{side}"),  # a flat foot, standing on its sole
    "{side}_heel": ("start", "{side}_foot"),
    "{side}_toe": ("end", "{side}_foot"),
    "{side}_instep": ("segment", "{side}_foot"),  # the top of the foot, toes pointed
    "{side}_hand": ("segment", "{side}_hand"),
    "{side}_elbow": ("start", "{side}_forearm"),
    "{side}_forearm": ("segment", "{side}_forearm"),
}
FRONT_CONTACTS = {"head", "shoulders", "pelvis", "sit_bones", "{side}_knee", "{side}_foot",
                  "{side}_hand", "{side}_elbow", "{side}_forearm"}  # fmt: skip


class PoseError(ValueError):
    """A pose that no body can take; ``location`` is where in the description it comes from,
    ``fix`` the nearest working angle when one joint's change would do."""

    def __init__(
        self, location: tuple[str | int, ...], message: str, fix: AngleFix | None = None
    ) -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.fix = fix


def keyframe_index(where: tuple[str | int, ...]) -> int | None:
    """The keyframe a location in a pose description lies in, if any."""
    if len(where) > 1 and where[0] == "keyframes" and isinstance(where[1], int):
        return where[1]
    return None


def angle_fix(where: tuple[str | int, ...], joint: str, value: float) -> AngleFix | None:
    """``joint`` at ``value`` as the fix of the keyframe at ``where``."""
    index = keyframe_index(where)
    return AngleFix(index, joint, value) if index is not None else None


Point = tuple[float, float]


def direction(degrees: float) -> Point:
    """Unit vector at ``degrees`` from straight up, clockwise (toward +x)."""
    radians = math.radians(degrees)
    return math.sin(radians), math.cos(radians)


def heading(vector: Point) -> float:
    """The angle ``direction`` would give ``vector``."""
    return math.degrees(math.atan2(vector[0], vector[1]))


def add(point: Point, vector: Point, scale: float = 1.0) -> Point:
    return point[0] + vector[0] * scale, point[1] + vector[1] * scale


@dataclass(frozen=True)
class Segment:
    """A drawn part of the body: a bar from ``start`` to ``end`` with round ends, as thick
    as ``radius`` at its start and ``end_radius`` at its end (tapering in between)."""

    name: str  # e.g. "near_thigh", "lumbar", "head"
    start: Point
    end: Point
    radius: float
    end_radius: float | None = None  # None: as at the start

    @property
    def tip_radius(self) -> float:
        return self.radius if self.end_radius is None else self.end_radius

    @property
    def length(self) -> float:
        return math.dist(self.start, self.end)

    @property
    def circles(self) -> tuple[tuple[Point, float], tuple[Point, float]]:
        """The two round ends; the part is their hull."""
        return (self.start, self.radius), (self.end, self.tip_radius)

    @property
    def bottom(self) -> float:
        return min(centre[1] - radius for centre, radius in self.circles)

    def extent(self, toward: Point) -> float:
        """How far the part reaches along the unit vector ``toward``."""
        return max(centre[0] * toward[0] + centre[1] * toward[1] + r for centre, r in self.circles)

    def radius_at(self, share: float) -> float:
        """The thickness a share of the way from start to end."""
        return self.radius + (self.tip_radius - self.radius) * share


@dataclass(frozen=True)
class Body:
    """A body in one keyframe: its segments and the named points a figure can refer to."""

    segments: tuple[Segment, ...]
    points: dict[str, Point] = field(default_factory=dict)

    def moved(self, dx: float, dy: float, turn: float = 0.0) -> Body:
        """The body turned by ``turn`` degrees (clockwise) about the origin, then moved."""
        cos, sin = math.cos(math.radians(turn)), math.sin(math.radians(turn))

        def move(point: Point) -> Point:
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
        circles = [circle for s in self.segments for circle in s.circles]
        return (
            min(c[0] - r for c, r in circles),
            min(c[1] - r for c, r in circles),
            max(c[0] + r for c, r in circles),
            max(c[1] + r for c, r in circles),
        )


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


def joint_range(view: View, name: str) -> tuple[float, float]:
    ranges = FRONT_RANGES if view == "front" else SIDE_RANGES
    return ranges[name if name in ranges else name.split("_", 1)[-1]]


def contact_names(view: View) -> dict[str, Part]:
    """Each contact a view knows, with the part of the body that touches."""
    names: dict[str, Part] = {}
    for pattern, (kind, part) in CONTACTS.items():
        if view == "front" and pattern not in FRONT_CONTACTS:
            continue
        for side in SIDES[view]:
            names[pattern.format(side=side)] = (kind, part.format(side=side))
    return names


def check_angles(view: View, angles: dict[str, float], where: tuple[str | int, ...]) -> None:
    """Raise PoseError for an unknown joint or an angle outside the human range."""
    known = joint_names(view)
    for name, value in angles.items():
        if name not in known:
            raise PoseError(
                (*where, name),
                f"no joint '{name}' in a {view} view (joints: {', '.join(sorted(known))})",
            )
        low, high = joint_range(view, name)
        if not low <= value <= high:
            raise PoseError(
                (*where, name),
                f"{name} at {value:g}° is outside the human range {low:g}° to {high:g}°",
                angle_fix(where, name, min(max(value, low), high)),
            )


def angle(angles: dict[str, float], joint: str, side: str | None = None) -> float:
    """A joint's angle: the side's own value, else the shorthand for both sides, else 0."""
    if side is not None and f"{side}_{joint}" in angles:
        return angles[f"{side}_{joint}"]
    return angles.get(joint, 0.0)


def build_body(view: View, angles: dict[str, float], planted: Point | None = None) -> Body:
    """The body with its hip joints' midpoint at the origin, before placement. In the front
    view, ``planted`` gives where the two feet stand (their ankles), and the legs reach them."""
    if view == "front":
        return _front_body(angles, planted)
    return _side_body(angles)


# --- the side view -------------------------------------------------------------------------


def spine_directions(angles: dict[str, float]) -> tuple[float, float, float]:
    """The directions of the pelvis, the lumbar and the thoracic spine: bent by their
    angles, and turned together so that the hips-to-shoulders line keeps ``trunk``."""
    bends = [angle(angles, "pelvis"), angle(angles, "lumbar"), angle(angles, "thoracic")]
    directions = [bends[0], bends[0] + bends[1], bends[0] + bends[1] + bends[2]]
    chord = (0.0, 0.0)
    for part, degrees in zip(SPINE, directions, strict=True):
        chord = add(chord, direction(degrees), length(part))
    turn = angle(angles, "trunk") - heading(chord)
    first, second, third = (degrees + turn for degrees in directions)
    return first, second, third


def _spine(
    directions: tuple[float, float, float], widths: dict[str, float] | None = None
) -> tuple[list[Segment], dict[str, Point]]:
    """The pelvis, lumbar and thoracic segments from the hip joints up, and their points."""
    widths = widths or {}
    pelvis: Point = (0.0, 0.0)
    joints = [pelvis]
    for part, degrees in zip(SPINE, directions, strict=True):
        joints.append(add(joints[-1], direction(degrees), length(part)))
    low_back, mid_back, shoulders = joints[1:]
    # The drawn trunk starts a little above the hip joints and ends below the shoulders.
    starts = [add(pelvis, direction(directions[0]), 5), low_back, mid_back]
    ends = [low_back, mid_back, add(shoulders, direction(directions[2]), -4)]
    segments = [
        Segment(part, start, end, *(r * widths.get(part, 1.0) for r in RADIUS[part]))
        for part, start, end in zip(SPINE, starts, ends, strict=True)
    ]
    back = direction(directions[0] - 90)  # the pelvis's back, away from the belly
    points = {
        "pelvis": pelvis,
        "low_back": low_back,
        "mid_back": mid_back,
        "shoulders": shoulders,
        "sacrum": add(add(pelvis, back, 9), direction(directions[0]), 6),
        "sit_bones": add(add(pelvis, back, 3), direction(directions[0]), -7),
    }
    return segments, points


def _side_body(angles: dict[str, float]) -> Body:
    pelvis_angle, _, chest_angle = directions = spine_directions(angles)
    segments, points = _spine(directions)
    shoulders = points["shoulders"]
    neck_angle = chest_angle + angle(angles, "neck")
    head = add(shoulders, direction(neck_angle), length("neck"))
    segments += [
        Segment("neck", shoulders, add(head, direction(neck_angle), -RADIUS["head"][0] * 0.6),
                *RADIUS["neck"]),
        Segment("head", head, head, *RADIUS["head"]),
    ]  # fmt: skip
    points["head"] = head
    for side in ("near", "far"):
        leg, leg_points = _side_leg(side, points["pelvis"], pelvis_angle, angles)
        arm, arm_points = _side_arm(side, shoulders, chest_angle, angles)
        segments += leg + arm
        points |= leg_points | arm_points
    return Body(tuple(segments), points)


def _side_leg(
    side: str, hip: Point, pelvis: float, angles: dict[str, float]
) -> tuple[list[Segment], dict[str, Point]]:
    thigh_angle = pelvis + 180 - angle(angles, "hip", side)
    knee = add(hip, direction(thigh_angle), length("thigh"))
    shank_angle = thigh_angle + angle(angles, "knee", side)
    ankle = add(knee, direction(shank_angle), length("shank"))
    foot_angle = shank_angle - 90 + angle(angles, "ankle", side)
    heel, toe = foot(ankle, foot_angle)
    return _leg(side, (hip, knee, ankle, heel, toe))


def _leg(
    side: str,
    joints: tuple[Point, Point, Point, Point, Point],
    widths: dict[str, float] | None = None,
) -> tuple[list[Segment], dict[str, Point]]:
    """A leg's thigh, shank and foot from its hip, knee, ankle, heel and toe, each as thick
    as the body model says (times ``widths`` seen from the front), and its named points."""
    hip, knee, ankle, heel, toe = joints
    widths = widths or {}
    parts = (("thigh", hip, knee), ("shank", knee, ankle), ("foot", heel, toe))
    segments = [
        Segment(f"{side}_{part}", start, end, *(r * widths.get(part, 1.0) for r in RADIUS[part]))
        for part, start, end in parts
    ]
    names = ("hip", "knee", "ankle", "heel", "toe")
    return segments, {f"{side}_{name}": point for name, point in zip(names, joints, strict=True)}


def foot(ankle: Point, foot_angle: float) -> tuple[Point, Point]:
    """Heel and toe: the sole lies an ankle height below the ankle, the heel a little behind it."""
    sole = add(ankle, direction(foot_angle + 90), length("ankle_height") - RADIUS["foot"][0])
    heel = add(sole, direction(foot_angle), -0.2 * length("foot"))
    return heel, add(heel, direction(foot_angle), length("foot") - RADIUS["foot"][0])


def _side_arm(
    side: str, shoulder: Point, chest: float, angles: dict[str, float]
) -> tuple[list[Segment], dict[str, Point]]:
    upper_angle = chest + 180 - angle(angles, "shoulder", side)
    elbow = add(shoulder, direction(upper_angle), length("upper_arm"))
    fore_angle = upper_angle - angle(angles, "elbow", side)
    wrist = add(elbow, direction(fore_angle), length("forearm"))
    hand = add(wrist, direction(fore_angle - angle(angles, "wrist", side)), length("hand"))
    segments = [
        Segment(f"{side}_upper_arm", shoulder, elbow, *RADIUS["upper_arm"]),
        Segment(f"{side}_forearm", elbow, wrist, *RADIUS["forearm"]),
        Segment(f"{side}_hand", wrist, hand, *RADIUS["hand"]),
    ]
    return segments, {f"{side}_elbow": elbow, f"{side}_wrist": wrist, f"{side}_hand": hand}


# --- the front view ------------------------------------------------------------------------


def front_stance(angles: dict[str, float]) -> Point:
    """Where the ankles stand, left and right of the hips' midpoint, hips level: a foot
    under its hip, as far out as the hip opens the leg."""
    half = length("hip_width") / 2
    left = half + seen_leg(angles, "left")[2] * math.sin(math.radians(angle(angles, "hip", "left")))
    right = -half - seen_leg(angles, "right")[2] * math.sin(
        math.radians(angle(angles, "hip", "right"))
    )
    return left, right


def seen_leg(angles: dict[str, float], side: str) -> tuple[float, float, float]:
    """How long the thigh, the shin and the whole leg look from the front: a leg bent
    toward the viewer is seen shortened (a shin bent up behind the knee, negative)."""
    flexion = math.radians(angle(angles, "hip_flexion", side))
    shin = math.radians(angle(angles, "hip_flexion", side) - angle(angles, "knee", side))
    thigh_seen = length("thigh") * math.cos(flexion)
    shin_seen = length("shank") * math.cos(shin)
    return thigh_seen, shin_seen, thigh_seen + shin_seen


def _front_body(angles: dict[str, float], planted: Point | None) -> Body:
    """Seen from the front; a twist narrows the shoulders and turns the arms away."""
    tilt, hips, ankles = _front_pelvis(angles, planted)
    # Feet planted, the trunk leans the back above the pelvis; else the whole body leans.
    lean = tilt + angle(angles, "trunk")
    if planted is None:
        tilt = lean
        hips = {side: _turned(point, lean) for side, point in hips.items()}
    lumbar = lean + angle(angles, "lumbar")
    segments, points = _spine((tilt, lumbar, lumbar + angle(angles, "thoracic")), FRONT_WIDTH)
    twist = math.radians(angle(angles, "twist"))
    shoulders, chest = points["shoulders"], lumbar + angle(angles, "thoracic")
    head = add(shoulders, direction(chest), length("neck"))
    segments += [
        Segment("neck", shoulders, add(head, direction(chest), -RADIUS["head"][0] * 0.6),
                *(r * FRONT_WIDTH["neck"] for r in RADIUS["neck"])),
        Segment("head", head, head, *(r * FRONT_WIDTH["head"] for r in RADIUS["head"])),
    ]  # fmt: skip
    points["head"] = head
    # The nose turns with the head; the figure's left is the viewer's right.
    turn = math.radians(angle(angles, "twist") + angle(angles, "neck"))
    points["nose"] = add(head, direction(chest + 90), 0.8 * RADIUS["head"][0] * math.sin(turn))
    for side, outward in (("left", 1.0), ("right", -1.0)):
        thigh_seen, _, leg_seen = seen_leg(angles, side)
        ankle = ankles.get(side) or add(
            hips[side], direction(tilt + 180 - outward * angle(angles, "hip", side)), leg_seen
        )
        leg, leg_points = _front_leg(side, outward, hips[side], ankle, thigh_seen / leg_seen
                                     if leg_seen else 0.5)  # fmt: skip
        arm, arm_points = _front_arm(side, outward, shoulders, chest, twist, angles)
        segments += leg + arm
        points |= leg_points | arm_points
    return Body(tuple(segments), points)


def _front_pelvis(
    angles: dict[str, float], planted: Point | None
) -> tuple[float, dict[str, Point], dict[str, Point]]:
    """The pelvis's sideways tilt, the hip joints and, with planted feet, the ankles, all
    from the hips' midpoint. Feet planted (the ankles' x, at height 0): the hips move over
    by the ``pelvis`` shift and tilt as two straight legs of equal length reach the
    ankles; else the pelvis is level and the legs hang from it."""
    half = length("hip_width") / 2
    if planted is None:
        return 0.0, {"left": (half, 0.0), "right": (-half, 0.0)}, {}
    legs = (seen_leg(angles, "left")[2], seen_leg(angles, "right")[2])
    centre = sum(legs) / 2 * math.sin(math.radians(angle(angles, "pelvis")))
    tilt = _level_hips(centre, planted, half, legs)
    across = direction(tilt + 90)
    left_x = centre + half * across[0]
    left = (left_x, _hip_height(left_x, planted[0], legs[0]))
    right = (left[0] - 2 * half * across[0], left[1] - 2 * half * across[1])
    middle = ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2)

    def local(point: Point) -> Point:
        return point[0] - middle[0], point[1] - middle[1]

    hips = {"left": local(left), "right": local(right)}
    ankles = {"left": local((planted[0], 0.0)), "right": local((planted[1], 0.0))}
    return tilt, hips, ankles


def _turned(point: Point, degrees: float) -> Point:
    """``point`` turned clockwise about the origin."""
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return point[0] * cos + point[1] * sin, -point[0] * sin + point[1] * cos


def _hip_height(hip_x: float, ankle_x: float, leg: float) -> float:
    """How high above its ankle a hip stands on a straight leg reaching across to ``hip_x``."""
    across = hip_x - ankle_x
    if abs(across) >= leg:
        raise PoseError((), "the feet stand farther apart than the legs reach")
    return math.sqrt(leg * leg - across * across)


def _level_hips(centre: float, planted: Point, half: float, legs: Point) -> float:
    """The pelvis tilt at which both hips stand on their legs (as long as each is seen,
    left and right), by bisection."""

    def mismatch(tilt: float) -> float:
        across = direction(tilt + 90)
        left = _hip_height(centre + half * across[0], planted[0], legs[0])
        right = _hip_height(centre - half * across[0], planted[1], legs[1])
        return left - right - 2 * half * across[1]

    low, high = -30.0, 30.0
    if (mismatch(low) > 0) == (mismatch(high) > 0):
        raise PoseError((), "the legs cannot both reach the floor where the feet stand")
    for _ in range(60):
        middle = (low + high) / 2
        if (mismatch(low) > 0) == (mismatch(middle) > 0):
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _front_leg(
    side: str, outward: float, hip: Point, ankle: Point, thigh_share: float
) -> tuple[list[Segment], dict[str, Point]]:
    """A leg from the hip to the ankle as the viewer sees it, the knee ``thigh_share`` of
    the way down, the foot turned out under it."""
    knee = (hip[0] + (ankle[0] - hip[0]) * thigh_share, hip[1] + (ankle[1] - hip[1]) * thigh_share)
    widths = FRONT_LIMB_WIDTH
    drop = length("ankle_height") - RADIUS["foot"][0] * widths["foot"]  # the sole, as at the side
    heel = (ankle[0] - outward * 4, ankle[1] - drop)
    toe = (ankle[0] + outward * 4, ankle[1] - drop)
    return _leg(side, (hip, knee, ankle, heel, toe), widths)


def _front_arm(
    side: str,
    outward: float,
    shoulders: Point,
    chest: float,
    twist: float,
    angles: dict[str, float],
) -> tuple[list[Segment], dict[str, Point]]:
    shoulder = add(
        shoulders, direction(chest + 90), outward * math.cos(twist) * length("shoulder_width") / 2
    )
    arm_angle = chest + 180 - outward * angle(angles, "shoulder", side)
    fore_angle = arm_angle + outward * angle(angles, "elbow", side)
    squeeze = abs(math.cos(twist))  # a turned arm is seen shortened
    elbow = _foreshortened(shoulder, arm_angle, length("upper_arm"), squeeze)
    wrist = _foreshortened(elbow, fore_angle, length("forearm"), squeeze)
    hand = _foreshortened(wrist, fore_angle, length("hand"), squeeze)
    segments = [
        Segment(f"{side}_upper_arm", shoulder, elbow, *RADIUS["upper_arm"]),
        Segment(f"{side}_forearm", elbow, wrist, *RADIUS["forearm"]),
        Segment(f"{side}_hand", wrist, hand, *RADIUS["hand"]),
    ]
    points = {
        f"{side}_elbow": elbow,
        f"{side}_wrist": wrist,
        f"{side}_hand": hand,
        f"{side}_shoulder": shoulder,
    }
    return segments, points


def _foreshortened(start: Point, degrees: float, size: float, squeeze: float) -> Point:
    dx, dy = direction(degrees)
    return start[0] + dx * size * squeeze, start[1] + dy * size
