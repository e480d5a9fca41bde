"""A finished PDF's dates set anew: a long book joined from parts laid out in earlier
builds (see products/kept_layout.py) is dated when it is joined, as a fresh layout is.

pikepdf (30 ms to import) is imported by the functions that use it, not at the top.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)[^<]*(</xmp:)")


def redate(pdf: pikepdf.Pdf, when: str | None) -> None:
    """Date ``pdf`` ``when`` (ISO 8601 in UTC, as BuildContext.created), or now: its
    Info dictionary and the dates of its XMP packet."""
    import pikepdf  # see the module's note

    moment = datetime.fromisoformat(when) if when else datetime.now(UTC)
    stamp = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    pdf.docinfo.CreationDate = pdf.docinfo.ModDate = pikepdf.String(
        "D:" + moment.astimezone(UTC).strftime("%Y%m%d%H%M%SZ")
    )
    metadata = pdf.Root.get("/Metadata")
    if isinstance(metadata, pikepdf.Stream):
        packet = _XMP_DATE.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", metadata.read_bytes())
        metadata.write(packet)  # uncompressed, as it was written (see layout/pdf_metadata.py)
