"""Translated editions: translations/LANG/ gives a book's words in another language, the
facts stay the book's; a translation that changes a fact is an error at its line, and
what a partial translation leaves out is printed as written and named."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.errors import BookError, display_path
from tests.conftest import SAMPLE_BOOK, SECOND_BOOK, run_cli, shared_build

BOOK_FILES = ("book.yaml", "chapters/*.md", "exercises/*.md", "routines/*.yaml")


def copy_of_sample(folder: Path) -> Path:
    book = Path(shutil.copytree(SAMPLE_BOOK, folder / "book"))
    shutil.rmtree(book / "translations", ignore_errors=True)
    return book


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


CHAPTER = "---\ntitle: Bonjour\n---\nTexte.\n"
EXERCISE = """---
name: Le pont avec jambe levée
cues: [Bassin stable, Hanches hautes]
dose:
  reps: {reps}
---
Un texte traduit.
"""


def test_a_translation_gives_the_words_and_keeps_the_facts(tmp_path):
    book = copy_of_sample(tmp_path)
    source = load_book(book).exercises["bridge-leg-lift"]
    reps = f"{source.dose.reps.low}-{source.dose.reps.high}"
    if source.dose.reps.low == source.dose.reps.high:
        reps = str(source.dose.reps.low)
    write(book / "translations/fr/exercises/bridge-leg-lift.md", EXERCISE.format(reps=reps))
    edition = load_book(book, "fr")
    exercise = edition.exercises["bridge-leg-lift"]
    assert exercise.name == "Le pont avec jambe levée"
    assert exercise.cues == ["Bassin stable", "Hanches hautes"]
    assert "Un texte traduit." in exercise.body_html
    assert exercise.dose == source.dose and exercise.pose == source.pose
    assert edition.info.language == "fr"
    assert edition.info.title == load_book(book).info.title  # book.yaml is not translated
    said = {(display_path(w.path), w.message) for w in edition.warnings}
    # What the French edition prints as written, each named.
    assert any(path.endswith("book.yaml") and "not translated into 'fr'" in m for path, m in said)
    assert any(path.endswith("exercises/crisscross.md") for path, _ in said)
    left = next(
        m for path, m in said if path.endswith("translations/fr/exercises/bridge-leg-lift.md")
    )
    assert "breathing.inhale" in left and "caution" in left and "name" not in left.split(": ")[1]


def test_a_translation_that_changes_a_fact_is_an_error_at_its_line(tmp_path):
    book = copy_of_sample(tmp_path)
    bad = write(book / "translations/fr/exercises/bridge-leg-lift.md", EXERCISE.format(reps=99))
    routine = write(
        book / "translations/fr/routines/fridge.yaml",
        "title: Au frigo\nexercises: [crisscross]\n",
    )
    wrong_language = write(book / "translations/fr/book.yaml", "title: Titre\nlanguage: de\n")
    with pytest.raises(BookError) as raised:
        load_book(book, "fr")
    found = {(p.path, p.line): p.message for p in raised.value.problems}
    assert "'dose.reps'" in found[(bad, 5)] and "translate only the words" in found[(bad, 5)]
    assert "'exercises'" in found[(routine, 2)]
    assert "language is 'de'" in found[(wrong_language, 2)]
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert f"{display_path(bad)}:5: a translation changes no facts: 'dose.reps'" in lines[0] or any(
        line.startswith(f"{display_path(bad)}:5: ") for line in lines
    )


def test_an_edition_the_book_has_no_translation_for_is_named(tmp_path):
    book = copy_of_sample(tmp_path)
    write(
        book / "translations/fr/chapters/01-meet-your-psoas.md",
        "---\ntitle: Bonjour\n---\nTexte.\n",
    )
    with pytest.raises(BookError) as raised:
        load_book(book, "it")
    (problem,) = raised.value.problems
    assert "no translation into 'it'" in problem.message and "fr" in problem.message


def test_check_lists_what_each_translation_leaves_untranslated(tmp_path):
    book = copy_of_sample(tmp_path)
    write(
        book / "translations/fr/chapters/01-meet-your-psoas.md",
        "---\ntitle: Bonjour\n---\nTexte.\n",
    )
    result = run_cli("check", "--book", book)
    assert result.exit_code == 0, result.stderr
    said = result.stdout + result.stderr
    assert "Translation into 'fr':" in said and "untranslated" in said
    assert re.search(r"exercises/crisscross\.md: warning: not translated into 'fr'", said)


# --- the sample's German edition ---------------------------------------------------------


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    commands = {"all": ["build", "--book", str(SAMPLE_BOOK), "--lang", "all", "--out", "dist"]}
    folder, _ = shared_build(tmp_path_factory, "editions", commands)
    return folder / "dist"


@pytest.mark.slow  # both editions built whole
def test_build_all_writes_every_edition_into_its_folder(editions):
    for language in ("en", "de"):
        for name in ("cheatsheet.pdf", "ebook.pdf", "ebook.epub"):
            assert (editions / language / name).is_file(), (language, name)
    german = PdfReader(editions / "de" / "ebook.pdf")
    assert german.metadata.title == load_book(SAMPLE_BOOK, "de").info.title
    assert german.trailer["/Root"]["/Lang"] == "de"


def test_the_sample_is_translated_into_german_in_full():
    edition = load_book(SAMPLE_BOOK, "de")
    own = load_book(SAMPLE_BOOK)
    assert [w for w in edition.warnings if w not in own.warnings] == []


def english_sentences() -> set[str]:
    """Every sentence of six words or more in the sample's own files, whitespace made one."""
    sentences = set()
    for pattern in BOOK_FILES:
        for path in Path(SAMPLE_BOOK).glob(pattern):
            text = re.sub(r"[*_`#>|\[\]()]", " ", path.read_text(encoding="utf-8"))
            for sentence in re.split(r"(?<=[.!?:;])\s+|\n\s*\n|\n-|\n\d+\.", text):
                words = sentence.split()
                if len(words) >= 6 and all(re.fullmatch(r"[A-Za-z'\u2019,.-]+", w) for w in words):
                    sentences.add(" ".join(words).rstrip(".:;"))
    return sentences


