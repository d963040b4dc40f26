"""Service mapping along routes (C5): registry, imports and exports, gaps, siting."""
