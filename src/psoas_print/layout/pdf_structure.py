"""What a tagged PDF's structure says beyond what WeasyPrint writes: the scope of every
table header cell (PDF/UA asks for it on each TH), set as WeasyPrint's finisher.

A header cell whose row holds data cells heads that row; any other heads its column.
"""

from __future__ import annotations

from typing import Any


def scope_headers(pdf: Any) -> None:
    """Give each TH structure element its /Scope: /Row or /Column."""
    import pydyf

    objects = {obj.number: obj for obj in pdf.objects if getattr(obj, "number", None)}
    for element in list(objects.values()):
        if not isinstance(element, pydyf.Dictionary) or element.get("S") != "/TH":
            continue
        row = objects.get(_number(element.get("P")))
        kids = row.get("K", []) if isinstance(row, pydyf.Dictionary) else []
        cells = [objects.get(_number(kid)) for kid in kids]
        heads_a_row = any(isinstance(c, pydyf.Dictionary) and c.get("S") == "/TD" for c in cells)
        attributes = element.get("A")
        if not isinstance(attributes, pydyf.Dictionary):
            attributes = pydyf.Dictionary({"O": "/Table"})
            element["A"] = attributes
        attributes["Scope"] = "/Row" if heads_a_row else "/Column"


def _number(reference: object) -> int | None:
    """The object number of an indirect reference as pydyf writes it: b"12 0 R"."""
    if isinstance(reference, bytes | str):
        text = reference.decode() if isinstance(reference, bytes) else reference
        head = text.split(" ", 1)[0]
        return int(head) if head.isdigit() else None
    return None
