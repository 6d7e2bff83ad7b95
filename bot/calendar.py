"""The reporting calendar: periods, cutoffs, and working days (Vietnamese holidays and weekends).

Domain code: plain dates in, plain dates out; no Telegram, no database, no clock reading.
A regime is data (frequency + cutoff rule), so a plan can state its own cutoffs.
"""

from __future__ import annotations

import calendar as _cal
import importlib.util
import sys
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # the holidays library loads on the first working-day question, not with the periods
    import holidays

from bot.base.period import PeriodShape


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    AD_HOC = "ad_hoc"


@dataclass(frozen=True)
class CutoffRule:
    """When a period's report becomes late (the first late day, "before the Nth" means day N).

    - `month` unset: day `day` of the period's last month shifted by `month_offset` months
      (default quarterly rule: day 5 of the last month of the quarter; "ngày 10 tháng đầu quý sau"
      is day 10 with month_offset 1).
    - `month` set: that fixed day and month in the year the period ends ("trước ngày 15/6").
    - `weekday` set (a weekly period, 0 = Monday): the report is due on that day of the period's week ("thứ Sáu
      hằng tuần": 4), so the day after it is the first late day; `day` is not used.
    - `after_close` set (Nghị định 09/2019/NĐ-CP): the figures close on `day` of the period's last month (shifted by
      `month_offset`) and the report is due `after_close` working days later ("ít nhất 01 ngày làm việc"); the day
      after that is the first late day.
    The day is clamped to the month's length (day 31 in June means 30 June).
    A due day that is not a working day is the planner's business: it nudges working days before the cutoff.
    """

    day: int = 5
    month: int | None = None
    month_offset: int = 0
    weekday: int | None = None
    after_close: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.day <= 31:
            raise ValueError(f"cutoff day must be 1..31, got {self.day}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"cutoff month must be 1..12, got {self.month}")
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise ValueError(f"cutoff weekday must be 0..6, got {self.weekday}")
        if self.after_close is not None and not 0 <= self.after_close <= 30:
            raise ValueError(f"working days after the data close must be 0..30, got {self.after_close}")

    def cutoff_for(self, period_end: date) -> date:
        if self.weekday is not None:  # period_end is the week's Sunday
            return period_end - timedelta(days=6 - self.weekday - 1)
        if self.month is not None:
            return _clamped(period_end.year, self.month, self.day)
        year, month = _add_months(period_end.year, period_end.month, self.month_offset)
        if self.after_close is not None:
            return working_days_after(_clamped(year, month, self.day), self.after_close) + timedelta(days=1)
        return _clamped(year, month, self.day)

    def describe_vi(self) -> str:
        if self.after_close is not None:
            return (f"chốt số liệu ngày {self.day:02d} của tháng cuối kỳ, gửi báo cáo chậm nhất "
                    f"{self.after_close} ngày làm việc sau đó")
        if self.weekday is not None:
            return f"hạn {WEEKDAY_VI[self.weekday]} của tuần"
        if self.month is not None:
            return f"trước ngày {self.day:02d}/{self.month:02d}"
        if self.month_offset == 0:
            return f"trước ngày {self.day:02d} của tháng cuối kỳ"
        return f"trước ngày {self.day:02d} của tháng thứ {self.month_offset} sau kỳ"


@dataclass(frozen=True)
class Level:
    """One level of a report aggregated upward: who sends it up (as the plan writes it), by when, and to whom when the
    plan says ("Văn phòng tổng hợp, báo cáo UBND tỉnh ...": "UBND tỉnh")."""

    sender: str
    cutoff: CutoffRule
    recipient: str | None = None


@dataclass(frozen=True)
class Regime:
    """A reporting regime: how often a unit reports, and by when.

    `data_close` (Nghị định 09/2019/NĐ-CP, "thời gian chốt số liệu"): the figures of a period run from the day after
    it in the month before the period to it in the period's last month (day 14: from the 15th to the 14th).
    `levels`: where the plan gives a deadline for each level of a report aggregated upward ("các phòng gửi Văn phòng
    trước ngày 16; Văn phòng tổng hợp, báo cáo UBND tỉnh trước ngày 18"), the levels above the units, lowest first;
    `cutoff` is the units' own."""

    frequency: Frequency
    cutoff: CutoffRule = field(default_factory=CutoffRule)
    data_close: int | None = None
    levels: tuple[Level, ...] = ()

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"frequency": self.frequency.value, "cutoff": _rule_dict(self.cutoff)}
        if self.data_close is not None:  # the rules without them stay as they were stored
            out["data_close"] = self.data_close
        if self.levels:
            out["levels"] = [{"sender": level.sender, "cutoff": _rule_dict(level.cutoff)}
                             | ({"recipient": level.recipient} if level.recipient else {}) for level in self.levels]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Regime:
        cutoff = data.get("cutoff") or {}
        if not isinstance(cutoff, dict):
            raise ValueError("cutoff must be an object")
        levels = data.get("levels") or []
        if not isinstance(levels, list) or not all(isinstance(level, dict) for level in levels):
            raise ValueError("levels must be a list of objects")
        close = data.get("data_close")
        return cls(Frequency(str(data["frequency"])), CutoffRule(**cutoff),
                   int(str(close)) if close is not None else None,
                   tuple(Level(str(level["sender"]), CutoffRule(**level["cutoff"]),
                               str(level["recipient"]) if level.get("recipient") else None) for level in levels))

    def cutoff_for(self, period_end: date) -> date:
        """The period's first late day: the cutoff rule's, and never before one working day after the data close (a
        plan closing its figures on the 14th and asking for the report "trước ngày 15" gets one working day)."""
        cutoff = self.cutoff.cutoff_for(period_end)
        if self.data_close is None or self.frequency in (Frequency.WEEKLY, Frequency.AD_HOC):
            return cutoff
        floor = CutoffRule(day=self.data_close, after_close=1).cutoff_for(period_end)
        return max(cutoff, floor)

    def data_window(self, period: ReportingPeriod) -> tuple[date, date] | None:
        """The days whose figures a period's report covers, when the plan states a data close (see the class)."""
        if self.data_close is None or period.kind in (Frequency.WEEKLY, Frequency.AD_HOC):
            return None
        year, month = _add_months(period.start.year, period.start.month, -1)
        return (_clamped(year, month, self.data_close) + timedelta(days=1),
                _clamped(period.end.year, period.end.month, self.data_close))

    def level_deadlines(self, period: ReportingPeriod) -> list[tuple[str, date]]:
        """Each upper level's last day to send the period's report up, lowest first: the day the plan states, and at
        least one working day after the level below's last day (Nghị định 09/2019/NĐ-CP: each level needs time to
        aggregate)."""
        out: list[tuple[str, date]] = []
        below = period.last_on_time_day
        for level in self.levels:
            last = level.cutoff.cutoff_for(period.end) - timedelta(days=1)
            last = max(last, working_days_after(below, 1))
            out.append((level.sender, last))
            below = last
        return out


