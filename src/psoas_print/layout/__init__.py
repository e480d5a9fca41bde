"""Layout: filling the HTML layouts and laying them out into pages with WeasyPrint."""
