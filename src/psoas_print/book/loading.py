"""Reading a book folder into the model; every problem becomes a located Problem.

All problems of a book are collected before anything is raised, so that
``psoas-print check`` can list them all in one run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from psoas_print.book import (
    coverage,
    glyphs,
    labels,
    markdown,
    migration,
    nesting,
    svg,
    translations,
)
from psoas_print.book.images import ImageProblem, open_image
from psoas_print.book.labels import LabelCatalogue
from psoas_print.book.model import (
    Book,
    BookInfo,
    Chapter,
    ChapterFacts,
    Exercise,
    ExerciseFacts,
    ImageKind,
    PoseFacts,
    PoseFault,
    Routine,
    RoutineEntryFacts,
    RoutineFacts,
    RoutineItem,
    shown,
)
from psoas_print.book.resolver import Refused, Resolver
from psoas_print.book.sources import Sources
from psoas_print.book.yamlfile import Location, YamlDocument, parse_yaml
from psoas_print.errors import BookError, Problem, display_path
from psoas_print.files import Unreadable, is_regular_file, read_limited
from psoas_print.limits import MAX_TEXT_BYTES

Model = TypeVar("Model", bound=BaseModel)


def _draws(pose: PoseFacts) -> PoseFault | None:
    return None


@dataclass(frozen=True)
class Checks:
    """What later stages check while the book is read, so that one report lists every
    problem: the figures stage whether each pose can be drawn, the layout stage how wide
    each picture prints (which sets the dpi it needs). The reading stage knows neither; the
    runner hands both in (see ``psoas_print.load_book``)."""

    pose_fault: Callable[[PoseFacts], PoseFault | None] = _draws
    printed_width_mm: Callable[[float, ImageKind], float] | None = None  # None: no dpi check
    # What the language stage finds in one of the book's catalogues: warnings, such as a
    # label the tool never prints.
    label_warnings: Callable[[LabelCatalogue], list[Problem]] | None = None
    # Told of every pose read, drawable or not (the preview's figures view shows each).
    pose_seen: Callable[[SeenPose], None] | None = None


@dataclass(frozen=True)
class SeenPose:
    """A pose as the reader found it: its exercise, its file, and what keeps it from
    being drawn (with the line of that) if anything does."""

    exercise: str
    source: Path
    pose: PoseFacts
    fault: PoseFault | None = None
    line: int | None = None


@dataclass
class Report:
    """What reading a book found: problems stop the build, warnings are only shown."""

    checks: Checks = field(default_factory=Checks)
    language: str = "en"  # what the book is written in, for its text's typography
    edition: str | None = None  # the language of the translated edition read; None: the book's
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, problem: Problem) -> None:
        self.problems.append(problem)


IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".svg"}
_ORDER_PREFIX = re.compile(r"^\d+[-_ ]")


def load_book(root: Path, checks: Checks, edition: str | None = None) -> Book:
    """Read and validate the whole book, or raise one BookError listing every problem;
    with ``edition``, its translation into that language (see translations.py)."""
    root = root.resolve()
    if not (root / "book.yaml").is_file():
        raise BookError.at(
            root / "book.yaml", None, "no book.yaml here; point --book at a book folder"
        )
    report = Report(checks, edition=edition)
    if edition is not None and not translations.has_translation(root, edition):
        have = ", ".join(translations.languages(root)) or "none"
        message = f"no translation into '{edition}' (translations/ has: {have})"
        raise BookError.at(root / translations.FOLDER, None, message)
    info, info_document = _load_info(root, report)
    cover_art = None
    if info is not None and info_document is not None:
        report.language = info.language
        cover_art = _load_cover_art(info, info_document, root, report)
    exercise_files = _book_files(root, "exercises", "*.md", report)
    exercises = {
        exercise.id: exercise
        for path in exercise_files
        if (exercise := _load_exercise(path, root, report))
    }
    # An exercise whose own file has a problem is not also reported as unknown elsewhere.
    broken = {path.stem for path in (root / "exercises").glob("*.md")} - set(exercises)
    chapters = _unique_ids(
        tuple(
            chapter
            for path in _book_files(root, "chapters", "*.md", report)
            if (chapter := _load_chapter(path, root, exercises, broken, report))
        )
    )
    routines = {
        routine.id: routine
        for path in _book_files(root, "routines", "*.yaml", report)
        if (routine := _load_routine(path, exercises, broken, report))
    }
    if info is not None and info_document is not None:
        _check_cheatsheet_routine(info, info_document, routines, report)
    _check_chapter_exercises(chapters, report)
    _check_author_ids(chapters, exercises, report)
    catalogue_files = _book_files(root, labels.FOLDER, "*.po", report)
    catalogues = tuple(
        catalogue for path in catalogue_files if (catalogue := _load_catalogue(path, root, report))
    )
    if info is not None and info_document is not None:
        _check_script(root, info, info_document, report)
    report.problems.extend(migration.old_spellings(root))
    report.problems += coverage.unprintable_text(
        root, chapters, exercises, routines, catalogue_files
    )
    if report.problems or info is None:
        raise BookError(report.problems)
    _warn_left_out(chapters, exercises, report)
    return Book(
        root, info, chapters, exercises, routines, tuple(report.warnings), catalogues, cover_art
    )


def _book_files(root: Path, folder: str, pattern: str, report: Report) -> list[Path]:
    """The files of one folder of the book, in name order.

    A link to a file outside the book is reported and left out: a shared book must not
    print a file of the machine it is built on. Whatever else is wrong with a name (a
    folder, a pipe, a link to a device) is for ``_read_text`` to say.
    """
    inside = []
    for path in sorted((root / folder).glob(pattern)):
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a loop of links: reading it says so
            target = path
        if target.is_relative_to(root) or not is_regular_file(target):
            inside.append(path)
        else:
            message = f"a link to {target}, outside the book folder; only the book's files are read"
            report.error(Problem(path, None, message))
    return inside


def _load_info(root: Path, report: Report) -> tuple[BookInfo | None, YamlDocument | None]:
    path = root / "book.yaml"
    text = _read_text(path, report, root)
    if text is None:
        return None, None
    document = parse_yaml(text, path)
    info = _validate(BookInfo, document, report)
    if info is None or report.edition is None:
        return info, document
    translated = _translation("book", path, root, document, report)
    if translated is not None:
        document = translated[0]
    assert isinstance(document.data, dict)
    document.data = {**document.data, "language": report.edition}
    return _validate(BookInfo, document, report), document


def _load_cover_art(
    info: BookInfo, document: YamlDocument, root: Path, report: Report
) -> Path | None:
    """The image book.yaml's ``cover`` names, checked for sharpness across a whole page."""
    if info.cover is None:
        return None
    path, line = root / "book.yaml", document.line_of(("cover",))
    if _written_inside(info.cover):
        report.error(Problem(path, line, "cover: name a picture file in the book, not a URL"))
        return None
    art = _resolve_asset(info.cover, path, line, root, report)
    if art is not None:
        _check_resolution(art, path, line, report, kind="cover")
    return art


