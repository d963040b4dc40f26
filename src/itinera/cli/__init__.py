"""Command-line interface (Typer): parse, call a service, print, return an exit code."""
