"""How a figure is drawn: its line weights and label size."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """How heavy the lines are, in body centimetres: thumbnails need heavier ones."""

    outline: float = 1.1
    arrow: float = 1.3
    label_size: float = 7.0


ROBUST = Style(outline=2.0, arrow=2.4, label_size=0.0)  # thumbnails: the text says the breath