def _load_catalogue(path: Path, root: Path, report: Report) -> LabelCatalogue | None:
    """One of the book's own label catalogues, checked (see labels.py)."""
    text = _read_text(path, report, root)
    if text is None:
        return None
    read = labels.parse_catalogue(text, path)
    if isinstance(read, list):
        report.problems += read
        return None
    if report.checks.label_warnings is not None:
        report.warnings += report.checks.label_warnings(read)
    return read


def _check_script(root: Path, info: BookInfo, document: YamlDocument, report: Report) -> None:
    """A book in a language the bundled fonts cannot set needs fonts of its own."""
    own_fonts = bool(glyphs.font_files([root / "fonts"])) if (root / "fonts").is_dir() else False
    line = document.line_of(("language",))
    problem = labels.script_problem(info.language, own_fonts, root / "book.yaml", line)
    if problem is not None:
        report.error(problem)


def _check_cheatsheet_routine(
    info: BookInfo, document: YamlDocument, routines: dict[str, Routine], report: Report
) -> None:
    if info.cheatsheet is None or info.cheatsheet in routines:
        return
    known = ", ".join(sorted(routines)) or "none"
    message = f"cheatsheet: no routine '{info.cheatsheet}' (routines/ has: {known})"
    report.error(Problem(document.path, document.line_of(("cheatsheet",)), message))


