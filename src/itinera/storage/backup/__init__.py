"""Backup and restore of the whole store (decision 0019): every SQL statement they need."""

from itinera.storage.backup.loader import StoreLoader
from itinera.storage.backup.snapshot import StoreSnapshot

__all__ = ["StoreLoader", "StoreSnapshot"]
