"""The Jinja2 environment: the book's layouts over the shipped ones, filled into HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from psoas_print.errors import BookError
from psoas_print.resources import Sources, shipped


def make_environment(sources: Sources) -> jinja2.Environment:
    """Templates from the book's own ``layouts/`` first, then the defaults.

    ``default/NAME`` always names the shipped template, so an override can extend it.
    """
    user_and_default = jinja2.FileSystemLoader([str(d) for d in sources.layout_dirs])
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(shipped("layouts")))}),
            user_and_default,
        ]
    )
    environment = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml", "xhtml", "opf"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["font_url"] = lambda name: sources.font(name).as_uri()
    return environment


def render_template(environment: jinja2.Environment, name: str, **context: Any) -> str:
    try:
        return environment.get_template(name).render(**context)
    except jinja2.TemplateNotFound as error:
        raise BookError.at(Path(name), None, f"layout template not found: {error.name}") from None
    except jinja2.TemplateSyntaxError as error:
        where = Path(error.filename or name)
        raise BookError.at(where, error.lineno, f"template syntax: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise BookError.at(Path(name), None, f"template uses an undefined value: {error}") from None
