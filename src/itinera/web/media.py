"""What non-JSON answers declare in OpenAPI (issue 10, item 14): a route answering CSV or
GeoJSON says so in its ``responses``, so clients and schemathesis know the media type.
``tests/integration/test_openapi_media.py`` calls every GET route and checks the media type it
answers is one the schema declares."""

from __future__ import annotations

from typing import Any

__all__ = ["CSV_ANSWER", "CSV_OR_JSON_ANSWER", "GEOJSON_ANSWER", "HXL_OR_JSON_ANSWER"]

_TEXT = {"schema": {"type": "string"}}
_OBJECT = {"schema": {"type": "object"}}

CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "CSV (UTF-8), one header row", "content": {"text/csv": _TEXT}}
}
CSV_OR_JSON_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON, or CSV with format=csv or Accept: text/csv",
        "content": {"application/json": _OBJECT, "text/csv": _TEXT},
    }
}
GEOJSON_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "a GeoJSON FeatureCollection (RFC 7946)",
        "content": {"application/geo+json": _OBJECT},
    }
}
HXL_OR_JSON_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "HXL-tagged CSV (format=hxl), GeoJSON or HSDS JSON",
        "content": {"text/csv": _TEXT, "application/json": _OBJECT},
    }
}
