"""Starting a book, or an exercise in one: ``psoas-print new``.

A new book is the starter book that ships with the tool (``starter/book``: a chapter, two
exercises with their poses, a routine; every key of ``book.yaml`` commented), with the JSON
Schemas its YAML files name for editors (see schemas.py). A new exercise gets a front
matter to fill in and a starting pose for its position, from the shipped positions, drawn
from the figures gallery. Neither ever writes over a file that is there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Literal, get_args

from psoas_print.errors import BookError
from psoas_print.output import write_text
from psoas_print.runner.schemas import write_schemas

STARTER = Path(__file__).resolve().parent.parent / "starter"
Position = Literal["supine", "prone", "side-lying", "seated", "kneeling", "all-fours", "standing"]
POSITIONS: tuple[Position, ...] = get_args(Position)
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# The words of each position, for the front matter's ``position:``.
POSITION_WORDS: dict[Position, str] = {
    "supine": "Lying on your back, knees bent, feet flat on the floor",
    "prone": "Lying face down, arms by your sides",
    "side-lying": "Lying on your side, knees bent, head resting on your arm",
    "seated": "Sitting tall on the floor, legs long in front of you",
    "kneeling": "Kneeling upright, hips over the knees",
    "all-fours": "On hands and knees, wrists under the shoulders, knees under the hips",
    "standing": "Standing tall, feet hip-width apart",
}

EXERCISE = """---
name: {name}
level: beginner            # beginner, intermediate or advanced
position: {position}
props: [mat]               # what it needs besides the floor; [] for nothing
purpose: What the exercise does, in a sentence or two.
dose:
  reps: 6-8                # a whole number or a range
  # per_side: true         # the reps on each side
  # hold_seconds: 5        # or hold_breaths
breathing:
  inhale: when to breathe in
  exhale: when to breathe out
cues:                      # short reminders; the cheat sheet shows them
  - A first cue
caution: What to take care of, or stop for.
---
## Set-up

How to get into the starting position.

## Steps

1. The first step, with its breath.
2. The next step.

## Tips

- A tip.
"""


def new_book(folder: Path) -> list[Path]:
    """The starter book and its schemas, written into ``folder`` (new, or empty)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BookError.at(folder, None, "is not an empty folder: give a new one for the book")
    written = []
    source = STARTER / "book"
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            written.append(target)
    return written + write_schemas(folder / "schemas")


def new_exercise(book: Path, exercise: str, position: Position) -> list[Path]:
    """``exercises/ID.md`` and its starting pose ``figures/ID.yaml``, written into ``book``."""
    if not (book / "book.yaml").is_file():
        raise BookError.at(book, None, "has no book.yaml: give --book the book's folder")
    if not _ID.fullmatch(exercise):
        raise BookError.at(
            book / "exercises", None,
            f"'{exercise}' is not an exercise id: lower-case letters, digits and hyphens",
        )  # fmt: skip
    text = book / "exercises" / f"{exercise}.md"
    pose = book / "figures" / f"{exercise}.yaml"
    for target in (text, pose):
        if target.exists():
            raise BookError.at(target, None, "is there already: it is never written over")
    name = exercise.replace("-", " ").capitalize()
    write_text(text, EXERCISE.format(name=name, position=POSITION_WORDS[position]))
    schema = "# yaml-language-server: $schema=../schemas/pose.schema.json\n"
    write_text(pose, schema + (STARTER / "positions" / f"{position}.yaml").read_text("utf-8"))
    return [text, pose]
