"""The gallery of standard positions (docs/gallery/book): every figure rests where its pose
says, clear of the floor and the props, with the psoas between its attachments and the
breath label clear of everything; a pose changed at random rests too, or its error names
a joint and an angle that work; and every figure keeps to the print rules for line art."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from psoas_print import load_book
from psoas_print.book.model import PoseFacts
from psoas_print.figures.body import (
    CONTACT_TOLERANCE,
    FLOOR_TOLERANCE,
    MAT_THICKNESS,
    Body,
    Keyframe,
    PoseError,
    joint_names,
    joint_range,
    length,
)
from psoas_print.figures.drawing import MIN_LINE_PT, MIN_TINT, line_widths, printed_pt, to_svg
from psoas_print.figures.placement import Surfaces, place, touching
from psoas_print.figures.scene import (
    LABEL_CLEARANCE,
    Scene,
    build_scene,
    chair_boxes,
    label_box,
    psoas_band,
)
from psoas_print.figures.style import ROBUST, Style
from tests.conftest import SAMPLE_BOOK, run_cli

GALLERY_BOOK = Path(__file__).resolve().parents[1] / "docs" / "gallery" / "book"
GALLERY = load_book(GALLERY_BOOK)
POSES = {e.id: e.pose for e in GALLERY.exercises.values() if e.pose}
SAMPLE_POSES = {e.id: e.pose for e in load_book(SAMPLE_BOOK).exercises.values() if e.pose}
SUGGESTION = re.compile(r"(?P<joint>\w+) (?P<old>-?[\d.]+) -> (?P<new>-?\d+) lets it rest")


def test_the_gallery_draws_every_standard_position():
    assert len(POSES) >= 24
    names = {re.sub(r"^\d+-", "", key) for key in POSES}
    for position in ("bridge", "dead-bug", "cobra", "sphinx", "side-lying-clam", "side-plank",
                     "all-fours", "bird-dog", "cat", "cow", "childs-pose", "high-kneeling",
                     "half-kneeling-hip-flexor", "chair-sitting", "seated-twist", "wall-sit",
                     "squat", "standing-side-bend", "figure-four", "prone-leg-lift"):  # fmt: skip
        assert position in names
    contacts = {
        name for pose in POSES.values() for k in pose.keyframes for name in k.contact_surfaces()
    }
    # Kneeling, all fours, forearms, the tops of the feet, sitting and leaning on a wall.
    for surface in ("near_shin", "near_knee", "near_forearm", "near_instep", "near_hand",
                    "sit_bones", "back", "right_forearm"):  # fmt: skip
        assert surface in contacts
    assert {pose.view for pose in POSES.values()} == {"side", "front", "above"}


def surfaces_of(pose: PoseFacts) -> Surfaces:
    return Surfaces(floor=MAT_THICKNESS if "mat" in pose.props else 0.0)


def wall_line(scene: Scene, body: Body) -> tuple[float, float]:
    """The wall's face toward the body, and which way it is from the body (+1: +x)."""
    assert scene.wall is not None
    facing = 1.0 if scene.wall[0] >= body.points["pelvis"][0] else -1.0
    return (scene.wall[0] if facing > 0 else scene.wall[2]), facing


def assert_rests_as_posed(pose: PoseFacts, scene: Scene) -> None:
    surfaces = surfaces_of(pose)
    for facts, body in zip(pose.keyframes, scene.bodies, strict=True):
        for name, surface in facts.contact_surfaces().items():
            if surface == "wall":
                face, facing = wall_line(scene, body)
                reach = touching(body, pose.view, name, (facing, 0.0))[0]
                assert reach == pytest.approx(face, abs=CONTACT_TOLERANCE), name
            elif pose.view != "above":
                lowest = touching(body, pose.view, name)[1]
                assert abs(lowest - surfaces.height(surface)) <= CONTACT_TOLERANCE, name
        if pose.view == "above":
            continue
        assert min(s.bottom for s in body.segments) >= surfaces.floor - FLOOR_TOLERANCE
        if scene.wall is not None:
            face, facing = wall_line(scene, body)
            deepest = max(s.extent((facing, 0.0)) - facing * face for s in body.segments)
            assert deepest <= FLOOR_TOLERANCE + CONTACT_TOLERANCE
        if scene.chair_front is not None and pose.view == "side":
            for box in chair_boxes(scene.chair_front):
                for segment in body.segments:
                    middle = ((segment.start[0] + segment.end[0]) / 2,
                              (segment.start[1] + segment.end[1]) / 2)  # fmt: skip
                    inside = box[0] < middle[0] < box[2] and box[1] < middle[1] < box[3]
                    assert not inside, segment.name


