"""A tagged PDF's structure carried along when its pages move: joined after another
PDF's (a long book's portions, see joining.py), or copied onto new pages (a handout's
copies on their sheets, see imposition.py).

A structure tree names each page's marked content through the page's key in the parent
tree, and each annotation through its own key; moving pages means moving those keys too.

pikepdf (30 ms to import) is imported by the functions that use it, not at the top: a build
that never opens a finished PDF does without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

Objgen = tuple[int, int]


def adopt_structure(
    pdf: pikepdf.Pdf, part: pikepdf.Pdf, offset: int, entries: dict[int, pikepdf.Object]
) -> None:
    """The structure of ``part``, whose pages are now ``pdf``'s from ``offset`` on, read
    after ``pdf``'s own under its one document element: the part's keys into the parent
    tree (of its pages' marked content and of its annotations) move past those of
    ``entries``, which takes theirs. Write ``entries`` as the parent tree when all parts
    are adopted (set_parent_tree)."""
    import pikepdf  # see the module's note

    tree, theirs = pdf.Root.get("/StructTreeRoot"), part.Root.get("/StructTreeRoot")
    if tree is None or theirs is None:
        return
    # Copied after the pages: pikepdf maps each of the part's objects to one copy, so the
    # structure's pages and annotations are the ones now in ``pdf``.
    theirs = pdf.copy_foreign(theirs)
    shift = max(entries, default=-1) + 1
    for page in pdf.pages[offset:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + shift
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + shift
    entries.update({key + shift: value for key, value in parent_entries(theirs).items()})
    document = document_element(tree)
    kids = document_element(theirs).get("/K", pikepdf.Array())
    # A part in another language (a client's programme in theirs) keeps it on its elements.
    language = part.Root.get("/Lang")
    own_language = language is not None and language != pdf.Root.get("/Lang")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary):
            kid.P = document
            if own_language and "/Lang" not in kid:
                kid.Lang = language
        document.K.append(kid)


def parent_entries(tree: pikepdf.Object) -> dict[int, pikepdf.Object]:
    """A structure tree's parent tree as key: value, its number tree flattened."""
    import pikepdf  # see the module's note

    entries: dict[int, pikepdf.Object] = {}
    waiting = [tree.get("/ParentTree")]
    while waiting:
        node = waiting.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        numbers = node.get("/Nums", pikepdf.Array())
        entries.update({int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)})
        waiting += list(node.get("/Kids", pikepdf.Array()))
    return entries


def set_parent_tree(
    pdf: pikepdf.Pdf, tree: pikepdf.Object, entries: dict[int, pikepdf.Object]
) -> None:
    """``entries`` as the structure tree's parent tree, one flat number tree."""
    import pikepdf  # see the module's note

    numbers = pikepdf.Array()
    for key in sorted(entries):
        numbers.append(key)
        numbers.append(entries[key])
    tree.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=numbers))
    tree.ParentTreeNextKey = max(entries, default=-1) + 1


def document_element(tree: pikepdf.Object) -> pikepdf.Object:
    """The structure tree's document element, its kids an array."""
    import pikepdf  # see the module's note

    kids = tree.K
    document = kids[0] if isinstance(kids, pikepdf.Array) else kids
    if not isinstance(document.get("/K"), pikepdf.Array):
        own = document.get("/K")
        document.K = pikepdf.Array([] if own is None else [own])
    return document


class TaggedCopies:
    """One tagged page's structure copied for each page that repeats its drawing (with
    the same marked-content ids), under one document element, in page order."""

    def __init__(self, pdf: pikepdf.Pdf, tree: pikepdf.Object | None, name_mcid: int) -> None:
        import pikepdf  # see the module's note

        self.pdf, self.tree, self.name_mcid = pdf, tree, name_mcid
        self.entries: dict[int, pikepdf.Object] = {}
        self.document = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document,
                               K=pikepdf.Array())
        )  # fmt: skip

    def add(self, page: pikepdf.Page, links: dict[Objgen, pikepdf.Object], named: bool) -> None:
        """The structure of the copy on ``page``, whose link annotations are ``links`` (by
        the original annotation each copies); ``named``: it has a name at ``name_mcid``,
        read first, as a paragraph."""
        import pikepdf  # see the module's note

        if self.tree is None:
            return
        marks: dict[int, pikepdf.Object] = {}
        owners: dict[Objgen, pikepdf.Object] = {}
        if named:
            name = self.pdf.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P,
                                   P=self.document, Pg=page.obj,
                                   K=pikepdf.Array([self.name_mcid]))
            )  # fmt: skip
            marks[self.name_mcid] = name
            self.document.K.append(name)
        for kid in _kids(document_element(self.tree)):
            if isinstance(kid, pikepdf.Dictionary):
                copy = self._copy(kid, self.document, page, links, marks, owners)
                self.document.K.append(copy)
        by_mcid = pikepdf.Array([marks.get(i) for i in range(max(marks, default=-1) + 1)])
        page.obj.StructParents = self._entry(by_mcid)
        for annotation in links.values():
            if annotation.objgen in owners:
                annotation.StructParent = self._entry(owners[annotation.objgen])

    def _entry(self, value: pikepdf.Object) -> int:
        """``value`` in the parent tree under the next key; that key."""
        key = len(self.entries)
        self.entries[key] = value
        return key

    def _copy(
        self, element: pikepdf.Object, parent: pikepdf.Object, page: pikepdf.Page,
        links: dict[Objgen, pikepdf.Object], marks: dict[int, pikepdf.Object],
        owners: dict[Objgen, pikepdf.Object],
    ) -> pikepdf.Object:  # fmt: skip
        """``element`` and what it holds, on ``page``; ``marks`` and ``owners`` learn which
        copied element holds each marked-content id and each link annotation."""
        import pikepdf  # see the module's note

        copy = pikepdf.Dictionary(
            {k: v for k, v in element.items() if k not in ("/K", "/P", "/Pg")}
        )
        copy.P = parent
        copy.Pg = page.obj  # the copy is all on one page (pikepdf leaves out copied /Pg)
        copy = self.pdf.make_indirect(copy)
        kids = pikepdf.Array()
        for kid in _kids(element):
            if isinstance(kid, int):
                marks[kid] = copy
                kids.append(kid)
            elif kid.get("/Type") == "/MCR":
                marks[int(kid.MCID)] = copy
                kids.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, MCID=kid.MCID, Pg=page.obj))
            elif kid.get("/Type") == "/OBJR":
                annotation = links.get(kid.Obj.objgen)
                if annotation is not None:  # a link the copy keeps
                    owners[annotation.objgen] = copy
                    kids.append(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=annotation,
                                                   Pg=page.obj))  # fmt: skip
            else:
                kids.append(self._copy(kid, copy, page, links, marks, owners))
        copy.K = kids
        return copy

    def finish(self) -> None:
        """The copies' structure as the PDF's, marked as tagged."""
        import pikepdf  # see the module's note

        if self.tree is None:
            return
        numbers = pikepdf.Array()
        for key in sorted(self.entries):
            numbers.append(key)
            numbers.append(self.entries[key])
        root = self.pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([self.document]),
                ParentTree=self.pdf.make_indirect(pikepdf.Dictionary(Nums=numbers)),
                ParentTreeNextKey=max(self.entries, default=-1) + 1,
            )
        )  # fmt: skip
        self.document.P = root
        self.pdf.Root.StructTreeRoot = root
        self.pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    import pikepdf  # see the module's note

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]