def _unique_ids(chapters: tuple[Chapter, ...]) -> tuple[Chapter, ...]:
    """Chapter ids come from file names without their number prefix (``050-more.md`` is
    ``more``); two such files get ``more`` and ``more-2``, so every anchor is unique."""
    taken: set[str] = set()
    unique = []
    for chapter in chapters:
        candidate, number = chapter.id, 2
        while candidate in taken:
            candidate, number = f"{chapter.id}-{number}", number + 1
        taken.add(candidate)
        unique.append(chapter.model_copy(update={"id": candidate}))
    return tuple(unique)


def _check_chapter_exercises(chapters: tuple[Chapter, ...], report: Report) -> None:
    """An exercise has one spread in the book: a second place for it is an error."""
    placed: dict[str, Path] = {}
    for chapter in chapters:
        for index, exercise_id in enumerate(chapter.exercises):
            if exercise_id in placed:
                where = display_path(placed[exercise_id])
                message = f"exercise '{exercise_id}' is already in {where}; list it only once"
                line = _chapter_line(chapter, ("exercises", index))
                report.error(Problem(chapter.source, line, message))
            placed.setdefault(exercise_id, chapter.source)


def _chapter_line(chapter: Chapter, location: tuple[str | int, ...]) -> int | None:
    """The line of a key in a chapter's front matter, read again only to report a problem."""
    parsed = _read_markdown(chapter.source, Report(), chapter.source.parents[1])
    return parsed[0].line_of(location) if parsed else None


def _check_author_ids(
    chapters: tuple[Chapter, ...], exercises: dict[str, Exercise], report: Report
) -> None:
    """An id written into raw HTML must be unique in the book and not one the tool makes."""
    seen: dict[str, Path] = {}
    items: list[Chapter | Exercise] = [*chapters, *exercises.values()]
    for item in items:
        ids = markdown.element_ids(item.body_html)
        lines = _id_lines(item.source, ids) if ids else []
        for element_id, line in zip(ids, lines, strict=True):
            problem = None
            if element_id in seen:
                also = display_path(seen[element_id])
                problem = f"id '{element_id}' is given twice (also in {also}); ids must be unique"
            elif element_id.startswith(RESERVED_ID_PREFIXES) or element_id in RESERVED_IDS:
                problem = f"id '{element_id}' is one psoas-print makes itself; choose another"
            if problem:
                report.error(Problem(item.source, line, problem))
            seen.setdefault(element_id, item.source)


RESERVED_IDS = {"cover", "contents", "routines", "full-book", "sheet-end"}
RESERVED_ID_PREFIXES = ("chapter-", "exercise-", "caution-", "video-", "routine-", "after-card-")


def _id_lines(path: Path, ids: list[str]) -> list[int | None]:
    """The file line of each id, in order: the n-th ``id="X"`` written in the file."""
    text = path.read_text(encoding="utf-8-sig")
    found: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        for match in _ID_ATTRIBUTE.finditer(line):
            found.setdefault(match[1], []).append(number)
    counts: dict[str, int] = {}
    lines: list[int | None] = []
    for element_id in ids:
        index = counts[element_id] = counts.get(element_id, -1) + 1
        candidates = found.get(element_id, [])
        lines.append(candidates[index] if index < len(candidates) else None)
    return lines


_ID_ATTRIBUTE = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")


