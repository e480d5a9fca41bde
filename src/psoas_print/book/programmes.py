"""Personal programmes: each client's exercises, doses and their progression week by week,
read from a YAML file (one client, or many under ``clients:``) or a CSV file (one row per
client, exercise and stage), and checked like the book: every problem located, all of
them reported at once.

Client data is the user's to keep: a problem names the file and line and what is wrong
with the field, never a client's name, id or notes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, RootModel, ValidationError, model_validator
from pydantic_core import ErrorDetails

from psoas_print.book.csvfile import Limit, Row, read_csv, read_text
from psoas_print.book.loading import describe_error
from psoas_print.book.model import Book, DoseOverride, Strict
from psoas_print.book.yamlfile import Location, YamlDocument, parse_yaml
from psoas_print.errors import BookError, Problem
from psoas_print.limits import MAX_CLIENTS, MAX_TEXT_BYTES

LANGUAGE_TAG = r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$"
PERSONAL = {"id", "name", "notes"}  # a client's own words: never repeated in a message


class PrescribedFacts(DoseOverride):
    """One exercise of a client's programme, with the client's own dose over the book's."""

    exercise: Annotated[str, Field(min_length=1)]
    """The exercise's id in the book (its file name in exercises/)."""
    per_day: Annotated[int, Field(ge=1, le=10)] | None = None
    """How many times a day."""
    per_week: Annotated[int, Field(ge=1, le=7)] | None = None
    """How many days a week (or give per_day)."""

    @model_validator(mode="after")
    def _one_frequency(self) -> PrescribedFacts:
        if self.per_day is not None and self.per_week is not None:
            raise ValueError("give per_day or per_week, not both")
        return self


class StageFacts(Strict):
    """A stage of the progression: its weeks and what the client does in them."""

    weeks: Annotated[str, Field(min_length=1)] | int
    """The weeks, counted from the start: 3, 1-2, or 5- (week 5 on)."""
    exercises: Annotated[list[PrescribedFacts], Field(min_length=1)]
    """The exercises in this stage, in order."""


class ClientFacts(Strict):
    """One client's programme."""

    id: Annotated[str, Field(min_length=1)]
    """The client's id: unique in the file, and the name of the client's file with --split."""
    name: Annotated[str, Field(min_length=1)]
    """The client's name, as the handout shows it."""
    language: Annotated[str, Field(pattern=LANGUAGE_TAG)] | None = None
    """The language of the client's handout (default: the book's)."""
    start: datetime.date | None = None
    """The first day of week 1 (default: the day the handouts are made)."""
    notes: str = ""
    """A word for this client, printed on the handout."""
    exercises: Annotated[list[PrescribedFacts], Field(min_length=1)] | None = None
    """The exercises, the same every week (or give stages)."""
    stages: Annotated[list[StageFacts], Field(min_length=1)] | None = None
    """The progression: stage by stage, each with its weeks (or give exercises)."""

    @model_validator(mode="after")
    def _exercises_or_stages(self) -> ClientFacts:
        if (self.exercises is None) == (self.stages is None):
            raise ValueError("give either exercises (the same every week) or stages")
        return self


class ProgrammeFileFacts(Strict):
    """A file of many clients' programmes."""

    clients: Annotated[list[ClientFacts], Field(min_length=1)]
    """The clients, each with its programme."""


class ProgrammeFile(RootModel[ClientFacts | ProgrammeFileFacts]):
    """A programme file: one client's programme, or many under 'clients:' (what the
    schema of programme files describes; the reader validates each client on its own)."""


@dataclass(frozen=True)
class Prescribed:
    """An exercise as one client does it in one stage."""

    exercise: str
    dose: DoseOverride  # over the book's dose for the exercise
    per_day: int | None
    per_week: int | None
    line: int


@dataclass(frozen=True)
class Stage:
    first_week: int
    last_week: int | None  # None: on and on
    exercises: tuple[Prescribed, ...]
    line: int

    def holds(self, week: int) -> bool:
        return self.first_week <= week and (self.last_week is None or week <= self.last_week)


@dataclass(frozen=True)
class Client:
    """One client's programme, checked."""

    id: str
    name: str
    language: str | None
    start: datetime.date | None
    notes: str
    stages: tuple[Stage, ...]
    source: Path
    line: int

    def stage_at(self, week: int) -> Stage | None:
        """The stage of week ``week`` (from 1), or None once the programme has ended."""
        return next((stage for stage in self.stages if stage.holds(week)), None)


# --- reading --------------------------------------------------------------------------


