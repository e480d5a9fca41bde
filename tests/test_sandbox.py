"""A book's own layouts are untrusted: they run sandboxed, on plain data, read through the
resolver, within a time limit; whatever they try fails as one clear line (status 2)."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from psoas_print import limits, load_book
from psoas_print.book.sources import Sources
from psoas_print.language.phrases import dose_summary, hold_text
from psoas_print.layout.templates import make_environment, render_template
from psoas_print.layout.view import BookView, Record, common_context, plain, record, routine_view
from psoas_print.products.ebook_html import css_string
from tests.conftest import ENGLISH, SAMPLE_BOOK, run_cli, run_guarded

TOKEN = "secret-7d1e0c5a-not-for-layouts"
HOSTNAME = Path("/etc/hostname")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file beside the book, outside it, that no layout may show."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(TOKEN, encoding="utf-8")
    return folder / "secret.txt"


def override(book: Path, name: str, text: str) -> Path:
    path = book / "layouts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def shows(text: str, hidden: str) -> bool:
    """Whether ``hidden`` stands in ``text`` as a word of its own (a machine's name may be
    as short as "vm", which longer words contain)."""
    return re.search(rf"(?<![\w-]){re.escape(hidden)}(?![\w-])", text) is not None


def hidden_texts() -> list[str]:
    """What must never reach an output or a message: the secret and the machine's name."""
    texts = [TOKEN]
    if HOSTNAME.is_file() and HOSTNAME.read_text().strip():
        texts.append(HOSTNAME.read_text().strip())
    return texts


