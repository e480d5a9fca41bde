"""Draw the pictures of the second test book: line drawings of a figure in each position.

Writes into tests/books/second/figures/: PNG and JPEG stick figures drawn with Pillow, and
two hand-written SVG files. Run it again after changing a drawing:

    python tests/books/draw_images.py

The raster drawings are at least 1600 px wide, so that they print at 300 dpi across the
ebook's 124 mm column (the tall doorway drawing is a portrait 1200 x 2000 on purpose).
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FIGURES = HERE / "second" / "figures"
FONT_FILE = HERE.parents[1] / "fonts" / "Inter-SemiBold.otf"

SUPERSAMPLE = 2  # draw at twice the size, then shrink: smooth edges
INK = (29, 36, 39)
GHOST = (184, 192, 194)
WARM = (180, 86, 30)
PROP = (125, 149, 146)
PROP_FILL = (213, 226, 224)
FLOOR = (86, 99, 106)
WHITE = (255, 255, 255)

# Body proportions as fractions of standing height.
TRUNK, NECK, HEAD = 0.29, 0.045, 0.068  # pelvis to shoulders; head is a radius
THIGH, SHANK, FOOT = 0.245, 0.25, 0.12  # hip to knee, knee to ankle, ankle to toe
UPPER_ARM, FOREARM = 0.17, 0.19  # the forearm includes the hand
CHAIR_SEAT, CHAIR_DEPTH, CHAIR_BACK = 0.27, 0.25, 0.28
DESK_HEIGHT = 0.43

Point = tuple[float, float]


def toward(start: Point, degrees: float, size: float) -> Point:
    """The point ``size`` away from ``start`` at ``degrees`` from straight up, clockwise."""
    radians = math.radians(degrees)
    return start[0] + math.sin(radians) * size, start[1] - math.cos(radians) * size


def bearing(start: Point, end: Point) -> float:
    """The direction from ``start`` to ``end`` in degrees from straight up, clockwise."""
    return math.degrees(math.atan2(end[0] - start[0], start[1] - end[1]))


def joint(start: Point, end: Point, first: float, second: float, bend: int) -> Point:
    """The middle joint of a two-part limb from ``start`` to ``end``; ``bend`` picks the side."""
    reach = min(math.dist(start, end), first + second - 0.5)
    cosine = (first * first + reach * reach - second * second) / (2 * first * reach)
    offset = math.degrees(math.acos(max(-1.0, min(1.0, cosine))))
    return toward(start, bearing(start, end) + bend * offset, first)


class Canvas:
    """A white picture, drawn at SUPERSAMPLE times its size; coordinates are final pixels."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    def _xy(self, point: Point) -> tuple[float, float]:
        return point[0] * SUPERSAMPLE, point[1] * SUPERSAMPLE

    def line(self, points: list[Point], colour: tuple, width: float) -> None:
        scaled = [self._xy(p) for p in points]
        w = round(width * SUPERSAMPLE)
        self.draw.line(scaled, fill=colour, width=w, joint="curve")
        for x, y in scaled:  # round caps
            self.draw.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=colour)

    def dashed(self, start: Point, end: Point, colour: tuple, width: float, dash: float) -> None:
        total = math.dist(start, end)
        done = 0.0
        while done < total:
            a, b = done / total, min(total, done + dash) / total
            self.line(
                [
                    (start[0] + (end[0] - start[0]) * a, start[1] + (end[1] - start[1]) * a),
                    (start[0] + (end[0] - start[0]) * b, start[1] + (end[1] - start[1]) * b),
                ],
                colour,
                width,
            )
            done += 2 * dash

    def circle(self, centre: Point, radius: float, outline, width: float, fill=WHITE) -> None:
        x, y = self._xy(centre)
        r = radius * SUPERSAMPLE
        self.draw.ellipse(
            (x - r, y - r, x + r, y + r),
            fill=fill,
            outline=outline,
            width=round(width * SUPERSAMPLE),
        )

    def rect(self, box: tuple[float, float, float, float], fill, outline, width: float, radius=0):
        x0, y0 = self._xy(box[:2])
        x1, y1 = self._xy(box[2:])
        self.draw.rounded_rectangle(
            (x0, y0, x1, y1),
            radius=radius * SUPERSAMPLE,
            fill=fill,
            outline=outline,
            width=round(width * SUPERSAMPLE),
        )

    def text(self, point: Point, words: str, size: float, colour=INK, anchor="la") -> None:
        font = _font(round(size * SUPERSAMPLE))
        self.draw.text(self._xy(point), words, fill=colour, font=font, anchor=anchor)

    def arrow(self, start: Point, end: Point, bulge: float, width: float = 10) -> None:
        """A curved arrow from start to end, bowed ``bulge`` pixels to its left."""
        mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        dx, dy = end[0] - start[0], end[1] - start[1]
        size = math.hypot(dx, dy)
        control = (mid[0] + dy / size * bulge, mid[1] - dx / size * bulge)
        points = [
            (
                (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
                (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1],
            )
            for t in (i / 24 for i in range(25))
        ]
        self.line(points[:-2], WARM, width)
        tip, back = points[-1], points[-3]
        angle = math.atan2(tip[1] - back[1], tip[0] - back[0])
        head = 4 * width
        wings = [
            (tip[0] - head * math.cos(angle + s), tip[1] - head * math.sin(angle + s))
            for s in (0.45, -0.45)
        ]
        self.draw.polygon([self._xy(tip), *(self._xy(w) for w in wings)], fill=WARM)

    def floor(self, y: float, x0: float = 40, x1: float | None = None) -> None:
        self.line([(x0, y + 4), (x1 if x1 is not None else self.width - 40, y + 4)], FLOOR, 8)

    def mat(self, x0: float, x1: float, floor: float, thickness: float = 16) -> float:
        """A mat on the floor; returns the height of its top."""
        self.rect((x0, floor - thickness, x1, floor), PROP_FILL, PROP, 4, radius=6)
        return floor - thickness

    def chair(self, front: float, floor: float, h: float, facing: int = 1) -> float:
        """A side-view chair with its seat's front edge at ``front``; returns the seat height."""
        seat = floor - CHAIR_SEAT * h
        back = front - facing * CHAIR_DEPTH * h
        self.line([(back, seat), (front, seat)], PROP, 14)
        self.line([(front - facing * 8, seat), (front - facing * 8, floor)], PROP, 10)
        self.line(
            [(back + facing * 8, floor), (back + facing * 8, seat - CHAIR_BACK * h)], PROP, 10
        )
        return seat - 7

    def desk(self, x0: float, x1: float, floor: float, h: float, screen_top: float | None = None):
        """A side-view desk; with ``screen_top``, a monitor whose top edge is at that height."""
        top = floor - DESK_HEIGHT * h
        self.line([(x0, top), (x1, top)], PROP, 16)
        self.line([(x0 + 12, top), (x0 + 12, floor)], PROP, 10)
        self.line([(x1 - 12, top), (x1 - 12, floor)], PROP, 10)
        if screen_top is not None:
            mx = x1 - 0.1 * h
            self.line([(mx, top), (mx, top - 0.07 * h)], PROP, 10)
            self.rect(
                (mx - 0.018 * h, screen_top, mx + 0.018 * h, top - 0.07 * h),
                PROP_FILL,
                PROP,
                5,
                radius=5,
            )
        return top

    def save(self, name: str) -> None:
        small = self.image.resize((self.width, self.height), Image.LANCZOS)
        path = FIGURES / name
        if name.endswith(".png"):
            # Line art needs few colours: a small palette keeps the file small.
            small.quantize(
                colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            ).save(path, optimize=True)
        else:
            small.save(path, quality=80, optimize=True, subsampling="4:2:0")
        print(
            f"{path.relative_to(HERE)}: {self.width} x {self.height}, {path.stat().st_size} bytes"
        )


_fonts: dict[int, ImageFont.FreeTypeFont] = {}


def _font(size: int) -> ImageFont.FreeTypeFont:
    if size not in _fonts:
        try:
            _fonts[size] = ImageFont.truetype(str(FONT_FILE), size)
        except OSError:
            _fonts[size] = ImageFont.load_default(size)
    return _fonts[size]


class Figure:
    """A side-view stick figure facing right: a thick trunk, a round head, thinner limbs.

    Limbs are lists of points; ``far`` limbs are drawn paler and behind the trunk, ``near``
    limbs darker and in front of it.
    """

    def __init__(self, pelvis: Point, h: float, colour=INK) -> None:
        self.pelvis, self.h, self.colour = pelvis, h, colour
        self.limbs: list[tuple[str, list[Point]]] = []
        self.shoulders = pelvis
        self.head = pelvis

    @property
    def width(self) -> float:
        return 0.036 * self.h

    def trunk(self, degrees: float, neck: float = 0.0) -> Figure:
        self.shoulders = toward(self.pelvis, degrees, TRUNK * self.h)
        self.neck_end = toward(self.shoulders, degrees + neck, NECK * self.h)
        self.head = toward(self.neck_end, degrees + neck, HEAD * self.h)
        return self

    def trunk_to(self, shoulders: Point, neck: float = 0.0) -> Figure:
        return self.trunk(bearing(self.pelvis, shoulders), neck)

    def limb(self, layer: str, *points: Point) -> Figure:
        self.limbs.append((layer, list(points)))
        return self

    def leg(self, layer: str, ankle: Point, toe_degrees: float = 90, bend: int = -1) -> Figure:
        """A leg from the hip to ``ankle``, the knee bending forward (``bend`` -1) or back."""
        knee = joint(self.pelvis, ankle, THIGH * self.h, SHANK * self.h, bend)
        return self.limb(layer, self.pelvis, knee, ankle, toward(ankle, toe_degrees, FOOT * self.h))

    def straight_leg(self, layer: str, degrees: float, toe_degrees: float = 90) -> Figure:
        ankle = toward(self.pelvis, degrees, (THIGH + SHANK) * self.h)
        knee = toward(self.pelvis, degrees, THIGH * self.h)
        return self.limb(layer, self.pelvis, knee, ankle, toward(ankle, toe_degrees, FOOT * self.h))

    def arm(self, layer: str, hand: Point, bend: int = 1) -> Figure:
        """An arm from the shoulder to ``hand``, the elbow bending back (``bend`` 1) or forward."""
        elbow = joint(self.shoulders, hand, UPPER_ARM * self.h, FOREARM * self.h, bend)
        return self.limb(layer, self.shoulders, elbow, hand)

    def straight_arm(self, layer: str, degrees: float) -> Figure:
        return self.limb(
            layer,
            self.shoulders,
            toward(self.shoulders, degrees, UPPER_ARM * self.h),
            toward(self.shoulders, degrees, (UPPER_ARM + FOREARM) * self.h),
        )

    def hand(self, layer: str = "near") -> Point:
        return [points for lay, points in self.limbs if lay == layer][-1][-1]

    def draw(self, canvas: Canvas, ghost: bool = False) -> None:
        colour = GHOST if ghost else self.colour
        pale = GHOST if ghost else tuple(min(255, c + 80) for c in colour)
        w = self.width
        for layer, points in self.limbs:
            if layer == "far":
                canvas.line(points, pale, w)
        canvas.line([self.pelvis, self.shoulders], colour, w * 2.1)
        canvas.line([self.shoulders, self.neck_end], colour, w)
        canvas.circle(self.head, HEAD * self.h, colour, w * 0.7)
        if not ghost:
            eye = toward(self.head, bearing(self.neck_end, self.head) + 80, HEAD * self.h * 0.45)
            canvas.circle(eye, w * 0.2, colour, 1, fill=colour)
        for layer, points in self.limbs:
            if layer == "near":
                canvas.line(points, colour, w)


def standing(x: float, floor: float, h: float) -> Figure:
    """A figure whose straight legs put the feet on ``floor`` below the hips at ``x``."""
    w = 0.036 * h
    return Figure((x, floor - w / 2 - (THIGH + SHANK) * h), h)


def sitting(seat_front: float, seat: float, floor: float, h: float) -> Figure:
    """A figure sitting on a seat whose front edge is at ``seat_front``, facing right."""
    w = 0.036 * h
    return Figure((seat_front - 0.2 * h, seat - w * 1.1), h)


def seated_legs(f: Figure, floor: float, forward: float = 0.0) -> None:
    w = f.width
    knee = toward(f.pelvis, 90, THIGH * f.h)
    for layer, shift in (("far", -0.03 * f.h), ("near", 0.0)):
        ankle = (knee[0] + forward + shift, floor - w / 2)
        ankle = toward(knee, bearing(knee, ankle), SHANK * f.h)
        ankle = (ankle[0], min(ankle[1], floor - w / 2))
        f.limb(
            layer, f.pelvis, (knee[0] + shift, knee[1]), ankle, (ankle[0] + FOOT * f.h, ankle[1])
        )


def half_kneeling() -> None:
    c = Canvas(1800, 1200)
    floor, h = 1040, 1000
    c.floor(floor)
    top = c.mat(200, 1600, floor)
    w = 0.036 * h
    cushion = top - 44
    c.rect((600, cushion, 860, top), PROP_FILL, PROP, 5, radius=20)
    knee = (760, cushion - w / 2)
    pelvis = toward(knee, 8, THIGH * h)
    seat = c.chair(pelvis[0] + 0.02 * h, top, h)  # beside the figure, seen behind it
    f = Figure(pelvis, h)
    f.trunk(-2, neck=0)
    back_ankle = (knee[0] - SHANK * h, top - w / 2 - 0.02 * h)
    f.limb("far", pelvis, knee, back_ankle, toward(back_ankle, 235, 0.09 * h))
    front_ankle = (pelvis[0] + THIGH * h + 0.03 * h, top - w / 2 - 0.035 * h)
    f.leg("near", front_ankle, toe_degrees=95)
    f.arm("far", (pelvis[0] - 0.06 * h, seat - w / 2))
    ghost = Figure(pelvis, h).trunk(-2)
    ghost.straight_arm("near", 125)
    ghost.draw(c, ghost=True)
    f.straight_arm("near", 14)
    f.draw(c)
    c.arrow(toward(ghost.hand(), 60, 60), toward(f.hand(), 110, 70), -150)
    c.text((1130, 250), "inhale, reach up", 52, WARM)
    c.text((1130, 320), "exhale, tuck the pelvis", 52, WARM)
    c.text((60, 1130), "Half-kneeling hip flexor stretch, a chair at the side for balance", 46)
    c.save("half-kneeling-hip-flexor.jpg")


def on_all_fours(knee_x: float, top: float, h: float) -> Figure:
    """A figure on hands and knees facing right: thighs and arms upright."""
    w = 0.036 * h
    knee = (knee_x, top - w / 2)
    pelvis = (knee_x, knee[1] - THIGH * h)
    hand_y = top - w / 2
    shoulder_y = hand_y - (UPPER_ARM + FOREARM) * h
    shoulder_x = pelvis[0] + math.sqrt((TRUNK * h) ** 2 - (pelvis[1] - shoulder_y) ** 2)
    f = Figure(pelvis, h).trunk_to((shoulder_x, shoulder_y), neck=20)
    f.knee = knee
    return f


def bird_dog() -> None:
    c = Canvas(1800, 1200)
    floor, h = 980, 1100
    c.floor(floor)
    top = c.mat(150, 1650, floor)
    f = on_all_fours(620, top, h)
    ankle = (f.knee[0] - SHANK * h, top - f.width / 2)
    f.limb("far", f.pelvis, f.knee, ankle, toward(ankle, 250, 0.08 * h))
    f.straight_arm("far", 180)
    ghost_foot = ankle
    ghost_hand = f.hand("far")
    f.straight_leg("near", 272, toe_degrees=185)
    f.straight_arm("near", 78)
    f.draw(c)
    c.arrow((ghost_foot[0] + 60, ghost_foot[1] - 70), toward(f.limbs[-2][1][2], 150, 70), -150)
    c.arrow((ghost_hand[0] + 70, ghost_hand[1] - 60), toward(f.hand(), 200, 70), 150)
    c.text((560, 230), "exhale, reach long", 56, WARM)
    c.text((60, 1130), "Bird dog: opposite arm and leg reach away, back flat as a table", 46)
    c.save("bird-dog.png")


def stretch_break() -> None:
    c = Canvas(1800, 1200)
    floor, h = 1060, 820
    c.floor(floor)
    c.desk(1050, 1720, floor, h, screen_top=floor - 0.72 * h)
    c.chair(560, floor, h)
    ghost = standing(820, floor, h).trunk(0)
    ghost.straight_arm("near", 140)
    ghost.draw(c, ghost=True)
    f = standing(820, floor, h).trunk(-3, neck=-10)
    f.straight_leg("far", 183)
    f.straight_leg("near", 177)
    f.straight_arm("far", 20)
    f.straight_arm("near", 28)
    f.draw(c)
    c.arrow(toward(ghost.hand(), 60, 60), toward(f.hand(), 120, 70), -180)
    c.text((1080, 150), "every half hour:", 54, WARM)
    c.text((1080, 222), "stand up and reach up", 54, WARM)
    c.text((60, 1150), "A stretch break beside the desk", 44)
    c.save("stretch-break.png")


def desk_row() -> None:
    c = Canvas(3200, 1200)
    floor, h = 1000, 740
    c.floor(floor, 40, 3160)
    labels = ["Slumped for hours", "Sitting tall", "Standing up", "Reaching up"]
    for i, label in enumerate(labels):
        x = 60 + i * 780
        c.desk(x + 430, x + 740, floor, h, screen_top=floor - 0.7 * h)
        if i < 2:
            seat = c.chair(x + 330, floor, h)
            f = sitting(x + 330, seat, floor, h)
            seated_legs(f, floor)
            if i == 0:
                f.trunk(30, neck=35)
                f.arm("near", (x + 500, floor - DESK_HEIGHT * h - f.width))
            else:
                f.trunk(-3)
                f.arm("near", (x + 470, floor - DESK_HEIGHT * h - f.width))
        else:
            c.chair(x + 150, floor, h)
            f = standing(x + 300, floor, h).trunk(0 if i == 2 else -3)
            f.straight_leg("far", 182)
            f.straight_leg("near", 178)
            if i == 2:
                f.straight_arm("far", 186)
                f.straight_arm("near", 172)
            else:
                f.straight_arm("far", 18)
                f.straight_arm("near", 26)
        f.draw(c)
        c.text((x + 90, 1100), label, 56)
    c.text((60, 70), "The same desk, four ways to use it", 64, WARM)
    c.save("desk-row-wide.png")


def workstation() -> None:
    c = Canvas(1800, 1200)
    floor, h = 1060, 900
    c.floor(floor)
    seat = c.chair(700, floor, h)
    f = sitting(700, seat, floor, h).trunk(-2)
    eye_y = f.head[1] - 0.01 * h
    top = c.desk(860, 1650, floor, h, screen_top=eye_y)
    seated_legs(f, floor)
    elbow = (f.shoulders[0] - 0.01 * h, f.shoulders[1] + UPPER_ARM * h)
    f.limb("near", f.shoulders, elbow, (elbow[0] + FOREARM * h, elbow[1]))
    f.draw(c)
    c.dashed((f.head[0] + HEAD * h + 20, eye_y), (1650 - 0.12 * h, eye_y), WARM, 6, 22)
    c.text((920, eye_y - 80), "eyes level with the top of the screen", 40, WARM)
    c.text((920, top + 40), "elbows at about 90°, level with the desk", 40, WARM)
    c.text((920, floor - 60), "feet flat on the floor", 40, WARM)
    c.text((60, 1150), "Set up the workstation to fit you, not the other way round", 44)
    c.save("workstation.jpg")


def doorway_tall() -> None:
    c = Canvas(1200, 2000)
    floor, h = 1820, 1400
    c.floor(floor, 40, 1160)
    post = 420
    c.rect((post - 22, 120, post + 22, floor), PROP_FILL, PROP, 6)  # the door frame
    c.line([(post, 120), (1160, 120)], PROP, 14)
    f = standing(post + 0.2 * h, floor, h).trunk(7, neck=-5)
    w = f.width
    f.leg("far", (f.pelvis[0] - 0.16 * h, floor - w / 2 - 0.03 * h), toe_degrees=100)
    f.leg("near", (f.pelvis[0] + 0.16 * h, floor - w / 2 - 0.03 * h), toe_degrees=90)
    elbow = (post + 30, f.shoulders[1] + 0.02 * h)
    f.limb("far", f.shoulders, elbow, (post + 30, elbow[1] - FOREARM * h))
    f.straight_arm("near", 176)
    f.draw(c)
    c.text((post + 60, 250), "forearm on the frame,", 46, WARM)
    c.text((post + 60, 310), "step through", 46, WARM)
    c.text((60, 1920), "Doorway chest stretch", 56)
    c.save("doorway-tall.jpg")


CAT_COW_SVG = """<svg xmlns="http://www.w3.org/2000/svg"
     width="1500" height="1000" viewBox="0 0 1500 1000">
  <title>Cat and cow: on all fours, the back rounds up, then dips down</title>
  <rect width="1500" height="1000" fill="#ffffff"/>
  <g fill="none" stroke-linecap="round" stroke-linejoin="round">
    <!-- the mat and the floor -->
    <rect x="60" y="800" width="1380" height="18" rx="6"
          fill="#d5e2e0" stroke="#7d9592" stroke-width="4"/>
    <line x1="40" y1="818" x2="1460" y2="818" stroke="#56636a" stroke-width="8"/>
    <!-- cat: back rounded up, head down -->
    <g stroke="#1d2427" stroke-width="30">
      <path d="M 180 540 C 250 360, 480 360, 560 520"/>
      <path d="M 180 540 L 190 795 L 380 795" stroke="#8a9597"/>
      <path d="M 560 520 L 575 795" stroke="#8a9597"/>
      <path d="M 195 545 L 200 795 L 390 795"/>
      <path d="M 555 525 L 560 795"/>
      <path d="M 560 520 L 600 600"/>
    </g>
    <circle cx="625" cy="650" r="52" fill="#ffffff" stroke="#1d2427" stroke-width="24"/>
    <!-- cow: back dipped, head up -->
    <g stroke="#1d2427" stroke-width="30">
      <path d="M 900 480 C 980 580, 1190 580, 1260 470"/>
      <path d="M 900 480 L 910 795 L 1100 795" stroke="#8a9597"/>
      <path d="M 1260 470 L 1275 795" stroke="#8a9597"/>
      <path d="M 915 485 L 920 795 L 1110 795"/>
      <path d="M 1255 475 L 1260 795"/>
      <path d="M 1260 470 L 1300 400"/>
    </g>
    <circle cx="1335" cy="345" r="52" fill="#ffffff" stroke="#1d2427" stroke-width="24"/>
    <!-- arrows: the spine moves up, then down -->
    <g stroke="#b4561e" stroke-width="12">
      <path d="M 300 330 C 340 250, 420 250, 460 330"/>
      <path d="M 1020 640 C 1060 700, 1120 700, 1160 640"/>
    </g>
    <g fill="#b4561e" stroke="none">
      <path d="M 476 360 L 438 332 L 480 316 Z"/>
      <path d="M 1176 612 L 1138 640 L 1180 656 Z"/>
    </g>
  </g>
  <g fill="#1d2427" font-family="Inter, sans-serif" font-size="56" font-weight="600">
    <text x="250" y="920">Cat: round up</text>
    <text x="960" y="920">Cow: dip down</text>
  </g>
  <g fill="#b4561e" font-family="Inter, sans-serif" font-size="44" font-style="italic">
    <text x="250" y="220">exhale</text>
    <text x="1000" y="760">inhale</text>
  </g>
</svg>
"""

FLOOR_SPACE_SVG = """<svg xmlns="http://www.w3.org/2000/svg"
     width="1500" height="1000" viewBox="0 0 1500 1000">
  <title>Room to lie down: a mat two metres long and one wide, clear of furniture</title>
  <rect width="1500" height="1000" fill="#ffffff"/>
  <!-- the room, seen from the ceiling: a desk, a chair and the clear floor -->
  <rect x="60" y="60" width="1380" height="880" rx="10"
        fill="none" stroke="#56636a" stroke-width="8"/>
  <rect x="100" y="100" width="520" height="200" rx="12"
        fill="#d5e2e0" stroke="#7d9592" stroke-width="6"/>
  <rect x="300" y="320" width="140" height="140" rx="30"
        fill="#d5e2e0" stroke="#7d9592" stroke-width="6"/>
  <!-- the mat, with a figure lying on its back -->
  <rect x="440" y="560" width="900" height="260" rx="16"
        fill="#e7efed" stroke="#7d9592" stroke-width="6"/>
  <g fill="none" stroke="#1d2427" stroke-width="26" stroke-linecap="round" stroke-linejoin="round">
    <line x1="620" y1="690" x2="930" y2="690"/>
    <path d="M 930 670 L 1090 640 L 1240 650"/>
    <path d="M 930 710 L 1090 740 L 1240 730"/>
    <path d="M 650 660 L 800 620 L 900 640"/>
    <path d="M 650 720 L 800 760 L 900 740"/>
  </g>
  <circle cx="560" cy="690" r="48" fill="#ffffff" stroke="#1d2427" stroke-width="20"/>
  <!-- dimensions -->
  <g stroke="#b4561e" stroke-width="6" fill="none">
    <line x1="440" y1="880" x2="1340" y2="880"/>
    <line x1="440" y1="860" x2="440" y2="900"/>
    <line x1="1340" y1="860" x2="1340" y2="900"/>
    <line x1="1390" y1="560" x2="1390" y2="820"/>
    <line x1="1370" y1="560" x2="1410" y2="560"/>
    <line x1="1370" y1="820" x2="1410" y2="820"/>
    <path d="M 700 420 C 620 440, 560 480, 520 540" stroke-dasharray="18 14"/>
  </g>
  <g font-family="Inter, sans-serif" font-size="44" fill="#b4561e">
    <text x="800" y="930">about 2 m</text>
    <text x="1180" y="540">about 1 m</text>
    <text x="720" y="420">push the chair away first</text>
  </g>
  <g font-family="Inter, sans-serif" font-size="44" fill="#1d2427">
    <text x="140" y="215">desk</text>
  </g>
</svg>
"""


def write_svgs() -> None:
    for name, text in (("cat-cow.svg", CAT_COW_SVG), ("floor-space.svg", FLOOR_SPACE_SVG)):
        path = FIGURES / name
        path.write_text(text, encoding="utf-8")
        print(f"{path.relative_to(HERE)}: SVG, {path.stat().st_size} bytes")


def main() -> None:
    FIGURES.mkdir(parents=True, exist_ok=True)
    half_kneeling()
    bird_dog()
    stretch_break()
    desk_row()
    workstation()
    doorway_tall()
    write_svgs()


if __name__ == "__main__":
    main()
