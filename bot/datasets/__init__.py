"""Reference data offered to a coordinator, never imposed: communes and wards of a province (from the
`vietnam-provinces` package), and a province's standard departments after the 2025 reorganisation."""
