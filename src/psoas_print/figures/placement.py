"""Placing a body: turned and moved until the body surfaces a keyframe names rest on their
surfaces (the floor, the mat, a chair), and checked that no part goes through the floor.

When a keyframe cannot be placed, the error says which joint to change and to what angle
(found by trying each joint that moves the parts in question, nearest angle first).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from psoas_print.book.model import AngleFix
from psoas_print.figures.body import (
    CHAIR_SEAT_HEIGHT,
    CONTACT_TOLERANCE,
    FLOOR_TOLERANCE,
    SIDES,
    Body,
    Keyframe,
    Point,
    PoseError,
    Surface,
    View,
    angle,
    angle_fix,
    build_body,
    contact_names,
    foot,
    front_stance,
    joint_names,
    joint_range,
    length,
)

Circle = tuple[Point, float]
DOWN: Point = (0.0, -1.0)


@dataclass(frozen=True)
class Surfaces:
    """Heights of the surfaces a body can rest on."""

    floor: float = 0.0
    chair: float = CHAIR_SEAT_HEIGHT

    def height(self, surface: Surface) -> float:
        return self.chair if surface == "chair" else self.floor


def contact_circles(body: Body, view: View, contact: str) -> list[Circle]:
    """The round ends of the parts that touch for ``contact``: the part is their hull."""
    kind, part = contact_names(view)[contact]
    if kind == "sole":  # a flat foot stands an ankle height under its ankle
        return [(body.points[f"{part}_ankle"], length("ankle_height"))]
    segment = body.segment(part)
    start, end = segment.circles
    return {"segment": [start, end], "start": [start], "end": [end]}[kind]


def touching(body: Body, view: View, contact: str, toward: Point = DOWN) -> Point:
    """The point of the contact's surface that reaches farthest along ``toward`` (a unit
    vector): its lowest point, unless it leans on a wall."""
    centre, radius = max(
        contact_circles(body, view, contact),
        key=lambda circle: circle[0][0] * toward[0] + circle[0][1] * toward[1] + circle[1],
    )
    return centre[0] + toward[0] * radius, centre[1] + toward[1] * radius


def place(view: View, keyframe: Keyframe, surfaces: Surfaces, where: tuple[str | int, ...]) -> Body:
    """Turn and move the body so every contact rests on its surface, or raise PoseError
    naming a joint and an angle that would let it rest.

    With two or more contacts the body is turned so that the two farthest apart both
    touch; a flat foot keeps the sole on its surface. Seen from the front, two feet on the
    floor stay where they stand and the legs reach them. Any other contact that misses,
    or any part below the floor, is an error.
    """
    problem = try_place(view, keyframe.angles, keyframe.contacts, surfaces)
    if isinstance(problem, Body):
        return problem
    parts, message = problem
    fix, angle_fixed = suggest(
        view,
        keyframe.angles,
        lambda angles: isinstance(try_place(view, angles, keyframe.contacts, surfaces), Body),
        with_shorthands(moving(view, [*parts, *keyframe.contacts]), keyframe.angles),
        where,
    )
    location = (*where, "contacts" if "rest" in message else "angles")
    raise PoseError(location, f"{message}; {fix}", angle_fixed)


Problem = tuple[list[str], str]  # the parts that are wrong, and what is wrong with them


def try_place(
    view: View, angles: dict[str, float], contacts: dict[str, Surface], surfaces: Surfaces
) -> Body | Problem:
    """The placed body, or what keeps it from resting as asked (without a suggestion)."""
    try:
        body = build_body(view, angles, _planted(view, angles, contacts))
    except PoseError as error:  # feet farther apart than the legs reach
        return [f"{side}_foot" for side in SIDES["front"]], error.message
    if not contacts or view == "above":
        return body
    body = _orient(body, view, contacts, surfaces)
    body = _flatten_feet(body, view, contacts)
    return (
        _contact_problem(body, view, contacts, surfaces) or _floor_problem(body, surfaces) or body
    )


def _planted(view: View, angles: dict[str, float], contacts: dict[str, Surface]) -> Point | None:
    """Seen from the front, where two feet standing on the floor are."""
    feet = {f"{side}_foot" for side in SIDES["front"]}
    if view == "front" and feet <= {name for name, s in contacts.items() if s == "floor"}:
        return front_stance(angles)
    return None


def _orient(body: Body, view: View, contacts: dict[str, Surface], surfaces: Surfaces) -> Body:
    """Turn the body until its two contacts farthest apart rest at their heights (the
    lowest point of a rounded part moves as it turns: a few rounds settle it), then lift it
    onto the first contact's surface."""
    names = list(contacts)
    if len(names) >= 2 and _planted(view, {}, contacts) is None:
        for _ in range(6):
            points = {name: touching(body, view, name) for name in names}
            first, second = max(
                ((a, b) for a in names for b in names if a != b),
                key=lambda pair: abs(points[pair[0]][0] - points[pair[1]][0]),
            )
            turn = _turn_to_rest(
                points[first], surfaces.height(contacts[first]),
                points[second], surfaces.height(contacts[second]),
            )  # fmt: skip
            body = body.moved(0, 0, turn)
            if abs(turn) < 0.01:
                break
    lowest = touching(body, view, names[0])
    return body.moved(0, surfaces.height(contacts[names[0]]) - lowest[1])


