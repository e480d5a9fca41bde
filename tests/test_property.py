"""Whatever an author writes, the tool answers with a result or with located problems:
generated front matter, Markdown and pose values never end in a traceback, and a command
that fails writes nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

BOOK_YAML = """title: A generated book
author: Someone
rights: All rights reserved.
disclaimer: Not advice.
"""
CHAPTER = "---\ntitle: One chapter\nexercises: [move]\n---\nSome words.\n"
ROUTINE = "title: A routine\nexercises: [move]\n"
EXERCISE_KEYS = [
    "name", "short_name", "level", "position", "props", "purpose", "dose", "breathing",
    "cues", "caution", "image", "video", "pose", "sample", "colour",
]  # fmt: skip
GOOD_FACTS: dict[str, Any] = {
    "name": "Move",
    "level": "beginner",
    "position": "Standing",
    "purpose": "To move.",
    "dose": {"reps": 5},
    "breathing": {"inhale": "in", "exhale": "out"},
    "cues": ["Tall"],
    "caution": "Gently.",
}
POINTS = ["head", "shoulders", "pelvis", "near_foot", "far_foot", "near_hand", "near_knee"]
JOINTS = ["trunk", "neck", "hip", "knee", "ankle", "shoulder", "elbow", "near_hip", "far_knee"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=30),
    st.sampled_from(["6-10", "1", "0", "-3", "four", "figures/none.png", "https://x.org/v"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
front_matter = st.dictionaries(st.sampled_from(EXERCISE_KEYS), values, max_size=8).map(
    lambda changes: {**GOOD_FACTS, **changes}
)
MARKDOWN_PIECES = [
    *"ab #*-_`[]()!<>/=\"'\n1.|\\&;:{}%é…",
    "<div>", "</p>", "<img src=\"", "![x](", "figures/", "](#a)", "\n## ", "\n1. ", "\n- ",
    "<a href=\"javascript:alert(1)\">", "&#x0;", "\n---\n", "| a | b |\n|---|---|\n",
]  # fmt: skip
markdown = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=60).map("".join)
angles = st.dictionaries(
    st.sampled_from(JOINTS), st.floats(min_value=-400, max_value=400, allow_nan=False), max_size=5
)
keyframe = st.fixed_dictionaries(
    {"name": st.sampled_from(["a", "b", "c"]), "angles": angles},
    optional={"contacts": st.lists(st.sampled_from(POINTS), max_size=3, unique=True)},
)
pose = st.fixed_dictionaries(
    {
        "view": st.sampled_from(["side", "front", "above", "top"]),
        "keyframes": st.lists(keyframe, min_size=0, max_size=3),
    },
    optional={"props": st.lists(st.sampled_from(["mat", "chair", "wall", "ball"]), max_size=2)},
)


def write_book(root: Path, facts: dict[str, Any], body: str, figure: dict[str, Any] | None) -> None:
    for folder in ("chapters", "exercises", "routines", "figures"):
        (root / folder).mkdir(parents=True)
    (root / "book.yaml").write_text(BOOK_YAML, encoding="utf-8")
    (root / "chapters/01-one.md").write_text(CHAPTER, encoding="utf-8")
    (root / "routines/daily.yaml").write_text(ROUTINE, encoding="utf-8")
    matter = yaml.safe_dump(facts, allow_unicode=True, sort_keys=False)
    (root / "exercises/move.md").write_text(f"---\n{matter}---\n{body}", encoding="utf-8")
    if figure is not None:
        text = yaml.safe_dump(figure, sort_keys=False)
        (root / "figures/move.yaml").write_text(text, encoding="utf-8")


def answers_cleanly(facts: dict[str, Any], body: str, figure: dict[str, Any] | None) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        write_book(folder / "book", facts, body, figure)
        out = folder / "out"
        # run_cli raises any exception that is not a clean exit: a traceback fails the test.
        result = run_cli("figures", "--book", folder / "book", "--out", out)
        assert result.exit_code in (0, 2), result.stderr
        if result.exit_code == 2:
            assert not out.exists(), "a failed command wrote output"
            assert result.stderr.strip(), "a failure must say what is wrong"
            for line in result.stderr.strip().splitlines():
                assert ": " in line, line  # path[:line]: message
    finally:
        shutil.rmtree(folder)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter, markdown)
def test_generated_front_matter_and_markdown_never_crash(facts, body):
    answers_cleanly(facts, body, None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pose)
def test_generated_poses_never_crash(figure):
    answers_cleanly(GOOD_FACTS, "## Steps\n1. Move.\n", figure)
