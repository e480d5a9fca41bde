"""Generate large books from the sample book, for benchmarks and tests of long books.

    python bench/generate.py 500 /tmp/book-500

Every exercise and its figure is a renamed copy of one of the five sample exercises; the
exercises are grouped ten to a chapter, after the sample book's own opening chapters.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from psoas_print.shipped import shipped

PER_CHAPTER = 10


def generate(exercises: int, target: Path, per_chapter: int = PER_CHAPTER) -> Path:
    sample = shipped("book")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        sample, target, ignore=shutil.ignore_patterns("exercises", "figures", "chapters")
    )
    for folder in ("exercises", "figures", "chapters"):
        (target / folder).mkdir()
    originals = sorted((sample / "exercises").glob("*.md"))
    ids = []
    for number in range(1, exercises + 1):
        original = originals[(number - 1) % len(originals)]
        new_id = f"{original.stem}-{number:03d}"
        text = original.read_text(encoding="utf-8")
        name = next(line for line in text.splitlines() if line.startswith("name: "))
        text = text.replace(name, f"{name} {number}", 1)
        (target / "exercises" / f"{new_id}.md").write_text(text, encoding="utf-8")
        shutil.copyfile(
            sample / "figures" / f"{original.stem}.yaml", target / "figures" / f"{new_id}.yaml"
        )
        ids.append(new_id)
    opening = sorted((sample / "chapters").glob("0[123]-*.md"))
    for chapter in opening:
        shutil.copyfile(chapter, target / "chapters" / chapter.name)
    for index in range(0, exercises, per_chapter):
        group = ids[index : index + per_chapter]
        number = index // per_chapter + 1
        listed = "".join(f"  - {exercise_id}\n" for exercise_id in group)
        (target / "chapters" / f"{1000 + number}-set-{number}.md").write_text(
            f"---\ntitle: Exercise set {number}\nexercises:\n{listed}---\n"
            f"Set {number} repeats the five exercises of the book in a new order of practice.\n"
            "Work through it on one day and note how each exercise felt.\n",
            encoding="utf-8",
        )
    shutil.copyfile(
        sample / "chapters" / "05-your-weekly-plan.md",
        target / "chapters" / "999-your-weekly-plan.md",
    )
    routine = "".join(f"  - {exercise_id}\n" for exercise_id in ids[:5])
    (target / "routines" / "fridge.yaml").write_text(
        f"title: The daily psoas routine\nexercises:\n{routine}", encoding="utf-8"
    )
    (target / "routines" / "quick-standing.yaml").unlink()
    return target


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
