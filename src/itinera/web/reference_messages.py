"""The screening validator's details in the page's language (issue 12): a reference data error
carries its message as a :class:`Wording` (a catalogue entry and its values) and names its
entry and field; a page words all three in the reader's language. The command line keeps the
English ``str(error)``, as every ``itinera`` command speaks English."""

from __future__ import annotations

import re
from collections.abc import Callable

from itinera.domain.errors import ReferenceDataError, Wording

__all__ = ["say", "worded_detail"]

_LINE = re.compile(r"^line (\d+)(?:, (.*))?$")
_NAMED = re.compile(r"^(rule|question|pathway) (.+)$")
_LISTED = re.compile(r"^(rules|questions|pathways)\[(\d+)\](?: \((.+)\))?$")
_KINDS = {"rules": "rule", "questions": "question", "pathways": "pathway"}
_ENTRY = {
    "rule": "rule “%(id)s”",
    "question": "question “%(id)s”",
    "pathway": "pathway “%(id)s”",
}
_SEPARATOR = {"ar": "، "}


def say(wording: Wording, gettext: Callable[[str], str]) -> str:
    """A wording in the language of ``gettext`` (its English note is left out)."""
    text = gettext(wording.template)
    return text % dict(wording.params) if wording.params else text


def _entry(entry: str, gettext: Callable[[str], str]) -> str:
    named = _NAMED.match(entry)
    if named:
        return gettext(_ENTRY[named.group(1)]) % {"id": named.group(2)}
    listed = _LISTED.match(entry)
    if listed:
        kind, _number, name = listed.groups()
        if name:
            return gettext(_ENTRY[_KINDS[kind]]) % {"id": name}
        return gettext("entry %(path)s") % {"path": entry}
    return gettext("entry %(path)s") % {"path": entry}


def worded_detail(error: ReferenceDataError, language: str, gettext: Callable[[str], str]) -> str:
    """Where the error is (line, entry, field) and what it is, in the page's language."""
    parts = []
    entry = error.entry
    line = _LINE.match(entry)
    if line:
        parts.append(gettext("line %(line)s") % {"line": line.group(1)})
        entry = line.group(2) or ""
    if entry:
        parts.append(_entry(entry, gettext))
    if error.field:
        parts.append(gettext("field “%(field)s”") % {"field": error.field})
    message = say(error.wording, gettext)
    if not parts:
        return message
    where = _SEPARATOR.get(language, ", ").join(parts)
    return gettext("%(where)s: %(message)s") % {"where": where, "message": message}
