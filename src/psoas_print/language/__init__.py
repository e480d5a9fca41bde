"""The words a product prints, in the language it is made in: message catalogues, Babel's
formatting of numbers, dates and lists, and the phrases built from a book's data."""
