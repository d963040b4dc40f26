"""Where an entry of a YAML text is: the line an administrator looks at to fix an error.

Errors of the screening files name an entry as ``rules[3] (protection-need)``, ``rule
protection-need`` or a top-level field; this finds the line of that entry in the text.
"""

from __future__ import annotations

import re

import yaml

__all__ = ["line_of_entry"]

_INDEXED = re.compile(r"^(\w+)\[(\d+)\]")
_NAMED = re.compile(r"^(rule|question|pathway) (\S+)$")
_SECTIONS = {"rule": "rules", "question": "questions", "pathway": "pathways"}


def line_of_entry(text: str, entry: str, field: str = "") -> int | None:
    """The 1-based line of ``entry`` (else of the top-level ``field``) in ``text``, if found."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    if match := _INDEXED.match(entry):
        items = _value(root, match.group(1))
        index = int(match.group(2))
        if isinstance(items, yaml.SequenceNode) and index < len(items.value):
            return int(items.value[index].start_mark.line) + 1
    if match := _NAMED.match(entry):
        items = _value(root, _SECTIONS[match.group(1)])
        for item in items.value if isinstance(items, yaml.SequenceNode) else []:
            if isinstance(item, yaml.MappingNode) and match.group(2) in (
                _scalar(_value(item, "id")),
                _scalar(_value(item, "code")),
            ):
                return int(item.start_mark.line) + 1
    if not entry and field:
        for key, _ in root.value:
            if key.value == field.split(".")[0]:
                return int(key.start_mark.line) + 1
    return None


def _value(mapping: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next((v for k, v in mapping.value if k.value == key), None)


def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None
