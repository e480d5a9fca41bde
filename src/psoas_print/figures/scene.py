"""A figure's scene: its keyframes placed side by side in time, the props, the arrows.

Everything here is geometry in centimetres; drawing.py turns a scene into vector art.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from psoas_print.book.model import PoseFacts
from psoas_print.figures.body import (
    CHAIR_DEPTH,
    CHAIR_SEAT_HEIGHT,
    CONTACT_TOLERANCE,
    MAT_THICKNESS,
    RADIUS,
    SIDES,
    Body,
    Keyframe,
    Point,
    PoseError,
    View,
    check_angles,
    contact_names,
    length,
)
from psoas_print.figures.placement import Surfaces, place, support
from psoas_print.figures.style import Style

MARGIN = 6.0  # cm of air around everything in the canvas
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Arrow:
    """A curved arrow: a quadratic curve from ``start`` through ``control`` to ``end``."""

    start: Point
    control: Point
    end: Point


@dataclass(frozen=True)
class Scene:
    view: str
    bodies: tuple[Body, ...]
    floor: float | None
    mat: Box | None
    chair_front: float | None  # x of the seat's front edge; the seat reaches back (-x)
    wall: float | None
    arrows: tuple[Arrow, ...]
    label: tuple[str, Point] | None
    psoas: tuple[str, ...]
    canvas: Box

    @property
    def width(self) -> float:
        return self.canvas[2] - self.canvas[0]

    @property
    def height(self) -> float:
        return self.canvas[3] - self.canvas[1]


def build_scene(pose: PoseFacts, breath_words: Mapping[str, str] | None = None) -> Scene:
    """Validate a pose description and lay it out, or raise PoseError with its location.
    ``breath_words`` gives the breath label in the figure's language ("inhale": "einatmen")."""
    surfaces = Surfaces(floor=MAT_THICKNESS if "mat" in pose.props else 0.0)
    keyframes = [_keyframe(pose, index) for index in range(len(pose.keyframes))]
    bodies = [
        place(pose.view, keyframe, surfaces, ("keyframes", index))
        for index, keyframe in enumerate(keyframes)
    ]
    bodies, wall = _against_wall(pose, _align(bodies, keyframes))
    arrows = tuple(_arrow(pose, index, bodies) for index in range(len(pose.arrows)))
    label = _label(pose, arrows, bodies)
    if label is not None and breath_words is not None:
        label = (breath_words.get(label[0], label[0]), label[1])
    chair_front = _chair(pose, bodies, keyframes) if "chair" in pose.props else None
    mat = _mat(pose, bodies) if "mat" in pose.props else None
    psoas = _psoas_sides(pose)
    scene = Scene(
        view=pose.view,
        bodies=tuple(bodies),
        floor=None if pose.view == "above" else 0.0,
        mat=mat,
        chair_front=chair_front,
        wall=wall,
        arrows=arrows,
        label=label,
        psoas=psoas,
        canvas=(0, 0, 0, 0),
    )
    return _with_canvas(scene)


def _keyframe(pose: PoseFacts, index: int) -> Keyframe:
    facts = pose.keyframes[index]
    where = ("keyframes", index)
    check_angles(pose.view, facts.angles, (*where, "angles"))
    contacts = facts.contact_surfaces()
    known = contact_names(pose.view)
    if contacts and pose.view == "above":
        raise PoseError(
            (*where, "contacts"), "a view from above has no contacts: the body lies on the mat"
        )
    for name, surface in contacts.items():
        if name not in known:
            raise PoseError(
                (*where, "contacts"),
                f"no body point '{name}' can touch in a {pose.view} view "
                f"(points: {', '.join(sorted(known))})",
            )
        if surface != "floor" and surface not in pose.props:
            raise PoseError(
                (*where, "contacts"), f"{name} rests on the {surface}, but props has no {surface}"
            )
    if pose.view != "above" and not any(s != "wall" for s in contacts.values()):
        raise PoseError(
            (*where, "contacts"), "name at least one body point that rests on the floor or a prop"
        )
    floor_contacts = {n: s for n, s in contacts.items() if s != "wall"}
    return Keyframe(facts.name, dict(facts.angles), floor_contacts)


def _align(bodies: list[Body], keyframes: list[Keyframe]) -> list[Body]:
    """Keep what stays planted in place: move later keyframes onto the first one's anchor."""
    first = bodies[0]
    aligned = [first]
    for body, keyframe in zip(bodies[1:], keyframes[1:], strict=True):
        shared = [name for name in keyframes[0].contacts if name in keyframe.contacts]
        anchor = _anchor_point(shared[0]) if shared else "pelvis"
        aligned.append(body.moved(first.points[anchor][0] - body.points[anchor][0], 0))
    return aligned


