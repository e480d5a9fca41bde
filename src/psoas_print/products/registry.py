"""Every product the runner can make, by name."""

from __future__ import annotations

from typing import Any

from psoas_print.products.cheatsheet import Cheatsheet
from psoas_print.products.cover import Cover, CoverPicture
from psoas_print.products.ebook import Ebook
from psoas_print.products.epub import Epub
from psoas_print.products.handout import Handouts
from psoas_print.products.licensed import LicensedCopies
from psoas_print.products.programme import Programmes
from psoas_print.products.protocol import Product, ProductName

# Each product takes its own settings type, so no one Product[...] fits them all: the job
# that names a product carries that product's settings (runner/jobs.py, ProductSettings).
PRODUCTS: dict[ProductName, Product[Any]] = {
    product.name: product
    for product in (
        Cheatsheet(),
        Ebook(),
        Epub(),
        Handouts(),
        LicensedCopies(),
        Programmes(),
        Cover(),
        CoverPicture(),
    )
}