def _rule_dict(rule: CutoffRule) -> dict[str, object]:
    """A cutoff rule as stored: the fields a rule of its kind leaves unset are left out."""
    return {key: value for key, value in asdict(rule).items()
            if value is not None or key == "month"}


DEFAULT_REGIMES: tuple[Regime, ...] = (
    Regime(Frequency.QUARTERLY),
    Regime(Frequency.HALF_YEARLY),
    Regime(Frequency.YEARLY),
)

QUARTER_ROMAN = ("I", "II", "III", "IV")
WEEKDAY_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class ReportingPeriod:
    key: str  # "2026-Q2", "2026-H1", "2026", "2026-06", "2026-W18" (ISO week)
    kind: Frequency
    start: date
    end: date
    cutoff: date  # the first day on which a report is late

    @property
    def last_on_time_day(self) -> date:
        return self.cutoff - timedelta(days=1)

    def label_vi(self) -> str:
        year = self.end.year
        if self.kind is Frequency.QUARTERLY:
            return f"Quý {QUARTER_ROMAN[(self.end.month - 1) // 3]}/{year}"
        if self.kind is Frequency.HALF_YEARLY:
            return f"6 tháng {'đầu' if self.end.month == 6 else 'cuối'} năm {year}"
        if self.kind is Frequency.YEARLY:
            return f"Năm {year}"
        if self.kind is Frequency.MONTHLY:
            return f"Tháng {self.end.month}/{year}"
        if self.kind is Frequency.WEEKLY:
            return f"Tuần {self.start.isocalendar().week} ({self.start:%d/%m} - {self.end:%d/%m/%Y})"
        return f"Đột xuất {self.key}"

    def to_json(self) -> dict[str, str]:
        return {
            "period": self.key,
            "kind": self.kind.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "cutoff": self.cutoff.isoformat(),
        }


