"""Readers of publishers' formats: each turns a file into domain records plus collected issues."""