@pytest.mark.slow  # both editions built whole
def test_the_german_ebook_has_no_english_sentence_from_the_book(editions):
    text = " ".join(page.extract_text() for page in PdfReader(editions / "de" / "ebook.pdf").pages)
    text = " ".join(text.replace("\u00ad", "").replace("-\n", "").split())
    sentences = english_sentences()
    assert len(sentences) > 50  # the check has something to find
    english = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(editions / "en" / "ebook.pdf").pages
    )
    found_in_english = [s for s in sentences if s in english]
    assert len(found_in_english) > 20  # the same extraction finds them in the English edition
    assert [s for s in sentences if s in text] == []


def test_the_german_files_fit_the_translation_schemas():
    import json

    import yaml
    from jsonschema import Draft202012Validator

    from psoas_print.runner.schemas import schemas

    made = schemas()
    kinds = {"book.yaml": "book", "chapters": "chapter", "exercises": "exercise"}
    kinds["routines"] = "routine"
    folder = Path(SAMPLE_BOOK) / "translations" / "de"
    checked = 0
    for path in sorted(folder.rglob("*.*")):
        kind = kinds[path.name if path.name == "book.yaml" else path.parent.name]
        text = path.read_text(encoding="utf-8")
        front = text.split("---\n")[1] if path.suffix == ".md" else text
        data = json.loads(json.dumps(yaml.safe_load(front), default=str))
        validator = Draft202012Validator(made[f"{kind}.translation.schema.json"])
        assert list(validator.iter_errors(data)) == [], path
        checked += 1
    assert checked == len(list(Path(SAMPLE_BOOK).glob("chapters/*.md"))) + 8  # all of them


# --- handouts in each student's language --------------------------------------------------


ROSTER = "name,language\nAnna Schmidt,de\nBen Carter,\nClaire Dubois,fr\nDieter Vogel,de\n"


