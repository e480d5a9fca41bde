"""Every word the tool prints, in the product's language: complete catalogues, no English
label left in a German or French product, Babel's formatting, the book's own labels, and
the typography of each language (hyphenation, quotation marks, French spacing)."""

from __future__ import annotations

import datetime
import io
import itertools
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pikepdf
import pyphen
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from pypdf import PdfReader

from psoas_print import load_book
from psoas_print.book import markdown
from psoas_print.book.model import Count, Dose
from psoas_print.language.catalogues import CATALOGUES, SHIPPED, TEMPLATE, words_for
from psoas_print.language.phrases import dose_summary
from tests.conftest import SAMPLE_BOOK, run_cli, shared_build
from tests.test_epub import epubcheck_command

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = str(SAMPLE_BOOK)
SVG = "{http://www.w3.org/2000/svg}"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

GERMAN_TEXT = """---
title: Die Hüfte im Alltag
exercises: []
---
Die Oberschenkelmuskulatur und die Hüftbeugemuskulatur arbeiten bei jeder
Treppenstufe zusammen. Wer den ganzen Arbeitstag am Schreibtisch verbringt, verkürzt die
Hüftbeugemuskulatur; Rückenschmerzen, Bewegungseinschränkungen und Verspannungen der
Lendenwirbelsäule sind häufige Folgen. "Langsam und gleichmäßig", sagt die
Physiotherapeutin, "mit ruhiger Atmung." Die Übungsreihenfolge bleibt unverändert, die
Wiederholungsanzahl steigt allmählich, und Entspannungsübungen beschließen jede Einheit.
Gesundheitsbewusste Schreibtischarbeiterinnen und Schreibtischarbeiter beginnen mit
Atemübungen, Dehnungsübungen und Kräftigungsübungen für die Rumpfmuskulatur.
"""

FRENCH_TEXT = """---
title: La hanche au quotidien
exercises: []
---
Attention : ne forcez jamais! Pourquoi? Parce que "le psoas" travaille sans cesse ;
respirez calmement. Voir https://example.org/psoas à 10:30.
"""


def _language_books(folder: Path) -> None:
    """Copies of the sample written in German and in French, a chapter each in the book's
    language: for hyphenation, quotation marks and spacing in the author's own text."""
    for language, text in (("de", GERMAN_TEXT), ("fr", FRENCH_TEXT)):
        book = Path(shutil.copytree(SAMPLE_BOOK, folder / f"book-{language}"))
        info = book / "book.yaml"
        info.write_text(
            re.sub(r"(?m)^language:.*$", "", info.read_text()) + f"\nlanguage: {language}\n"
        )
        (book / "chapters" / "000-language.md").write_text(text, encoding="utf-8")


def _stand_in_book(folder: Path) -> None:
    """A copy of the sample with a catalogue for a stand-in language (see english_leaks)."""
    stand_in = Path(shutil.copytree(SAMPLE_BOOK, folder / "book-zz"))
    (stand_in / "locale").mkdir()
    (stand_in / "locale" / "zz.po").write_text(stand_in_catalogue(), encoding="utf-8")


COMMANDS = {
    # de/cheatsheet.pdf, de/ebook.pdf and de/ebook.epub, as one build makes them.
    "build-de": ["build", "--book", SAMPLE, "--lang", "de", "--out", "."],
    "handout-fr": ["handout", "--book", SAMPLE, "--routine", "fridge", "--lang", "fr",
                   "--date", "2026-12-01", "--instructor", "Claire", "-o", "fr/handout.pdf"],
    "figures-de": ["figures", "--book", SAMPLE, "--lang", "de", "--out", "de/figures"],
    "epub-fr": ["epub", "--book", SAMPLE, "--lang", "fr", "-o", "fr/ebook.epub"],
    "cheatsheet-zz": ["cheatsheet", "--book", "book-zz", "--lang", "zz", "-o", "zz/cheatsheet.pdf"],
    "ebook-zz": ["ebook", "--book", "book-zz", "--lang", "zz", "-o", "zz/ebook.pdf"],
    "handout-zz": ["handout", "--book", "book-zz", "--routine", "fridge", "--lang", "zz",
                   "--date", "2026-12-01", "--instructor", "Claire", "-o", "zz/handout.pdf"],
}  # fmt: skip
BOOK_COMMANDS = {
    "german-book": ["ebook", "--book", "book-de", "-o", "german/ebook.pdf"],
    "french-book": ["ebook", "--book", "book-fr", "-o", "french/ebook.pdf"],
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's products in German and French, and in the stand-in language."""
    folder, _ = shared_build(tmp_path_factory, "languages", COMMANDS, _stand_in_book)
    return folder


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ebooks of books written in German and in French."""
    folder, _ = shared_build(tmp_path_factory, "language-books", BOOK_COMMANDS, _language_books)
    return folder


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


# --- the catalogues ------------------------------------------------------------------------


def extracted_messages() -> dict[str, tuple[str, ...]]:
    """Every message in the code and the layouts, as ``pybabel extract`` finds them with
    the project's babel.cfg: its id, and its plural's."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, tuple[str, ...]] = {}
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map):
        forms = (message,) if isinstance(message, str) else tuple(m for m in message if m)
        found[forms[0]] = forms
    return found


