"""What a layout shows for an exercise: its own photo, or its generated figure."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import segno

from psoas_print.book.model import Exercise
from psoas_print.figures.describe import alt_text
from psoas_print.figures.store import FigureStore
from psoas_print.figures.style import Style
from psoas_print.language.words import Words


@dataclass(frozen=True)
class Figure:
    """What a layout needs to show an exercise's picture."""

    uri: str
    alt: str
    generated: bool


def figure_for(exercise: Exercise, style: Style, store: FigureStore, words: Words) -> Figure | None:
    """The exercise's own image when it names one, else its generated figure (its words in
    the language of ``words``), else None."""
    if exercise.image_path is not None:
        return Figure(exercise.image_path.as_uri(), f"{exercise.name}: {exercise.position}.", False)
    if exercise.pose is None:
        return None
    return Figure(data_uri(store.svg(exercise, style, words)), alt_text(exercise, words), True)


def figures_for(
    exercises: list[Exercise], style: Style, store: FigureStore, words: Words
) -> dict[str, Figure]:
    """The picture of each exercise that has one, by exercise id."""
    return {
        e.id: figure
        for e in exercises
        if (figure := figure_for(e, style, store, words)) is not None
    }


def qr_code(url: str) -> str:
    """A QR code for a link, as a vector SVG data URI; the link itself is never fetched."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#000000")


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
