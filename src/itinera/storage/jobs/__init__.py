"""The jobs queue (issue 10): one table, claimed with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL (several worker processes) and under the write lock on SQLite (decision 0016)."""
