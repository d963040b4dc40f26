"""One exception tree for the whole platform.

Exceptions are for failures a caller must handle; data problems found while reading a
file are collected as :class:`itinera.domain.issues.Issue` instead (STYLE.md rule 3).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

__all__ = [
    "ConflictError",
    "FieldError",
    "ItineraError",
    "NotFoundError",
    "PermissionDeniedError",
    "ReferenceDataError",
    "ValidationError",
    "Wording",
]


class ItineraError(Exception):
    """Root of every error Itinera raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotFoundError(ItineraError):
    """The thing asked for does not exist (or the caller may not know that it does)."""

    code = "not_found"


class ConflictError(ItineraError):
    """The change clashes with the stored state (duplicate id, stale version)."""

    code = "conflict"


class PermissionDeniedError(ItineraError):
    """The caller's role does not allow this action."""

    code = "permission_denied"


@dataclass(frozen=True)
class Wording:
    """A message as a catalogue entry and its values, so a page can say it in the reader's
    language: ``template`` is the English msgid with ``%(name)s`` placeholders (line, field,
    value …). ``note`` is extra English detail (a YAML parser's own words) kept for the CLI and
    logs only, never translated."""

    template: str
    params: tuple[tuple[str, str], ...] = ()
    note: str = ""

    @classmethod
    def of(cls, template: str, note: str = "", **params: object) -> Wording:
        return cls(template, tuple((k, str(v)) for k, v in params.items()), note)

    def __str__(self) -> str:
        text = self.template % dict(self.params) if self.params else self.template
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; ``field`` is a dotted path such as ``legs[1].from``.
    ``source`` keeps the reference data error behind it, for pages that word its detail."""

    field: str
    message: str
    source: ReferenceDataError | None = dataclasses.field(default=None, compare=False, repr=False)


class ValidationError(ItineraError):
    """Input that breaks a rule; names every offending field."""

    code = "validation_error"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors) or "invalid input")

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls([FieldError(field, message)])


class ReferenceDataError(ItineraError):
    """A reference data file is malformed; names the file, the entry and the field."""

    code = "reference_data_error"

    def __init__(self, file: str, entry: str, field: str, message: str | Wording) -> None:
        self.file, self.entry, self.field = file, entry, field
        self.wording = message if isinstance(message, Wording) else Wording(message)
        self.detail = str(message)
        parts = [file, entry, f"field {field!r}" if field else ""]
        super().__init__(": ".join([p for p in parts if p] + [self.detail]))
