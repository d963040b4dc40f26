"""Storage of the Digital Gateway (C9): channels, submissions, inbound messages, answers."""