def assert_refused(result, out: Path, *fragments: str) -> None:
    """Status 2, one line, no traceback, nothing written, nothing hidden shown."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    for text in hidden_texts():
        assert not shows(result.stderr, text) and not shows(result.stdout, text)
    assert not out.exists() or not any(out.rglob("*")), list(out.rglob("*"))


def build_sheet(book: Path, out: Path):
    """The cheat sheet made by the command in a process of its own, under the memory limit
    and timeout of the bad-input tests: an escape that ran away would fail, not hang."""
    return run_guarded(
        "cheatsheet", "--book", book, "-o", out / "sheet.pdf", "--html", out / "s.html"
    )


ESCAPES = [
    # Python's internals through the globals Jinja gives every template.
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ joiner.__init__.__globals__['__builtins__']['open']('/etc/hostname').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ dict.mro() }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler | attr('__init__') }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(cycler) }}",
    "{{ font_url.__globals__ }}",
    # The files behind the book's own data: no paths, no models with methods.
    "{{ (book.root / '..' / '..' / 'etc' / 'hostname').read_text() }}",
    "{{ info.__class__.__init__.__globals__ }}",
    "{{ info.model_config }}",
    "{{ routine.source.read_text() }}",
    "{{ routine.items[0].exercise.source.read_text() }}",
    "{{ routine.items[0].exercise.image_path.read_bytes() }}",
    "{{ book.exercises.values() | map(attribute='source') | first }}",
    "{{ paper.__class__.__mro__ }}",
    "{{ figures.values() | first | attr('_values') }}",
    # Layout files outside the book.
    "{% include '/etc/hostname' %}",
    "{% include '../../outside/secret.txt' %}",
    "{% include 'default/../../../../etc/hostname' %}",
    # A font URL for a file that is no font of the book's.
    "{{ font_url('../../../../../etc/hostname') }}",
    "{{ font_url('/etc/hostname') }}",
]


# The quick run tries one of each kind: running a command, reading a file through the
# book's data, including a file outside the book; the full run tries them all.
QUICK_ESCAPES = {
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ (book.root / '..' / '..' / 'etc' / 'hostname').read_text() }}",
    "{% include '/etc/hostname' %}",
}


@pytest.mark.parametrize(
    "layout",
    [
        layout if layout in QUICK_ESCAPES else pytest.param(layout, marks=pytest.mark.slow)
        for layout in ESCAPES
    ],
)
def test_a_layout_cannot_escape_the_sandbox(book, tmp_path, secret, layout):
    override(book, "cheatsheet.html", f"<p>{layout}</p>")
    out = tmp_path / "out"
    result = build_sheet(book, out)
    assert_refused(result, out, "cheatsheet.html")
    refusals = ("the layout may not do this", "undefined value", "layout template not found")
    assert any(refusal in result.stderr for refusal in refusals), result.stderr


def test_a_method_of_a_context_value_reaches_no_file(book, tmp_path, secret):
    """The methods a layout may still call are those of strings, tuples and read-only
    mappings: none opens a file, and none changes the data."""
    override(book, "cheatsheet.html", "{{ book.exercises.update({'x': 1}) }}")
    out = tmp_path / "out"
    assert_refused(build_sheet(book, out), out, "cheatsheet.html", "no attribute 'update'")
    override(book, "cheatsheet.html", "{% set seen = [] %}{{ seen.append(1) }}")
    assert_refused(build_sheet(book, out), out, "unsafe")


def test_every_product_fills_its_layouts_in_the_sandbox(book, tmp_path, secret):
    attack = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
    out = tmp_path / "out"
    override(book, "partials/exercise-page.html", attack)
    assert_refused(run_cli("ebook", "--book", book, "-o", out / "e.pdf"), out, "exercise-page")
    (book / "layouts" / "partials" / "exercise-page.html").unlink()
    override(book, "epub/title.xhtml", attack)
    assert_refused(run_cli("epub", "--book", book, "-o", out / "e.epub"), out, "title.xhtml")
    override(book, "handout.html", attack)
    handout = run_cli("handout", "--book", book, "--routine", "fridge", "-o", out / "h.pdf")
    assert_refused(handout, out, "handout.html")


@pytest.mark.parametrize("target", ["hostname", "secret"])
def test_a_layout_that_links_outside_the_book_is_refused(book, tmp_path, secret, target):
    outside = HOSTNAME if target == "hostname" else secret
    if not outside.is_file():
        pytest.skip("this machine has no /etc/hostname")
    (book / "layouts" / "partials").mkdir(parents=True)
    (book / "layouts" / "partials" / "figure.html").symlink_to(outside)
    out = tmp_path / "out"
    result = build_sheet(book, out)
    assert_refused(result, out, "figure.html: refused to read", str(outside.resolve()))


def test_a_layouts_folder_that_links_outside_the_book_is_refused(book, tmp_path, secret):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "cheatsheet.html").write_text("<p>{% include 'secret.txt' %}</p>")
    (elsewhere / "secret.txt").symlink_to(secret)
    (book / "layouts").symlink_to(elsewhere)
    out = tmp_path / "out"
    assert_refused(build_sheet(book, out), out, "cheatsheet.html: refused to read")


def test_a_font_that_links_outside_the_book_gets_no_url(book, tmp_path, secret):
    (book / "fonts").mkdir()
    (book / "fonts" / "Own-Regular.otf").symlink_to(secret)
    override(book, "cheatsheet.html", "{{ font_url('Own-Regular.otf') }}")
    out = tmp_path / "out"
    assert_refused(build_sheet(book, out), out, "font_url('Own-Regular.otf'): refused to read")


def test_a_sheet_layout_without_its_markers_is_the_layouts_mistake(book, tmp_path):
    override(book, "cheatsheet.html", "<p>No cards here</p>")
    out = tmp_path / "out"
    assert_refused(build_sheet(book, out), out, "no element with id 'after-card-1'")


def test_a_layout_may_link_to_a_file_inside_the_book(book, tmp_path):
    (book / "my-sheet.html").write_text(
        '{% extends "default/cheatsheet.html" %}{% block title %}Linked sheet{% endblock %}'
    )
    (book / "layouts").mkdir()
    (book / "layouts" / "cheatsheet.html").symlink_to(book / "my-sheet.html")
    result = build_sheet(book, tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert "<title>Linked sheet</title>" in (tmp_path / "out" / "s.html").read_text()


def test_a_layout_that_runs_too_long_is_stopped(book, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_RENDER_SECONDS", 0.5)
    override(
        book,
        "partials/routine-cards.html",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    )
    out = tmp_path / "out"
    started = time.monotonic()  # in this process: the limit is lowered here for the test
    result = run_cli(
        "cheatsheet", "--book", book, "-o", out / "sheet.pdf", "--html", out / "s.html"
    )
    assert time.monotonic() - started < 5
    assert_refused(
        result, out, "layouts/partials/routine-cards.html:1:", "took longer than 0.5 s to fill"
    )


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("{% for i in range(1000001) %}{% endfor %}", "Range too big"),
        ("{{ 9 ** (9 ** 9) }}", "too large a number"),
        ("{{ 'x' * 10 ** 10 }}", "repeat a text or list"),
        ("{{ [0] * 10 ** 7 }}", "repeat a text or list"),
        ("{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}", "RecursionError"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ],
)
def test_a_layout_cannot_make_unbounded_work(book, tmp_path, layout, message):
    override(book, "cheatsheet.html", layout)
    out = tmp_path / "out"
    started = time.monotonic()  # in this process: the limit is lowered here for the test
    result = run_cli(
        "cheatsheet", "--book", book, "-o", out / "sheet.pdf", "--html", out / "s.html"
    )
    assert time.monotonic() - started < 5
    assert_refused(result, out, "cheatsheet.html", message)


def test_layouts_get_the_book_as_plain_data(book):
    """What the templates computed through methods is there as values."""
    model = load_book(book)
    chapter = next(c for c in model.chapters if c.exercises)
    fridge = model.routines["fridge"]
    override(
        book,
        "probe.html",
        "{{ book.routines | map(attribute='id') | join(',') }}|"
        "{{ book.chapter_exercises[chapter_id] | map(attribute='label') | join(',') }}|"
        "{{ routine.items[0].dose.summary }}|{{ routine.items[0].dose.hold_text }}|"
        "{{ info.byline }}|{{ info.author_names | length }}|{{ paper.label }}",
    )
    context = {
        **common_context(model, "a4", None, ENGLISH),
        "routine": routine_view(fridge, ENGLISH),
    }
    html = render_template(
        make_environment(Sources(book), ENGLISH), "probe.html", **context, chapter_id=chapter.id
    )
    labels = ",".join(e.label for e in model.chapter_exercises(chapter))
    dose = fridge.items[0].dose
    assert html == (
        f"{','.join(model.routines)}|{labels}|{dose_summary(dose, ENGLISH)}|"
        f"{hold_text(dose, ENGLISH)}|"
        f"{model.info.byline}|{len(model.info.author_names)}|A4"
    )
    assert isinstance(context["book"], BookView)


def test_only_plain_data_reaches_a_layout():
    model = load_book(SAMPLE_BOOK)
    for value in (Path("/etc/hostname"), model, model.info, open, lambda: 1, b"bytes", {1.5j}):
        with pytest.raises(TypeError):
            plain(value)
    assert plain(css_string) is css_string  # vetted: a pure function of a string
    assert plain({"a": [1, (2, "3")]})["a"] == (1, (2, "3"))
    settings = record(model.routines["fridge"], omit=["source", "items"])
    assert isinstance(settings, Record) and settings.title == model.routines["fridge"].title
    with pytest.raises(AttributeError):
        settings.title = "changed"
    with pytest.raises(TypeError):
        record(model.routines["fridge"])  # its source is a path


def test_the_range_limit_and_the_old_alarm_survive_a_render():
    environment = make_environment(Sources(SAMPLE_BOOK), ENGLISH)
    from jinja2.sandbox import safe_range

    assert environment.globals["range"] is safe_range
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        html = render_template(environment, "epub/container.xml")
        assert "rootfile" in html
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # the outer alarm still ticks
        time.sleep(0.5)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


OLD_LAYOUT = (
    '{% extends "default/cheatsheet.html" %}\n'
    "{% block title %}{% for r in book.routines.values() %}{{ r.title }}{% endfor %}\n"
    "{% for c in book.chapters %}{% for e in book.chapter_exercises(c) %}"
    "{{ e.dose.summary() }}{% endfor %}{% endfor %}{% endblock %}\n"
)
NEW_LAYOUT = (
    '{% extends "default/cheatsheet.html" %}\n'
    "{% block title %}{% for r in book.routines %}{{ r.title }}{% endfor %}\n"
    "{% for c in book.chapters %}{% for e in book.chapter_exercises[c.id] %}"
    "{{ e.dose.summary }}{% endfor %}{% endfor %}{% endblock %}\n"
)


def test_check_says_how_to_migrate_a_layout_written_for_model_objects(book, tmp_path):
    (book / "layouts").mkdir(exist_ok=True)
    (book / "layouts/cheatsheet.html").write_text(OLD_LAYOUT, encoding="utf-8")
    result = run_cli("check", "--book", book)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert any("cheatsheet.html:2: " in line and "write routines" in line for line in lines)
    assert any(
        "cheatsheet.html:3: " in line and "chapter_exercises[c.id]" in line for line in lines
    )
    assert any("cheatsheet.html:3: " in line and "write .summary" in line for line in lines)

    (book / "layouts/cheatsheet.html").write_text(NEW_LAYOUT, encoding="utf-8")
    made = run_cli("cheatsheet", "--book", book, "-o", tmp_path / "sheet.pdf")
    assert made.exit_code == 0, made.stderr