def _warn_left_out(
    chapters: tuple[Chapter, ...], exercises: dict[str, Exercise], report: Report
) -> None:
    """Content that the products would silently leave out, named before anything is made."""
    chapter_of = {exercise_id: chapter for chapter in chapters for exercise_id in chapter.exercises}
    for exercise in exercises.values():
        chapter = chapter_of.get(exercise.id)
        if chapter is None:
            message = NO_CHAPTER
        elif exercise.sample and not chapter.sample:
            message = f"marked 'sample: true' but {display_path(chapter.source)} {NOT_SAMPLE}"
        else:
            message = None
        if message:
            report.warnings.append(Problem(exercise.source, None, message))
        if exercise.pose is None and exercise.image_path is None:
            message = NO_FIGURE.format(id=exercise.id)
            report.warnings.append(Problem(exercise.source, None, message))


NO_CHAPTER = (
    "in no chapter, so it is in neither the ebook nor the EPUB; "
    "list it under 'exercises:' in a chapter"
)
NOT_SAMPLE = "is not, so the sample edition leaves it out"
NO_FIGURE = (
    "has neither a pose (figures/{id}.yaml or 'pose:') nor an 'image:', "
    "so it shows a placeholder instead of a figure"
)


def _load_exercise(path: Path, root: Path, report: Report) -> Exercise | None:
    read = _read_page("exercises", ExerciseFacts, path, root, report, heading_shift=1)
    if read is None:
        return None
    facts, document, body_html = read
    if facts is None:
        return None
    image_path = None
    if facts.image is not None:
        line = document.line_of(("image",))
        image_path = _resolve_asset(facts.image, path, line, root, report)
        if image_path is not None:
            _check_resolution(image_path, path, line, report)
    pose = _load_pose(facts, document, path, root, report)
    return Exercise(
        **(dict(facts) | {"pose": pose}),
        id=path.stem,
        source=path,
        body_html=body_html,
        image_path=image_path,
    )


def _load_pose(
    facts: ExerciseFacts, document: YamlDocument, path: Path, root: Path, report: Report
) -> PoseFacts | None:
    """The exercise's pose: from its front matter, else from figures/ID.yaml; checked in full."""
    pose: PoseFacts | None
    prefix: Location  # where the pose is in the document
    if facts.pose is not None:
        pose, source, prefix = facts.pose, path, ("pose",)
    else:
        source = root / "figures" / f"{path.stem}.yaml"
        if not source.is_file():
            return None
        text = _read_text(source, report, root)
        if text is None:
            return None
        document = parse_yaml(text, source)
        pose = _validate(PoseFacts, document, report)
        prefix = ()
        if pose is None:
            return None
    fault = report.checks.pose_fault(pose)
    line = document.line_of((*prefix, *fault.location)) if fault is not None else None
    if report.checks.pose_seen is not None:
        report.checks.pose_seen(SeenPose(path.stem, source, pose, fault, line))
    if fault is not None:
        report.error(Problem(source, line, fault.message))
        return None
    return pose


def _load_chapter(
    path: Path,
    root: Path,
    exercises: dict[str, Exercise],
    broken: set[str],
    report: Report,
) -> Chapter | None:
    read = _read_page("chapters", ChapterFacts, path, root, report, heading_shift=0)
    if read is None:
        return None
    facts, document, body_html = read
    if facts is None:
        return None
    for index, exercise_id in enumerate(facts.exercises):
        if exercise_id not in exercises and exercise_id not in broken:
            line = document.line_of(("exercises", index))
            report.error(Problem(path, line, _unknown_exercise(exercise_id, exercises)))
    chapter_id = _ORDER_PREFIX.sub("", path.stem)
    return Chapter(**dict(facts), id=chapter_id, source=path, body_html=body_html)


