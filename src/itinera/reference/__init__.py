"""The reference data that ships with Itinera: versioned YAML files with JSON schemas."""