def _anchor_point(contact: str) -> str:
    return contact.replace("_foot", "_ankle")


def _against_wall(pose: PoseFacts, bodies: list[Body]) -> tuple[list[Body], float | None]:
    """Stand the wall where the first wall contact reaches; move later keyframes up to it."""
    if "wall" not in pose.props:
        return bodies, None
    wall = None
    placed = []
    for index, body in enumerate(bodies):
        edges = [
            (name, _wall_edge(body, pose.view, name))
            for name, surface in pose.keyframes[index].contact_surfaces().items()
            if surface == "wall"
        ]
        if edges:
            wall = edges[0][1] if wall is None else wall
            body = body.moved(wall - edges[0][1], 0)
            for name, edge in edges[1:]:
                gap = abs(edge + wall - edges[0][1] - wall)
                if gap > CONTACT_TOLERANCE:
                    raise PoseError(
                        ("keyframes", index, "contacts"),
                        f"{name} cannot touch the wall too: it is {gap:.0f} cm away from it",
                    )
        placed.append(body)
    if wall is None:  # not touched: the wall stands behind the figure
        wall = min(b.bounds[0] for b in bodies) - 10
    return placed, wall


def _wall_edge(body: Body, view: View, contact: str) -> float:
    point, radius = support(body, view, contact)
    return point[0] + radius


def _arrow(pose: PoseFacts, index: int, bodies: list[Body]) -> Arrow:
    facts = pose.arrows[index]
    where = ("arrows", index)
    names = [k.name for k in pose.keyframes]
    for key, keyframe in (("from", facts.from_), ("to", facts.to)):
        if keyframe not in names:
            raise PoseError(
                (*where, key), f"no keyframe '{keyframe}' (keyframes: {', '.join(names)})"
            )
    if facts.point not in bodies[0].points:
        points = ", ".join(sorted(bodies[0].points))
        raise PoseError((*where, "point"), f"no body point '{facts.point}' (points: {points})")
    start = bodies[names.index(facts.from_)].points[facts.point]
    end = bodies[names.index(facts.to)].points[facts.point]
    if math.dist(start, end) < 4:
        raise PoseError((*where, "point"), f"{facts.point} hardly moves between these keyframes")
    centre = bodies[names.index(facts.to)].points["pelvis"]
    return _curve(start, end, away_from=centre)