def _turn_to_rest(first: Point, first_height: float, second: Point, second_height: float) -> float:
    """The smallest clockwise turn after which both points stand at their heights."""
    wanted = second_height - first_height
    dx, dy = second[0] - first[0], second[1] - first[1]
    reach = math.hypot(dx, dy)
    if reach < abs(wanted) or reach == 0:
        return 0.0  # cannot be levelled; the contact check reports it
    # After turning by t clockwise, the vertical difference is -dx*sin(t) + dy*cos(t),
    # which is reach * sin(t + base).
    base = math.atan2(dy, -dx)
    solutions = [math.asin(wanted / reach) - base, math.pi - math.asin(wanted / reach) - base]
    best = min(solutions, key=lambda t: abs(math.remainder(t, 2 * math.pi)))
    return math.degrees(math.remainder(best, 2 * math.pi))


def _flatten_feet(body: Body, view: View, contacts: dict[str, Surface]) -> Body:
    """A foot standing on its sole lies flat: rebuild it level under its ankle."""
    if view == "front":
        return body
    segments = list(body.segments)
    points = dict(body.points)
    for contact in contacts:
        if contact.endswith("_foot"):
            side = contact.removesuffix("_foot")
            ankle = body.points[f"{side}_ankle"]
            old = body.segment(f"{side}_foot")
            forward = 90.0 if old.end[0] >= old.start[0] else 270.0
            heel, toe = foot(ankle, forward)
            index = segments.index(old)
            segments[index] = replace(old, start=heel, end=toe)
            points |= {f"{side}_heel": heel, f"{side}_toe": toe}
    return Body(tuple(segments), points)


def _contact_problem(
    body: Body, view: View, contacts: dict[str, Surface], surfaces: Surfaces
) -> Problem | None:
    for name, surface in contacts.items():
        gap = touching(body, view, name)[1] - surfaces.height(surface)
        if abs(gap) > CONTACT_TOLERANCE:
            state = "above" if gap > 0 else "below"
            return [name], (
                f"{name} cannot rest on the {surface} with these angles: "
                f"it is {abs(gap):.0f} cm {state} it"
            )
    return None


def _floor_problem(body: Body, surfaces: Surfaces) -> Problem | None:
    lowest = min(body.segments, key=lambda s: s.bottom)
    depth = surfaces.floor - lowest.bottom
    if depth > FLOOR_TOLERANCE:
        part = lowest.name.replace("_", " ")
        return [lowest.name], f"the {part} goes {depth:.0f} cm into the floor"
    return None


# --- what to change ------------------------------------------------------------------------

