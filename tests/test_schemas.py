"""The JSON Schemas `schema` writes accept every file of the sample and the second book,
and refuse what `check` refuses: an editor checking against them tells the author early."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.conftest import SAMPLE_BOOK, SECOND_BOOK, run_cli

# Where each schema's files are in a book, and how their YAML is read from them.
FILES = {
    "book.schema.json": "book.yaml",
    "exercise.schema.json": "exercises/*.md",
    "chapter.schema.json": "chapters/*.md",
    "routine.schema.json": "routines/*.yaml",
    "pose.schema.json": "figures/*.yaml",
}


@pytest.fixture(scope="module")
def validators(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Draft202012Validator]:
    folder = tmp_path_factory.mktemp("schemas")
    result = run_cli("schema", "--out", folder)
    assert result.exit_code == 0, result.stderr
    found = {}
    for path in sorted(folder.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        found[path.name] = Draft202012Validator(schema)
    translated = {
        f"{kind}.translation.schema.json" for kind in ("book", "exercise", "chapter", "routine")
    }
    assert set(found) == {*FILES, *translated, "programme.schema.json", "clinic.schema.json"}
    return found


def content(path: Path) -> Any:
    """A YAML file, or a Markdown file's front matter."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("---", 2)[1]
    return yaml.safe_load(text)


@pytest.mark.parametrize("book", [SAMPLE_BOOK, SECOND_BOOK], ids=["sample", "second"])
def test_every_file_of_a_book_that_checks_fits_its_schema(validators, book):
    checked = 0
    for schema, pattern in FILES.items():
        for path in sorted(book.glob(pattern)):
            errors = [error.message for error in validators[schema].iter_errors(content(path))]
            assert errors == [], f"{path}: {errors}"
            checked += 1
    assert checked >= 10


def test_the_schemas_describe_each_field_and_its_allowed_values(validators):
    exercise = validators["exercise.schema.json"].schema
    for name, field in exercise["properties"].items():
        assert field.get("description"), name
    assert exercise["properties"]["level"]["enum"] == ["beginner", "intermediate", "advanced"]
    keyframe = validators["pose.schema.json"].schema["$defs"]["KeyframeFacts"]
    assert "near_hip" in keyframe["properties"]["angles"]["propertyNames"]["enum"]


def test_what_check_refuses_the_schemas_refuse_too(validators):
    exercise = content(SAMPLE_BOOK / "exercises" / "crisscross.md")
    wrong_dose = {**exercise, "dose": {**exercise["dose"], "reps": "four"}}
    unknown_key = {**exercise, "colour": "blue"}
    assert not validators["exercise.schema.json"].is_valid(wrong_dose)
    assert not validators["exercise.schema.json"].is_valid(unknown_key)
    pose = content(next(SAMPLE_BOOK.glob("figures/*.yaml")))
    pose["keyframes"][0]["angles"] = {"near_elbbow": 30}
    assert not validators["pose.schema.json"].is_valid(pose)
    book = content(SAMPLE_BOOK / "book.yaml")
    assert not validators["book.schema.json"].is_valid({**book, "paper": "b5"})


def test_the_book_format_reference_lists_what_the_schemas_take():
    """docs/book-format.md ends with the tables format_reference makes from the schemas:
    a key added, dropped or described anew shows there, or this test fails."""
    from psoas_print.runner.schemas import format_reference

    page = (Path(__file__).parent.parent / "docs" / "book-format.md").read_text(encoding="utf-8")
    assert page.endswith(format_reference())
    for key in ("title", "reps", "per_side", "keyframes", "cheatsheet", "breath"):
        assert f"| `{key}` |" in page


def test_programme_files_fit_their_schema_and_wrong_ones_do_not(validators):
    from tests.test_programmes import PROGRAMMES

    programme = validators["programme.schema.json"]
    # As an editor reads YAML into JSON: a date is its text.
    many = json.loads(json.dumps(yaml.safe_load(PROGRAMMES), default=str))
    assert list(programme.iter_errors(many)) == []
    one = many["clients"][0]
    assert list(programme.iter_errors(one)) == []
    wrong_reps = {**one, "exercises": [{"exercise": "crisscross", "reps": "four"}]}
    del wrong_reps["stages"]
    assert not programme.is_valid(wrong_reps)
    assert not programme.is_valid({**one, "nmae": "typo"})
    assert not programme.is_valid({"clients": []})
