"""Scenes to vector line art (reportlab graphics), as SVG.

One style for every figure: limbs are rounded bars filled light with a dark outline, the
near limbs drawn over the far ones; earlier keyframes are ghosted in pale grey and the
last one is solid; the psoas is a warm band; motion arrows and the breath label are warm
too, so that they stay distinct from the body in black-and-white print.
"""

from __future__ import annotations

import math
import re
from typing import Literal, TypedDict

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, Rect, String
from reportlab.lib.colors import Color, HexColor

from psoas_print.figures.body import CHAIR_DEPTH, CHAIR_SEAT_HEIGHT, Body, Segment
from psoas_print.figures.scene import Arrow, Scene, psoas_band
from psoas_print.figures.style import Style

INK = HexColor("#1d2427")
WARM = HexColor("#b4561e")
PSOAS = HexColor("#d9772f")
FLOOR = HexColor("#56636a")
PROP_FILL = HexColor("#d5e2e0")
PROP_LINE = HexColor("#7d9592")


POINTS_PER_CM = 2.0  # the SVG's own size; layouts scale it to the space they give it

# Fill and outline per keyframe: the solid last keyframe, then ghosts ever paler.
SOLID = (HexColor("#e7efed"), INK, HexColor("#b9cbc8"))
GHOSTS = [
    (HexColor("#f1f3f3"), HexColor("#aab4b6"), HexColor("#e0e5e5")),
    (HexColor("#f5f6f6"), HexColor("#c5cccd"), HexColor("#eaeded")),
]

SIDE_ORDER = [
    ("far", ["upper_arm", "forearm", "hand"]),
    ("far", ["thigh", "shank", "foot"]),
    (None, ["trunk", "neck", "head"]),
    ("near", ["thigh", "shank", "foot"]),
    ("near", ["upper_arm", "forearm", "hand"]),
]
FRONT_ORDER = [
    ("left", ["thigh", "shank", "foot"]),
    ("right", ["thigh", "shank", "foot"]),
    (None, ["trunk", "neck", "head"]),
    ("left", ["upper_arm", "forearm", "hand"]),
    ("right", ["upper_arm", "forearm", "hand"]),
]


def to_svg(scene: Scene, title: str, style: Style, language: str) -> str:
    """The scene as a standalone SVG, titled ``title``, its words in ``language``."""
    drawing = Drawing(scene.width * POINTS_PER_CM, scene.height * POINTS_PER_CM)
    x0, y0 = scene.canvas[0], scene.canvas[1]
    world = Group(
        transform=(POINTS_PER_CM, 0, 0, POINTS_PER_CM, -x0 * POINTS_PER_CM, -y0 * POINTS_PER_CM)
    )
    _draw_props(world, scene, style)
    last = len(scene.bodies) - 1
    for index, body in enumerate(scene.bodies):
        colours = SOLID if index == last else GHOSTS[min(last - index - 1, len(GHOSTS) - 1)]
        _draw_body(world, body, scene.view, colours, style)
    for side in scene.psoas:  # an overlay on the solid body, like an anatomy plate
        _draw_psoas(world, scene.bodies[last], side, scene.view, style)
    for arrow in scene.arrows:
        _draw_arrow(world, arrow, style)
    if scene.label and style.label_size:
        text, (x, y) = scene.label
        world.add(
            String(
                x,
                y - style.label_size / 3,
                text,
                fontName="Helvetica-Oblique",
                fontSize=style.label_size,
                fillColor=WARM,
                textAnchor="middle",
            )
        )
    drawing.add(world)
    return _finish_svg(renderSVG.drawToString(drawing), title, language)


def _finish_svg(svg: str, title: str, language: str) -> str:
    """Name the bundled font, give the figure its title and language, drop the DTD for
    plain XML."""
    svg = svg.replace("font-family: Helvetica-Oblique;", "font-family: Inter; font-style: italic;")
    svg = re.sub(r"<!DOCTYPE svg[^>]*>\s*", "", svg)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = svg.replace("<title>...</title>", f"<title>{escaped}</title>", 1)
    svg = svg.replace("<desc>...</desc>", "", 1)
    return svg.replace("<svg ", f'<svg xml:lang="{language}" ', 1)


class _Stroke(TypedDict):
    """A line's stroke, as reportlab's shapes take it."""

    strokeColor: Color
    strokeWidth: float
    strokeLineCap: Literal[0, 1, 2]


def _prop_box(box: tuple[float, float, float, float], corner: float, style: Style) -> Rect:
    x0, y0, x1, y1 = box
    return _prop_rect(x0, y0, x1 - x0, y1 - y0, corner, style)


def _prop_rect(
    x: float, y: float, width: float, height: float, corner: float, style: Style
) -> Rect:
    """A prop's box: filled pale, with a thin outline."""
    # Painted by attribute, as Rect's keywords would: types-reportlab 5.0 declares them
    # ``**kw: _SolidShapeKwArgs`` (without Unpack), which takes each for a whole dict.
    rect = Rect(x, y, width, height, rx=corner, ry=corner)
    rect.fillColor = PROP_FILL
    rect.strokeColor = PROP_LINE
    rect.strokeWidth = style.outline * 0.6
    return rect