def test_messages_are_found_in_the_code_and_the_layouts():
    messages = extracted_messages()
    # One of each kind: a layout's label, a plural, a Python dose phrase, a figure's word.
    for message in ("Contents", "%(num)s exercise", "%(count)s rep each side", "inhale"):
        assert message in messages
    assert messages["%(count)s rep"] == ("%(count)s rep", "%(count)s reps")


@pytest.mark.parametrize("language", SHIPPED)
def test_each_shipped_catalogue_translates_every_message(language):
    messages = extracted_messages()
    folder = CATALOGUES / language.replace("-", "_") / "LC_MESSAGES"
    with (folder / "psoas_print.po").open("rb") as file:
        catalogue = read_po(file)
    translated = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            continue
        translated[key] = forms
    missing = sorted(set(messages) - set(translated))
    assert not missing, f"{language} lacks {missing}"
    assert not [(m.id, errors) for m, errors in catalogue.check()]  # placeholders kept
    with (folder / "psoas_print.mo").open("rb") as file:
        compiled = {_key(m.id): _forms(m.string) for m in read_mo(file) if m.id}
    for message in catalogue:
        if message.id and not message.fuzzy:
            expected = _forms(message.string)
            assert compiled.get(_key(message.id)) == expected, f"run pybabel compile: {language}"


def _key(message_id: object) -> str:
    return str(message_id[0]) if isinstance(message_id, list | tuple) else str(message_id)


def _forms(string: object) -> tuple[str, ...]:
    return tuple(string) if isinstance(string, list | tuple) else (str(string),)


def test_the_template_lists_every_message():
    with TEMPLATE.open("rb") as file:
        template = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(file) if m.id}
    assert set(extracted_messages()) == template, "run pybabel extract (docs/translating.md)"


def test_a_missing_translation_would_fail(tmp_path):
    """The check above is not vacuous: a catalogue without one message is caught."""
    source = CATALOGUES / "de" / "LC_MESSAGES" / "psoas_print.po"
    text = source.read_text(encoding="utf-8")
    cut = text.replace('msgid "Contents"\nmsgstr "Inhalt"', 'msgid "Contents"\nmsgstr ""')
    assert cut != text
    catalogue = read_po(io.StringIO(cut))
    assert not catalogue.get("Contents").string
    assert "Contents" in extracted_messages()


# --- no English label in a German or French product ----------------------------------------
# A label is found by its English words in a page's text; but the sample's own (English)
# text uses some of the same words ("Breathe in through the nose"). So each product is
# also made in a stand-in language whose every label is a mark: what English it still
# prints is the author's, and a German or French product may hold no more of it.


def english_labels() -> set[str]:
    """The fixed words of every English label: placeholders cut out, each part a phrase."""
    parts = set()
    for forms in _catalogue_forms("en").values():
        for form in forms:
            for part in PLACEHOLDER.split(form)[::2]:
                part = part.strip(" .,:;·\u2013-")
                if re.search(r"[A-Za-z]", part):
                    parts.add(part)
    return parts


def _catalogue_forms(language: str) -> dict[str, tuple[str, ...]]:
    folder = CATALOGUES / language.replace("-", "_") / "LC_MESSAGES"
    with (folder / "psoas_print.po").open("rb") as file:
        catalogue = read_po(file)
    return {_key(message.id): _forms(message.string) for message in catalogue if message.id}


