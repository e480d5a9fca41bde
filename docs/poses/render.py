"""Draw the pose reference, docs/poses.md: every joint at the two ends of its range and
every body surface a pose can rest on, each drawn by psoas-print itself.

    python docs/poses/render.py

The ranges and names come from the figures stage (figures/body.py), so the reference
follows the code; tests/test_pose_reference.py draws it again and fails when the page or
a picture here differs from what the tool draws now.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from psoas_print.book.model import PoseFacts
from psoas_print.figures.body import FRONT_RANGES, SIDE_RANGES, PoseError
from psoas_print.figures.drawing import to_svg
from psoas_print.figures.scene import build_scene
from psoas_print.figures.style import Style

HERE = Path(__file__).resolve().parent
Ranges = dict[str, tuple[float, float]]
PAGE = HERE.parent / "poses.md"

# Joints of one limb, moved on one side only so the other shows where it started.
SIDE_LIMBS = {"hip", "knee", "ankle", "shoulder", "elbow", "wrist"}
FRONT_LIMBS = {"shoulder", "elbow", "hip", "hip_flexion", "knee"}

# Where each joint is shown from: a body that stays put while the joint moves.
STANDING = ({}, ["near_foot", "far_foot"])
ON_ONE_FOOT = ({}, ["far_foot"])
SIDE_BASES: dict[str, tuple[dict[str, float], Any]] = {
    "hip": ON_ONE_FOOT,
    "knee": ON_ONE_FOOT,
    "ankle": ({"near_hip": 45, "near_knee": 30}, ["far_foot"]),
}
# The trunk turns the whole body, any way round: shown lying on the back, standing and
# lying face down, each resting on what it rests on.
TRUNK_TURN: list[tuple[float, dict[str, float], Any]] = [
    (-90.0, {}, ["shoulders", "pelvis"]),
    (0.0, {}, ["near_foot", "far_foot"]),
    (90.0, {"ankle": 70}, ["back", "pelvis"]),  # the feet pointed, lying on their tops
]
FRONT_STANDING = ({}, ["left_foot", "right_foot"])
FRONT_ON_ONE_FOOT = ({}, ["right_foot"])
FRONT_BASES = {
    "hip": FRONT_ON_ONE_FOOT,
    "hip_flexion": FRONT_ON_ONE_FOOT,
    "knee": FRONT_ON_ONE_FOOT,
}

# The body point an arrow follows as each joint moves (none where nothing moves far).
ARROWS = {
    "trunk": "nose", "pelvis": "low_back", "lumbar": "mid_back", "thoracic": "nose",
    "neck": "nose", "twist": "nose", "hip": "knee", "hip_flexion": "knee", "knee": "ankle",
    "ankle": "toe", "shoulder": "elbow", "elbow": "wrist",
}  # fmt: skip

# A position resting on each body surface, one keyframe each (most from docs/gallery).
CONTACTS: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "contacts.yaml").read_text("utf-8"))


@dataclass(frozen=True)
class Picture:
    name: str  # its file in docs/poses/
    svg: str
    caption: str


def joint_picture(view: str, joint: str, low: float, high: float) -> Picture:
    """The joint at the low end of its range (outlined) and at the high end (solid)."""
    limbs, prefix = (SIDE_LIMBS, "near_") if view == "side" else (FRONT_LIMBS, "left_")
    bases = SIDE_BASES if view == "side" else FRONT_BASES
    angles, contacts = bases.get(joint, STANDING if view == "side" else FRONT_STANDING)
    name = prefix + joint if joint in limbs else joint
    turn = [(low, {}, contacts), (high, {}, contacts)]
    if (view, joint) == ("side", "trunk"):
        turn = TRUNK_TURN
    keyframes = [
        {
            "name": f"{name} {value:g}",
            "angles": {**angles, **more, name: value},
            "contacts": touching,
        }
        for value, more, touching in turn
    ]
    pose: dict[str, Any] = {"view": view, "keyframes": keyframes}
    if joint in ARROWS:
        point = prefix + ARROWS[joint] if joint in limbs else ARROWS[joint]
        pose["arrows"] = [
            {"point": point, "from": keyframes[0]["name"], "to": keyframes[-1]["name"]}
        ]
    ends = [value for value, _, _ in turn]
    caption = f"{name} from {ends[0]:g}° (outlined) to {ends[-1]:g}° (solid)"
    if len(ends) > 2:
        caption = f"{name} at {', '.join(f'{value:g}°' for value in ends)}, the last solid"
    return Picture(f"{view}-{joint}.svg", _drawn(pose, caption), caption)


def contact_picture(surface: str) -> Picture:
    position = CONTACTS[surface]
    title = position["title"]
    keyframe = {"name": title, "angles": position["angles"], "contacts": position["contacts"]}
    pose = {"view": "side", "props": position["props"], "keyframes": [keyframe, keyframe]}
    caption = f"{surface}: {title}"
    return Picture(f"contact-{surface}.svg", _drawn(pose, caption), caption)


def _drawn(pose: dict[str, Any], caption: str) -> str:
    facts = PoseFacts.model_validate(pose)
    try:
        scene = build_scene(facts)
    except PoseError as error:
        if "arrows" not in pose or error.location[:1] != ("arrows",):
            raise
        scene = build_scene(facts.model_copy(update={"arrows": []}))  # it hardly moves
    return to_svg(scene, caption, Style(), "en")


def pictures() -> list[Picture]:
    side = [joint_picture("side", joint, *SIDE_RANGES[joint]) for joint in SIDE_RANGES]
    front = [joint_picture("front", joint, *FRONT_RANGES[joint]) for joint in FRONT_RANGES]
    return [*side, *front, *(contact_picture(surface) for surface in CONTACTS)]


def page(drawn: list[Picture]) -> str:
    """docs/poses.md, showing every picture."""
    by_name = {picture.name: picture for picture in drawn}

    def rows(
        prefix: str, ranges: dict[str, tuple[float, float]], limbs: set[str], side: str
    ) -> str:
        lines = ["| joint | range | at each end |", "|---|---|---|"]
        for joint, (low, high) in ranges.items():
            written = f"`{joint}`" + (f", `{side}_{joint}`" if joint in limbs else "")
            picture = by_name[f"{prefix}-{joint}.svg"]
            image = f"![{picture.caption}](poses/{picture.name})"
            lines.append(f"| {written} | {low:g}° to {high:g}° | {image} |")
        return "\n".join(lines)

    contacts = ["| surface | written | resting on it |", "|---|---|---|"]
    for surface in CONTACTS:
        picture = by_name[f"contact-{surface}.svg"]
        sided = surface not in ("head", "shoulders", "back", "pelvis", "sacrum", "sit_bones")
        written = f"`near_{surface}`, `far_{surface}`" if sided else f"`{surface}`"
        image = f"![{picture.caption}](poses/{picture.name})"
        contacts.append(f"| {surface.replace('_', ' ')} | {written} | {image} |")
    return PAGE_TEXT.format(
        side=rows("side", SIDE_RANGES, SIDE_LIMBS, "near"),
        front=rows("front", FRONT_RANGES, FRONT_LIMBS, "left"),
        contacts="\n".join(contacts),
    )


PAGE_TEXT = """# Pose reference