def _draw_props(group: Group, scene: Scene, style: Style) -> None:
    x0, _, x1, _ = scene.canvas
    if scene.view == "above" and scene.mat:  # seen from the ceiling: the mat is the ground
        group.add(_prop_box(scene.mat, 3, style))
        return
    if scene.chair_front is not None:
        _draw_chair(group, scene.chair_front, style)
    if scene.wall is not None:
        group.add(_prop_box((scene.wall, 0, scene.wall + 3, scene.canvas[3] - 2), 0, style))
    if scene.mat:
        group.add(_prop_box(scene.mat, 0.6, style))
    group.add(
        Line(
            x0 + 2,
            0,
            x1 - 2,
            0,
            strokeColor=FLOOR,
            strokeWidth=style.outline * 0.9,
            strokeLineCap=1,
        )
    )


def _draw_chair(group: Group, front: float, style: Style) -> None:
    back = front - CHAIR_DEPTH
    seat = CHAIR_SEAT_HEIGHT
    line: _Stroke = {
        "strokeColor": PROP_LINE,
        "strokeWidth": style.outline * 1.4,
        "strokeLineCap": 1,
    }
    group.add(Line(front - 2, 0, front - 2, seat, **line))
    group.add(Line(back + 2, 0, back + 2, seat + 40, **line))
    group.add(_prop_rect(back, seat - 2, CHAIR_DEPTH, 4, 1.5, style))


def _draw_body(
    group: Group, body: Body, view: str, colours: tuple[Color, Color, Color], style: Style
) -> None:
    fill, outline, far_fill = colours
    order = FRONT_ORDER if view == "front" else SIDE_ORDER
    for side, parts in order:
        names = [f"{side}_{part}" if side else part for part in parts]
        segments = [body.segment(name) for name in names]
        part_fill = far_fill if side == "far" else fill
        for segment in segments:  # outlines first, so that joints merge
            _bar(group, segment, segment.radius + style.outline, outline)
        for segment in segments:
            _bar(group, segment, segment.radius, part_fill)
        if side is None:
            _face(group, body, view, outline)
    if view != "front" and _hand_behind_head(body):
        _redraw_head(group, body, view, fill, outline, style)


def _hand_behind_head(body: Body) -> bool:
    """A near hand that reaches the head is behind it (hands clasped behind the head)."""
    head = body.segment("head")
    return math.dist(body.points["near_hand"], head.start) < head.radius + 6


def _redraw_head(
    group: Group, body: Body, view: str, fill: Color, outline: Color, style: Style
) -> None:
    head = body.segment("head")
    _bar(group, head, head.radius + style.outline, outline)
    _bar(group, head, head.radius, fill)
    _face(group, body, view, outline)


def _bar(group: Group, segment: Segment, radius: float, colour: Color) -> None:
    if segment.start == segment.end:
        group.add(
            Circle(segment.start[0], segment.start[1], radius, fillColor=colour, strokeColor=None)
        )
        return
    # An open path: reportlab closes a Line, and a closed path has no round caps.
    path = Path(
        strokeColor=colour,
        strokeWidth=2 * radius,
        strokeLineCap=1,
        strokeLineJoin=1,
        fillColor=None,
    )
    path.moveTo(*segment.start)
    path.lineTo(*segment.end)
    group.add(path)


def _face(group: Group, body: Body, view: str, colour: Color) -> None:
    """An eye (side views) or a nose (front view) says which way the head faces."""
    head = body.segment("head").start
    if view == "front":
        nose = body.points["nose"]
        group.add(Circle(nose[0], nose[1] - 1.5, 1.3, fillColor=colour, strokeColor=None))
        return
    neck = body.segment("neck")
    dx, dy = head[0] - neck.start[0], head[1] - neck.start[1]
    size = math.hypot(dx, dy) or 1.0
    ux, uy = dx / size, dy / size
    eye = (head[0] + ux * 2 + uy * 6, head[1] + uy * 2 - ux * 6)  # toward the face side
    group.add(Circle(eye[0], eye[1], 1.3, fillColor=colour, strokeColor=None))


def _draw_psoas(group: Group, body: Body, side: str, view: str, style: Style) -> None:
    spine, hip, insertion = psoas_band(body, side, view)
    for width, colour in ((4.2 + style.outline, INK), (4.2, PSOAS)):
        path = Path(strokeColor=colour, strokeWidth=width, strokeLineCap=1, fillColor=None)
        path.moveTo(*spine)
        path.curveTo(*_towards(spine, hip, 0.66), *_towards(insertion, hip, 0.66), *insertion)
        group.add(path)


def _towards(
    start: tuple[float, float], end: tuple[float, float], share: float
) -> tuple[float, float]:
    return start[0] + (end[0] - start[0]) * share, start[1] + (end[1] - start[1]) * share


def _draw_arrow(group: Group, arrow: Arrow, style: Style) -> None:
    path = Path(strokeColor=WARM, strokeWidth=style.arrow, strokeLineCap=1, fillColor=None)
    path.moveTo(*arrow.start)
    # A quadratic curve written as the equivalent cubic.
    c1 = _towards(arrow.start, arrow.control, 2 / 3)
    c2 = _towards(arrow.end, arrow.control, 2 / 3)
    path.curveTo(*c1, *c2, *arrow.end)
    group.add(path)
    dx, dy = arrow.end[0] - c2[0], arrow.end[1] - c2[1]
    size = math.hypot(dx, dy) or 1.0
    ux, uy = dx / size, dy / size
    head = 3.2 * style.arrow
    tip = (arrow.end[0] + ux * head * 0.6, arrow.end[1] + uy * head * 0.6)
    left = (tip[0] - ux * head - uy * head * 0.55, tip[1] - uy * head + ux * head * 0.55)
    right = (tip[0] - ux * head + uy * head * 0.55, tip[1] - uy * head - ux * head * 0.55)
    group.add(Polygon([*tip, *left, *right], fillColor=WARM, strokeColor=WARM, strokeWidth=0.3))
