"""The per-example limit of the readers' property tests."""

from datetime import timedelta

# A hang guard (catastrophic backtracking would take minutes), not a speed target: bench/ measures speed.
HANG_GUARD = timedelta(seconds=10)
