"""The typed, immutable model of a book: what every product is made from."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from psoas_print.book.labels import LabelCatalogue
from psoas_print.errors import Problem

Paper = Literal["a4", "letter"]
Level = Literal["beginner", "intermediate", "advanced"]
# An exercise's own picture, one in running text, or the front cover's art.
ImageKind = Literal["figure", "inline", "cover"]
ContactSurface = Literal["floor", "chair", "wall"]  # what a body point in a pose rests on

_RANGE = re.compile(r"^\s*(\d+)\s*[-\u2013]\s*(\d+)\s*$")  # hyphen or en dash


@dataclass(frozen=True)
class Count:
    """A whole number or a range of them, such as the 6-10 in "6-10 reps"."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}\u2013{self.high}"

    @property
    def is_one(self) -> bool:
        return self.high == 1


def parse_count(value: object) -> Count:
    if isinstance(value, Count):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return Count(value, value)
    match = _RANGE.match(value) if isinstance(value, str) else None
    if match and 0 < int(match[1]) < int(match[2]):
        return Count(int(match[1]), int(match[2]))
    raise PydanticCustomError(
        "count", "must be a whole number or a range like 6-10, got {shown}", {"shown": shown(value)}
    )


def spoken_list(names: list[str]) -> str:
    """Names as a sentence lists them: "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def shown(value: object) -> str:
    """A value as it was written in YAML, for error messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# What a count is in the book's files, for the JSON schemas: a number, or a range.
COUNT_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1},
        {"type": "string", "pattern": _RANGE.pattern},
    ]
}
CountField = Annotated[Count, PlainValidator(parse_count), WithJsonSchema(COUNT_SCHEMA)]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Content models: immutable, and unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", strict=False, use_attribute_docstrings=True
    )


class Dose(Strict):
    reps: CountField
    """Repetitions: a whole number, or a range like 6-10."""
    per_side: bool = False
    """True when the repetitions are done on each side."""
    sets: Annotated[int, Field(ge=1)] = 1
    """How many sets of the repetitions."""
    hold_seconds: CountField | None = None
    """How long each repetition is held, in seconds (a number or a range)."""
    hold_breaths: CountField | None = None
    """How long each repetition is held, in breaths (a number or a range)."""
    note: str | None = None
    """A word on the dose, such as 'or until your form fades'."""


class DoseOverride(Strict):
    """The dose fields a routine, or a client's programme, may change for one of its
    exercises; each one given wins over the exercise's own."""

    reps: CountField | None = None
    """Repetitions here: a whole number, or a range like 6-10 (default: the exercise's)."""
    per_side: bool | None = None
    """True when the repetitions are done on each side."""
    sets: Annotated[int, Field(ge=1)] | None = None
    """How many sets here."""
    hold_seconds: CountField | None = None
    """How long each repetition is held, in seconds."""
    hold_breaths: CountField | None = None
    """How long each repetition is held, in breaths."""
    note: str | None = None
    """A word on this dose."""

    def apply(self, dose: Dose) -> Dose:
        return dose.model_copy(update={name: getattr(self, name) for name in self.model_fields_set})


class Breathing(Strict):
    inhale: Text
    """When to breathe in, such as 'as you lengthen the leg'."""
    exhale: Text
    """When to breathe out."""