def assert_psoas_between_its_attachments(scene: Scene) -> None:
    """Its origin on the lumbar spine, its turn by the front of the hip joint, its
    insertion on the upper quarter of the thigh bone, inside the thigh."""
    body = scene.bodies[-1]
    for side in scene.psoas:
        origin, over_hip, insertion = psoas_band(body, side, scene.view)
        lumbar, thigh = body.segment("lumbar"), body.segment(f"{side}_thigh")
        assert distance_to(origin, lumbar) <= lumbar.radius
        assert math.dist(over_hip, thigh.start) <= 9.0
        assert distance_to(insertion, thigh) <= thigh.radius
        along = _along(insertion, thigh.start, thigh.end)
        assert 0 < along <= 0.25 * length("thigh")


def _along(point, start, end) -> float:
    size = math.dist(start, end)
    return (
        (point[0] - start[0]) * (end[0] - start[0]) + (point[1] - start[1]) * (end[1] - start[1])
    ) / size


def distance_to(point, segment) -> float:
    share = max(0.0, min(1.0, _along(point, segment.start, segment.end) / segment.length))
    nearest = (segment.start[0] + (segment.end[0] - segment.start[0]) * share,
               segment.start[1] + (segment.end[1] - segment.start[1]) * share)  # fmt: skip
    return math.dist(point, nearest)


def assert_label_clear(scene: Scene) -> None:
    if scene.label is None:
        return
    box = label_box(*scene.label)
    if scene.floor is not None:
        assert box[1] >= scene.floor + 1.0, "the label crosses the floor line"
    for body in scene.bodies:
        for segment in body.segments:
            for step in range(9):
                share = step / 8
                x = segment.start[0] + (segment.end[0] - segment.start[0]) * share
                y = segment.start[1] + (segment.end[1] - segment.start[1]) * share
                dx = max(box[0] - x, 0.0, x - box[2])
                dy = max(box[1] - y, 0.0, y - box[3])
                assert math.hypot(dx, dy) - segment.radius_at(share) > 0, segment.name
    for arrow in scene.arrows:
        for x, y in arrow.samples(20):
            assert not (box[0] < x < box[2] and box[1] < y < box[3])


@pytest.mark.parametrize("key", sorted(POSES))
def test_each_gallery_figure_rests_where_its_pose_says(key):
    pose = POSES[key]
    scene = build_scene(pose)
    assert_rests_as_posed(pose, scene)
    assert_psoas_between_its_attachments(scene)
    assert_label_clear(scene)


@pytest.mark.parametrize("key", sorted(SAMPLE_POSES))
def test_each_sample_figure_rests_and_keeps_its_label_clear(key):
    scene = build_scene(SAMPLE_POSES[key])
    assert_rests_as_posed(SAMPLE_POSES[key], scene)
    assert_psoas_between_its_attachments(scene)
    assert_label_clear(scene)
    if SAMPLE_POSES[key].breath is not None:
        assert label_box(*scene.label)[1] >= LABEL_CLEARANCE - 1.5  # above the mat line


# --- a pose changed at random ------------------------------------------------------------


@st.composite
def changed_keyframe(draw):
    key = draw(st.sampled_from(sorted(k for k, p in POSES.items() if p.view != "above")))
    pose = POSES[key]
    index = draw(st.integers(0, len(pose.keyframes) - 1))
    joint = draw(st.sampled_from(sorted(joint_names(pose.view))))
    low, high = joint_range(pose.view, joint)
    value = draw(st.integers(math.ceil(low), math.floor(high)))
    facts = pose.keyframes[index]
    contacts = {n: s for n, s in facts.contact_surfaces().items() if s != "wall"}
    return pose, Keyframe(facts.name, {**facts.angles, joint: value}, contacts)


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(changed=changed_keyframe())
def test_a_changed_pose_rests_or_its_error_names_an_angle_that_works(changed):
    pose, keyframe = changed
    surfaces = surfaces_of(pose)
    try:
        body = place(pose.view, keyframe, surfaces, ("keyframes", 0))
    except PoseError as error:
        found = SUGGESTION.search(error.message)
        assert found, error.message  # the joint changed at random is one that would do
        fixed = {**keyframe.angles, found["joint"]: int(found["new"])}
        place(pose.view, Keyframe("fixed", fixed, keyframe.contacts), surfaces, ("keyframes", 0))
        return
    for name, surface in keyframe.contacts.items():
        lowest = touching(body, pose.view, name)[1]
        assert abs(lowest - surfaces.height(surface)) <= CONTACT_TOLERANCE
    assert min(s.bottom for s in body.segments) >= surfaces.floor - FLOOR_TOLERANCE


