"""The live preview: a local web page showing the book's real pages as they will print,
laid out again on every save (see server.py for what it serves, rebuilding.py for what
it lays out and when)."""
