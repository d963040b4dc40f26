"""Route analytics (C3): series, mortality, shifts, early warning, the dashboard."""
