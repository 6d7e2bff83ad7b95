"""Plan import: turn a plan document (.docx, .xlsx, .csv/.tsv, text from Word/PDF) into tasks, preview first.

- `parse_plan(data, filename, plan_year=...)` reads a file without touching the database;
- `preview_import(data, filename, plan_year=..., session=...)` adds what the database knows (which units
  are registered, whether the plan exists) and writes nothing;
- `commit_import(preview, session=..., now=..., create_units=False)` writes it all in the caller's
  transaction (the CLI and `Database.call` give one transaction: all or nothing).

Item codes (stable, so a re-import matches): the TT number, prefixed by the roman section when the
table has sections ("II.3", "VIII.1.2"); sub-tasks keep their number ("1.2") and point to their group
("1"). Targets take a "T": "T1", "T1.2", or "T.I.1" under a roman section. A table without a TT
column numbers its rows in order ("T5"). A duplicate code gets "-2" and a warning.

Re-import: the plan is matched by its number, else by title and year; tasks by code. Tasks are
updated in place (ids and status reports stay); a task missing from the new file becomes inactive
(`Task.active = False`, never deleted; reports kept) and active again if a later file lists it.
Unknown lead units refuse the commit (naming them, with the closest registered names) unless
`create_units`, which registers them (group-like names such as "Các phòng, đơn vị thuộc" become
empty groups, reported as such). Unknown support units are warnings and are skipped.

Timeframes: the column covering the plan year wins (the narrowest one: "Năm 2026" before "Giai đoạn
2026 - 2030"); "Đã hoàn thành" in an earlier column marks the task completed; an empty plan-year cell
falls back to another column with a warning, and a cell naming the plan year in a neighbouring
column is preferred (misaligned tables), with a warning. "Trong giai đoạn" gets its column's label.
"""

from bot.importer.items import ParsedItem, ParsedPlan, PlanMeta
from bot.importer.parse import parse_plan
from bot.importer.service import ImportPreview, ImportResult, commit_import, preview_import

__all__ = [
    "ImportPreview", "ImportResult", "ParsedItem", "ParsedPlan", "PlanMeta", "commit_import", "parse_plan",
    "preview_import",
]
