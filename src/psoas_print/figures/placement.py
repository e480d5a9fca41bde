"""Placing a body: turned and moved until the parts a keyframe names rest on their
surfaces (the floor, the mat, a chair), and checked that no part goes through the floor."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from psoas_print.figures.body import (
    CHAIR_SEAT_HEIGHT,
    CONTACT_TOLERANCE,
    FLOOR_TOLERANCE,
    Body,
    Keyframe,
    Point,
    PoseError,
    Surface,
    View,
    build_body,
    contact_names,
    foot,
    length,
)


@dataclass(frozen=True)
class Surfaces:
    """Heights of the surfaces a body can rest on."""

    floor: float = 0.0
    chair: float = CHAIR_SEAT_HEIGHT

    def height(self, surface: Surface) -> float:
        return self.chair if surface == "chair" else self.floor


def support(body: Body, view: View, contact: str) -> tuple[Point, float]:
    """The point that rests on a surface for ``contact``, and how far above it it sits."""
    point, part = contact_names(view)[contact]
    if contact.endswith("_foot") and view != "front":
        return body.points[point], length("ankle_height")
    if contact.endswith("_foot"):
        point = point.replace("_ankle", "_heel")
    return body.points[point], body.segment(part).radius


def place(view: View, keyframe: Keyframe, surfaces: Surfaces, where: tuple[str | int, ...]) -> Body:
    """Turn and move the body so every contact rests on its surface, or raise PoseError.

    With two or more contacts the body is turned so that the two farthest apart both
    touch; a flat foot keeps the sole on its surface. With one contact only the height
    changes. Any other contact that misses, or any part below the floor, is an error.
    """
    body = build_body(view, keyframe.angles)
    if keyframe.contacts and view != "above":
        body = _orient(body, view, keyframe.contacts, surfaces)
        body = _flatten_feet(body, view, keyframe)
        _check_contacts(body, view, keyframe.contacts, surfaces, where)
        _check_floor(body, surfaces, where)
    return body


@dataclass(frozen=True)
class _Need:
    """A contact's supporting point and the height it has to be at."""

    point: Point
    height: float


def _needs(body: Body, view: View, contacts: dict[str, Surface], surfaces: Surfaces) -> list[_Need]:
    needs = []
    for name, surface in contacts.items():
        point, lift = support(body, view, name)
        needs.append(_Need(point, surfaces.height(surface) + lift))
    return needs


def _orient(body: Body, view: View, contacts: dict[str, Surface], surfaces: Surfaces) -> Body:
    needs = _needs(body, view, contacts, surfaces)
    if len(needs) >= 2:
        first, second = max(
            ((a, b) for a in needs for b in needs if a is not b),
            key=lambda pair: abs(pair[0].point[0] - pair[1].point[0]),
        )
        body = body.moved(0, 0, _turn_to_rest(first, second))
        needs = _needs(body, view, contacts, surfaces)
    return body.moved(0, needs[0].height - needs[0].point[1])


def _turn_to_rest(first: _Need, second: _Need) -> float:
    """The smallest clockwise turn after which both supports stand at their heights."""
    wanted = second.height - first.height
    dx, dy = second.point[0] - first.point[0], second.point[1] - first.point[1]
    reach = math.hypot(dx, dy)
    if reach < abs(wanted) or reach == 0:
        return 0.0  # cannot be levelled; the contact check reports it
    # After turning by t clockwise, the vertical difference is -dx*sin(t) + dy*cos(t),
    # which is reach * sin(t + base).
    base = math.atan2(dy, -dx)
    solutions = [math.asin(wanted / reach) - base, math.pi - math.asin(wanted / reach) - base]
    best = min(solutions, key=lambda t: abs(math.remainder(t, 2 * math.pi)))
    return math.degrees(math.remainder(best, 2 * math.pi))


def _flatten_feet(body: Body, view: View, keyframe: Keyframe) -> Body:
    """A foot named as a contact lies flat: rebuild it level under its ankle."""
    if view == "front":
        return body
    segments = list(body.segments)
    points = dict(body.points)
    for contact in keyframe.contacts:
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


def _check_contacts(
    body: Body,
    view: View,
    contacts: dict[str, Surface],
    surfaces: Surfaces,
    where: tuple[str | int, ...],
) -> None:
    for name, surface in contacts.items():
        point, lift = support(body, view, name)
        gap = point[1] - lift - surfaces.height(surface)
        if abs(gap) > CONTACT_TOLERANCE:
            state = "above" if gap > 0 else "below"
            raise PoseError(
                (*where, "contacts"),
                f"{name} cannot rest on the {surface} with these angles: it is {abs(gap):.0f} cm "
                f"{state} it; change the angles or the contacts",
            )


def _check_floor(body: Body, surfaces: Surfaces, where: tuple[str | int, ...]) -> None:
    lowest = min(body.segments, key=lambda s: s.bottom)
    depth = surfaces.floor - lowest.bottom
    if depth > FLOOR_TOLERANCE:
        part = lowest.name.replace("_", " ")
        raise PoseError(
            (*where, "angles"),
            f"the {part} goes {depth:.0f} cm into the floor; "
            "change the angles or name it as a contact",
        )