def read_programmes(paths: Iterable[Path], book: Book | None = None) -> list[Client]:
    """Every client of the programme files, in order, each exercise found in ``book`` when
    given; else one BookError naming every problem (a client id used twice, across the
    files too)."""
    clients: list[Client] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            read, found = _read_csv(path) if path.suffix.lower() == ".csv" else _read_yaml(path)
        except BookError as error:  # the file as a whole cannot be read
            read, found = [], error.problems
        clients += read
        problems += found
    problems += _duplicate_ids(clients)
    if len(clients) > MAX_CLIENTS:
        first = clients[MAX_CLIENTS]
        too_many = f"more than {MAX_CLIENTS:,} clients; {CLIENTS_ADVICE}"
        problems.append(Problem(first.source, first.line, too_many))
    if book is not None:
        problems += _unknown_exercises(clients, book)
    if problems:
        raise BookError(
            sorted(problems, key=lambda problem: (str(problem.path), problem.line or 0))
        )
    return clients


def _unknown_exercises(clients: Iterable[Client], book: Book) -> list[Problem]:
    known = ", ".join(sorted(book.exercises)) or "none"
    return [
        Problem(
            client.source,
            prescribed.line,
            f"no exercise '{prescribed.exercise}' in the book (exercises: {known})",
        )
        for client in clients
        for stage in client.stages
        for prescribed in stage.exercises
        if prescribed.exercise not in book.exercises
    ]


def _read_yaml(path: Path) -> tuple[list[Client], list[Problem]]:
    """The clients a YAML file gives, and the problems of those it cannot."""
    document = parse_yaml(read_text(path, MAX_TEXT_BYTES, "a programme file"), path)
    if document.problems:
        raise BookError(document.problems)
    data = document.data
    if isinstance(data, dict) and "clients" not in data:  # a file of one client
        return [_client(document, data, ())], []
    facts = _validated(ProgrammeFileFacts, document, data, ())
    assert isinstance(data, dict)
    clients, problems = [], []
    for index in range(len(facts.clients)):
        try:
            clients.append(_client(document, data["clients"][index], ("clients", index)))
        except BookError as error:
            problems += error.problems
    return clients, problems


def _client(document: YamlDocument, data: object, at: Location) -> Client:
    facts = _validated(ClientFacts, document, data, at)
    line = document.line_of(at) if at else document.first_line
    if facts.stages is None:
        assert facts.exercises is not None
        prescribed = _prescribed(document, facts.exercises, (*at, "exercises"))
        stages: tuple[Stage, ...] = (Stage(1, None, prescribed, line),)
    else:
        stages = _stages(document, facts.stages, (*at, "stages"))
    return Client(
        facts.id,
        facts.name,
        facts.language,
        facts.start,
        facts.notes,
        stages,
        document.path,
        line,
    )


def _prescribed(
    document: YamlDocument, exercises: list[PrescribedFacts], at: Location
) -> tuple[Prescribed, ...]:
    return tuple(
        Prescribed(
            item.exercise,
            DoseOverride(**{name: getattr(item, name) for name in _dose_fields(item)}),
            item.per_day,
            item.per_week,
            document.line_of((*at, index)),
        )
        for index, item in enumerate(exercises)
    )


def _dose_fields(item: PrescribedFacts) -> list[str]:
    return [name for name in item.model_fields_set if name in DoseOverride.model_fields]


WEEKS_WRITTEN = "weeks must be a week (3), weeks (1-2) or a week on (5-)"
WEEKS = re.compile(r"^\s*(\d{1,3})\s*(?:(-|\+)\s*(\d{1,3})?\s*)?$")


def _stages(document: YamlDocument, stages: list[StageFacts], at: Location) -> tuple[Stage, ...]:
    """The stages, each starting the week after the one before, from week 1; only the
    last may go on without end."""
    checked, problems = [], []
    expected = 1
    for index, facts in enumerate(stages):
        where = (*at, index, "weeks")
        line = document.line_of(where)
        weeks = _weeks(facts.weeks)
        if weeks is None:
            problems.append(Problem(document.path, line, WEEKS_WRITTEN))
            continue
        first, last = weeks
        if first != expected:
            next_week = f"this stage starts in week {first}, but week {expected} is next"
            problems.append(Problem(document.path, line, next_week))
        if last is None and index < len(stages) - 1:
            endless = "only the last stage can go on without end"
            problems.append(Problem(document.path, line, endless))
        expected = (last or first) + 1
        exercises = _prescribed(document, facts.exercises, (*at, index, "exercises"))
        checked.append(Stage(first, last, exercises, document.line_of((*at, index))))
    if problems:
        raise BookError(problems)
    return tuple(checked)


def _weeks(value: str | int) -> tuple[int, int | None] | None:
    """(first, last) of "3", "1-2", "5-" or "5+" (last None: on and on)."""
    if isinstance(value, int):
        return (value, value) if value >= 1 else None
    found = WEEKS.match(value)
    if found is None:
        return None
    first = int(found[1])
    last = first if found[2] is None else (int(found[3]) if found[3] else None)
    if first < 1 or (last is not None and last < first):
        return None
    return first, last


def _validated(model: type[Any], document: YamlDocument, data: object, at: Location) -> Any:
    if not isinstance(data, dict):
        raise BookError.at(document.path, document.line_of(at), "expected 'key: value' lines")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise BookError(
            [
                Problem(document.path, document.line_of((*at, *detail["loc"])), _described(detail))
                for detail in error.errors()
            ]
        ) from None