def _load_routine(
    path: Path, exercises: dict[str, Exercise], broken: set[str], report: Report
) -> Routine | None:
    text = _read_text(path, report, path.parents[1])  # the book: FOLDER/NAME
    if text is None:
        return None
    document = parse_yaml(text, path)
    facts = _validate(RoutineFacts, document, report)
    root = path.parents[1]
    translated = _translation("routines", path, root, document, report) if facts else None
    if translated is not None:
        document = translated[0]
        facts = _validate(RoutineFacts, document, report)
    if facts is None:
        return None
    items = []
    for index, entry in enumerate(facts.exercises):
        if isinstance(entry, str):
            entry = RoutineEntryFacts(id=entry)
        exercise = exercises.get(entry.id)
        if exercise is None and entry.id in broken:
            continue
        if exercise is None:
            line = document.line_of(("exercises", index))
            report.error(Problem(path, line, _unknown_exercise(entry.id, exercises)))
            continue
        items.append(RoutineItem(exercise, entry.dose.apply(exercise.dose)))
    return Routine(
        id=path.stem,
        title=facts.title,
        description=facts.description,
        items=tuple(items),
        source=path,
        exercises_line=document.line_of(("exercises",)),
    )


def _read_page(
    kind: str, model: type[Model], path: Path, root: Path, report: Report, heading_shift: int
) -> tuple[Model | None, YamlDocument, str] | None:
    """A Markdown file of the book: its facts (with the edition's words, when a translated
    edition is read), its own front matter (where the facts' lines are) and its body's HTML
    (the translation's, where it has one). None when the file cannot be read at all."""
    parsed = _read_markdown(path, report, root)
    if parsed is None:
        return None
    document, body, body_offset = parsed
    facts = _validate(model, document, report)
    words_from = path
    translated = _translation(kind, path, root, document, report) if facts else None
    if translated is not None:
        merged, own_body, own_offset = translated
        if own_body is not None:
            body, body_offset, words_from = own_body, own_offset, merged.path
        facts = _validate(model, merged, report)
    body_html = _render_body(body, body_offset, words_from, root, report, heading_shift)
    return facts, document, body_html


def _translation(
    kind: str, path: Path, root: Path, source: YamlDocument, report: Report
) -> tuple[YamlDocument, str | None, int] | None:
    """The edition's translation of ``path`` merged over its ``source``: the merged data
    (with the translation's lines), the translation's body and the line it starts after.
    None for the book's own language, or where there is no translation (a warning: the
    source's words are printed)."""
    if report.edition is None:
        return None
    where = translations.translation_path(path, root, report.edition)
    if not where.exists():
        message = (
            f"not translated into '{report.edition}' ({display_path(where)}): printed as written"
        )
        report.warnings.append(Problem(path, None, message))
        return None
    if path.suffix == ".md":
        parsed = _read_markdown(where, report, root)
        if parsed is None:
            return None
        translation, body, offset = parsed
    else:
        text = _read_text(where, report, root)
        if text is None:
            return None
        translation, body, offset = parse_yaml(text, where), "", 0
        report.problems.extend(translation.problems)
        if translation.problems:
            return None
    if kind == "book" and isinstance(translation.data, dict):
        translation.data = _own_language(translation, report)
    merged = translations.merge(kind, source, translation)
    report.problems.extend(merged.problems)
    if merged.untranslated:
        missing = ", ".join(merged.untranslated)
        report.warnings.append(Problem(where, None, f"untranslated, printed as written: {missing}"))
    document = YamlDocument(merged.data, where, translation.first_line, translation.lines)
    if path.suffix == ".md" and not body.strip():
        report.warnings.append(
            Problem(where, None, "no text after the front matter: printed as written")
        )
        return document, None, offset
    return document, body, offset


def _own_language(translation: YamlDocument, report: Report) -> dict[str, object]:
    """A translated book.yaml's keys; its ``language``, if given, must be its folder's."""
    assert isinstance(translation.data, dict)
    data = dict(translation.data)
    language = data.pop("language", report.edition)
    if language != report.edition:
        line = translation.line_of(("language",))
        message = f"language is '{language}' in translations/{report.edition}/: leave it out"
        report.error(Problem(translation.path, line, message))
    return data


def _unknown_exercise(exercise_id: str, exercises: dict[str, Exercise]) -> str:
    known = ", ".join(sorted(exercises)) or "none"
    return f"unknown exercise '{exercise_id}' (exercises/ has: {known})"


