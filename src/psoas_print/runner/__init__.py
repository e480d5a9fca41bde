"""The runner: which products to make, whether they are up to date, and writing them."""
