"""Application services: one module or package per capability. Web and CLI call these."""