def _described(detail: ErrorDetails) -> str:
    """A validation error in the user's words, naming the field alone (its line says
    where it is); a client's own words never repeated."""
    field = str(detail["loc"][-1]) if detail["loc"] else ""
    kind = detail["type"]
    if kind == "value_error":  # a rule across fields (one frequency, exercises or stages)
        return str(detail.get("ctx", {}).get("error", detail["msg"]))
    if field in PERSONAL and kind not in ("missing", "extra_forbidden"):
        return (
            f"{field} must not be empty" if kind == "string_too_short" else f"{field} must be text"
        )
    if field == "start" and kind.startswith("date"):
        return "start must be a date written YYYY-MM-DD"
    named = detail.copy()
    named["loc"] = detail["loc"][-1:]
    return describe_error(named)


def _duplicate_ids(clients: list[Client]) -> list[Problem]:
    first: dict[str, Client] = {}
    problems = []
    for client in clients:
        if client.id in first:
            earlier = first[client.id]
            where = f"line {earlier.line}"
            if earlier.source != client.source:
                where = f"{earlier.source.name}:{earlier.line}"
            again = f"client id used again (first at {where}); each client needs an id of their own"
            problems.append(Problem(client.source, client.line, again))
        else:
            first[client.id] = client
    return problems


# --- CSV: one row per client, exercise and stage ----------------------------------------

CSV_REQUIRED = ("client_id", "exercise")
CLIENT_COLUMNS = {
    "client_name": "name",
    "language": "language",
    "start": "start",
    "notes": "notes",
}
DOSE_COLUMNS = {
    "reps": "reps",
    "sets": "sets",
    "per_side": "per_side",
    "hold_seconds": "hold_seconds",
    "hold_breaths": "hold_breaths",
    "per_day": "per_day",
    "per_week": "per_week",
    "dose_note": "note",
}
CSV_OPTIONAL = ("client_name", "language", "start", "notes", "weeks", *DOSE_COLUMNS)
CLIENTS_ADVICE = "make the programmes of each group separately"
CLIENTS_LIMIT = Limit(MAX_CLIENTS * 50, "rows", CLIENTS_ADVICE)


def _read_csv(path: Path) -> tuple[list[Client], list[Problem]]:
    """The clients of a CSV file, and the problems of those it cannot give: its rows
    grouped by client_id, then by weeks (a client whose rows leave weeks blank does the
    same every week)."""
    rows = read_csv(path, CSV_REQUIRED, CSV_OPTIONAL, CLIENTS_LIMIT)
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["client_id"], []).append(row)
    clients, problems = [], []
    for client_rows in grouped.values():
        document = _as_document(path, client_rows)
        problems += document.problems
        try:
            clients.append(_client(document, _as_data(client_rows), ()))
        except BookError as error:
            problems += error.problems
    return clients, problems


def _as_data(rows: list[Row]) -> dict[str, object]:
    """One client's rows as the YAML of a client would give them."""
    data: dict[str, object] = {"id": rows[0]["client_id"]}
    for column, key in CLIENT_COLUMNS.items():  # given once, on any of the client's rows
        value = next((row[column] for row in rows if row[column]), "")
        if value:
            data[key] = value
    stages: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        item: dict[str, object] = {"exercise": row["exercise"]}
        for column, key in DOSE_COLUMNS.items():
            if row[column]:
                item[key] = int(row[column]) if row[column].isdigit() else row[column]
        stages.setdefault(row["weeks"], []).append(item)
    if list(stages) == [""]:
        data["exercises"] = stages[""]
    else:
        data["stages"] = [{"weeks": weeks, "exercises": items} for weeks, items in stages.items()]
    return data


def _as_document(path: Path, rows: list[Row]) -> YamlDocument:
    """Where each field of a client's rows is, for the messages: the row it came from."""
    lines: dict[Location, int] = {}
    weeks_seen: list[str] = []
    counts: dict[str, int] = {}
    for row in rows:
        if row["weeks"] not in weeks_seen:
            weeks_seen.append(row["weeks"])
        stage = weeks_seen.index(row["weeks"])
        index = counts.get(row["weeks"], 0)
        counts[row["weeks"]] = index + 1
        item: Location = ("stages", stage, "exercises", index)
        if weeks_seen == [""]:
            item = ("exercises", index)
        lines[item] = row.line
        lines.setdefault(("stages", stage), row.line)
        lines.setdefault(("stages", stage, "weeks"), row.line)
    return YamlDocument(None, path, rows[0].line, lines, _conflicts(path, rows))


def _conflicts(path: Path, rows: list[Row]) -> list[Problem]:
    """A client's details given differently on two of their rows."""
    problems = []
    for column in CLIENT_COLUMNS:
        given = [row for row in rows if row[column]]
        problems += [
            Problem(
                path, row.line, f"{column} differs from line {given[0].line}, the same client's"
            )
            for row in given[1:]
            if row[column] != given[0][column]
        ]
    return problems