<!-- Made by docs/poses/render.py from the figures stage's own ranges; do not edit. -->

Every joint a pose description can bend, drawn by psoas-print at the two ends of its
range: the outlined body is the joint at its lowest angle, the solid one at its highest,
the arrow the path between. An angle outside the range is an error naming the file and
line, and the preview shows the nearest angle that works. Angles are in degrees; a joint
written without a side moves both sides (`knee: 90`), one with `near_`/`far_` (side view)
or `left_`/`right_` (front view) one side only, and wins over the shorthand.

## Side view (and from above)

Seen from the side: forward is positive for the trunk, the hip, the shoulder; bending
is positive for the knee, the elbow and the spine's pieces, extension negative. `trunk`
is the lean of the whole body, any angle: 0 stands, -90 lies on the back, 90 face down.

{side}

## Front view

Seen from the front: `trunk`, `lumbar` and `thoracic` lean and bend sideways, `pelvis`
shifts the hips, `twist` turns the upper body, `neck` turns the head; `hip` opens the leg
out to the side, `hip_flexion` and `knee` bend toward the viewer.

{front}

## Contacts

A keyframe's `contacts` name the body surfaces that rest on the floor (on the mat when
there is one), on a chair or on the wall (`{{sit_bones: chair, back: wall}}`); the body is
turned and moved until each rests on its surface. Each picture is a position resting on
that surface. The front view names the same surfaces with `left_` and `right_`: `head`,
`shoulders`, `pelvis`, `sit_bones`, and per side `foot`, `knee`, `hand`, `elbow`,
`forearm`.

{contacts}
"""


def main() -> None:
    drawn = pictures()
    for picture in drawn:
        (HERE / picture.name).write_text(picture.svg, encoding="utf-8")
    PAGE.write_text(page(drawn), encoding="utf-8")
    print(f"wrote {PAGE} and {len(drawn)} pictures", file=sys.stderr)


if __name__ == "__main__":
    main()
