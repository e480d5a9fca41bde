"""What the runner is asked to make, and what it reports back: plain data, light enough
for the command line to build before it knows whether anything needs laying out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from psoas_print.products.settings import ProductName, ProductSettings
from psoas_print.products.summary import Summary


@dataclass(frozen=True)
class Job:
    """One product to make, with its settings, and where to put it."""

    product: ProductName
    settings: ProductSettings  # the product's own (see products/settings.py)
    target: Path  # the file; or the folder of a product that writes several
    html_target: Path | None = None  # also write the HTML laid out, with what it loads


@dataclass(frozen=True)
class Result:
    """One row of the build's summary: a file made, up to date, or skipped."""

    product: ProductName
    target: Path
    pages: int
    size: int
    seconds: float
    summary: Summary
