"""The unit directory: import and export it as a file, keep it right (alias, rename, merge, remove, groups), and
re-resolve the unit names tasks kept whenever it changes, so that no task waits for a re-import.

Name resolution lives here too (`unitnames`, `closest`, `resolve`): the importer matches a plan's unit names
through it, so the importer builds on the directory and never the other way round."""