def test_a_kneeling_figure_that_cannot_rest_says_which_joint_to_change():
    pose = POSES[next(k for k in POSES if k.endswith("all-fours"))]
    facts = pose.keyframes[0]
    angles = {**facts.angles, "near_shoulder": 30}  # the near hand off the mat
    keyframe = Keyframe(facts.name, angles, facts.contact_surfaces())
    with pytest.raises(PoseError) as caught:
        place(pose.view, keyframe, surfaces_of(pose), ("keyframes", 0))
    found = SUGGESTION.search(caught.value.message)
    assert found, caught.value.message
    assert caught.value.message.startswith("near_hand cannot rest on the floor")
    fixed = {**angles, found["joint"]: int(found["new"])}
    place(pose.view, Keyframe("fixed", fixed, keyframe.contacts), surfaces_of(pose), ())


# --- print rules ----------------------------------------------------------------------------

FILL = re.compile(r"fill:\s*(#[0-9a-fA-F]{6}|rgb\(([\d.]+)%?,\s*([\d.]+)%?,\s*([\d.]+)%?\))")
STROKE_WIDTH = re.compile(r"stroke-width:\s*([\d.]+)")


def tint_of(match: re.Match[str]) -> float:
    if match[1].startswith("#"):
        red, green, blue = (int(match[1][i : i + 2], 16) / 255 for i in (1, 3, 5))
    else:
        red, green, blue = (float(match[i]) / 100 for i in (2, 3, 4))
    return 1 - (0.299 * red + 0.587 * green + 0.114 * blue)


ALL_POSES = {**POSES, **{f"sample-{k}": p for k, p in SAMPLE_POSES.items()}}
# The sample's figures in the quick run; the whole gallery with the slow tests.
PRINT_CASES = [
    pytest.param(key, marks=() if key.startswith("sample-") else pytest.mark.slow)
    for key in sorted(ALL_POSES)
]


@pytest.mark.parametrize("key", PRINT_CASES)
def test_lines_and_tints_survive_print_at_the_smallest_size(key):
    """No line under 0.75 pt and no tint under 10% where the figure prints smallest: the
    cheat sheet's thumbnail, a quarter-sheet handout's, the ebook's figure."""
    scene = build_scene(ALL_POSES[key])
    for style in (Style(), ROBUST, Style(outline=2.0, arrow=2.4, label_size=0, min_print_mm=11)):
        widths = line_widths(scene, style)
        assert all(printed_pt(scene, style, w) >= MIN_LINE_PT - 1e-9 for w in widths.values())
        svg = to_svg(scene, key, style, "en")
        styles = re.findall(r'style="([^"]*)"', svg)
        strokes = [
            float(width[1])
            for style_text in styles
            if "stroke: none" not in style_text and (width := STROKE_WIDTH.search(style_text))
        ]
        assert strokes and all(
            printed_pt(scene, style, w) >= MIN_LINE_PT - 1e-9 for w in strokes
        ), sorted(strokes)[:3]
        tints = [tint_of(m) for m in FILL.finditer(svg)]
        assert tints and all(t < 0.005 or t >= MIN_TINT for t in tints), sorted(tints)[:3]


def silhouette(scene: Scene, width_mm: float = 25.0, cell_mm: float = 0.25) -> set[tuple[int, int]]:
    """The cells of a grid, at print size, that the solid keyframe's body covers."""
    body = scene.bodies[-1]
    mm_per_cm = width_mm / max(scene.width, scene.height)
    cells = set()
    x0, y0 = scene.canvas[0], scene.canvas[1]
    size = int(width_mm / cell_mm)
    for i, j in itertools.product(range(size), range(size)):
        x = x0 + (i + 0.5) * cell_mm / mm_per_cm
        y = y0 + (j + 0.5) * cell_mm / mm_per_cm
        if any(
            distance_to((x, y), s) <= s.radius_at(0.5) for s in body.segments if s.length
        ) or any(math.dist((x, y), s.start) <= s.radius for s in body.segments if not s.length):
            cells.add((i, j))
    return cells


@pytest.mark.slow
def test_thumbnails_are_distinct_at_25_mm():
    """At the cheat sheet's size, no two figures cover nearly the same cells."""
    for poses in (SAMPLE_POSES, POSES):
        shapes = {key: silhouette(build_scene(pose)) for key, pose in poses.items()}
        for (a, first), (b, second) in itertools.combinations(shapes.items(), 2):
            overlap = len(first & second) / len(first | second)
            assert overlap < 0.85, (a, b, round(overlap, 2))


# --- one figure at a time --------------------------------------------------------------------


def test_figures_only_draws_one_figure(tmp_path):
    result = run_cli("figures", "--book", GALLERY_BOOK, "--only", "12-cat", "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert [path.name for path in tmp_path.glob("*.svg")] == ["12-cat.svg"]
    wrong = run_cli("figures", "--book", GALLERY_BOOK, "--only", "no-such", "--out", tmp_path)
    assert wrong.exit_code == 2
    assert "no exercise 'no-such'" in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
