"""What a tagged PDF says beyond what WeasyPrint writes, set as WeasyPrint's finisher:
the scope of every table header cell (PDF/UA asks for it on each TH: a header cell whose
row holds data cells heads that row, any other its column), description lists as items of
a label and a body, and each internal link's description in words where WeasyPrint gives
the name of its anchor.
"""

from __future__ import annotations

from typing import Any


def mend_elements(pdf: Any) -> None:
    """The header cells' scope and the description lists' labels, from one index of the
    objects pydyf will write."""
    objects = _objects(pdf)
    scope_headers(objects)
    label_description_lists(objects)


def scope_headers(objects: dict[int, Any]) -> None:
    """Give each TH structure element its /Scope: /Row or /Column."""
    import pydyf

    for element in list(objects.values()):
        if not _is(element, "/TH"):
            continue
        rows = _resolved(objects, [element.get("P")])
        cells = [cell for row in rows for cell in _resolved(objects, row.get("K", []))]
        heads_a_row = any(_is(cell, "/TD") for cell in cells)
        attributes = element.get("A")
        if not isinstance(attributes, pydyf.Dictionary):
            attributes = pydyf.Dictionary({"O": "/Table"})
            element["A"] = attributes
        attributes["Scope"] = "/Row" if heads_a_row else "/Column"


def _objects(pdf: Any) -> dict[int, Any]:
    """Every numbered object pydyf will write, by its number."""
    return {obj.number: obj for obj in pdf.objects if getattr(obj, "number", None)}


def _number(reference: object) -> int | None:
    """The object number of an indirect reference as pydyf writes it: b"12 0 R"."""
    if isinstance(reference, bytes | str):
        text = reference.decode() if isinstance(reference, bytes) else reference
        head = text.split(" ", 1)[0]
        return int(head) if head.isdigit() else None
    return None


def label_description_lists(objects: dict[int, Any]) -> None:
    """A description list as list items of a label and a body. WeasyPrint tags each <dt>
    and <dd> as an item of its own; a pair grouped in a <div> under the list (as the
    layouts group a dose's facts) becomes one LI holding an Lbl and an LBody."""
    import pydyf

    for element in list(objects.values()):
        if not _is(element, "/Div"):
            continue
        if not any(_is(parent, "/L") for parent in _resolved(objects, [element.get("P")])):
            continue
        items = _resolved(objects, element.get("K", []))
        if len(items) != 2 or not all(_is(item, "/LI") for item in items):
            continue
        bodies = [body for item in items for body in _resolved(objects, item.get("K", []))]
        if len(bodies) != 2 or not all(_is(body, "/LBody") for body in bodies):
            continue
        label, body = bodies
        label["S"] = "/Lbl"
        label["P"] = body["P"] = element.reference
        element["S"] = "/LI"
        element["K"] = pydyf.Array([label.reference, body.reference])


def _resolved(objects: dict[int, Any], references: Any) -> list[Any]:
    """The objects that a list of indirect references names (those found)."""
    numbers = [_number(reference) for reference in references]
    return [objects[number] for number in numbers if number is not None and number in objects]


def _is(element: object, role: str) -> bool:
    import pydyf

    return isinstance(element, pydyf.Dictionary) and element.get("S") == role


DESCRIPTION = "data-description"  # a link's words in a layout; {page}: where it leads


def describe_links(document: Any, pdf: Any, first_pages: dict[str, int]) -> None:
    """Each internal link's /Contents: its layout's ``data-description`` with the page it
    leads to ("Meet your psoas, page 5"; ``first_pages`` gives each anchor's, and a portion
    of a long book is given its pages in the description itself), else the link's text."""
    import pydyf

    for page in document.pages:
        for kind, target, _, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            element = getattr(box, "element", None)
            if annotation is None or element is None or "Contents" not in annotation:
                continue  # no annotation, or untagged: no descriptions at all
            described = element.get(DESCRIPTION)
            if kind != "internal" and not described:
                continue  # a web address describes itself
            words = " ".join("".join(element.itertext()).split())
            leads_to = first_pages.get(target)
            if described and (leads_to or "{page}" not in described):
                words = described.replace("{page}", str(leads_to))
            if words:
                annotation["Contents"] = pydyf.String(words)
