"""The stored report files (C4)."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from itinera.storage.database import UnitOfWork
from itinera.storage.reports.tables import report_files

__all__ = ["ReportFileRepository"]


class ReportFileRepository:
    def __init__(self, session: UnitOfWork) -> None:
        self.session = session

    def find(self, key: str) -> tuple[str, bytes] | None:
        """(media type, content) of the file stored under ``key``."""
        row = self.session.execute(
            select(report_files.c.media_type, report_files.c.content).where(
                report_files.c.key == key
            )
        ).first()
        return None if row is None else (row.media_type, bytes(row.content))

    def keep(
        self, key: str, route_id: str, parameters: str, token: str, media_type: str, content: bytes
    ) -> None:
        """Store a file; files of the same parameters built from older data are dropped."""
        self.session.execute(
            delete(report_files).where(
                (report_files.c.parameters == parameters) | (report_files.c.key == key)
            )
        )
        self.session.execute(
            insert(report_files).values(
                key=key,
                route_id=route_id,
                parameters=parameters,
                token=token,
                media_type=media_type,
                content=content,
            )
        )
