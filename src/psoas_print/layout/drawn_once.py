"""SVG pictures drawn once into each PDF, however many times its pages show them.

WeasyPrint draws an SVG picture's paths into the page at every place it appears. A
caseload's programmes show a few figures hundreds of times, and drawing them again was
about 15% of writing that PDF. Here each picture is drawn once into a form XObject of the
PDF being written (per size it is shown at), and every place it appears paints that
object: the same marks, a fraction of the work and of the file.

The form carries no transparency group, so it paints exactly as the paths drawn in place
would (and a print variant that forbids transparency stays clean). Pictures reach a render
through WeasyPrint's image cache (its ``cache`` option), which this module fills.
"""

from __future__ import annotations

from typing import Any

# (the PDF's resources, width, height): the form's name in those resources
Forms = dict[tuple[float, float], str]


class DrawnOnce:
    """An SVG picture of WeasyPrint's that paints a form drawn once per PDF."""

    def __init__(self, picture: Any) -> None:
        self._picture = picture
        self._resources: object = None  # of the PDF being written: a new one, new forms
        self._forms: Forms = {}

    def get_intrinsic_size(self, resolution: float, font_size: float) -> Any:
        return self._picture.get_intrinsic_size(resolution, font_size)

    def draw(self, stream: Any, width: float, height: float, style: Any) -> None:
        resources = stream._resources  # one dictionary for all pages of a PDF
        if resources is not self._resources:
            self._resources, self._forms = resources, {}
        name = self._forms.get((width, height))
        if name is None:
            form = stream.add_group(0, 0, width, height)
            del form.extra["Group"]  # painted as the paths would be, no transparency group
            self._picture.draw(form, width, height, style)
            name = self._forms[(width, height)] = form.id
        stream.draw_x_object(name)


def image_cache() -> dict[str, Any]:
    """A fresh image cache for one render whose SVG pictures are drawn once per PDF."""
    from weasyprint.images import SVGImage

    class Cache(dict[str, Any]):
        def __setitem__(self, key: str, value: Any) -> None:
            if isinstance(value, SVGImage):
                value = DrawnOnce(value)
            super().__setitem__(key, value)

    return Cache()
