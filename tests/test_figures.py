"""Generated figures: geometry that holds for every pose, and what reaches the PDFs."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.book.model import AngleFix
from psoas_print.figures.body import (
    CONTACT_TOLERANCE,
    FLOOR_TOLERANCE,
    FRONT_RANGES,
    MAT_THICKNESS,
    SIDE_RANGES,
    Body,
    Keyframe,
    PoseError,
    build_body,
)
from psoas_print.figures.describe import alt_text
from psoas_print.figures.placement import Surfaces, place, touching
from psoas_print.figures.scene import Scene, build_scene
from tests.conftest import ENGLISH, SAMPLE_BOOK, run_cli
from tests.pdfs import tagged_figures

SAMPLE = load_book(SAMPLE_BOOK)
POSED = [e for e in SAMPLE.exercises.values() if e.pose]
REFERENCE = {view: build_body(view, {}) for view in ("side", "front")}
SUGGESTION = re.compile(r"(?P<joint>\w+) (?P<old>-?[\d.]+) -> (?P<new>-?[\d.]+) lets it rest")


def test_every_sample_exercise_has_a_figure():
    assert len(POSED) == len(SAMPLE.exercises) == 5
    views = {e.id: e.pose.view for e in POSED}
    assert views["standing-spine-twist"] == "front"
    assert views["side-kicks"] == "above"


def assert_lengths_kept(body: Body, view: str, angles: dict[str, float] | None = None) -> None:
    """Segments keep their body-model length; seen from the front, a turned arm and a leg
    bent toward the viewer only shorten."""
    angles = angles or {}
    reference = REFERENCE["front" if view == "front" else "side"]
    for segment in body.segments:
        expected = reference.segment(segment.name).length
        side = segment.name.split("_", 1)[0]
        turned = angles.get("twist", 0.0)
        bent = any(angles.get(j, 0.0) for j in (f"{side}_hip_flexion", f"{side}_knee"))
        if view == "front" and ("arm" in segment.name or "hand" in segment.name):
            assert segment.length <= expected + 1e-6
            if turned == 0:
                assert segment.length == pytest.approx(expected, abs=1e-6)
        elif view == "front" and ("thigh" in segment.name or "shank" in segment.name):
            assert segment.length <= expected + 0.01
            if not bent:
                assert segment.length == pytest.approx(expected, abs=0.01), segment.name
        else:
            assert segment.length == pytest.approx(expected, abs=1e-6), segment.name


def assert_on_surfaces(body: Body, view: str, contacts: dict[str, str], surfaces: Surfaces) -> None:
    for name, surface in contacts.items():
        lowest = touching(body, view, name)
        assert abs(lowest[1] - surfaces.height(surface)) <= CONTACT_TOLERANCE, name
    assert min(s.bottom for s in body.segments) >= surfaces.floor - FLOOR_TOLERANCE


def assert_inside(body: Body, scene: Scene) -> None:
    x0, y0, x1, y1 = body.bounds
    cx0, cy0, cx1, cy1 = scene.canvas
    assert cx0 <= x0 and x1 <= cx1 and cy0 <= y0 and y1 <= cy1


def assert_suggestion_works(view, angles, contacts, surfaces, error: PoseError) -> None:
    """A refused pose's error names one joint and an angle at which the pose rests (in its
    message, and as the fix the preview shows), or says that no one joint would do."""
    message = error.message
    found = SUGGESTION.search(message)
    if found is None:
        assert "no one joint's angle lets it rest" in message, message
        assert error.fix is None
        return
    assert error.fix == AngleFix(0, found["joint"], float(found["new"]))
    fixed = {**angles, found["joint"]: float(found["new"])}
    place(view, Keyframe("fixed", fixed, contacts), surfaces, ("keyframes", 0))


@pytest.mark.parametrize("exercise", POSED, ids=lambda e: e.id)
def test_sample_figures_keep_the_geometry(exercise):
    scene = build_scene(exercise.pose)
    floor = MAT_THICKNESS if "mat" in exercise.pose.props else 0.0
    for facts, body in zip(exercise.pose.keyframes, scene.bodies, strict=True):
        assert_lengths_kept(body, scene.view, facts.angles)
        if scene.view != "above":
            assert_on_surfaces(body, scene.view, facts.contact_surfaces(), Surfaces(floor=floor))
        assert_inside(body, scene)
        ranges = FRONT_RANGES if scene.view == "front" else SIDE_RANGES
        for joint, value in facts.angles.items():
            low, high = ranges[joint.split("_", 1)[-1] if joint not in ranges else joint]
            assert low <= value <= high


def angle_sets(ranges: dict[str, tuple[float, float]], sides: tuple[str, str]):
    joints = {}
    for joint, (low, high) in ranges.items():
        single = ("trunk", "neck", "twist", "pelvis", "lumbar", "thoracic")
        names = [joint] if joint in single else [f"{s}_{joint}" for s in sides]
        for name in names:
            joints[name] = st.floats(low, high, allow_nan=False)
    return st.fixed_dictionaries(joints)


SIDE_CONTACTS = [
    {"near_foot": "floor", "far_foot": "floor"},
    {"pelvis": "floor"},
    {"shoulders": "floor", "near_foot": "floor", "far_foot": "floor"},
    {"pelvis": "floor", "shoulders": "floor"},
    {"near_knee": "floor", "far_knee": "floor", "near_hand": "floor"},
    {"near_shin": "floor", "far_shin": "floor", "near_forearm": "floor"},
    {"sit_bones": "chair", "near_foot": "floor"},
]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(angles=angle_sets(SIDE_RANGES, ("near", "far")), contacts=st.sampled_from(SIDE_CONTACTS))
def test_random_side_poses_rest_on_their_contacts_or_say_what_would(angles, contacts):
    surfaces = Surfaces(floor=MAT_THICKNESS)
    try:
        body = place("side", Keyframe("random", angles, contacts), surfaces, ("keyframes", 0))
    except PoseError as error:
        assert error.location[:2] == ("keyframes", 0)
        assert "cm" in error.message
        assert_suggestion_works("side", angles, contacts, surfaces, error)
        return
    assert_lengths_kept(body, "side")
    assert_on_surfaces(body, "side", contacts, surfaces)


@pytest.mark.slow
@settings(max_examples=120, deadline=None)
@given(angles=angle_sets(FRONT_RANGES, ("left", "right")))
def test_random_front_poses_keep_lengths_and_stand_on_the_floor(angles):
    contacts = {"left_foot": "floor", "right_foot": "floor"}
    try:
        body = place("front", Keyframe("random", angles, contacts), Surfaces(), ("keyframes", 0))
    except PoseError as error:
        assert_suggestion_works("front", angles, contacts, Surfaces(), error)
        return
    assert_lengths_kept(body, "front", angles)
    assert_on_surfaces(body, "front", contacts, Surfaces())


def test_a_sideways_lean_and_a_hip_shift_survive_two_planted_feet():
    """Seen from the front, both feet stay where they stand: a lean bends the back to the
    side and a hip shift angles the legs, instead of the whole body turning upright."""
    contacts = {"left_foot": "floor", "right_foot": "floor"}
    upright = place("front", Keyframe("a", {}, contacts), Surfaces(), ("keyframes", 0))
    leaning = place("front", Keyframe("b", {"trunk": 25}, contacts), Surfaces(), ("keyframes", 0))
    shifted = place("front", Keyframe("c", {"pelvis": 10}, contacts), Surfaces(), ("keyframes", 0))
    for body in (leaning, shifted):
        for side in ("left", "right"):  # the feet where they were
            assert body.points[f"{side}_ankle"][0] - body.points["pelvis"][0] != pytest.approx(0)
    lean = leaning.points["shoulders"][0] - leaning.points["pelvis"][0]
    assert lean > 15  # the shoulders over to the figure's left
    shift = (shifted.points["pelvis"][0] - (shifted.points["left_ankle"][0]
             + shifted.points["right_ankle"][0]) / 2)  # fmt: skip
    assert shift > 10  # the hips over to the left of the feet
    upright_stance = upright.points["left_ankle"][0] - upright.points["right_ankle"][0]
    shifted_stance = shifted.points["left_ankle"][0] - shifted.points["right_ankle"][0]
    assert shifted_stance == pytest.approx(upright_stance, abs=0.5)


# The trunk's angle is the body's orientation: every value is a direction, none is refused.
LIMITED_JOINTS = sorted(set(SIDE_RANGES) - {"trunk"})


@given(
    joint=st.sampled_from(LIMITED_JOINTS),
    excess=st.floats(1, 500, allow_nan=False),
    above=st.booleans(),
)
def test_angles_outside_human_ranges_are_refused(joint, excess, above):
    low, high = SIDE_RANGES[joint]
    value = high + excess if above else low - excess
    from psoas_print.figures.body import check_angles

    with pytest.raises(PoseError) as caught:
        check_angles("side", {joint: value}, ("keyframes", 1, "angles"))
    assert caught.value.location == ("keyframes", 1, "angles", joint)
    assert "outside the human range" in caught.value.message
    # The nearest working angle is the end of the range it went past.
    assert caught.value.fix == AngleFix(1, joint, high if above else low)


def test_figures_command_writes_standalone_svgs(tmp_path):
    result = run_cli("figures", "--book", SAMPLE_BOOK, "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    files = sorted(tmp_path.glob("*.svg"))
    assert [f.stem for f in files] == sorted(e.id for e in POSED)
    for exercise in POSED:
        root = ElementTree.parse(tmp_path / f"{exercise.id}.svg").getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title").text == alt_text(exercise, ENGLISH)
        assert root.find(".//{http://www.w3.org/2000/svg}image") is None  # pure vector


@pytest.mark.parametrize("name", ["cheatsheet-a4", "cheatsheet-letter", "ebook-a4"])
def test_figures_are_vector_with_alt_text_in_the_pdf(outputs, name):
    reader = PdfReader(outputs[name])
    assert all(not page.images for page in reader.pages)
    alts = [alt for alt, _, _ in tagged_figures(outputs[name])]
    for exercise in POSED:
        assert alt_text(exercise, ENGLISH) in alts


def drawn_widths(path) -> dict[str, float]:
    """How wide each figure is drawn: its box, narrowed by object-fit for tall figures."""
    aspects = {
        alt_text(e, ENGLISH): build_scene(e.pose).width / build_scene(e.pose).height for e in POSED
    }
    return {
        alt: min(width, height * aspects[alt])
        for alt, width, height in tagged_figures(path)
        if alt in aspects
    }


@pytest.mark.parametrize("name", ["cheatsheet-a4", "cheatsheet-letter"])
def test_thumbnails_are_25_to_35_mm_wide(outputs, name):
    widths = drawn_widths(outputs[name])
    assert len(widths) == 5
    assert all(25 <= width <= 36 for width in widths.values()), widths


def test_ebook_figures_are_at_least_90_mm_wide(outputs):
    widths = drawn_widths(outputs["ebook-a4"])
    assert len(widths) == 5
    assert all(width >= 90 for width in widths.values()), widths
    assert math.isclose(max(widths.values()), 124, abs_tol=0.5)


def test_a_wall_contact_stands_the_body_against_the_wall():
    from psoas_print.book.model import PoseFacts
    from psoas_print.figures.scene import build_scene

    pose = PoseFacts.model_validate(
        {
            "view": "side",
            "props": ["wall"],
            "keyframes": [
                {
                    "name": "upright",
                    "angles": {"shoulder": 90},
                    "contacts": {"near_foot": "floor", "far_foot": "floor", "near_hand": "wall"},
                },
                {
                    "name": "leaning",
                    "angles": {"trunk": 20, "shoulder": 70},
                    "contacts": {"near_foot": "floor", "far_foot": "floor", "near_hand": "wall"},
                },
            ],
        }
    )
    scene = build_scene(pose)
    wall = scene.wall[0]  # in front of the body, which leans on it with a hand
    for body in scene.bodies:
        assert touching(body, "side", "near_hand", (1.0, 0.0))[0] == pytest.approx(
            wall, abs=CONTACT_TOLERANCE
        )
        assert max(s.extent((1.0, 0.0)) for s in body.segments) <= wall + CONTACT_TOLERANCE
