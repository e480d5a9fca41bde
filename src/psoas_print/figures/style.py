"""How a figure is drawn: its line weights, its label size, and the smallest size it is
printed at (which sets how thin a line may be: see drawing.line_widths)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """How heavy the lines are, in body centimetres: thumbnails need heavier ones."""

    outline: float = 1.1
    arrow: float = 1.3
    label_size: float = 7.0
    min_print_mm: float = 60.0  # the figure's larger side, printed at its smallest
    ink: str = "color"  # black: black lines and grey tints only, for a black-ink interior


# Thumbnails: the text beside them says the breath. Printed at least 23 mm (the cheat
# sheet's figure box at its smallest scale); a handout gives its own size (see handout.py).
ROBUST = Style(outline=2.0, arrow=2.4, label_size=0.0, min_print_mm=23.0)