def stand_in_catalogue() -> str:
    """A catalogue for the stand-in language: each label's words replaced by a mark."""
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    with TEMPLATE.open("rb") as file:
        template = read_po(file)
    for message in template:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        mark = "#" + "".join(f" %({name})s" for name in PLACEHOLDER.findall(ids[0]))
        lines.append(f'msgid "{ids[0]}"')
        if len(ids) > 1:
            lines += [f'msgid_plural "{ids[1]}"', f'msgstr[0] "{mark}"', f'msgstr[1] "{mark}"']
        else:
            lines.append(f'msgstr "{mark}"')
        lines.append("")
    return "\n".join(lines)


def counted(path: Path) -> str:
    """What a reader sees of a PDF as one line: its pages' text (words hyphenated at a
    line's end joined again), its bookmarks and its document information."""
    reader = PdfReader(path)
    bookmarks = [item.title for item in _flat(reader.outline)]
    information = [str(value) for value in (reader.metadata or {}).values()]
    text = "\n".join([*page_texts(path), *bookmarks, *information])
    # Only breaking spaces are folded: the no-break spaces of French stay as they are.
    return re.sub(r"[ \t\n]+", " ", re.sub(r"(\w)\u2010\n(\w)", r"\1\2", text))


def _flat(outline: list) -> list:
    return [
        entry for item in outline for entry in (_flat(item) if isinstance(item, list) else [item])
    ]


def english_leaks(product: Path, stand_in: Path, language: str) -> dict[str, int]:
    """Each English label printed more often in ``product`` than the author's own words
    hold it (in ``stand_in``, the same product with every label a mark); labels the
    language writes the same as English (German "Name") are left out."""
    text, own = counted(product), counted(stand_in)
    same = " ".join(form for forms in _catalogue_forms(language).values() for form in forms)
    leaks = {}
    for label in english_labels():
        # Any case: some labels are set in capitals (the PDF's text is as it is shown).
        pattern = re.compile(rf"(?<![\w-]){re.escape(label)}(?![\w-])", re.IGNORECASE)
        if pattern.search(same):
            continue
        extra = len(pattern.findall(text)) - len(pattern.findall(own))
        if extra > 0:
            leaks[label] = extra
    return leaks


PRODUCTS = [("de/cheatsheet.pdf", "de"), ("de/ebook.pdf", "de"), ("fr/handout.pdf", "fr")]


@pytest.mark.parametrize(("name", "language"), PRODUCTS, ids=[name for name, _ in PRODUCTS])
def test_no_english_label_in_a_german_or_french_product(made, name, language):
    assert english_leaks(made / name, made / "zz" / Path(name).name, language) == {}


@pytest.mark.slow  # a check of the check: with the full run
def test_the_english_products_would_fail_the_check(made, outputs):
    """The check above can fail: the English products hold the labels it looks for."""
    leaks = english_leaks(outputs["ebook-a4"], made / "zz/ebook.pdf", "de")
    assert {"Contents", "Repetitions", "Breathe in", "Caution", "You need"} <= set(leaks)
    sheet = english_leaks(outputs["cheatsheet-a4"], made / "zz/cheatsheet.pdf", "de")
    assert "Tick a box each day you do it" in sheet


def test_weekdays_are_the_languages_own(made):
    text = counted(made / "de/cheatsheet.pdf")
    assert re.search(r"\bMo\b.*\bDi\b.*\bMi\b.*\bDo\b.*\bFr\b.*\bSa\b.*\bSo\b", text)
    assert not re.search(r"\b(Mon|Tue|Wed|Thu|Sun)\b", text)


def test_the_german_ebook_speaks_german(made):
    whole = counted(made / "de/ebook.pdf")
    for label in ("Inhalt", "Kapitel 1", "Übung 1", "Wiederholungen", "Vorsicht", "Atmung"):
        assert label.lower() in whole.lower()  # some are set in capitals
    words = words_for(load_book(SAMPLE_BOOK), "de")
    exercise = next(e for e in load_book(SAMPLE_BOOK).exercises.values() if e.dose.per_side)
    assert words.gettext("%(count)s on each side", count=words.count(exercise.dose.reps)) in whole
    with pikepdf.open(made / "de/ebook.pdf") as pdf:
        assert str(pdf.Root.Lang) == "de"
    outline = [
        item.title
        for item in PdfReader(made / "de/ebook.pdf").outline
        if not isinstance(item, list)
    ]
    assert "Inhalt" in outline


