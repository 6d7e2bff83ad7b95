"""Storage: tables, engine, migrations and query functions."""