# The joints that move each part of the body, nearest the part first (the spine moves all).
_MOVED_BY = {
    "thigh": ["hip", "hip_flexion"], "knee": ["hip", "hip_flexion"],
    "shank": ["knee", "hip", "hip_flexion"], "shin": ["knee", "hip", "hip_flexion"],
    "foot": ["ankle", "knee", "hip", "hip_flexion"],
    "heel": ["ankle", "knee", "hip", "hip_flexion"],
    "toe": ["ankle", "knee", "hip", "hip_flexion"],
    "instep": ["ankle", "knee", "hip", "hip_flexion"],
    "upper_arm": ["shoulder"], "elbow": ["shoulder"], "forearm": ["elbow", "shoulder"],
    "hand": ["wrist", "elbow", "shoulder"], "head": ["neck"], "neck": ["neck"],
}  # fmt: skip
_SPINE_JOINTS = ["pelvis", "lumbar", "thoracic", "trunk"]


def moving(view: View, parts: Iterable[str]) -> list[str]:
    """The joints whose angles move ``parts`` (contacts or segments), nearest first."""
    known = joint_names(view)
    joints: list[str] = []
    for part in parts:
        side, _, rest = part.partition("_")
        if side not in SIDES[view]:
            side, rest = "", part
        for joint in _MOVED_BY.get(rest, []):
            joints.append(f"{side}_{joint}" if side and joint != "neck" else joint)
    joints += [joint for joint in _SPINE_JOINTS if joint in known]
    return [joint for joint in dict.fromkeys(joints) if joint in known]


def with_shorthands(joints: list[str], angles: dict[str, float]) -> list[str]:
    """``joints``, and after them the both-sides shorthands (``knee``) that ``angles``
    uses for any of them: one change that moves both legs may be the one that works."""
    shorthands = [
        joint.split("_", 1)[1]
        for joint in joints
        if joint.split("_", 1)[0] in ("near", "far", "left", "right")
        and joint.split("_", 1)[1] in angles
    ]
    return list(dict.fromkeys([*joints, *shorthands]))


STEP = 1  # degrees between the angles tried, nearest first


def suggest(
    view: View,
    angles: dict[str, float],
    works: Callable[[dict[str, float]], bool],
    joints: list[str],
    where: tuple[str | int, ...],
) -> tuple[str, AngleFix | None]:
    """ "JOINT OLD -> NEW lets it rest", and that fix of the keyframe at ``where``; else
    advice to change the contacts."""
    found = nearest_fix(view, angles, works, joints)
    if found is None:
        return "no one joint's angle lets it rest: change the contacts or several angles", None
    joint, now, value = found
    text = f"{joint} {_shown(now)} -> {value} lets it rest (or change the contacts)"
    return text, angle_fix(where, joint, value)


def nearest_fix(
    view: View,
    angles: dict[str, float],
    works: Callable[[dict[str, float]], bool],
    joints: list[str],
) -> tuple[str, float, int] | None:
    """(joint, its angle now, the new angle): the smallest change of one joint, to a whole
    degree, that makes ``works`` true; None when no one joint's change does."""
    best: tuple[float, str, float, int] | None = None
    for joint in joints:
        side = joint.split("_", 1)[0] if "_" in joint else None
        bare = joint.split("_", 1)[1] if side in ("near", "far", "left", "right") else joint
        now = angle(angles, bare, side if bare != joint else None)
        limit = best[0] if best is not None else 360.0
        found = _nearest_working(now, joint_range(view, joint), limit, joint, angles, works)
        if found is not None and (best is None or abs(found - now) < best[0]):
            best = (abs(found - now), joint, now, found)
    return best[1:] if best is not None else None


def _shown(value: float) -> str:
    return f"{round(value, 1):g}"


def _nearest_working(
    now: float,
    bounds: tuple[float, float],
    limit: float,
    joint: str,
    angles: dict[str, float],
    works: Callable[[dict[str, float]], bool],
) -> int | None:
    """The whole degree nearest ``now``, within the joint's range and ``limit`` of it, at
    which ``works`` holds (a contact may rest within a degree's window only)."""
    low, high = math.ceil(bounds[0]), math.floor(bounds[1])
    start = round(now)
    for distance in range(0, int(limit) + STEP + 1, STEP):
        for value in (start - distance, start + distance):
            if low <= value <= high and value != now and works({**angles, joint: value}):
                return value
    return None
