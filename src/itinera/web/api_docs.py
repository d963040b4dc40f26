"""``/api/docs``: Swagger UI served from this server's static files, not from a CDN.

FastAPI's own page loads Swagger UI from jsDelivr and starts it with an inline script; both
break offline and under the Content-Security-Policy. The files come from the npm package
``swagger-ui-dist`` (pinned in ``frontend/package.json``, copied by ``scripts/setup``).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

__all__ = ["DOCS_PAGE", "install_api_docs"]

VENDOR = "/static/vendor/swagger-ui-dist"
DOCS_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Itinera API</title>
<link rel="stylesheet" href="{VENDOR}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="{VENDOR}/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script>
</body>
</html>
"""


def install_api_docs(app: FastAPI) -> None:
    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)