@pytest.mark.slow
def test_each_student_gets_a_copy_in_their_language(tmp_path):
    roster = write(tmp_path / "roster.csv", ROSTER)
    out = tmp_path / "class.pdf"
    args = ("handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "--roster", roster)
    result = run_cli(*args, "-o", out)
    assert result.exit_code == 0, result.stderr
    german = load_book(SAMPLE_BOOK, "de")
    english = load_book(SAMPLE_BOOK)
    exercise = english.routines["fridge"].items[0].exercise.id
    texts = [page.extract_text() for page in PdfReader(out).pages]
    # The students of each language together, in the order their languages first come.
    names = [next(n for n in ("Anna", "Dieter", "Ben", "Claire") if n in t) for t in texts]
    assert names == ["Anna", "Dieter", "Ben", "Claire"]
    for text, language in zip(texts, ("de", "de", "en", "fr"), strict=True):
        book = german if language == "de" else english
        assert book.exercises[exercise].name in text  # the book's words, translated or not
        log = {"de": "Zwei-Wochen-Protokoll", "en": "Two-week log", "fr": "Suivi sur deux"}
        assert log[language] in text
    split = run_cli(*args, "--split", "-o", tmp_path / "each")
    assert split.exit_code == 0, split.stderr
    anna = PdfReader(tmp_path / "each" / "handout-anna-schmidt.pdf").pages[0].extract_text()
    assert german.exercises[exercise].name in anna and "Anna Schmidt" in anna
    # A German handout: a blank cell is German, an English student gets the book as written.
    roster = write(tmp_path / "roster-de.csv", "name,language\nAnna Schmidt,\nBen Carter,en\n")
    result = run_cli(*args[:-1], roster, "--lang", "de", "-o", out)
    assert result.exit_code == 0, result.stderr
    anna, ben = (page.extract_text() for page in PdfReader(out).pages)
    assert german.exercises[exercise].name in anna and "Zwei-Wochen-Protokoll" in anna
    assert english.exercises[exercise].name in ben and "Two-week log" in ben


@pytest.mark.parametrize(
    ("tag", "says"),
    [("de_DE!", "is not a language tag"), ("sv", "no labels in 'sv'")],
)
def test_a_roster_language_without_labels_is_an_error_at_its_row(tmp_path, tag, says):
    roster = write(tmp_path / "roster.csv", f"name,language\nAnna,de\nBen,{tag}\n")
    out = tmp_path / "class.pdf"
    result = run_cli("handout", "--book", SAMPLE_BOOK, "--routine", "fridge", "--roster", roster,
                     "-o", out)  # fmt: skip
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.startswith(f"{display_path(roster)}:3: ")
    assert says in result.stderr


def test_a_translations_folder_not_named_by_a_language_is_an_error(tmp_path):
    book = copy_of_sample(tmp_path)
    write(book / "translations/notes/todo.md", "---\ntitle: x\n---\n")
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{display_path(book / 'translations/notes')}: ")


@pytest.mark.slow  # a whole build
def test_the_second_book_builds_a_partly_translated_edition(tmp_path):
    """A book unlike the sample (Letter, en-GB, co-authors, photos), one chapter and one
    exercise in French: its French ebook has them, the rest as written, each named."""
    book = Path(shutil.copytree(SECOND_BOOK, tmp_path / "second"))
    chapter = sorted((book / "chapters").glob("*.md"))[0]
    exercise = book / "exercises" / "bird-dog.md"
    write(
        book / "translations/fr" / chapter.relative_to(book),
        "---\ntitle: Premier chapitre\n---\nUn chapitre en français.\n",
    )
    write(
        book / "translations/fr/exercises/bird-dog.md",
        "---\nname: Le chien d'arrêt\n---\nÀ quatre pattes, tendez le bras et la jambe opposés.\n",
    )
    out = tmp_path / "dist"
    result = run_cli("build", "--book", book, "--lang", "fr", "--out", out)
    assert result.exit_code == 0, result.stderr
    text = " ".join(page.extract_text() for page in PdfReader(out / "fr" / "ebook.pdf").pages)
    assert "Premier chapitre" in text and "Le chien d'arrêt" in text
    assert "À quatre pattes" in text
    english = load_book(book)
    assert english.exercises["cat-cow"].name in text  # not translated: printed as written
    said = result.stderr
    assert "exercises/cat-cow.md: warning: not translated into 'fr'" in said
    translated = [line for line in said.splitlines() if "not translated" in line]
    assert not any(line.startswith(f"{display_path(exercise)}:") for line in translated)
    assert not any(line.startswith(f"{display_path(chapter)}:") for line in translated)


def test_a_translation_linked_out_of_the_book_is_not_read(tmp_path):
    book = copy_of_sample(tmp_path)
    outside = Path(shutil.copytree(Path(SAMPLE_BOOK) / "translations" / "de", tmp_path / "de"))
    (book / "translations").mkdir()
    (book / "translations" / "de").symlink_to(outside, target_is_directory=True)
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    refused = [line for line in result.stderr.splitlines() if "a link out of the book" in line]
    translated = [p for p in outside.rglob("*") if p.is_file()]
    assert len(refused) == len(translated)  # each translated file, exercises and chapters too
