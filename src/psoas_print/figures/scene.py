"""A figure's scene: its keyframes placed side by side in time, the props, the arrows, the
breath label and the psoas.

Everything here is geometry in centimetres; drawing.py turns a scene into vector art.
A prop is never drawn through the body, and the label keeps clear of the floor, the props,
the body and the arrows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from psoas_print.book.model import PoseFacts
from psoas_print.figures.body import (
    CHAIR_DEPTH,
    CHAIR_SEAT_HEIGHT,
    CONTACT_TOLERANCE,
    FLOOR_TOLERANCE,
    MAT_THICKNESS,
    SIDES,
    Body,
    Keyframe,
    Point,
    PoseError,
    Segment,
    View,
    check_angles,
    contact_names,
    length,
)
from psoas_print.figures.placement import (
    Surfaces,
    contact_circles,
    moving,
    place,
    suggest,
    touching,
    try_place,
    with_shorthands,
)
from psoas_print.figures.style import Style

MARGIN = 6.0  # cm of air around everything in the canvas
LABEL_CLEARANCE = 2.5  # cm of air between the breath label and anything else
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Arrow:
    """A curved arrow: a quadratic curve from ``start`` through ``control`` to ``end``."""

    start: Point
    control: Point
    end: Point

    def at(self, share: float) -> Point:
        t = share
        return (
            (1 - t) ** 2 * self.start[0] + 2 * (1 - t) * t * self.control[0] + t * t * self.end[0],
            (1 - t) ** 2 * self.start[1] + 2 * (1 - t) * t * self.control[1] + t * t * self.end[1],
        )

    def samples(self, count: int = 12) -> list[Point]:
        return [self.at(index / count) for index in range(count + 1)]


@dataclass(frozen=True)
class Scene:
    view: str
    bodies: tuple[Body, ...]
    floor: float | None
    mat: Box | None
    chair_front: float | None  # x of the seat's front edge; the seat reaches back (-x)
    wall: Box | None  # the wall's board, on the side of the body that leans on it
    arrows: tuple[Arrow, ...]
    label: tuple[str, Point] | None  # the breath word and the centre of its box
    psoas: tuple[str, ...]
    canvas: Box

    @property
    def width(self) -> float:
        return self.canvas[2] - self.canvas[0]

    @property
    def height(self) -> float:
        return self.canvas[3] - self.canvas[1]


def build_scene(
    pose: PoseFacts, breath_words: Mapping[str, str] | None = None, place_label: bool = True
) -> Scene:
    """Validate a pose description and lay it out, or raise PoseError with its location.
    ``breath_words`` gives the breath label in the figure's language ("inhale": "einatmen").
    ``place_label`` False checks the breath label without searching for its spot (most of
    the work, and never a reason to refuse a pose): enough to know the pose draws."""
    surfaces = Surfaces(floor=MAT_THICKNESS if "mat" in pose.props else 0.0)
    keyframes = [_keyframe(pose, index) for index in range(len(pose.keyframes))]
    bodies = [
        place(pose.view, keyframe, surfaces, ("keyframes", index))
        for index, keyframe in enumerate(keyframes)
    ]
    bodies, wall = _against_wall(pose, _align(pose.view, bodies, keyframes), keyframes, surfaces)
    arrows = tuple(_arrow(pose, index, bodies, surfaces) for index in range(len(pose.arrows)))
    chair_front = _chair(pose, bodies, keyframes, surfaces) if "chair" in pose.props else None
    mat = _mat(pose, bodies) if "mat" in pose.props else None
    floor = None if pose.view == "above" else 0.0
    obstacles = _prop_boxes(
        pose.view, chair_front, wall, surfaces.floor if floor is not None else None
    )
    label = _label(pose, arrows, bodies, obstacles, breath_words or {}, place_label)
    scene = Scene(
        view=pose.view,
        bodies=tuple(bodies),
        floor=floor,
        mat=mat,
        chair_front=chair_front,
        wall=wall,
        arrows=arrows,
        label=label,
        psoas=_psoas_sides(pose),
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
                f"no body surface '{name}' can touch in a {pose.view} view "
                f"(surfaces: {', '.join(sorted(known))})",
            )
        if surface != "floor" and surface not in pose.props:
            raise PoseError(
                (*where, "contacts"), f"{name} rests on the {surface}, but props has no {surface}"
            )
    if pose.view != "above" and not any(s != "wall" for s in contacts.values()):
        raise PoseError(
            (*where, "contacts"), "name at least one body surface that rests on the floor or a prop"
        )
    floor_contacts = {n: s for n, s in contacts.items() if s != "wall"}
    return Keyframe(facts.name, dict(facts.angles), floor_contacts)


def _align(view: View, bodies: list[Body], keyframes: list[Keyframe]) -> list[Body]:
    """Keep what stays planted in place: move later keyframes onto the first one's anchor."""
    first = bodies[0]
    return [first] + [
        _aligned(view, first, keyframes[0], body, keyframe)
        for body, keyframe in zip(bodies[1:], keyframes[1:], strict=True)
    ]


