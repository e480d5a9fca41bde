"""Scenes to vector line art (reportlab graphics), as SVG.

One style for every figure: limbs are rounded, tapering bars filled light with a dark
outline, the near limbs drawn over the far ones; earlier keyframes are ghosted (outlined
in grey, unfilled) and the last one is solid; the psoas is a warm band, drawn behind what
is nearer the viewer; motion arrows and the breath label are warm too, so that they stay
distinct from the body in black-and-white print.

Print rules, enforced here: no line is thinner than 0.75 pt at the smallest size the
figure is printed (``Style.min_print_mm``), and every tint is at least 10% (print-on-demand
services drop finer lines and paler tints).
"""

from __future__ import annotations

import math
import re
from typing import Literal, TypedDict

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, Rect, String
from reportlab.lib.colors import Color, HexColor, white

from psoas_print.figures.body import CHAIR_DEPTH, CHAIR_SEAT_HEIGHT, Body, Point, Segment
from psoas_print.figures.scene import Arrow, Scene, psoas_band
from psoas_print.figures.style import Style

INK = HexColor("#1d2427")
WARM = HexColor("#b4561e")
PSOAS = HexColor("#d9772f")
FLOOR = HexColor("#56636a")
PROP_FILL = HexColor("#d5e2e0")
PROP_LINE = HexColor("#7d9592")

POINTS_PER_CM = 2.0  # the SVG's own size; layouts scale it to the space they give it
MIN_LINE_PT = 0.75  # the finest line a print-on-demand service reproduces
MIN_TINT = 0.10  # the palest tint it reproduces
MM_PER_PT = 25.4 / 72

# Fill, outline and far-limb fill per keyframe: the solid last keyframe, then ghosts,
# which are outlines only (white inside), ever paler.
SOLID = (HexColor("#dde8e5"), INK, HexColor("#b9cbc8"))
GHOSTS = [(white, HexColor("#8e9a9c"), white), (white, HexColor("#aab4b6"), white)]

SPINE = ["pelvis", "lumbar", "thoracic", "neck", "head"]
SIDE_ORDER = [
    ("far", ["upper_arm", "forearm", "hand"]),
    ("far", ["thigh", "shank", "foot"]),
    (None, SPINE),
    ("near", ["thigh", "shank", "foot"]),
    ("near", ["upper_arm", "forearm", "hand"]),
]
FRONT_ORDER = [
    ("left", ["thigh", "shank", "foot"]),
    ("right", ["thigh", "shank", "foot"]),
    (None, SPINE),
    ("left", ["upper_arm", "forearm", "hand"]),
    ("right", ["upper_arm", "forearm", "hand"]),
]


def tint(colour: Color) -> float:
    """How much ink a colour puts down, from 0 (paper white) to 1 (black)."""
    return 1 - (0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue)


def line_widths(scene: Scene, style: Style) -> dict[str, float]:
    """Each kind of line in the figure's own units, none thinner than 0.75 pt once the
    figure is printed at its smallest (its larger side ``style.min_print_mm`` long)."""
    mm_per_unit = style.min_print_mm / max(scene.width, scene.height)
    # The finest line, and a hundredth more for the SVG's numbers, written to a hundredth.
    finest = MIN_LINE_PT * MM_PER_PT / mm_per_unit + 0.01
    wanted = {
        "outline": style.outline,
        "ghost": style.outline,
        "arrow": style.arrow,
        "floor": style.outline * 0.9,
        "prop": style.outline * 0.6,
        "chair": style.outline * 1.4,
        "psoas": style.outline,  # the band's outline
        "band": 4.2,  # the psoas band itself
    }
    return {name: max(width, finest) for name, width in wanted.items()}


def printed_pt(scene: Scene, style: Style, width: float) -> float:
    """A width in the figure's units as printed at its smallest, in points."""
    return width * style.min_print_mm / max(scene.width, scene.height) / MM_PER_PT


