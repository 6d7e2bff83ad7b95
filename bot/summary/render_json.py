"""The summary for machines: one JSON document (UTF-8, Vietnamese kept as is).

The document is indented, except that lists of objects (units, task lines, blockers, changes) carry one
compact object per line. At 100,000 task lines that keeps the file readable and small, lets each object be
encoded by the json module's C encoder (an indented dump goes through its slower pure-Python encoder), and
lets the text be produced piece by piece (`write_json` streams it to a file without holding it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from bot.summary.model import Summary

_compact = json.JSONEncoder(ensure_ascii=False).encode


class _Objects:
    """A list of objects produced lazily (each task line's dict is made, encoded and dropped in turn)."""

    def __init__(self, items: Iterable[dict[str, Any]]) -> None:
        self.items = items


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """Keys: plan, period, generated_at, units, tasks, totals, changes, unassigned (see the dataclasses' to_json)."""
    return {**_head(summary), "units": [u.to_json() for u in summary.units],
            "tasks": [t.to_json() for t in summary.tasks], "totals": summary.totals.to_json(),
            "changes": summary.changes.to_json(), "unassigned": [t.to_json() for t in summary.unassigned]}


def _head(summary: Summary) -> dict[str, Any]:
    plan, period = summary.plan, summary.period
    return {
        "plan": {"id": plan.id, "number": plan.number, "title": plan.title, "issuer": plan.issuer,
                 "year": plan.year, "coordinator": plan.coordinator},
        "period": {"key": period.key, "kind": period.kind, "label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat(), "cutoff": period.cutoff.isoformat(),
                   "request_text": period.request_text},
        "generated_at": summary.generated_at.isoformat(),
        "unit_filter": summary.unit_filter,
    }


def render_json(summary: Summary, *, indent: int | None = 2) -> str:
    """The document as text (`indent=None`: on one line). Same content as `summary_to_dict`."""
    if indent is None:
        return _compact(summary_to_dict(summary))
    return "".join(iter_json(summary, indent=indent))


def write_json(summary: Summary, out: TextIO, *, indent: int = 2) -> None:
    """The document written to `out` piece by piece (the whole text is never held in memory)."""
    for piece in iter_json(summary, indent=indent):
        out.write(piece)


def iter_json(summary: Summary, *, indent: int = 2) -> Iterator[str]:
    """The indented document, in pieces."""
    document = {
        **_head(summary),
        "units": _Objects(u.to_json() for u in summary.units),
        "tasks": _Objects(t.to_json() for t in summary.tasks),
        "totals": summary.totals.to_json(),
        "changes": summary.changes.to_json(),
        "unassigned": _Objects(t.to_json() for t in summary.unassigned),
    }
    yield from _pieces(document, " " * indent, 0)
    yield "\n"


def _pieces(value: Any, pad: str, level: int) -> Iterator[str]:
    """Objects one field per line, lists of objects one compact object per line, anything else as json
    indents it."""
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        value = _Objects(value)
    if isinstance(value, _Objects):
        yield from _list_of_objects(value.items, pad, level)
    elif isinstance(value, dict) and value:
        inner, separator = pad * (level + 1), "{\n"
        for key, item in value.items():
            yield f"{separator}{inner}{_compact(key)}: "
            yield from _pieces(item, pad, level + 1)
            separator = ",\n"
        yield f"\n{pad * level}}}"
    else:
        yield json.dumps(value, ensure_ascii=False, indent=pad).replace("\n", "\n" + pad * level)


def _list_of_objects(items: Iterable[dict[str, Any]], pad: str, level: int) -> Iterator[str]:
    inner, separator = pad * (level + 1), "[\n"
    for item in items:
        yield separator + inner + _compact(item)
        separator = ",\n"
    yield "[]" if separator == "[\n" else f"\n{pad * level}]"
