"""psoas-print: exercise content in, printable PDFs out."""

__version__ = "0.1.0"
