"""Web interface: the JSON API (OpenAPI) and the server-rendered pages."""
