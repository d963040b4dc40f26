"""Backup and restore of the whole store (decision 0019): ``itinera backup create|restore``."""

from itinera.services.backup.create import create_backup
from itinera.services.backup.restore import restore_backup

__all__ = ["create_backup", "restore_backup"]
