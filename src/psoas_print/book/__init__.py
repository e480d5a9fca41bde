"""The book: reading and checking an author's folder into one model."""