def _aligned(view: View, first: Body, start: Keyframe, body: Body, keyframe: Keyframe) -> Body:
    """``body`` moved so that a contact it shares with the first keyframe stays put (else
    its pelvis)."""
    shared = [name for name in start.contacts if name in keyframe.contacts]
    if shared:
        there, here = touching(first, view, shared[0]), touching(body, view, shared[0])
    else:
        there, here = first.points["pelvis"], body.points["pelvis"]
    return body.moved(there[0] - here[0], 0)


def _prop_error(
    pose: PoseFacts,
    keyframes: list[Keyframe],
    first: Body,
    index: int,
    problem: tuple[str, str],
    fits: Callable[[Body], bool],
    surfaces: Surfaces,
) -> PoseError:
    """The error for a part that goes through a prop, with the one joint's angle that
    would keep it clear (the keyframe placed and aligned again for each angle tried)."""
    keyframe = keyframes[index]

    def works(angles: dict[str, float]) -> bool:
        body = try_place(pose.view, angles, keyframe.contacts, surfaces)
        if not isinstance(body, Body):
            return False
        if index:
            body = _aligned(pose.view, first, keyframes[0], body, keyframe)
        return fits(body)

    part, message = problem
    joints = with_shorthands(moving(pose.view, [part, *keyframe.contacts]), keyframe.angles)
    where = ("keyframes", index)
    fix, angle_fixed = suggest(pose.view, keyframe.angles, works, joints, where)
    return PoseError((*where, "angles"), f"{message}; {fix}", angle_fixed)


# --- props ---------------------------------------------------------------------------------


def _against_wall(
    pose: PoseFacts, bodies: list[Body], keyframes: list[Keyframe], surfaces: Surfaces
) -> tuple[list[Body], Box | None]:
    """Stand the wall where the first wall contact reaches, on the side of the body that
    leans on it; move later keyframes up to it. No part may go through it."""
    if "wall" not in pose.props:
        return bodies, None
    wall, facing = None, -1.0
    placed = []
    for index, body in enumerate(bodies):
        names = [n for n, s in pose.keyframes[index].contact_surfaces().items() if s == "wall"]
        if names:
            if wall is None:
                facing = _wall_side(body, pose.view, names[0])
            edge = touching(body, pose.view, names[0], (facing, 0.0))[0]
            wall = edge if wall is None else wall
            body = body.moved(wall - edge, 0)
            _check_wall_contacts(body, pose.view, names, wall, facing, index)
        placed.append(body)
    if wall is None:  # not touched: the wall stands behind the figure
        wall = min(b.bounds[0] for b in placed) - 10
    for index, body in enumerate(placed):
        problem = _through_wall(body, wall, facing)
        if problem is not None:
            names = [n for n, s in pose.keyframes[index].contact_surfaces().items() if s == "wall"]

            def fits(
                moved: Body, names: list[str] = names, at_wall: float = wall, side: float = facing
            ) -> bool:
                if names:  # leaning on the wall: moved up to it first
                    edge = touching(moved, pose.view, names[0], (side, 0.0))[0]
                    moved = moved.moved(at_wall - edge, 0)
                return _through_wall(moved, at_wall, side) is None

            raise _prop_error(pose, keyframes, bodies[0], index, problem, fits, surfaces)
    top = max(b.bounds[3] for b in placed) + 10
    board = (wall, 0.0, wall + 3, top) if facing > 0 else (wall - 3, 0.0, wall, top)
    return placed, board


_BACK_OF_THE_BODY = {"head", "shoulders", "back", "pelvis", "sacrum", "sit_bones"}


def _wall_side(body: Body, view: View, contact: str) -> float:
    """Which side of the body the wall stands on (+1: toward +x): behind the back for the
    back of the body, else on the side the touching limb reaches out to."""
    if contact in _BACK_OF_THE_BODY:
        pelvis = body.segment("pelvis")
        forward = (pelvis.end[1] - pelvis.start[1], -(pelvis.end[0] - pelvis.start[0]))
        return -1.0 if forward[0] > 0 else 1.0
    centres = [centre for centre, _ in contact_circles(body, view, contact)]
    reach = sum(x for x, _ in centres) / len(centres)
    return 1.0 if reach >= body.points["pelvis"][0] else -1.0


