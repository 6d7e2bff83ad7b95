"""The bridge to the timeframe and reporting-rule readers (bot/readers/, written by another engineer).

Imported lazily: until those modules exist the importer still reads tables, keeps each timeframe as
raw text and says so in a warning, instead of guessing with a parser of its own.
"""

from __future__ import annotations

import functools
import importlib
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

logger = logging.getLogger(__name__)

READER_MISSING = (
    "Bộ đọc thời hạn (bot.readers.timeframe) chưa có: thời hạn được giữ nguyên văn, chưa tính ngày hạn."
)
RULES_MISSING = "Bộ đọc chế độ báo cáo (bot.readers.regime) chưa có: dùng chế độ báo cáo mặc định."


@dataclass(frozen=True)
class TimeframeResult:
    raw: str | None
    deadlines: tuple[date, ...] = ()
    recurrence: str = "unspecified"
    completed: bool = False
    ad_hoc: bool = False
    reason: str | None = None


@dataclass
class RulesResult:
    regimes: list[dict[str, Any]] = field(default_factory=list)
    coordinator: str | None = None
    ad_hoc: bool = False


@functools.lru_cache(maxsize=8)
def _load(module: str, name: str) -> Any | None:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    except Exception:  # a reader being written right now may not even compile yet
        logger.warning("cannot load %s.%s", module, name, exc_info=True)
        return None


def timeframe_reader_available() -> bool:
    return _load("bot.readers.timeframe", "parse_timeframe") is not None


def read_timeframe(text: str | None, plan_year: int) -> TimeframeResult:
    parse = _load("bot.readers.timeframe", "parse_timeframe")
    if parse is None:
        return TimeframeResult(raw=text)
    try:
        result = parse(text, plan_year)
    except Exception:  # a reader bug must not lose the whole import; the raw text is kept
        logger.warning("timeframe reader failed on %r", text, exc_info=True)
        return TimeframeResult(raw=text, reason="bộ đọc thời hạn gặp lỗi với nội dung này")
    return TimeframeResult(
        raw=getattr(result, "raw", text), deadlines=tuple(getattr(result, "deadlines", ()) or ()),
        recurrence=str(getattr(result, "recurrence", "unspecified") or "unspecified"),
        completed=bool(getattr(result, "completed", False)), ad_hoc=bool(getattr(result, "ad_hoc", False)),
        reason=getattr(result, "reason", None),
    )


def read_rules(body_text: str) -> RulesResult | None:
    parse = _load("bot.readers.regime", "parse_reporting_rules")
    if parse is None:
        return None
    rules = parse(body_text)
    regimes = [r.to_dict() if hasattr(r, "to_dict") else dict(r) for r in getattr(rules, "regimes", []) or []]
    return RulesResult(regimes=regimes, coordinator=getattr(rules, "coordinator", None),
                       ad_hoc=bool(getattr(rules, "ad_hoc", False)))