# --- files -------------------------------------------------------------------


OUTSIDE_LINK = "a link out of the book; only files inside the book folder are read, not"


def _read_text(path: Path, report: Report, root: Path) -> str | None:
    """The file as text, or None after recording why it cannot be used.

    Only a regular file inside the book and within the size limit is read: a link out of
    the book, a pipe or a link to a device named like a chapter is refused before a byte
    of it is read.
    """
    resolved = path.resolve()
    # A pipe or a device is named as such below, wherever a link to it points.
    if is_regular_file(path) and not _resolver(root).allows(resolved, within_book=True):
        report.error(Problem(path, None, f"{OUTSIDE_LINK} {resolved}"))
        return None
    try:
        data = read_limited(path, MAX_TEXT_BYTES, what="a text file of a book")
    except Unreadable as error:
        report.error(Problem(path, None, str(error)))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        report.error(
            Problem(
                path,
                line,
                f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
            )
        )
        return None
    if not text.strip():  # nothing but white space, or only a byte-order mark
        report.error(Problem(path, 1, "file is empty"))
        return None
    return text


def _read_markdown(path: Path, report: Report, root: Path) -> tuple[YamlDocument, str, int] | None:
    """Front matter as a YamlDocument, the body, and how many lines precede the body."""
    text = _read_text(path, report, root)  # only a file inside the book at ``root``
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    if lines[0].rstrip() != "---":
        report.error(
            Problem(
                path, 1, "no front matter: start the file with a '---' line, the facts, then '---'"
            )
        )
        return None
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
    if closing is None:
        report.error(Problem(path, 1, "front matter is not closed with a '---' line"))
        return None
    document = parse_yaml("".join(lines[1:closing]), path, line_offset=1)
    if not document.problems and not isinstance(document.data, dict):
        document.problems.append(
            Problem(path, 2, "front matter must be a set of 'key: value' lines")
        )
    report.problems.extend(document.problems)
    if document.problems:
        return None
    return document, "".join(lines[closing + 1 :]), closing + 1


def _validate(model: type[Model], document: YamlDocument, report: Report) -> Model | None:
    if document.problems:
        report.problems.extend(document.problems)
        return None
    if not isinstance(document.data, dict):
        report.error(Problem(document.path, document.first_line, "expected 'key: value' lines"))
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        for detail in error.errors():
            location = tuple(detail["loc"])
            line = document.line_of(location)
            report.error(Problem(document.path, line, describe_error(detail)))
        return None


def describe_error(detail: ErrorDetails) -> str:
    """A validation error in the words of the book's author."""
    field = ".".join(str(part) for part in detail["loc"] if not _is_union_branch(part))
    kind = detail["type"]
    value = detail.get("input")
    if kind in ("missing_author", "two_authors"):
        return str(detail["msg"])
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "extra_forbidden":
        return f"unknown field '{field}' (check its spelling)"
    if kind == "count":
        return f"{field} {detail['msg']}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{field} must be a whole number, got {shown(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{field} must be true or false, got {shown(value)}"
    if kind == "string_type":
        return f"{field} must be text, got {shown(value)}"
    if kind == "string_too_short":
        return f"{field} must not be empty"
    if kind == "too_short":
        return f"{field} must list at least one item"
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        expected = "a list" if kind == "list_type" else "a set of 'key: value' lines"
        return f"{field} must be {expected}, got {shown(value)}"
    return f"{field}: {detail['msg'].lower()}, got {shown(value)}"


def _is_union_branch(part: object) -> bool:
    # Pydantic names the tried branch of a union in the location ("str", "RoutineEntryFacts").
    return isinstance(part, str) and (part in ("str", "int") or part[:1].isupper())


# --- images -------------------------------------------------------------------

PRINT_DPI, MINIMUM_DPI = 300, 150


