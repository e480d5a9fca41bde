"""The products: what each selects from the book, and which layout it fills."""
