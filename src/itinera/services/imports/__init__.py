"""The one import pipeline (reader -> collected issues -> batch -> report), shared by every
capability that imports files; see ``docs/import-pipeline.md``."""

from itinera.services.imports.issues_csv import ISSUE_COLUMNS, issues_csv
from itinera.services.imports.pipeline import (
    ImportKind,
    ImportRequest,
    file_sha256,
    refusal,
    run_import,
)
from itinera.services.imports.readers import FileReader, reader_for, readers, register_reader
from itinera.services.imports.report import ImportReport, ImportStatus

__all__ = [
    "ISSUE_COLUMNS",
    "FileReader",
    "ImportKind",
    "ImportReport",
    "ImportRequest",
    "ImportStatus",
    "file_sha256",
    "issues_csv",
    "reader_for",
    "readers",
    "refusal",
    "register_reader",
    "run_import",
]