class BookInfo(Strict):
    """book.yaml."""

    title: Text
    """The book's title, on the cover, the title page and in the metadata."""
    subtitle: str = ""
    """A line under the title."""
    author: Text | None = None
    """The author (or give 'authors')."""
    authors: list[Text] = []
    """The authors, in the order they are credited (or give 'author')."""
    language: Annotated[str, Field(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")] = "en"
    """The language the book is written in, as a tag: en, en-GB, de, fr..."""
    paper: Paper = "a4"
    """The paper the ebook and the cheat sheet are laid out for."""
    edition: str = ""
    """The edition, as the copyright page names it."""
    year: int | None = None
    """The year of publication, on the copyright page."""
    description: str = ""
    """What the book is, for the metadata and the shops."""
    keywords: list[Text] = []
    """Keywords for the metadata and the shops."""
    rights: Text
    """The copyright line."""
    disclaimer: Text
    """The health disclaimer printed in every product."""
    store_url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    """Where the full book is sold: an http or https address (the sample edition needs it)."""
    isbn: Annotated[str, Field(pattern=r"^(97[89])?[-\d ]{9,13}[\dX]$")] | None = None
    """The book's ISBN."""
    cheatsheet: Text | None = None
    """The routine the cheat sheet shows (a file name in routines/, without .yaml)."""
    cover: Text | None = None
    """The front cover's own art: a picture in the book folder."""

    @model_validator(mode="after")
    def _one_way_to_name_authors(self) -> BookInfo:
        if self.author is None and not self.authors:
            raise PydanticCustomError("missing_author", "give 'author' or 'authors'")
        if self.author is not None and self.authors:
            raise PydanticCustomError("two_authors", "give either 'author' or 'authors', not both")
        return self

    @property
    def author_names(self) -> list[str]:
        """Every author, in the order they are credited."""
        return [self.author] if self.author is not None else list(self.authors)

    @property
    def byline(self) -> str:
        """The authors as a cover names them: "A", "A and B", "A, B and C"."""
        return spoken_list(self.author_names)


class KeyframeFacts(Strict):
    """One moment of a movement: joint angles in degrees and what touches a surface."""

    name: Text
    """The keyframe's name, which arrows and the breath refer to."""
    angles: dict[str, float] = {}
    """Joint angles in degrees, by joint name; joints not named keep the position's."""
    contacts: list[Text] | dict[str, ContactSurface] = []
    """The body points resting on a surface: a list (on the floor) or point: surface."""

    def contact_surfaces(self) -> dict[str, ContactSurface]:
        if isinstance(self.contacts, dict):
            return dict(self.contacts)
        return dict.fromkeys(self.contacts, "floor")


class ArrowFacts(Strict):
    """A motion arrow following one body point from one keyframe to another."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, use_attribute_docstrings=True
    )

    point: Text
    """The body point the arrow follows."""
    from_: Annotated[str, Field(alias="from", min_length=1)]
    """The keyframe the arrow starts at."""
    to: Text
    """The keyframe the arrow ends at."""


class BreathFacts(Strict):
    label: Literal["inhale", "exhale"]
    """Which breath the label names."""
    into: Text
    """The keyframe the breath moves into."""


class PoseFacts(Strict):
    """A figure: the view, the props and two or more keyframes of the movement."""

    view: Literal["side", "front", "above"]
    """Where the figure is seen from."""
    props: list[Literal["mat", "chair", "wall"]] = []
    """The props drawn with the body."""
    keyframes: Annotated[list[KeyframeFacts], Field(min_length=2)]
    """Two or more moments of the movement, the last one drawn solid, the earlier ones ghosted."""
    arrows: list[ArrowFacts] = []
    """Motion arrows between keyframes."""
    breath: BreathFacts | None = None
    """The breath label placed beside the movement."""
    psoas: Literal["near", "far", "left", "right", "both"] | None = None
    """Which psoas the figure shows."""
    caption: str | None = None
    """A caption under the figure."""


class ExerciseFacts(Strict):
    """An exercise file's front matter."""

    name: Text
    """The exercise's name, as its spread and the contents show it."""
    short_name: str | None = None
    """A shorter name for running heads and cheat sheets."""
    level: Level
    """How hard the exercise is."""
    position: Text
    """The starting position, in words."""
    props: list[Text] = []
    """What the exercise needs besides the floor, such as mat or chair."""
    purpose: Text
    """What the exercise does, in a sentence or two."""
    dose: Dose
    """How much: repetitions, sets, holds."""
    breathing: Breathing
    """When to breathe in and out."""
    cues: Annotated[list[Text], Field(min_length=1)]
    """Short reminders while doing it; the cheat sheet shows them."""
    caution: Text
    """What to take care of, or stop for."""
    image: str | None = None
    """A photo or drawing of the book's own, instead of the generated figure."""
    video: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    """A video of the exercise: an http or https address."""
    pose: PoseFacts | None = None
    """The pose the generated figure draws (else figures/ID.yaml)."""
    sample: bool = False
    """Part of the free sample edition."""


class Exercise(ExerciseFacts):
    """An exercise with its identity and rendered body."""

    id: str
    source: Path
    body_html: str
    image_path: Path | None = None

    @property
    def label(self) -> str:
        """The name where space is short."""
        return self.short_name or self.name


class ChapterFacts(Strict):
    """A chapter file's front matter."""

    title: Text
    """The chapter's title."""
    short_title: str | None = None
    """A shorter title for the running heads."""
    exercises: list[Text] = []
    """The exercises the chapter holds, by id (their file names without .md), in order."""
    sample: bool = False
    """Part of the free sample edition."""


class Chapter(ChapterFacts):
    id: str
    source: Path
    body_html: str

    @property
    def label(self) -> str:
        """The title where space is short."""
        return self.short_title or self.title


class RoutineEntryFacts(Strict):
    id: Text
    """The exercise, by id."""
    dose: DoseOverride = DoseOverride()
    """The routine's own dose for it, over the exercise's."""


class RoutineFacts(Strict):
    """A routine file."""

    title: Text
    """The routine's title."""
    description: str = ""
    """A line on what the routine is for."""
    exercises: Annotated[list[Text | RoutineEntryFacts], Field(min_length=1)]
    """The exercises in order: an id, or an id with a dose of the routine's own."""


@dataclass(frozen=True)
class RoutineItem:
    """One exercise as a routine does it: the routine's dose wins over the exercise's."""

    exercise: Exercise
    dose: Dose


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    description: str
    items: tuple[RoutineItem, ...]
    source: Path
    exercises_line: int


DEFAULT_CHEATSHEET = "fridge"  # the routine a cheat sheet shows when book.yaml names none


@dataclass(frozen=True)
class Book:
    root: Path
    info: BookInfo
    chapters: tuple[Chapter, ...]
    exercises: dict[str, Exercise]
    routines: dict[str, Routine]
    warnings: tuple[Problem, ...] = ()
    labels: tuple[LabelCatalogue, ...] = ()  # the book's own catalogues (locale/*.po)
    cover_art: Path | None = None  # the file book.yaml's ``cover`` names

    def cheatsheet_routine(self) -> Routine | None:
        """The routine the cheat sheet shows unless told otherwise: the one book.yaml names,
        else one called ``fridge``, else the first by file name; None without routines."""
        for routine_id in (self.info.cheatsheet, DEFAULT_CHEATSHEET):
            if routine_id in self.routines:
                return self.routines[routine_id]
        return next(iter(self.routines.values()), None)

    def chapter_exercises(self, chapter: Chapter) -> list[Exercise]:
        return [self.exercises[exercise_id] for exercise_id in chapter.exercises]

    def sample_edition(self) -> Book:
        """Only the chapters and exercises marked ``sample: true``."""
        exercises = {key: e for key, e in self.exercises.items() if e.sample}
        chapters = tuple(
            chapter.model_copy(
                update={"exercises": [e for e in chapter.exercises if e in exercises]}
            )
            for chapter in self.chapters
            if chapter.sample
        )
        return replace(self, chapters=chapters, exercises=exercises)


@dataclass(frozen=True)
class AngleFix:
    """The nearest working angle: the one joint's change that lets a keyframe be drawn."""

    keyframe: int  # its index in the pose's keyframes
    joint: str
    angle: float


@dataclass(frozen=True)
class PoseFault:
    """Why a pose cannot be drawn, and where in its description (keys and list indexes)."""

    location: tuple[str | int, ...]
    message: str
    fix: AngleFix | None = None  # when changing one angle would let it be drawn