def to_svg(scene: Scene, title: str, style: Style, language: str) -> str:
    """The scene as a standalone SVG, titled ``title``, its words in ``language``."""
    drawing = Drawing(scene.width * POINTS_PER_CM, scene.height * POINTS_PER_CM)
    x0, y0 = scene.canvas[0], scene.canvas[1]
    world = Group(
        transform=(POINTS_PER_CM, 0, 0, POINTS_PER_CM, -x0 * POINTS_PER_CM, -y0 * POINTS_PER_CM)
    )
    widths = line_widths(scene, style)
    _draw_props(world, scene, widths)
    last = len(scene.bodies) - 1
    for index, body in enumerate(scene.bodies):
        solid = index == last
        colours = SOLID if solid else GHOSTS[min(last - index - 1, len(GHOSTS) - 1)]
        psoas = scene.psoas if solid else ()
        _draw_body(world, body, scene.view, colours, widths, psoas)
    for arrow in scene.arrows:
        _draw_arrow(world, arrow, widths["arrow"])
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
    svg = _finish_svg(renderSVG.drawToString(drawing), title, language)
    return in_black_ink(svg) if style.ink == "black" else svg


_RGB = re.compile(r"rgb\(([\d.]+)%,\s*([\d.]+)%,\s*([\d.]+)%\)")
DARK = 0.45  # a colour darker than this prints as black: lines, arrows, the breath word


def in_black_ink(svg: str) -> str:
    """The figure for a black-ink interior: each colour as its grey; the dark ones (lines,
    arrows, words) pure black, the rest tints of at least 10%, paper white as it is."""

    def grey(match: re.Match[str]) -> str:
        red, green, blue = (float(match[i]) / 100 for i in (1, 2, 3))
        light = 0.299 * red + 0.587 * green + 0.114 * blue
        if light < DARK:
            light = 0.0
        elif light < 1.0:
            light = min(light, 1 - MIN_TINT)
        percent = f"{light * 100:.1f}%"
        return f"rgb({percent},{percent},{percent})"

    return _RGB.sub(grey, svg)


def _finish_svg(svg: str, title: str, language: str) -> str:
    """Name the bundled font, give the figure its title and language, drop the DTD for
    plain XML."""
    svg = svg.replace("font-family: Helvetica-Oblique;", "font-family: Inter; font-style: italic;")
    svg = re.sub(r"<!DOCTYPE svg[^>]*>\s*", "", svg)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = svg.replace("<title>...</title>", f"<title>{escaped}</title>", 1)
    svg = svg.replace("<desc>...</desc>", "", 1)
    # A hundredth of a point is finer than any printer reproduces.
    svg = _LONG_NUMBER.sub(lambda number: f"{float(number[0]):.2f}", svg)
    return svg.replace("<svg ", f'<svg xml:lang="{language}" ', 1)


_LONG_NUMBER = re.compile(r"-?\d+\.\d{3,}")


class _Stroke(TypedDict):
    """A line's stroke, as reportlab's shapes take it."""

    strokeColor: Color
    strokeWidth: float
    strokeLineCap: Literal[0, 1, 2]


def _prop_box(box: tuple[float, float, float, float], corner: float, width: float) -> Rect:
    x0, y0, x1, y1 = box
    # Painted by attribute, as Rect's keywords would: types-reportlab 5.0 declares them
    # ``**kw: _SolidShapeKwArgs`` (without Unpack), which takes each for a whole dict.
    rect = Rect(x0, y0, x1 - x0, y1 - y0, rx=corner, ry=corner)
    rect.fillColor = PROP_FILL
    rect.strokeColor = PROP_LINE
    rect.strokeWidth = width
    return rect