def test_the_figures_inside_the_products_are_labelled_in_german(made):
    """The breath words drawn into the generated figures, in the PDF and as SVG files."""
    whole = " ".join(page_texts(made / "de/ebook.pdf"))
    assert "einatmen" in whole or "ausatmen" in whole
    assert "inhale" not in whole and "exhale" not in whole
    labelled = 0
    for path in sorted((made / "de/figures").glob("*.svg")):
        root = ElementTree.parse(path).getroot()
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
        words = {text.text for text in root.iter(f"{SVG}text")}
        assert not words & {"inhale", "exhale"}
        labelled += bool(words & {"einatmen", "ausatmen"})
        assert "gesehen" in (root.findtext(f"{SVG}title") or "")
    assert labelled


def test_the_german_epub_speaks_german(made):
    """The sample's German edition: the labels and the book's own words (translations/de/)."""
    import zipfile

    with zipfile.ZipFile(made / "de/ebook.epub") as epub:
        nav = ElementTree.fromstring(epub.read("EPUB/nav.xhtml"))
        exercise = next(name for name in epub.namelist() if name.startswith("EPUB/exercise-"))
        page = ElementTree.fromstring(epub.read(exercise))
    assert nav.get("lang") == "de"
    assert "Inhalt" in "".join(nav.itertext())
    text = "".join(page.itertext())
    assert "Wiederholungen" in text and "Repetitions" not in text
    assert not any(element.get("lang") == "en" for element in page.iter())


def test_labels_in_a_language_the_book_is_not_translated_into_keep_its_text_english(made):
    import zipfile

    with zipfile.ZipFile(made / "fr/ebook.epub") as epub:
        exercise = next(name for name in epub.namelist() if name.startswith("EPUB/exercise-"))
        page = ElementTree.fromstring(epub.read(exercise))
    assert page.get("lang") == "fr"
    # The author's English text is marked as English, so that it hyphenates as English.
    assert any(element.get("lang") == "en" for element in page.iter())


