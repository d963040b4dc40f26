"""Route analytics (C3) as pure computations: monthly series, mortality, shifts between linked
routes, early warning and small-cell suppression. No I/O: services feed them figures."""