def _draw_props(group: Group, scene: Scene, widths: dict[str, float]) -> None:
    x0, _, x1, _ = scene.canvas
    if scene.view == "above" and scene.mat:  # seen from the ceiling: the mat is the ground
        group.add(_prop_box(scene.mat, 3, widths["prop"]))
        return
    if scene.chair_front is not None:
        _draw_chair(group, scene.chair_front, scene.view, widths)
    if scene.wall is not None:
        group.add(_prop_box(scene.wall, 0, widths["prop"]))
    if scene.mat:
        group.add(_prop_box(scene.mat, 0.6, widths["prop"]))
    floor: _Stroke = {"strokeColor": FLOOR, "strokeWidth": widths["floor"], "strokeLineCap": 1}
    group.add(Line(x0 + 2, 0, x1 - 2, 0, **floor))


def _draw_chair(group: Group, front: float, view: str, widths: dict[str, float]) -> None:
    """From the side: front legs, back legs up into the backrest, the seat. From the
    front: two legs and the seat (the backrest stands behind the body)."""
    back = front - CHAIR_DEPTH
    seat = CHAIR_SEAT_HEIGHT
    line: _Stroke = {"strokeColor": PROP_LINE, "strokeWidth": widths["chair"], "strokeLineCap": 1}
    group.add(Line(front - 2, 0, front - 2, seat, **line))
    group.add(Line(back + 2, 0, back + 2, seat if view == "front" else seat + 40, **line))
    group.add(_prop_box((back, seat - 2, front, seat + 2), 1.5, widths["prop"]))


def _draw_body(
    group: Group,
    body: Body,
    view: str,
    colours: tuple[Color, Color, Color],
    widths: dict[str, float],
    psoas: tuple[str, ...],
) -> None:
    """The body's parts from the farthest to the nearest; the psoas of each side goes in
    right after the trunk (the near one) or right before it (the far one)."""
    fill, outline, far_fill = colours
    line = widths["outline"] if fill is not white else widths["ghost"]
    order = FRONT_ORDER if view == "front" else SIDE_ORDER
    for side, parts in order:
        names = [f"{side}_{part}" if side else part for part in parts]
        if side is None:
            for band in psoas:
                if band == "far":
                    _draw_psoas(group, body, band, view, widths)
        segments = [body.segment(name) for name in names]
        part_fill = far_fill if side == "far" else fill
        for segment in segments:  # outlines first, so that joints merge
            _bar(group, segment, line, outline)
        for segment in segments:
            _bar(group, segment, 0.0, part_fill)
        if side is None:
            _face(group, body, view, outline)
            for band in psoas:
                if band != "far":
                    _draw_psoas(group, body, band, view, widths)
    if view != "front" and _hand_behind_head(body):
        _redraw_head(group, body, view, fill, outline, line)


def _hand_behind_head(body: Body) -> bool:
    """A near hand that reaches the head is behind it (hands clasped behind the head)."""
    head = body.segment("head")
    return math.dist(body.points["near_hand"], head.start) < head.radius + 6


def _redraw_head(
    group: Group, body: Body, view: str, fill: Color, outline: Color, line: float
) -> None:
    head = body.segment("head")
    _bar(group, head, line, outline)
    _bar(group, head, 0.0, fill)
    _face(group, body, view, outline)


def _bar(group: Group, segment: Segment, extra: float, colour: Color) -> None:
    """The part as one filled shape: its two round ends and the band between them, each
    ``extra`` wider (the outline is the same shape, drawn wider underneath)."""
    (start, r0), (end, r1) = segment.circles
    r0, r1 = r0 + extra, r1 + extra
    band = _band(start, r0, end, r1)
    if not band:  # one end holds the other: a circle
        centre, radius = (start, r0) if r0 >= r1 else (end, r1)
        group.add(Circle(centre[0], centre[1], radius, fillColor=colour, strokeColor=None))
        return
    a0, a1, b1, b0 = band
    path = Path(fillColor=colour, strokeColor=None)
    path.moveTo(*a0)
    path.lineTo(*a1)
    _arc(path, end, r1, a1, b1)
    path.lineTo(*b0)
    _arc(path, start, r0, b0, a0)
    path.closePath()
    group.add(path)


