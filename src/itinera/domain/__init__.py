"""The vocabulary of the route-based approach as plain Python.

Nothing here imports web, storage or engine code: it can be read and tested alone.
"""