def _check_resolution(
    image: Path, path: Path, line: int, report: Report, kind: ImageKind = "figure"
) -> None:
    """A photo must stay sharp at the size the ebook prints it: 150 dpi at least, 300 ideally.

    ``kind`` says where it prints: as an exercise's figure, or in the text of a chapter or
    of an exercise's instructions; either way across the text column, capped in height.
    """
    if image.suffix.lower() == ".svg":
        return
    try:
        width, height = open_image(image)  # decoded in full, within the pixel limit
    except ImageProblem as problem:
        report.error(Problem(path, line, str(problem)))
        return
    if report.checks.printed_width_mm is None:
        return
    printed_mm = report.checks.printed_width_mm(width / height, kind)
    dpi = width * 25.4 / printed_mm
    if dpi >= PRINT_DPI:
        return
    message = sharpness_message(image, width, printed_mm, "in the ebook")
    if dpi < MINIMUM_DPI:
        report.error(Problem(path, line, f"{message} (under {MINIMUM_DPI} dpi is too blurred)"))
    else:
        report.warnings.append(Problem(path, line, message))


def sharpness_message(image: Path, width_px: int, printed_mm: float, where: str) -> str:
    """How sharp a picture prints, and how many pixels it needs for print quality."""
    dpi = width_px * 25.4 / printed_mm
    return (
        f"'{image.name}' prints at {dpi:.0f} dpi, {printed_mm:.0f} mm wide {where}; "
        f"{PRINT_DPI} dpi needs {round(PRINT_DPI * printed_mm / 25.4)} pixels across"
    )


def _pixel_size(image: Path) -> tuple[int, int] | None:
    """A raster image's width and height in pixels, or None when it cannot be read (it is
    decoded in full, within the pixel limit: see images.py)."""
    try:
        return open_image(image)
    except ImageProblem:
        return None


@dataclass(frozen=True)
class BookImage:
    """A raster picture the ebook prints, and the line of the book that names it."""

    path: Path
    pixels: tuple[int, int]
    source: Path
    line: int
    kind: ImageKind

    def too_soft_for_print(self, printed_mm: float, where: str) -> Problem | None:
        """Why the picture is too soft printed ``printed_mm`` wide (under 300 dpi), if it is."""
        width, _ = self.pixels
        if width * 25.4 / printed_mm >= PRINT_DPI:
            return None
        message = sharpness_message(self.path, width, printed_mm, where)
        return Problem(
            self.source, self.line, f"{message} (under {PRINT_DPI} dpi is too soft for print)"
        )


def book_images(book: Book) -> list[BookImage]:
    """Every raster picture the ebook of ``book`` prints: exercise photos and the images in
    the text of the chapters and exercises it shows.

    The model keeps the pictures' paths but not the lines that name them, so the files that
    name them are read again (a few milliseconds; only a print edition asks).
    """
    shown = {e.id: e for chapter in book.chapters for e in book.chapter_exercises(chapter)}
    sources = [chapter.source for chapter in book.chapters]
    sources += [exercise.source for exercise in shown.values()]
    return [image for source in sources for image in _named_images(source, book.root)]


def cover_image(book: Book) -> BookImage | None:
    """The front cover's own art as a raster picture, with the line of book.yaml naming it;
    None without one, or for a drawing (which is sharp at any size)."""
    if book.cover_art is None or book.cover_art.suffix.lower() == ".svg":
        return None
    pixels = _pixel_size(book.cover_art)
    text = _read_text(book.root / "book.yaml", Report(), book.root)
    if pixels is None or text is None:
        return None
    line = parse_yaml(text, book.root / "book.yaml").line_of(("cover",))
    return BookImage(book.cover_art, pixels, book.root / "book.yaml", line, "cover")