def _add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _cal.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, _cal.monthrange(year, month)[1])


def periods_for_year(year: int, regimes: tuple[Regime, ...] | list[Regime] = DEFAULT_REGIMES) -> list[ReportingPeriod]:
    """Every period of `year` under the given regimes, ordered by cutoff then length."""
    if not 1900 <= year <= 2200:
        raise ValueError(f"year out of range: {year}")
    periods: list[ReportingPeriod] = []
    for regime in regimes:
        periods.extend(_periods_of(regime, year))
    order = {Frequency.WEEKLY: -1, Frequency.MONTHLY: 0, Frequency.QUARTERLY: 1, Frequency.HALF_YEARLY: 2,
             Frequency.YEARLY: 3}
    periods.sort(key=lambda p: (p.cutoff, order.get(p.kind, 9), p.key))
    return periods


def _periods_of(regime: Regime, year: int) -> list[ReportingPeriod]:
    rule = regime.cutoff
    if regime.frequency is Frequency.WEEKLY:  # the ISO weeks of the year (a week belongs to the year of its Thursday)
        weeks = date(year, 12, 28).isocalendar().week
        mondays = [date.fromisocalendar(year, week, 1) for week in range(1, weeks + 1)]
        rule = rule if rule.weekday is not None else CutoffRule(weekday=4)  # no day stated: Friday
        spans = [(f"{year}-W{m.isocalendar().week:02d}", m, m + timedelta(days=6)) for m in mondays]
    elif regime.frequency is Frequency.MONTHLY:
        spans = [(f"{year}-{m:02d}", date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    elif regime.frequency is Frequency.QUARTERLY:
        spans = [
            (f"{year}-Q{q}", date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)
        ]
    elif regime.frequency is Frequency.HALF_YEARLY:
        spans = [(f"{year}-H1", date(year, 1, 1), date(year, 6, 30))]
    elif regime.frequency is Frequency.YEARLY:
        spans = [(str(year), date(year, 1, 1), date(year, 12, 31))]
    else:
        return []  # ad hoc periods come from requests, not from the calendar
    if rule is not regime.cutoff:  # a weekly rule with no day stated
        regime = Regime(regime.frequency, rule)
    return [ReportingPeriod(key, regime.frequency, start, end, regime.cutoff_for(end)) for key, start, end in spans]


def period_by_key(key: str, regimes: tuple[Regime, ...] | list[Regime] = DEFAULT_REGIMES) -> ReportingPeriod:
    """Find "2026-Q2", "2026-H1", "2026", "2026-06" or "2026-W18" under the given regimes (or the default rule)."""
    key = key.strip().upper()
    try:
        year = int(key[:4])
    except ValueError:
        raise ValueError(f"unknown period {key!r}") from None
    candidates = periods_for_year(year, regimes)
    for period in candidates:
        if period.key.upper() == key:
            return period
    fallback = {
        "Q": Frequency.QUARTERLY, "H": Frequency.HALF_YEARLY, "W": Frequency.WEEKLY,
    }.get(key[5:6], Frequency.MONTHLY if len(key) == 7 else Frequency.YEARLY)
    for period in periods_for_year(year, [Regime(fallback)]):
        if period.key.upper() == key:
            return period
    raise ValueError(f"unknown period {key!r}")


def current_period(today: date, regimes: tuple[Regime, ...] | list[Regime] = DEFAULT_REGIMES,
                   kind: Frequency = Frequency.QUARTERLY) -> ReportingPeriod:
    """The period of `kind` whose report is being collected on `today`.

    A period is "current" from the day after the previous cutoff up to its own cutoff, so in the
    days between the quarterly cutoff (5 June) and the quarter's end staff already report for Q3.
    """
    chosen = [r for r in regimes if r.frequency is kind] or [Regime(kind)]
    periods = [p for y in (today.year - 1, today.year, today.year + 1) for p in periods_for_year(y, chosen)]
    for period in periods:
        if today < period.cutoff:
            return period
    return periods[-1]


def regimes_of(stored: list[dict[str, object]] | None) -> list[Regime]:
    """A plan's regimes as stored (`Plan.regimes`, dicts), or the default ones when it states none."""
    return [Regime.from_dict(r) for r in stored or []] or list(DEFAULT_REGIMES)


P = TypeVar("P", bound=PeriodShape)  # a ReportingPeriod, a stored period row, the planner's facts


def shortest_per_cutoff(periods: Iterable[P]) -> list[P]:
    """Per cutoff date, the shortest calendar period, in cutoff order: the one staff report for (Q2 rather
    than H1 when both close on 5 June). Ad hoc periods are left out; on a tie the first given stands."""
    by_cutoff: dict[date, P] = {}
    for period in periods:
        if period.kind == Frequency.AD_HOC:
            continue
        best = by_cutoff.get(period.cutoff)
        if best is None or (period.end - period.start) < (best.end - best.start):
            by_cutoff[period.cutoff] = period
    return [by_cutoff[cutoff] for cutoff in sorted(by_cutoff)]


def collecting(periods: Iterable[P], today: date) -> P:
    """The period whose report is being collected on `today`: of the calendar periods whose cutoff is not yet
    reached, the shortest with the earliest cutoff."""
    open_periods = shortest_per_cutoff(p for p in periods if p.cutoff > today)
    if not open_periods:
        raise ValueError(f"no period open on {today.isoformat()}")
    return open_periods[0]


# --- working days -------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def vn_holidays(year: int) -> holidays.HolidayBase:
    """Vietnam's public holidays of `year`: what `holidays.country_holidays("VN", years=year)` returns (one object
    per year, shared: read it, do not change it)."""
    return _vietnam()(years=year)


@lru_cache(maxsize=1)
def _vietnam() -> type[holidays.HolidayBase]:
    """The library's class for "VN", loaded from its own module when the country package is not loaded yet.

    `country_holidays("VN")` imports `holidays.countries` first, and with it the ~250 countries' modules: most
    of a CLI command's start (0.15-0.2 s of `nhacviec calendar`). The module is the same file under the same
    name, registered where the package would find it, so a later `import holidays.countries` reuses it; where
    the library's layout differs, the documented way is taken.
    """
    import holidays

    name = "holidays.countries.vietnam"
    source = Path(holidays.__file__).parent / "countries" / "vietnam.py"
    with _LOADING:  # worker threads ask too (the bot's database calls)
        if name not in sys.modules and "holidays.countries" not in sys.modules and source.is_file():
            spec = importlib.util.spec_from_file_location(name, source)
            if spec is not None and spec.loader is not None:
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                try:
                    spec.loader.exec_module(module)
                except Exception:
                    del sys.modules[name]  # another layout: the documented way below
        vietnam = getattr(sys.modules.get(name), "VN", None)  # the class `country_holidays("VN")` builds
    if isinstance(vietnam, type) and issubclass(vietnam, holidays.HolidayBase):
        return vietnam
    return type(holidays.country_holidays("VN"))


_LOADING = threading.Lock()


def holiday_name(day: date) -> str | None:
    return vn_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def previous_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the closest working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_days_before(day: date, count: int) -> date:
    """The working day that lies `count` working days before `day` (`day` itself need not be one)."""
    if count < 0:
        raise ValueError("count must be >= 0")
    current = day
    for _ in range(count):
        current = previous_working_day(current - timedelta(days=1))
    return current


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_after(day: date, count: int) -> date:
    """The working day that lies `count` working days after `day`."""
    current = day
    for _ in range(count):
        current = next_working_day(current + timedelta(days=1))
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days from the day after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
