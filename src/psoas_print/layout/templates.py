"""The Jinja2 environment: the book's layouts over the shipped ones, filled into HTML.

A book's layouts are untrusted data, like the rest of the book: they run in Jinja's
sandbox, are handed plain data only (view.py), are read through the resolver like every
other file, and each fill of one has a time limit.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TypeGuard

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from psoas_print import limits
from psoas_print.book.resolver import Refused
from psoas_print.book.sources import Sources
from psoas_print.errors import BookError
from psoas_print.language.words import Words
from psoas_print.layout.view import plain
from psoas_print.shipped import shipped

DEFAULT = "default"  # ``default/NAME`` always names the shipped layout
MAX_MESSAGE = 300  # characters of a layout's error shown, so that a problem stays readable


def make_environment(sources: Sources, words: Words) -> jinja2.Environment:
    """Templates from the book's own ``layouts/`` first, then the defaults, with ``_()``,
    ``gettext()`` and ``ngettext()`` giving the labels in the language of ``words``.

    ``default/NAME`` always names the shipped template, so an override can extend it.
    """
    environment = LayoutEnvironment(
        loader=LayoutLoader(sources),
        autoescape=jinja2.select_autoescape(["html", "xml", "xhtml", "opf"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    del environment.globals["lipsum"]  # of no use to a layout, and a generator of any size
    environment.globals["font_url"] = _font_url(sources)
    environment.globals.update(_translating(words))
    return environment


def _translating(words: Words) -> dict[str, Callable[..., str]]:
    """Jinja's "new style" gettext: ``_("Page %(page)s", page=n)`` fills the label itself.

    A label may come from the book's own catalogue, which is untrusted like the rest of
    the book: in an HTML layout it is escaped, as are the values filled into it.
    """

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **values: object) -> str:
        return _filled(context, words.gettext(str(message)), values)

    @jinja2.pass_context
    def ngettext(
        context: jinja2.runtime.Context, singular: str, plural: str, count: int, **values: object
    ) -> str:
        values.setdefault("num", words.number(count))
        return _filled(context, words.ngettext(str(singular), str(plural), count), values)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _filled(context: jinja2.runtime.Context, label: str, values: dict[str, object]) -> str:
    if not context.eval_ctx.autoescape:
        return label % values if values else label
    escaped = Markup.escape(label)
    return escaped % values if values else escaped


def render_template(environment: jinja2.Environment, name: str, **context: object) -> str:
    """The layout ``name`` filled with ``context``, which is handed over as plain data."""
    values = {key: plain(value) for key, value in context.items()}
    try:
        with _time_limit(limits.MAX_RENDER_SECONDS):
            return environment.get_template(name).render(**values)
    except BookError:
        raise
    except jinja2.TemplateNotFound as error:
        raise BookError.at(Path(name), None, f"layout template not found: {error.name}") from None
    except jinja2.TemplateSyntaxError as error:
        where = Path(error.filename or name)
        raise BookError.at(where, error.lineno, f"template syntax: {error.message}") from None
    except _OutOfTime as error:
        seconds = f"{limits.MAX_RENDER_SECONDS:g}"
        message = (
            f"the layout took longer than {seconds} s to fill; look for a loop that runs too long"
        )
        raise _problem(error, name, message) from None
    except jinja2.UndefinedError as error:
        raise _problem(error, name, f"template uses an undefined value: {error}") from None
    except SecurityError as error:
        raise _problem(error, name, f"the layout may not do this: {error}") from None
    except Exception as error:  # what else a layout's own expressions raise: 1/0, say
        raise _problem(error, name, f"the layout failed: {type(error).__name__}: {error}") from None


def _problem(error: BaseException, name: str, message: str) -> BookError:
    """One line naming the layout file and line the error came from, where Jinja tells."""
    path, line = Path("layouts") / name, None
    trace = error.__traceback__
    while trace is not None:  # the innermost template frame wins: an include, a macro
        frame = trace.tb_frame
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename:  # a template's own code
            path, line = Path(template.filename), template.get_corresponding_lineno(trace.tb_lineno)
        elif "__jinja_exception__" in frame.f_globals:  # a frame Jinja rewrote to the template
            path, line = Path(frame.f_code.co_filename), trace.tb_lineno
        trace = trace.tb_next
    text = " ".join(message.split())
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    return BookError.at(path, line, text)


# --- The sandbox -------------------------------------------------------------------------


class LayoutEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's sandbox: no attribute that starts with ``_``, none of Python's internals, no
    change to a list or dict, ranges of at most 100,000 numbers; and here, ``*`` and ``**``
    make no huge string, list or number in a single step that the time limit cannot stop."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: object, right: object
    ) -> object:
        if operator == "**":
            _check_power(left, right)
        else:
            _check_product(left, right)
        return super().call_binop(context, operator, left, right)


def _check_power(base: object, exponent: object) -> None:
    if not (_is_int(base) and _is_int(exponent) and abs(base) > 1 and exponent > 0):
        return  # floats overflow at once; 1 ** n and 2 ** -n are small
    if abs(base).bit_length() * exponent > limits.MAX_LAYOUT_INT_BITS:
        raise SecurityError(f"{base} ** {exponent} is too large a number for a layout")


def _check_product(left: object, right: object) -> None:
    if _is_int(left) and _is_int(right):
        if left.bit_length() + right.bit_length() > limits.MAX_LAYOUT_INT_BITS:
            raise SecurityError("too large a number for a layout")
        return
    for sequence, count in ((left, right), (right, left)):
        if (
            isinstance(sequence, str | list | tuple)
            and _is_int(count)
            and len(sequence) * count > limits.MAX_LAYOUT_REPEAT
        ):
            raise SecurityError(
                f"a layout may repeat a text or list to at most {limits.MAX_LAYOUT_REPEAT:,} items"
            )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _font_url(sources: Sources) -> Callable[[str], str]:
    """``font_url(NAME)`` for the layouts: the URL of a font file in the book's ``fonts/``
    or the shipped ones, and only of one the build may read. A name that reaches further
    is the layout's doing: refused as such, with the layout's file and line."""
    resolver = sources.resolver

    def font_url(name: str) -> str:
        path = Path(str(name))
        if not path.parts or path.is_absolute() or ".." in path.parts:
            raise SecurityError(f"font_url('{name}'): a font is named by its file in fonts/")
        try:
            return resolver.file(sources.font(str(name))).as_uri()
        except Refused as refused:
            raise SecurityError(f"font_url('{name}'): {refused}") from None

    return font_url


# --- Reading layouts ---------------------------------------------------------------------


class LayoutLoader(jinja2.BaseLoader):
    """Layouts from the book's ``layouts/`` folder, then the shipped one, each read through
    the resolver: a layout that is a link to a file outside the book is refused like any
    other file the build may not read."""

    def __init__(self, sources: Sources) -> None:
        self.resolver = sources.resolver
        self.folders = sources.layout_dirs  # the book's first
        self.shipped = shipped("layouts")

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.find(template)
        try:
            data = self.resolver.read_bytes(path)
        except Refused as refused:
            raise BookError.at(path, None, str(refused)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            message = f"a layout must be UTF-8 text (byte {error.start} is not)"
            raise BookError.at(path, None, message) from None
        return text, str(path), lambda: True  # an environment lasts one build

    def find(self, template: str) -> Path:
        """The file ``template`` names; ``..`` in a name is never found."""
        pieces = split_template_path(template)
        folders = self.folders
        if len(pieces) > 1 and pieces[0] == DEFAULT:
            folders, pieces = [self.shipped], pieces[1:]
        for folder in folders if pieces else []:
            path = folder.joinpath(*pieces)
            if os.path.lexists(path):  # a broken link too: the resolver says what is wrong
                return path
        raise jinja2.TemplateNotFound(template)


# --- The time limit ----------------------------------------------------------------------


class _OutOfTime(BaseException):
    """Raised into a fill that ran past its time; not an Exception, so that nothing on the
    way that catches those (in Jinja or a filter) can swallow it."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with a SIGALRM. Only a main thread takes
    signals; the worker processes that lay out parts of a long book render in theirs."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, alarm)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, previous)
            if outer:  # someone else's alarm (a test runner's timeout, say) keeps ticking
                left = outer - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))


def layout_path(name: str) -> Path:
    """How a layout is named in error messages."""
    return Path("layouts") / name
