"""The documented limits on what a book may ask of a build (see the README's "Security").

A small file must not be able to make unbounded work: input beyond these limits is
refused at once with a clear message, and everything within them builds quickly.
"""

from __future__ import annotations

MAX_FILE_BYTES = 20_000_000  # any one file a build reads: a photo, a chapter, a font

# A text file of the book: book.yaml, a chapter, an exercise, a routine, a pose. The
# longest chapter of a long book is some 60 KB; Markdown takes about 12 s and 600 MB to
# read a megabyte of list items, so half a megabyte keeps the worst file to seconds.
MAX_TEXT_BYTES = 500_000

# One fill of one layout template. The shipped layouts fill a 500-exercise book in well
# under a second; a book's own layout whose loops nest too deep fails after this long.
MAX_RENDER_SECONDS = 10.0

# What a layout may make with * and ** in one step: a string or list of at most this many
# items, a whole number of at most this many bits. A single step runs in C and cannot be
# stopped by the time limit, so ``{{ 9 ** 9 ** 9 }}`` must be refused before it starts.
MAX_LAYOUT_REPEAT = 1_000_000
MAX_LAYOUT_INT_BITS = 4_096

# Finished ebooks stamped with buyers' names: the tool's own product, so larger than any
# one book file, yet bounded, as every copy holds it in memory once more while it is made.
MAX_EBOOK_BYTES = 500_000_000

# How deep YAML may nest (a pose is four levels deep). Deeper nesting is no real book's
# and would only exhaust the recursion of the code that reads it.
MAX_YAML_DEPTH = 50

# How deep raw HTML may nest in a chapter or an exercise. The layouts add about a dozen
# levels; WeasyPrint lays boxes out recursively and fails some thousands of levels down.
MAX_HTML_DEPTH = 100

# How deep the elements of an SVG picture may nest: drawings from any editor stay far
# below; a deeper one is a trap for the recursive code that reads and draws it.
MAX_SVG_DEPTH = 100

# The most pixels a raster picture may have: a 50-megapixel photo prints sharp across an
# A3 page. Every picture is decoded in full when the book is read; a huge one would take
# gigabytes (a 30,000 x 30,000 PNG of a few kilobytes decodes to 3.6 GB).
MAX_IMAGE_PIXELS = 50_000_000

# Students in one roster: a class, or a school's term of classes. A thousand build in
# under half a minute on two cores; the limit keeps a mistaken file (a whole mailing list)
# from taking many minutes and gigabytes before anyone notices.
MAX_ROSTER_ROWS = 2_000

# Translated editions of one book (folders in translations/): `check` reads each one and
# `build --lang all` lays each one out, a few seconds apiece for the sample.
MAX_TRANSLATIONS = 30

# Clients in one programme command (all its files): each a handout of its own, like a
# roster's students.
MAX_CLIENTS = 2_000
# Clients laid out in one render: a render holds every page it lays out until they are
# written, about 8 MB a page (1.4 GB for 100 clients of three stages). More clients are laid
# out 100 at a time (250 clients: 2.2 GB, where one render would hold about 3.5 GB).
CLIENTS_PER_RENDER = 100

# Buyers in one buyers file: one copy each, about fifty a second; ten thousand copies of
# the sample ebook take some minutes and gigabytes of disk. Larger sales go in batches.
MAX_BUYERS = 10_000
