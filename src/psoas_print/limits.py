"""The documented limits on what a book may ask of a build (see the README's "Security").

A small file must not be able to make unbounded work: input beyond these limits is
refused at once with a clear message, and everything within them builds quickly.
"""

from __future__ import annotations

MAX_FILE_BYTES = 20_000_000  # any one file a build reads: a photo, a chapter, a font
