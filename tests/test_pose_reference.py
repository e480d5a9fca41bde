"""The manual's pose reference (docs/poses.md): a picture, drawn by the tool, of every
joint at its range and of every body surface a pose rests on; and in step with the code."""

from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from types import ModuleType

import pytest

from psoas_print.figures.body import FRONT_RANGES, SIDE_RANGES, contact_names

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGE = DOCS / "poses.md"
SVG = "{http://www.w3.org/2000/svg}"


def reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pose_reference", DOCS / "poses" / "render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # where its dataclasses look themselves up
    spec.loader.exec_module(module)
    return module


def pictures_of(page: str) -> dict[str, str]:
    """Each picture the page shows: its file, and its alt text."""
    return {name: alt for alt, name in re.findall(r"!\[([^\]]+)\]\(poses/([^)]+)\)", page)}


def table_rows(page: str, heading: str) -> list[str]:
    section = page.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| `")]


@pytest.mark.parametrize(
    ("heading", "ranges"),
    [("Side view (and from above)", SIDE_RANGES), ("Front view", FRONT_RANGES)],
)
def test_every_joint_is_shown_with_its_range(heading, ranges):
    rows = table_rows(PAGE.read_text(encoding="utf-8"), heading)
    assert len(rows) == len(ranges)
    for row, (joint, (low, high)) in zip(rows, ranges.items(), strict=True):
        assert row.startswith(f"| `{joint}`"), row
        assert f"| {low:g}° to {high:g}° |" in row, row
        assert re.search(r"!\[[^\]]+\]\(poses/[^)]+\.svg\)", row), row


def test_every_contact_has_a_picture_resting_on_it():
    page = PAGE.read_text(encoding="utf-8")
    section = page.split("## Contacts\n", 1)[1]
    surfaces = {re.sub(r"^(near|far)_", "", name) for name in contact_names("side")}
    rows = [row for row in section.splitlines() if row.startswith("| ") and "![" in row]
    shown = {row.split("|")[1].strip().replace(" ", "_") for row in rows}
    assert shown == surfaces


def test_each_picture_is_a_drawing_titled_as_the_page_says():
    for name, alt in pictures_of(PAGE.read_text(encoding="utf-8")).items():
        root = ElementTree.parse(DOCS / "poses" / name).getroot()
        assert root.tag == f"{SVG}svg", name
        assert root.findtext(f"{SVG}title") == alt, name
        assert len(root.findall(f".//{SVG}path")) > 5, f"{name} draws a body"


@pytest.mark.slow
def test_the_reference_is_what_the_tool_draws_now():
    """A change to a range, a joint or the drawing shows here: `python docs/poses/render.py`."""
    module = reference()
    drawn = module.pictures()
    assert PAGE.read_text(encoding="utf-8") == module.page(drawn)
    for picture in drawn:
        assert (DOCS / "poses" / picture.name).read_text(encoding="utf-8") == picture.svg
    on_disk = {path.name for path in (DOCS / "poses").glob("*.svg")}
    assert on_disk == {picture.name for picture in drawn}