def _named_images(source: Path, root: Path) -> list[BookImage]:
    """The raster pictures one Markdown file names: its front matter's image, its body's."""
    parsed = _read_markdown(source, Report(), root)
    if parsed is None:
        return []
    document, body, offset = parsed
    named: list[tuple[str, int, ImageKind]] = []
    facts = document.data if isinstance(document.data, dict) else {}
    if isinstance(facts.get("image"), str):
        named.append((facts["image"], document.line_of(("image",)), "figure"))
    tokens = markdown.parse(body)
    for reference in markdown.references(tokens, markdown.safe_html(tokens)):
        named.append((reference.url, offset + reference.line, "inline"))
    images = []
    for url, line, kind in named:
        if _written_inside(url):
            continue
        try:
            target = _resolver(root).book_file(url, what="image")
        except Refused:  # reported when the book was read
            continue
        pixels = None if target.suffix.lower() == ".svg" else _pixel_size(target)
        if pixels is not None:
            images.append(BookImage(target, pixels, source, line, kind))
    return images


# --- references to files -----------------------------------------------------


def _render_body(
    body: str, offset: int, path: Path, root: Path, report: Report, heading_shift: int
) -> str:
    """The body's HTML, cleaned as it reaches every output; every file it loads checked."""
    tokens = markdown.parse(body, report.language)
    markdown.unlink_unsafe(tokens)
    html = markdown.to_html(tokens, heading_shift=heading_shift)
    if (deep := nesting.too_deep_line(tokens, html)) is not None:
        report.error(Problem(path, offset + deep, nesting.TOO_DEEP))
        return html  # never laid out; and parsing it as a page would take minutes
    html = markdown.clean_raw_html(tokens, html)
    for reference in markdown.references(tokens, html):
        line = offset + reference.line
        image = _resolve_asset(reference.url, path, line, root, report, own_parts=True)
        if image is not None:
            # Printed across the text column like an exercise's figure: its dpi is known.
            _check_resolution(image, path, line, report, kind="inline")
    return html


def _resolve_asset(
    url: str, path: Path, line: int, root: Path, report: Report, own_parts: bool = False
) -> Path | None:
    """The image file ``url`` names inside the book, or None after recording why it cannot
    be used (or for a data: URL, or with ``own_parts`` a #part of the page itself).

    Paths are relative to the book folder, in the front matter and the Markdown body alike;
    the resolver decides, as it does for every other reader of the book's files.
    """
    if url.strip()[:5].lower() == "data:":
        _check_svg_data(url, path, line, report)
        return None
    if own_parts and url.strip().startswith("#"):
        return None
    try:
        image = _resolver(root).book_file(url, what="image")
    except Refused as refused:
        report.error(Problem(path, line, str(refused)))
        return None
    if image.suffix.lower() not in IMAGE_SUFFIXES:
        report.error(Problem(path, line, f"'{url}' is not a JPEG, PNG or SVG image"))
        return None
    svg_problem = image.suffix.lower() == ".svg" and not _svg_stands_alone(
        image, url, path, line, root, report
    )
    return None if svg_problem else image


def _written_inside(url: str) -> bool:
    """A data: URL, or a #part of the page itself: no file to read."""
    url = url.strip()
    return url[:5].lower() == "data:" or url.startswith("#")


def _svg_stands_alone(
    image: Path, url: str, path: Path, line: int, root: Path, report: Report
) -> bool:
    """Whether an SVG picture reads safely and uses no other file or URL; else reported,
    naming the picture and what it refers to."""
    try:
        data = _resolver(root).read_bytes(image, url=url, what="image")
    except Refused as refused:
        report.error(Problem(path, line, str(refused)))
        return False
    name = image.relative_to(root).as_posix()
    found = svg.problems(data)
    for problem in found:
        report.error(Problem(path, line, f"'{name}' {problem}"))
    return not found


def _check_svg_data(url: str, path: Path, line: int, report: Report) -> None:
    """An SVG picture written into a data: URL must stand alone too."""
    data = svg.data_url(url)
    if data is not None and svg.looks_like_svg(data):
        for problem in svg.problems(data):
            report.error(Problem(path, line, f"the SVG picture in a data: URL {problem}"))


@functools.cache
def _resolver(root: Path) -> Resolver:
    return Sources(root).resolver
