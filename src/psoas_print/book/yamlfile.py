"""YAML parsing that remembers the line of every key, so errors can point at it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from psoas_print.errors import Problem
from psoas_print.limits import MAX_YAML_DEPTH

Location = tuple[str | int, ...]
# libyaml's loader when PyYAML was built with it: the same results, several times faster.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """YAML's safe loader, with a date that is no date (2026-13-45) an error at its line
    instead of a crash."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"not a date ({error})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


@dataclass
class YamlDocument:
    """Parsed YAML data and the file line of each key or list item in it."""

    data: object  # as YAML gives it: read it with isinstance, or validate it
    path: Path
    first_line: int
    lines: dict[Location, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, location: Location) -> int:
        """The line of the deepest known key on the way to ``location``."""
        for end in range(len(location), 0, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return self.first_line


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> YamlDocument:
    """Parse ``text``; ``line_offset`` is how many file lines come before it.

    A syntax error becomes a Problem rather than an exception so that callers can
    collect every problem of a book before stopping.
    """
    document = YamlDocument(data=None, path=path, first_line=line_offset + 1)
    loader = _Loader(text)
    try:
        refused = _refused_construct(text)
        if refused is not None:
            line, message = refused
            document.problems.append(Problem(path, line_offset + line, message))
            return document
        node = loader.get_single_node()
        if node is not None:
            _index(node, (), document, line_offset)
            document.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        # The context mark is where the broken construct starts (an unclosed bracket or
        # quote), which is where the author has to look; the problem mark can be lines later.
        mark = error.context_mark or error.problem_mark
        line = line_offset + (mark.line + 1 if mark else 1)
        reason = error.problem or error.context or "not valid YAML"
        document.problems.append(Problem(path, line, f"invalid YAML: {reason}"))
    except yaml.YAMLError as error:
        document.problems.append(Problem(path, line_offset + 1, f"invalid YAML: {error}"))
    finally:
        loader.dispose()
    return document


def _refused_construct(text: str) -> tuple[int, str] | None:
    """The first line (counted from 1) of the text that uses what a book may not, and why.

    Anchors and aliases let a few lines stand for billions of values, or for a value that
    contains itself; no book needs them. Nesting is bounded too. The events are read
    before any value is built, so neither can cost more than reading the text once.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark else 1  # events have marks
            if isinstance(event, yaml.AliasEvent):
                return line, f"alias '*{event.anchor}': {NO_ANCHORS}"
            if isinstance(event, yaml.NodeEvent) and event.anchor:  # scalars and collections
                return line, f"anchor '&{event.anchor}': {NO_ANCHORS}"
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return line, TOO_DEEP
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        # libyaml (PyYAML 6.0.4 on) has a nesting limit of its own, met by its scanner as it
        # reads ahead: the same mistake, said the same way. Any other error is the parser's.
        if "nesting depth" not in str(error.problem):
            raise
        mark = error.problem_mark
        return (mark.line + 1 if mark else 1), TOO_DEEP
    return None


TOO_DEEP = f"nested more than {MAX_YAML_DEPTH} levels deep"


NO_ANCHORS = "anchors and aliases (& and *) are not allowed in a book; write the value out"


def _index(node: yaml.Node, location: Location, document: YamlDocument, offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = offset + key_node.start_mark.line + 1
            if key in seen:
                document.problems.append(Problem(document.path, line, f"duplicate key '{key}'"))
            seen.add(key)
            document.lines[(*location, key)] = line
            _index(value_node, (*location, key), document, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            document.lines[(*location, index)] = offset + item.start_mark.line + 1
            _index(item, (*location, index), document, offset)