def _curve(start: Point, end: Point, away_from: Point) -> Arrow:
    """A gentle arc from start to end, bulging away from the body, ends pulled in a little."""
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    dx, dy = end[0] - start[0], end[1] - start[1]
    normal = (-dy, dx)
    outward = (middle[0] - away_from[0]) * normal[0] + (middle[1] - away_from[1]) * normal[1]
    sign = 1.0 if outward >= 0 else -1.0
    control = (middle[0] + sign * 0.3 * normal[0], middle[1] + sign * 0.3 * normal[1])

    def along(t: float) -> Point:
        return (
            (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
            (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1],
        )

    return Arrow(along(0.12), control, along(0.88))


def _label(
    pose: PoseFacts, arrows: tuple[Arrow, ...], bodies: list[Body]
) -> tuple[str, Point] | None:
    if pose.breath is None:
        return None
    names = [k.name for k in pose.keyframes]
    if pose.breath.into not in names:
        raise PoseError(
            ("breath", "into"), f"no keyframe '{pose.breath.into}' (keyframes: {', '.join(names)})"
        )
    matching = [
        a for a, facts in zip(arrows, pose.arrows, strict=True) if facts.to == pose.breath.into
    ]
    if not matching:
        raise PoseError(
            ("breath", "into"), f"no arrow leads into '{pose.breath.into}' to carry the label"
        )
    return pose.breath.label, _label_spot(matching[0], bodies[-1])


def _label_spot(arrow: Arrow, body: Body) -> Point:
    """Beside the arrow's bulge, at the first spot well clear of the body."""
    middle = ((arrow.start[0] + arrow.end[0]) / 2, (arrow.start[1] + arrow.end[1]) / 2)
    out = (arrow.control[0] - middle[0], arrow.control[1] - middle[1])
    size = math.hypot(*out) or 1.0
    spots = [
        (arrow.control[0] + out[0] / size * distance, arrow.control[1] + out[1] / size * distance)
        for distance in (6, 12, 20, 30)
    ]
    return next(
        (spot for spot in spots if _clearance(spot, body) > 9),
        max(spots, key=lambda s: _clearance(s, body)),
    )


def _clearance(point: Point, body: Body) -> float:
    return min(_distance_to_segment(point, s.start, s.end) - s.radius for s in body.segments)


def _distance_to_segment(point: Point, start: Point, end: Point) -> float:
    dx, dy = end[0] - start[0], end[1] - start[1]
    size = dx * dx + dy * dy
    t = (
        0.0
        if size == 0
        else max(0.0, min(1.0, ((point[0] - start[0]) * dx + (point[1] - start[1]) * dy) / size))
    )
    return math.dist(point, (start[0] + t * dx, start[1] + t * dy))


def _chair(pose: PoseFacts, bodies: list[Body], keyframes: list[Keyframe]) -> float:
    for body, keyframe in zip(bodies, keyframes, strict=True):
        for name, surface in keyframe.contacts.items():
            if surface == "chair":
                return support(body, pose.view, name)[0][0] + 8
    # Not sat on: the chair stands just behind the body, as a safety net.
    return min(b.points["pelvis"][0] for b in bodies) - RADIUS["trunk"] - 5


def _mat(pose: PoseFacts, bodies: list[Body]) -> Box:
    x0 = min(b.bounds[0] for b in bodies) - 8
    x1 = max(b.bounds[2] for b in bodies) + 8
    if pose.view == "above":
        return x0, min(b.bounds[1] for b in bodies) - 8, x1, max(b.bounds[3] for b in bodies) + 8
    return x0, 0.0, x1, MAT_THICKNESS


def _psoas_sides(pose: PoseFacts) -> tuple[str, ...]:
    if pose.psoas is None:
        return ()
    sides = SIDES[pose.view]
    if pose.psoas == "both":
        return sides
    if pose.psoas not in sides:
        raise PoseError(
            ("psoas",), f"a {pose.view} view has sides {' and '.join(sides)}, not '{pose.psoas}'"
        )
    return (pose.psoas,)


def _with_canvas(scene: Scene) -> Scene:
    boxes = [body.bounds for body in scene.bodies]
    if scene.mat:
        boxes.append(scene.mat)
    if scene.chair_front is not None:
        boxes.append(
            (scene.chair_front - CHAIR_DEPTH, 0, scene.chair_front, CHAIR_SEAT_HEIGHT + 42)
        )
    if scene.wall is not None:
        boxes.append((scene.wall, 0, scene.wall + 4, max(b[3] for b in boxes)))
    for arrow in scene.arrows:
        xs = (arrow.start[0], arrow.control[0], arrow.end[0])
        ys = (arrow.start[1], arrow.control[1], arrow.end[1])
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if scene.label:
        text, (x, y) = scene.label
        # Room for the word at the figures' label size, a letter taken as 0.6 em wide.
        half = max(14.0, 0.3 * Style().label_size * len(text))
        boxes.append((x - half, y - 6, x + half, y + 6))
    x0 = min(b[0] for b in boxes) - MARGIN
    y0 = min(b[1] for b in boxes) - MARGIN
    if scene.floor is not None:
        y0 = min(y0, scene.floor - 3)
    canvas = (x0, y0, max(b[2] for b in boxes) + MARGIN, max(b[3] for b in boxes) + MARGIN)
    return Scene(**{**scene.__dict__, "canvas": canvas})


def psoas_band(body: Body, side: str, view: str) -> tuple[Point, Point, Point]:
    """The psoas as a curve: lumbar spine, in front of the hip joint, inner thigh."""
    pelvis = body.points["pelvis"]
    trunk = body.segment("trunk")
    axis = _unit(pelvis, trunk.end)
    thigh = body.segment(f"{side}_thigh")
    along_thigh = _unit(thigh.start, thigh.end)
    if view == "front":
        outward = 1.0 if side == "left" else -1.0
        spine = (pelvis[0] + outward * 3, pelvis[1] + 0.3 * length("trunk"))
        front_of_hip = (thigh.start[0] + outward * 1.5, thigh.start[1] + 4)
        inward = -outward * 3.5
    else:
        forward = (axis[1], -axis[0])  # the trunk axis turned a quarter clockwise: the belly side
        lumbar = 0.34 * length("trunk")
        spine = (
            pelvis[0] + axis[0] * lumbar - forward[0] * 3,
            pelvis[1] + axis[1] * lumbar - forward[1] * 3,
        )
        front_of_hip = (pelvis[0] + forward[0] * 7, pelvis[1] + forward[1] * 7)
        inward = 0.0
    reach = (0.16 if view == "front" else 0.26) * length("thigh")
    insertion = (
        thigh.start[0] + along_thigh[0] * reach + inward,
        thigh.start[1] + along_thigh[1] * reach,
    )
    return spine, front_of_hip, insertion


def _unit(start: Point, end: Point) -> Point:
    size = math.dist(start, end) or 1.0
    return (end[0] - start[0]) / size, (end[1] - start[1]) / size