def _check_wall_contacts(
    body: Body, view: View, names: list[str], wall: float, facing: float, index: int
) -> None:
    for name in names[1:]:
        gap = abs(touching(body, view, name, (facing, 0.0))[0] - wall)
        if gap > CONTACT_TOLERANCE:
            raise PoseError(
                ("keyframes", index, "contacts"),
                f"{name} cannot touch the wall too: it is {gap:.0f} cm away from it",
            )


def _through_wall(body: Body, wall: float, facing: float) -> tuple[str, str] | None:
    """The part that goes through the wall, and by how much; None when all is clear."""
    for segment in body.segments:
        depth = segment.extent((facing, 0.0)) - facing * wall  # past the wall, toward it
        if depth > FLOOR_TOLERANCE + CONTACT_TOLERANCE:
            name = segment.name.replace("_", " ")
            return segment.name, f"the {name} goes {depth:.0f} cm through the wall"
    return None


def _chair(
    pose: PoseFacts, bodies: list[Body], keyframes: list[Keyframe], surfaces: Surfaces
) -> float:
    """Where the chair's seat ends in front: under the part that sits on it, else just
    behind the body, as a safety net. No part may go through the seat or the backrest."""
    front = None
    for body, keyframe in zip(bodies, keyframes, strict=True):
        for name, surface in keyframe.contacts.items():
            if surface == "chair" and front is None:
                front = _seat_edge(body, touching(body, pose.view, name)[0], pose.view)
    if front is None:  # just behind the pelvis, clear of the body
        front = min(b.points["pelvis"][0] for b in bodies) - 14
    if pose.view == "front":  # centred under the body, and what rests on it overlaps it
        return front + CHAIR_DEPTH / 2 - 4
    boxes = chair_boxes(front, pose.view)
    for index, body in enumerate(bodies):
        problem = _into(body, boxes, "chair")
        if problem is not None:

            def fits(moved: Body) -> bool:
                return _into(moved, boxes, "chair") is None

            raise _prop_error(pose, keyframes, bodies[0], index, problem, fits, surfaces)
    return front


def _seat_edge(body: Body, sitting: float, view: str) -> float:
    """Where the seat ends in front of the point that sits on it: a little ahead of it,
    or sooner where the thighs slope down off the front edge."""
    front = sitting + 4
    while front > sitting - 6 and _into(body, chair_boxes(front, view), "chair") is not None:
        front -= 1
    return front


def chair_boxes(front: float, view: str = "side") -> list[Box]:
    """The solid parts of the chair: the seat board, and the backrest (seen from the
    side; from the front it stands behind the body)."""
    back = front - CHAIR_DEPTH
    seat = CHAIR_SEAT_HEIGHT
    board = (back, seat - 2, front, seat)
    return [board] if view == "front" else [board, (back, seat, back + 4, seat + 40)]


def _into(body: Body, boxes: list[Box], prop: str) -> tuple[str, str] | None:
    """The part that goes into one of the prop's boxes, and by how much; None when clear."""
    for segment in body.segments:
        depth = max(_overlap(segment, box) for box in boxes)
        if depth > FLOOR_TOLERANCE + CONTACT_TOLERANCE:
            name = segment.name.replace("_", " ")
            return segment.name, f"the {name} goes {depth:.0f} cm into the {prop}"
    return None


def _overlap(segment: Segment, box: Box) -> float:
    """How deep the part reaches into the box (0 when clear)."""
    deepest = 0.0
    for step in range(11):
        share = step / 10
        x = segment.start[0] + (segment.end[0] - segment.start[0]) * share
        y = segment.start[1] + (segment.end[1] - segment.start[1]) * share
        radius = segment.radius_at(share)
        nearest = (min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3]))
        inside = box[0] < x < box[2] and box[1] < y < box[3]
        distance = math.dist((x, y), nearest)
        depth = (
            radius + min(x - box[0], box[2] - x, y - box[1], box[3] - y)
            if inside
            else (radius - distance)
        )
        deepest = max(deepest, depth)
    return deepest


def _prop_boxes(
    view: str, chair_front: float | None, wall: Box | None, floor: float | None
) -> list[Box]:
    """What the label must keep clear of besides the bodies and the arrows."""
    boxes = chair_boxes(chair_front, view) if chair_front is not None else []
    boxes += [wall] if wall is not None else []
    if floor is not None:
        boxes.append((-1e4, -1e4, 1e4, floor + 1.0))  # the floor line and the mat
    return boxes