def _band(start: Point, r0: float, end: Point, r1: float) -> list[Point]:
    """The four points where the lines tangent to both round ends touch them: along one
    side from the start to the end, then back along the other."""
    distance = math.dist(start, end)
    if distance <= abs(r0 - r1) or distance == 0:
        return []  # one end holds the other
    ux, uy = (end[0] - start[0]) / distance, (end[1] - start[1]) / distance
    cosine = (r0 - r1) / distance
    sine = math.sqrt(1 - cosine * cosine)
    (ax, ay), (bx, by) = [(ux * cosine - uy * s, uy * cosine + ux * s) for s in (sine, -sine)]
    return [
        (start[0] + r0 * bx, start[1] + r0 * by),
        (end[0] + r1 * bx, end[1] + r1 * by),
        (end[0] + r1 * ax, end[1] + r1 * ay),
        (start[0] + r0 * ax, start[1] + r0 * ay),
    ]


def _arc(path: Path, centre: Point, radius: float, start: Point, end: Point) -> None:
    """The outer round end from ``start`` to ``end``, turning the way away from the band,
    as cubic curves of at most a quarter turn each."""
    first = math.atan2(start[1] - centre[1], start[0] - centre[0])
    last = math.atan2(end[1] - centre[1], end[0] - centre[0])
    sweep = (last - first) % (2 * math.pi)  # the arc goes counter-clockwise round the end
    pieces = max(1, math.ceil(sweep / (math.pi / 2)))
    step = sweep / pieces
    handle = 4 / 3 * math.tan(step / 4) * radius
    angle = first
    for _ in range(pieces):
        following = angle + step
        p0 = (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))
        p3 = (centre[0] + radius * math.cos(following), centre[1] + radius * math.sin(following))
        c1 = (p0[0] - handle * math.sin(angle), p0[1] + handle * math.cos(angle))
        c2 = (p3[0] + handle * math.sin(following), p3[1] - handle * math.cos(following))
        path.curveTo(*c1, *c2, *p3)
        angle = following


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


def _draw_psoas(group: Group, body: Body, side: str, view: str, widths: dict[str, float]) -> None:
    origin, over_hip, insertion = psoas_band(body, side, view)
    band, line = widths["band"], widths["psoas"]
    for width, colour in ((band + 2 * line, INK), (band, PSOAS)):
        path = Path(strokeColor=colour, strokeWidth=width, strokeLineCap=1, fillColor=None)
        path.moveTo(*origin)
        path.curveTo(
            *_towards(origin, over_hip, 0.66), *_towards(insertion, over_hip, 0.66), *insertion
        )
        group.add(path)


def _towards(start: Point, end: Point, share: float) -> Point:
    return start[0] + (end[0] - start[0]) * share, start[1] + (end[1] - start[1]) * share


def _draw_arrow(group: Group, arrow: Arrow, width: float) -> None:
    path = Path(strokeColor=WARM, strokeWidth=width, strokeLineCap=1, fillColor=None)
    path.moveTo(*arrow.start)
    # A quadratic curve written as the equivalent cubic.
    c1 = _towards(arrow.start, arrow.control, 2 / 3)
    c2 = _towards(arrow.end, arrow.control, 2 / 3)
    path.curveTo(*c1, *c2, *arrow.end)
    group.add(path)
    dx, dy = arrow.end[0] - c2[0], arrow.end[1] - c2[1]
    size = math.hypot(dx, dy) or 1.0
    ux, uy = dx / size, dy / size
    head = 3.2 * width
    tip = (arrow.end[0] + ux * head * 0.6, arrow.end[1] + uy * head * 0.6)
    left = (tip[0] - ux * head - uy * head * 0.55, tip[1] - uy * head + ux * head * 0.55)
    right = (tip[0] - ux * head + uy * head * 0.55, tip[1] - uy * head - ux * head * 0.55)
    group.add(Polygon([*tip, *left, *right], fillColor=WARM, strokeColor=None))
