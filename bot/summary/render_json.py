"""The summary for machines: one JSON document (UTF-8, Vietnamese kept as is)."""

from __future__ import annotations

import json
from typing import Any

from bot.summary.model import Summary


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """Keys: plan, period, generated_at, units, tasks, totals, changes (see the dataclasses' to_json)."""
    plan, period = summary.plan, summary.period
    return {
        "plan": {"id": plan.id, "number": plan.number, "title": plan.title, "issuer": plan.issuer,
                 "year": plan.year, "coordinator": plan.coordinator},
        "period": {"key": period.key, "kind": period.kind, "label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat(), "cutoff": period.cutoff.isoformat(),
                   "request_text": period.request_text},
        "generated_at": summary.generated_at.isoformat(),
        "unit_filter": summary.unit_filter,
        "units": [u.to_json() for u in summary.units],
        "tasks": [t.to_json() for t in summary.tasks],
        "totals": summary.totals.to_json(),
        "changes": summary.changes.to_json(),
    }


def render_json(summary: Summary, *, indent: int | None = 2) -> str:
    return json.dumps(summary_to_dict(summary), ensure_ascii=False, indent=indent)