@pytest.mark.slow
def test_the_german_epub_passes_epubcheck(made):
    command = epubcheck_command()
    if command is None:
        assert os.environ.get("CI") != "true", "CI must install epubcheck"
        pytest.skip("epubcheck is not installed here")
    result = subprocess.run(
        [*command, str(made / "de/ebook.epub")], capture_output=True, text=True, timeout=300
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "No errors or warnings detected" in report, report


def test_the_french_handout_is_set_the_french_way(made):
    text = page_texts(made / "fr/handout.pdf")[0]
    assert "Avec Claire" in text and "1 décembre 2026" in text  # Babel's long French date
    assert "\u00a0:" in text  # "Instructions complètes : …", with a no-break space
    assert not re.search(r"\w :", text)  # never a breaking space before a colon
    log_heads = re.findall(r"\b(lu|ma|me|je|ve|sa|di)\s\d{1,2}\b", text)
    assert log_heads[:2] == ["ma", "me"]  # the log starts on the class date, a Tuesday


# --- the author's own text, set in the book's language ---------------------------------


@pytest.mark.slow
def test_german_text_is_hyphenated_with_the_german_dictionary(books):
    texts = page_texts(books / "german/ebook.pdf")
    lines = [line for text in texts for line in text.splitlines()]
    german = pyphen.Pyphen(lang="de_DE")
    broken = []
    for line, following in itertools.pairwise(lines):
        match = re.search(r"(\w+)\u2010$", line)
        rest = re.match(r"(\w+)", following)
        if match and rest and rest[1][0].islower():
            broken.append((match[1], rest[1]))
    assert broken, "the narrow columns of long German words hyphenate somewhere"
    for first, rest in broken:
        assert len(first) in german.positions(first + rest), (first, rest)
    assert "\u201eLangsam und gleichmäßig\u201c" in counted(books / "german/ebook.pdf")  # „…“
    with pikepdf.open(books / "german/ebook.pdf") as pdf:
        assert str(pdf.Root.Lang) == "de"


@pytest.mark.slow
def test_french_text_gets_its_spaces_and_guillemets(books):
    whole = counted(books / "french/ebook.pdf")
    assert "Attention\u00a0:" in whole
    assert "jamais\u202f!" in whole and "Pourquoi\u202f?" in whole
    assert "\u00ab\u202fle psoas\u202f\u00bb" in whole
    assert "https://example.org/" in whole and "10:30" in whole  # left as they are


def test_markdown_sets_each_languages_quotation_marks():
    def paragraph(language: str) -> str:
        return markdown.to_html(markdown.parse("\"Slowly\" and 'calmly'", language))

    assert "\u201cSlowly\u201d and \u2018calmly\u2019" in paragraph("en")
    assert "\u201eSlowly\u201c and \u201acalmly\u2018" in paragraph("de")
    assert "\u201eSlowly\u201d" in paragraph("pl")
    assert "\u00abSlowly\u00bb" in paragraph("es")
    assert "`code ;`" not in markdown.to_html(markdown.parse("`code ;`", "fr"))
    assert "<code>code ;</code>" in markdown.to_html(markdown.parse("`code ;`", "fr"))


# --- formatting by Babel ---------------------------------------------------------------------


def words(language: str):
    return words_for(None, language)


def test_dates_and_weekdays_follow_the_locale():
    day = datetime.date(2026, 12, 1)
    assert words("de").date(day) == "1. Dezember 2026"
    assert words("en-GB").date(day) == "1 December 2026"
    assert words("en").date(day) == "December 1, 2026"
    assert words("en-US").weekdays()[0] == "Sun"  # the week starts on Sunday there
    assert words("en-GB").weekdays()[0] == "Mon"
    assert words("pt-BR").weekdays()[0].lower().startswith("dom")
    assert len(set(words("fr").weekdays())) == 7


def test_plurals_and_ranges_follow_the_language():
    def reps(language: str, count: int | str) -> str:
        value = (
            Count(count, count) if isinstance(count, int) else Count(*map(int, count.split("-")))
        )
        return " ".join(dose_summary(Dose(reps=value), words(language)).split())

    assert reps("en", 1) == "1 rep" and reps("en", 2) == "2 reps"
    assert reps("en", "6-10") == "6\u201310 reps"
    assert reps("pl", 1).split()[1] != reps("pl", 2).split()[1] != reps("pl", 5).split()[1]
    assert reps("pl", 22).split()[1] == reps("pl", 2).split()[1]  # 22 takes 2's form
    assert reps("fr", 1).startswith("1 ") and "s" not in reps("fr", 1).split()[1][-1:]


def test_a_dose_with_a_hold_reads_whole_in_each_language():
    dose = Dose(reps=Count(4, 4), per_side=True, sets=2, hold_seconds=Count(10, 10),
                hold_breaths=Count(2, 3))  # fmt: skip
    assert (
        dose_summary(dose, words("en"))
        == "2\u00a0sets of 4\u00a0reps each side, hold 10\u00a0s or 2\u20133\u00a0breaths"
    )
    for language in SHIPPED:
        phrase = dose_summary(dose, words(language))
        assert "4" in phrase and "10" in phrase and "2\u20133" in phrase
        assert "%(" not in phrase


# --- the language a product is made in --------------------------------------------------


PRODUCT_COMMANDS = ("build", "cheatsheet", "ebook", "epub", "handout", "stamp", "figures")


@pytest.mark.parametrize("command", PRODUCT_COMMANDS)
def test_every_product_command_takes_lang(command):
    assert "--lang" in run_cli(command, "--help").stdout


def test_check_and_list_speak_english_to_the_author():
    assert "--lang" not in run_cli("check", "--help").stdout
    listed = run_cli("list", "--book", SAMPLE_BOOK).stdout
    assert "reps" in listed and "Wdh" not in listed


def test_an_unknown_language_is_one_clear_line(book, tmp_path):
    result = run_cli("cheatsheet", "--book", book, "--lang", "sv", "-o", tmp_path / "c.pdf")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--lang" in lines[0] and "locale/sv.po" in lines[0]
    assert not (tmp_path / "c.pdf").exists()
    bad = run_cli("cheatsheet", "--book", book, "--lang", "not a tag", "-o", tmp_path / "c.pdf")
    assert bad.exit_code == 2 and "language tag" in bad.stderr


# --- a book's own labels ---------------------------------------------------------------------


def catalogue(*entries: tuple[str, str], header: str = "") -> str:
    lines = ['msgid ""', 'msgstr ""', header or '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for message, translation in entries:
        lines += [f'msgid "{message}"', f'msgstr "{translation}"', ""]
    return "\n".join(lines)


@pytest.mark.slow
def test_a_book_changes_a_label_in_its_own_catalogue(book, tmp_path):
    (book / "locale").mkdir()
    (book / "locale" / "de.po").write_text(
        catalogue(
            ("Contents", "Übersicht"), ("Tick a box each day you do it", "Jeden Tag <b>abhaken</b>")
        ),
        encoding="utf-8",
    )
    result = run_cli("ebook", "--book", book, "--lang", "de", "-o", tmp_path / "e.pdf")
    assert result.exit_code == 0, result.stderr
    whole = " ".join(page_texts(tmp_path / "e.pdf"))
    assert "Übersicht" in whole and "Inhalt" not in whole
    assert "KAPITEL 1" in whole.upper()  # what the book leaves alone: the shipped catalogue
    sheet = run_cli("cheatsheet", "--book", book, "--lang", "de", "-o", tmp_path / "c.pdf")
    assert sheet.exit_code == 0, sheet.stderr
    assert "Jeden Tag <b>abhaken</b>" in page_texts(tmp_path / "c.pdf")[0]  # text, not markup


@pytest.mark.slow
def test_a_book_catalogue_in_a_language_the_tool_does_not_ship(book, tmp_path):
    (book / "locale").mkdir()
    (book / "locale" / "sv.po").write_text(catalogue(("Contents", "Innehåll")), encoding="utf-8")
    checked = run_cli("check", "--book", book)
    assert checked.exit_code == 0
    assert "not translated and print in English" in checked.stdout + checked.stderr
    result = run_cli("ebook", "--book", book, "--lang", "sv", "-o", tmp_path / "e.pdf")
    assert result.exit_code == 0, result.stderr
    assert "Innehåll" in " ".join(page_texts(tmp_path / "e.pdf"))


def test_a_book_catalogue_is_checked_where_it_is_wrong(book):
    (book / "locale").mkdir()
    path = book / "locale" / "de.po"
    path.write_text(
        catalogue(("Chapter %(number)s", "Kapitel %(nummer)s"), ("Contnts", "Inhalt")),
        encoding="utf-8",
    )
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    assert re.search(r"locale/de\.po:5: 'Chapter %\(number\)s': .*placeholder", result.stderr)
    path.write_text(catalogue(("Contnts", "Inhalt")), encoding="utf-8")
    warned = run_cli("check", "--book", book)
    assert warned.exit_code == 0
    assert re.search(r"locale/de\.po:5: .*'Contnts' is not a label", warned.stderr)
    path.write_text('msgid "Contents"\nmsgstr "Inhalt\n', encoding="utf-8")
    broken = run_cli("check", "--book", book)
    assert broken.exit_code == 2 and "locale/de.po:2: not a catalogue line" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_a_language_in_a_script_the_bundled_fonts_lack_needs_the_books_fonts(book):
    info = book / "book.yaml"
    info.write_text(re.sub(r"(?m)^language:.*$", "", info.read_text()) + "\nlanguage: ja\n")
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    line = result.stderr.strip().splitlines()[0]
    assert re.match(r".*book\.yaml:\d+: 'ja' is written in Japanese script", line)
    assert "fonts/" in line


# --- licensed copies ---------------------------------------------------------------------


def test_a_licensed_copy_speaks_the_language_of_its_ebook(made, tmp_path):
    buyers = tmp_path / "buyers.csv"
    buyers.write_text("name,email,order\nJo Bloggs,jo@example.org,A-1\n", encoding="utf-8")
    lines = {}
    for language in ("", "fr"):
        out = tmp_path / (language or "own")
        chosen = ["--lang", language] if language else []
        result = run_cli("stamp", made / "de/ebook.pdf", "--buyers", buyers, "--out", out, *chosen)
        assert result.exit_code == 0, result.stderr
        copy = PdfReader(next(out.glob("*.pdf")))
        lines[language] = copy.pages[3].extract_text(), str(copy.metadata["/LicensedTo"])
    buyer = {"name": "Jo Bloggs", "email": "jo@example.org", "order": "A-1"}
    licence = "Licensed to %(name)s · %(email)s · order %(order)s"
    # Without --lang, the language the ebook is tagged with; with it, the one asked for.
    assert lines[""][1] == words("de").gettext(licence, **buyer)
    assert lines["fr"][1] == words("fr").gettext(licence, **buyer)
    assert "Jo Bloggs" in lines[""][0] and "Jo Bloggs" in lines["fr"][0]  # on the page
    assert "Licensed to" not in lines[""][0] + lines["fr"][0]
