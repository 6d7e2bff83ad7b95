"""Readers of what people write: plan timeframes, reporting rules, staff replies (domain code)."""
