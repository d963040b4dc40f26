"""Coded reference lists and the versions of the reference files last loaded."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from itinera.domain.reference import ReferenceCategory, ReferenceItem
from itinera.storage.catalogue.tables import reference_items, reference_versions

__all__ = ["ReferenceRepository"]


class ReferenceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def items(self, category: ReferenceCategory) -> list[ReferenceItem]:
        rows = self.session.execute(
            select(reference_items)
            .where(reference_items.c.category == category.value)
            .order_by(reference_items.c.position)
        )
        return [
            ReferenceItem(category, r.code, r.names, r.description, r.number, r.source)
            for r in rows
        ]

    def codes(self, category: ReferenceCategory) -> set[str]:
        rows = self.session.scalars(
            select(reference_items.c.code).where(reference_items.c.category == category.value)
        )
        return set(rows)

    def save(self, item: ReferenceItem, position: int) -> str:
        """Insert or refresh a catalogue item; an item a user edited is kept as it is.

        Returns ``added``, ``updated``, ``unchanged`` or ``kept``.
        """
        key = (reference_items.c.category == item.category.value) & (
            reference_items.c.code == item.code
        )
        row = self.session.execute(select(reference_items).where(key)).first()
        values = {
            "names": dict(item.name),
            "description": dict(item.description),
            "number": item.number,
            "source": item.source,
            "position": position,
        }
        if row is None:
            self.session.execute(
                insert(reference_items).values(
                    category=item.category.value, code=item.code, **values
                )
            )
            return "added"
        if row.edited:
            return "kept"
        if all(getattr(row, k) == v for k, v in values.items()):
            return "unchanged"
        self.session.execute(update(reference_items).where(key).values(values))
        return "updated"

    def version(self, file: str) -> tuple[int, str] | None:
        row = self.session.execute(
            select(reference_versions).where(reference_versions.c.file == file)
        ).first()
        return (row.version, row.checksum) if row else None

    def set_version(self, file: str, version: int, checksum: str) -> None:
        if self.version(file) is None:
            self.session.execute(
                insert(reference_versions).values(file=file, version=version, checksum=checksum)
            )
        else:
            self.session.execute(
                update(reference_versions)
                .where(reference_versions.c.file == file)
                .values(version=version, checksum=checksum)
            )

    def add_version(self, file: str, version: int, checksum: str) -> None:
        """Record a version unless one is recorded: two transactions racing to add it (two
        workers' first imports) never fail on the key; the first one's stays."""
        dialect = self.session.get_bind().dialect.name
        values = {"file": file, "version": version, "checksum": checksum}
        add = (postgresql if dialect == "postgresql" else sqlite).insert(reference_versions)
        self.session.execute(add.values(**values).on_conflict_do_nothing())