def _mat(pose: PoseFacts, bodies: list[Body]) -> Box:
    x0 = min(b.bounds[0] for b in bodies) - 8
    x1 = max(b.bounds[2] for b in bodies) + 8
    if pose.view == "above":
        return x0, min(b.bounds[1] for b in bodies) - 8, x1, max(b.bounds[3] for b in bodies) + 8
    return x0, 0.0, x1, MAT_THICKNESS


# --- arrows and the breath label -----------------------------------------------------------


def _arrow(pose: PoseFacts, index: int, bodies: list[Body], surfaces: Surfaces) -> Arrow:
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
    floor = None if pose.view == "above" else surfaces.floor
    return _curve(start, end, away_from=centre, floor=floor)


def _curve(start: Point, end: Point, away_from: Point, floor: float | None) -> Arrow:
    """A gentle arc from start to end, bulging away from the body (unless that would dip
    it into the floor), ends pulled in a little."""
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    dx, dy = end[0] - start[0], end[1] - start[1]
    normal = (-dy, dx)
    outward = (middle[0] - away_from[0]) * normal[0] + (middle[1] - away_from[1]) * normal[1]
    preferred = 1.0 if outward >= 0 else -1.0
    arrow = Arrow(start, middle, end)
    for sign in (preferred, -preferred, 0.0):
        control = (middle[0] + sign * 0.3 * normal[0], middle[1] + sign * 0.3 * normal[1])
        whole = Arrow(start, control, end)
        arrow = Arrow(whole.at(0.12), control, whole.at(0.88))
        if floor is None or min(y for _, y in arrow.samples()) >= floor + 2:
            break
    return arrow


