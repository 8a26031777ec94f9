"""Defaults of the corridor analysis, in a module of their own so the CLI can show them without loading it."""

TOLERANCE = 0.05  # corridor: cells within 5% of the least cost
NEIGHBOURS = 3
MAX_DISTANCE_M = 100_000.0
