"""Programme files (book/programmes.py): each client's exercises, doses and progression,
from YAML or CSV, checked like the book; a problem names the file and line, never the
client."""

from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path

import pytest

from psoas_print import load_book
from psoas_print.book.model import Count
from psoas_print.book.programmes import Client, Prescribed, read_programmes
from psoas_print.errors import BookError
from psoas_print.errors import display_path as shown
from tests.conftest import SAMPLE_BOOK, run_cli

PROGRAMMES = """\
clients:
  - id: C-0042
    name: Jane Doe
    language: de
    start: 2026-11-02
    notes: Keep the pelvis level.
    stages:
      - weeks: 1-2
        exercises:
          - {exercise: bridge-leg-lift, reps: 6, sets: 2, per_day: 1}
          - {exercise: crisscross, reps: 4-6}
      - weeks: 3-4
        exercises:
          - {exercise: bridge-leg-lift, reps: 8, sets: 3, hold_seconds: 5, per_week: 5}
          - {exercise: crisscross, reps: 8}
      - weeks: 5-
        exercises:
          - {exercise: bridge-leg-lift, reps: 10, sets: 3}
          - {exercise: crisscross, reps: 10}
          - {exercise: side-kicks, reps: 6, per_side: true}
  - id: C-0043
    name: Ravi Kumar
    exercises:
      - exercise: squat-arm-raise
"""

SAME_AS_CSV = """\
client_id,client_name,language,start,notes,weeks,exercise,reps,sets,per_side,hold_seconds,per_day,per_week
C-0042,Jane Doe,de,2026-11-02,Keep the pelvis level.,1-2,bridge-leg-lift,6,2,,,1,
C-0042,Jane Doe,,,,1-2,crisscross,4-6,,,,,
C-0042,Jane Doe,,,,3-4,bridge-leg-lift,8,3,,5,,5
C-0042,Jane Doe,,,,3-4,crisscross,8,,,,,
C-0042,,,,,5-,bridge-leg-lift,10,3,,,,
C-0042,,,,,5-,crisscross,10,,,,,
C-0042,,,,,5-,side-kicks,6,,yes,,,
C-0043,Ravi Kumar,,,,,squat-arm-raise,,,,,,
"""


