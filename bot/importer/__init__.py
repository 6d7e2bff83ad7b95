"""Plan import: turn a plan document (.docx, .xlsx, .csv, text) into tasks, with a preview first.

- `parse_plan(data, filename, plan_year=...)` reads a file without touching the database;
- `preview_import(...)` adds what the database knows (registered units, an existing plan);
- `commit_import(preview, session=..., now=...)` writes it all in the caller's transaction.
"""

from bot.importer.items import ParsedItem, ParsedPlan, PlanMeta
from bot.importer.parse import parse_plan
from bot.importer.service import ImportPreview, ImportResult, commit_import, preview_import

__all__ = [
    "ImportPreview", "ImportResult", "ParsedItem", "ParsedPlan", "PlanMeta", "commit_import", "parse_plan",
    "preview_import",
]
