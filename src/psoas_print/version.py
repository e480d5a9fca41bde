"""The version of psoas-print: recorded with every output, shown by --version."""

__version__ = "0.1.0"
