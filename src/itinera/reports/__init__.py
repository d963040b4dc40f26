"""Route reports (C4): report content → HTML (Jinja2) → PDF (WeasyPrint), charts (vl-convert)."""
