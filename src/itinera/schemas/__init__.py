"""Interface models shared by the JSON API and the CLI's ``--json`` output.

They convert between domain objects and the documented wire shapes, so the API, its
OpenAPI schema and the CLI print the same thing.
"""