def written(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(*paths: Path) -> list[str]:
    with pytest.raises(BookError) as caught:
        read_programmes(paths, load_book(SAMPLE_BOOK))
    return [str(problem) for problem in caught.value.problems]


def summary(client: Client) -> list[tuple[int, int | None, list[tuple[str, dict[str, object]]]]]:
    """A client's stages as plain data: weeks, and each exercise with what it sets."""
    return [
        (
            stage.first_week,
            stage.last_week,
            [(item.exercise, settings(item)) for item in stage.exercises],
        )
        for stage in client.stages
    ]


def settings(item: Prescribed) -> dict[str, object]:
    dose = {name: getattr(item.dose, name) for name in item.dose.model_fields_set}
    return {**dose, "per_day": item.per_day, "per_week": item.per_week}


def test_a_yaml_file_gives_each_client_their_stages_and_doses(tmp_path):
    clients = read_programmes(
        [written(tmp_path, "clients.yaml", PROGRAMMES)], load_book(SAMPLE_BOOK)
    )
    jane, ravi = clients
    start = datetime.date(2026, 11, 2)
    assert (jane.id, jane.name, jane.language, jane.start) == ("C-0042", "Jane Doe", "de", start)
    assert [(s.first_week, s.last_week) for s in jane.stages] == [(1, 2), (3, 4), (5, None)]
    week_three = jane.stage_at(3)
    assert week_three is not None
    bridge = week_three.exercises[0]
    assert (bridge.dose.reps, bridge.dose.sets) == (Count(8, 8), 3)
    assert bridge.dose.hold_seconds == Count(5, 5)
    assert bridge.per_week == 5 and bridge.per_day is None
    assert jane.stage_at(40) is jane.stages[2]  # the last stage goes on
    assert [item.exercise for item in jane.stages[2].exercises][-1] == "side-kicks"
    assert [(s.first_week, s.last_week) for s in ravi.stages] == [(1, None)]
    assert ravi.stages[0].exercises[0].dose.model_fields_set == set()  # the book's own dose


def test_a_csv_file_gives_the_same_programmes(tmp_path):
    from_yaml = read_programmes([written(tmp_path, "clients.yaml", PROGRAMMES)])
    from_csv = read_programmes([written(tmp_path, "clients.csv", SAME_AS_CSV)])
    assert [summary(client) for client in from_csv] == [summary(client) for client in from_yaml]
    assert [(c.id, c.name, c.language, c.start, c.notes) for c in from_csv] == [
        (c.id, c.name, c.language, c.start, c.notes) for c in from_yaml
    ]


def test_a_file_of_one_client_and_a_closed_programme(tmp_path):
    path = written(tmp_path, "jane.yaml", """\
        id: C-1
        name: Jane
        stages:
          - {weeks: 1-3, exercises: [{exercise: crisscross}]}
          - {weeks: 4, exercises: [{exercise: crisscross, reps: 12}]}
        """)  # fmt: skip
    (client,) = read_programmes([path])
    assert client.stage_at(4) is client.stages[1]
    assert client.stage_at(5) is None  # the programme has ended


ONE = "id: C-1\nname: J\n"
CRISSCROSS = "{exercise: crisscross}"
BAD_PROGRAMMES = {
    "bad reps": (
        ONE + "exercises: [{exercise: crisscross, reps: four}]\n",
        3, "reps must be a whole number or a range like 6-10",
    ),
    "bad date": (
        ONE + "start: 2026-13-45\nexercises: [" + CRISSCROSS + "]\n", 3, "invalid YAML: not a date",
    ),
    "no id": ("name: J\nexercises: [" + CRISSCROSS + "]\n", 1, "missing required field 'id'"),
    "unknown exercise": (
        ONE + "exercises: [{exercise: nowhere}]\n", 3, "no exercise 'nowhere' in the book",
    ),
    "two frequencies": (
        ONE + "exercises: [{exercise: crisscross, per_day: 2, per_week: 3}]\n",
        3, "give per_day or per_week, not both",
    ),
    "unknown field": (
        ONE + "exercises: [{exercise: crisscross, rep: 3}]\n", 3, "unknown field 'rep'",
    ),
    "no exercises": (ONE, 1, "give either exercises (the same every week) or stages"),
    "a gap": (
        ONE + "stages:\n"
        "  - {weeks: 1-2, exercises: [" + CRISSCROSS + "]}\n"
        "  - {weeks: 4-5, exercises: [" + CRISSCROSS + "]}\n",
        5, "this stage starts in week 4, but week 3 is next",
    ),
    "an endless stage before another": (
        ONE + "stages:\n"
        "  - {weeks: 1-, exercises: [" + CRISSCROSS + "]}\n"
        "  - {weeks: 2, exercises: [" + CRISSCROSS + "]}\n",
        4, "only the last stage can go on without end",
    ),
    "bad weeks": (
        ONE + "stages:\n  - {weeks: soon, exercises: [" + CRISSCROSS + "]}\n",
        4, "weeks must be a week (3), weeks (1-2) or a week on (5-)",
    ),
    "duplicate id": (
        "clients:\n"
        "  - {id: C-1, name: J, exercises: [" + CRISSCROSS + "]}\n"
        "  - {id: C-1, name: K, exercises: [" + CRISSCROSS + "]}\n",
        3, "client id used again (first at line 2)",
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "line", "message"), BAD_PROGRAMMES.values(), ids=BAD_PROGRAMMES.keys()
)
def test_each_bad_programme_is_located(tmp_path, text, line, message):
    path = written(tmp_path, "clients.yaml", text)
    found = problems_of(path)
    assert any(problem.startswith(f"{shown(path)}:{line}: {message}") for problem in found), found


def test_bad_csv_rows_are_located_by_row(tmp_path):
    path = written(tmp_path, "clients.csv", """\
        client_id,client_name,exercise,reps,start
        C-1,Jane Doe,crisscross,4,2026-11-02
        C-1,Janet Doe,crisscross,many,
        C-2,Ravi,nowhere,,
        C-3,Ola,crisscross,,tomorrow
        """)  # fmt: skip
    found = problems_of(path)
    assert any(p.startswith(f"{shown(path)}:3: client_name differs from line 2") for p in found), (
        found
    )
    assert any(p.startswith(f"{shown(path)}:3: reps must be") for p in found), found
    assert any(p.startswith(f"{shown(path)}:5: start must be a date") for p in found), found
    missing = written(tmp_path, "short.csv", "client_name,exercise\nJane,crisscross\n")
    assert problems_of(missing)[0].startswith(f"{shown(missing)}:1: no 'client_id' column")


def test_an_id_used_in_two_files_is_named_in_both(tmp_path):
    first = written(tmp_path, "monday.yaml", ONE + "exercises: [" + CRISSCROSS + "]\n")
    second = written(tmp_path, "tuesday.csv", "client_id,client_name,exercise\nC-1,K,crisscross\n")
    again = "client id used again (first at monday.yaml:1); each client needs an id of their own"
    assert problems_of(first, second) == [f"{shown(second)}:2: {again}"]


def test_no_message_repeats_a_clients_own_words(tmp_path):
    """Client data stays in the outputs asked for: a problem names the file and line."""
    path = written(tmp_path, "clients.csv", """\
        client_id,client_name,exercise,notes,start
        SECRET-ID,Secret Name,nowhere,Secret note,not-a-date
        SECRET-ID,Other Secret,crisscross,,
        """)  # fmt: skip
    found = problems_of(path)
    assert found
    for problem in found:
        assert not any(word in problem for word in ("Secret", "SECRET", "not-a-date")), problem


def test_check_reads_programme_files_against_the_book(tmp_path):
    good = written(tmp_path, "clients.yaml", PROGRAMMES)
    result = run_cli("check", "--book", SAMPLE_BOOK, "--programme", good)
    assert result.exit_code == 0, result.stderr
    assert "2 clients' programmes; no problems found" in result.stdout
    rows = "client_id,client_name,exercise,reps\nC-1,J,crisscross,many\nC-2,R,nowhere,\n"
    bad = written(tmp_path, "clients.csv", rows)
    result = run_cli("check", "--book", SAMPLE_BOOK, "--programme", good, "--programme", bad)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [f"{shown(bad)}:2", f"{shown(bad)}:3"]
    as_json = run_cli("check", "--book", SAMPLE_BOOK, "--programme", bad, "--format", "json")
    report = json.loads(as_json.stdout)
    assert [(p["line"], p["severity"]) for p in report["problems"]] == [(2, "error"), (3, "error")]


@pytest.mark.parametrize("kind", ["yaml", "csv"])
def test_the_readmes_examples_check(tmp_path, kind):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Personal programmes", 1)[1]
    example = section.split(f"```{kind}\n", 1)[1].split("```", 1)[0]
    path = written(tmp_path, f"clients.{kind}", example)
    result = run_cli("check", "--book", SAMPLE_BOOK, "--programme", path)
    assert result.exit_code == 0, result.stderr