def _label(
    pose: PoseFacts,
    arrows: tuple[Arrow, ...],
    bodies: list[Body],
    obstacles: list[Box],
    breath_words: Mapping[str, str],
    place: bool = True,
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
    text = breath_words.get(pose.breath.label, pose.breath.label)
    if not place:
        return text, matching[0].at(0.5)
    return text, _label_spot(matching[0], text, bodies, arrows, obstacles)


def label_box(text: str, centre: Point) -> Box:
    """The box the breath word takes, at the figures' label size (a letter 0.6 em wide)."""
    size = Style().label_size
    half_width, half_height = 0.3 * size * len(text), 0.5 * size
    return (
        centre[0] - half_width,
        centre[1] - half_height,
        centre[0] + half_width,
        (centre[1] + half_height),
    )


def _label_spot(
    arrow: Arrow, text: str, bodies: list[Body], arrows: tuple[Arrow, ...], obstacles: list[Box]
) -> Point:
    """Beside the arrow's bulge, at the nearest spot where the word's box keeps clear of
    the floor, the props, every keyframe's body and every arrow; else the clearest."""
    middle = arrow.at(0.5)
    chord = (arrow.end[0] - arrow.start[0], arrow.end[1] - arrow.start[1])
    out = (arrow.control[0] - (arrow.start[0] + arrow.end[0]) / 2,
           arrow.control[1] - (arrow.start[1] + arrow.end[1]) / 2)  # fmt: skip
    if math.hypot(*out) < 1e-6:
        out = (-chord[1], chord[0])
    base = math.degrees(math.atan2(out[0], out[1]))
    spots = [
        (middle[0] + math.sin(math.radians(base + turn)) * distance,
         middle[1] + math.cos(math.radians(base + turn)) * distance)
        for distance in (8, 12, 17, 23, 30, 38)
        for turn in (0, 30, -30, 60, -60, 90, -90, 135, -135, 180)
    ]  # fmt: skip

    def gaps(spot: Point) -> Iterator[float]:
        box = label_box(text, spot)
        yield from (_box_to_box(box, other) for other in obstacles)
        yield from (_box_to_point(box, p) for a in arrows for p in a.samples(20))
        yield from (_box_to_segment(box, s) for body in bodies for s in body.segments)

    # The nearest spot that is clear (one gap too small rules a spot out), else the clearest.
    for spot in spots:
        if all(gap >= LABEL_CLEARANCE for gap in gaps(spot)):
            return spot
    return max((min(gaps(spot)), spot) for spot in spots)[1]


def _box_to_point(box: Box, point: Point) -> float:
    dx = max(box[0] - point[0], 0.0, point[0] - box[2])
    dy = max(box[1] - point[1], 0.0, point[1] - box[3])
    return math.hypot(dx, dy)


def _box_to_segment(box: Box, segment: Segment) -> float:
    gaps = []
    for step in range(9):
        share = step / 8
        x = segment.start[0] + (segment.end[0] - segment.start[0]) * share
        y = segment.start[1] + (segment.end[1] - segment.start[1]) * share
        gaps.append(_box_to_point(box, (x, y)) - segment.radius_at(share))
    return min(gaps)


def _box_to_box(box: Box, other: Box) -> float:
    dx = max(other[0] - box[2], 0.0, box[0] - other[2])
    dy = max(other[1] - box[3], 0.0, box[1] - other[3])
    return math.hypot(dx, dy) if dx or dy else -1.0


# --- the psoas ------------------------------------------------------------------------------


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


def psoas_band(body: Body, side: str, view: str) -> tuple[Point, Point, Point]:
    """The psoas as a curve through three points: its origin beside the upper lumbar spine,
    its turn over the front of the hip joint, and its insertion on the inner top of the
    thigh bone (the lesser trochanter), placed in the frames of the lumbar spine, the
    pelvis and the thigh, so that it follows them in any position."""
    lumbar = body.segment("lumbar")
    pelvis = body.segment("pelvis")
    thigh = body.segment(f"{side}_thigh")
    up_spine, up_pelvis = _unit(lumbar.start, lumbar.end), _unit(pelvis.start, pelvis.end)
    along_thigh = _unit(thigh.start, thigh.end)
    hip = thigh.start
    if view == "front":
        outward = 1.0 if side == "left" else -1.0
        across = (up_spine[1] * outward, -up_spine[0] * outward)  # toward the figure's side
        origin = _at(lumbar.start, up_spine, 0.7 * lumbar.length, across, 3.5)
        over_hip = _at(hip, up_pelvis, 3.0, across, -2.5)
        inward = (-along_thigh[1] * outward, along_thigh[0] * outward)
        insertion = _at(hip, along_thigh, 0.14 * length("thigh"), inward, -3.0)
        return origin, over_hip, insertion
    forward_spine = (up_spine[1], -up_spine[0])  # a quarter turn clockwise: the belly side
    forward_pelvis = (up_pelvis[1], -up_pelvis[0])
    origin = _at(lumbar.start, up_spine, 0.75 * lumbar.length, forward_spine, 2.0)
    over_hip = _at(hip, up_pelvis, 2.0, forward_pelvis, 5.5)
    behind_thigh = (along_thigh[1], -along_thigh[0])
    if _dot(behind_thigh, forward_pelvis) > 0:  # the thigh's back faces away from the belly
        behind_thigh = (-behind_thigh[0], -behind_thigh[1])
    insertion = _at(hip, along_thigh, 0.14 * length("thigh"), behind_thigh, 1.0)
    return origin, over_hip, insertion


def _at(start: Point, along: Point, distance: float, aside: Point, offset: float) -> Point:
    return (
        start[0] + along[0] * distance + aside[0] * offset,
        start[1] + along[1] * distance + aside[1] * offset,
    )


def _dot(a: Point, b: Point) -> float:
    return a[0] * b[0] + a[1] * b[1]


def _unit(start: Point, end: Point) -> Point:
    size = math.dist(start, end) or 1.0
    return (end[0] - start[0]) / size, (end[1] - start[1]) / size


# --- the canvas -----------------------------------------------------------------------------


def _with_canvas(scene: Scene) -> Scene:
    boxes = [body.bounds for body in scene.bodies]
    if scene.mat:
        boxes.append(scene.mat)
    if scene.chair_front is not None:
        boxes += chair_boxes(scene.chair_front, scene.view)
        boxes.append((scene.chair_front - CHAIR_DEPTH, 0, scene.chair_front, CHAIR_SEAT_HEIGHT))
    if scene.wall is not None:
        boxes.append(scene.wall)
    for arrow in scene.arrows:
        xs = (arrow.start[0], arrow.control[0], arrow.end[0])
        ys = (arrow.start[1], arrow.control[1], arrow.end[1])
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    if scene.label:
        boxes.append(label_box(*scene.label))
    x0 = min(b[0] for b in boxes) - MARGIN
    y0 = min(b[1] for b in boxes) - MARGIN
    if scene.floor is not None:
        y0 = min(y0, scene.floor - 3)
    canvas = (x0, y0, max(b[2] for b in boxes) + MARGIN, max(b[3] for b in boxes) + MARGIN)
    return Scene(**{**scene.__dict__, "canvas": canvas})
