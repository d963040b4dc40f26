"""A JSON Schema error as a :class:`Wording` (issue 12): jsonschema words its errors in
English ("'id' is a required property"); the screening validator's reader sees them in the
page's language, so each kind of error becomes a catalogue message with its values."""

from __future__ import annotations

import json
from typing import Any

from jsonschema.exceptions import ValidationError as SchemaError

from itinera.domain.errors import Wording

__all__ = ["schema_wording"]

# one sentence per JSON type: the type's word is translated with the sentence
TYPE_WORDS = {
    "string": "%(value)s should be text",
    "integer": "%(value)s should be a whole number",
    "number": "%(value)s should be a number",
    "boolean": "%(value)s should be true or false",
    "array": "%(value)s should be a list",
    "object": "%(value)s should be a mapping",
    "null": "%(value)s should be empty",
}


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)[:80]


def schema_wording(error: SchemaError) -> Wording:
    """The message of one schema error; the kinds the screening schemas use are worded, any
    other says the value is not allowed and keeps jsonschema's words as an English note."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [name for name in expected if name not in (value or {})]
        return Wording.of("'%(name)s' is required", name=", ".join(missing))
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in value if k not in known)
        return Wording.of("'%(name)s' is not expected here", name=", ".join(extra))
    if kind == "enum":
        allowed = ", ".join(str(v) for v in expected)
        return Wording.of(
            "%(value)s is not one of: %(allowed)s", value=_shown(value), allowed=allowed
        )
    if kind == "type":
        wanted = expected if isinstance(expected, str) else expected[0]
        template = TYPE_WORDS.get(wanted, "%(value)s is not allowed here")
        return Wording.of(template, value=_shown(value))
    if kind == "pattern":
        return Wording.of(
            "%(value)s does not have the expected form (%(pattern)s)",
            value=_shown(value),
            pattern=expected,
        )
    if kind == "minLength":
        return Wording("must not be empty")
    if kind in ("minItems", "minProperties"):
        return Wording.of("needs at least %(count)s entries", count=expected)
    if kind == "minimum":
        return Wording.of("%(value)s is less than %(limit)s", value=_shown(value), limit=expected)
    if kind == "maximum":
        return Wording.of("%(value)s is more than %(limit)s", value=_shown(value), limit=expected)
    if kind == "uniqueItems":
        return Wording("the list has the same entry twice")
    return Wording.of("%(value)s is not allowed here", note=error.message, value=_shown(value))
