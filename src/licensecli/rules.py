"""One small pure function per rule kind, chosen from a table (R1–R9 of docs/counting-rules.md).

Each function takes the rule (its parameters come from the licence file), the anchor day and the
calendar, and returns the due date with the numbered steps that got there, so that `--explain`
and JSON can show a regulator exactly how the date was counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from licensecli.models import Rule
from licensecli.workdays import Calendar, DayInfo

ONE_DAY = dt.timedelta(days=1)


Words = str | Callable[[], str]


class Step:
    """One step of a computation, citing its rule (R1–R9) in both languages.

    The texts may be given as functions that build them, so that a batch of thousands of
    answers formats each step only in the language it is shown in.
    """

    __slots__ = ("_en", "_zh", "date", "rule")

    def __init__(self, rule: str, en: Words, zh: Words, date: dt.date | None = None) -> None:
        self.rule = rule
        self._en = en
        self._zh = zh
        self.date = date

    @property
    def en(self) -> str:
        """The step in English (built once, when first asked for)."""
        if not isinstance(self._en, str):
            self._en = self._en()
        return self._en

    @property
    def zh(self) -> str:
        """The step in Chinese (built once, when first asked for)."""
        if not isinstance(self._zh, str):
            self._zh = self._zh()
        return self._zh

    def text(self, lang: str) -> str:
        """The step in `lang`."""
        return self.zh if lang == "zh" else self.en

    def __repr__(self) -> str:
        return f"Step({self.rule!r}, {self.en!r}, date={self.date!r})"


class Computed(NamedTuple):
    """A rule's answer: the due date (None when the rule has no date) and how it was found."""

    due: dt.date | None
    estimated: bool
    steps: tuple[Step, ...]
    window_start: dt.date | None = None


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _reason(info: DayInfo) -> tuple[str, str]:
    """What kind of day this is, in (en, zh): "holiday 春节", "weekend", "adjusted working day …"."""
    name = info.name or ""
    if info.kind == "holiday":
        return f"holiday {name}".strip(), f"法定节假日 {name}".strip()
    if info.kind == "weekend":
        return "weekend", "周末"
    if info.kind == "adjusted_workday":
        return f"adjusted working day {name}".strip(), f"调休上班日 {name}".strip()
    return "working day", "工作日"


def _land(raw: dt.date, rule: Rule, calendar: Calendar, detail: bool) -> tuple[dt.date, bool, list[Step]]:
    """Apply the rule's rollover to a raw last day (R3 forward, R6/R7 backward)."""
    info = calendar.why(raw)
    en, zh = _reason(info)
    if rule.rollover == "none":
        return raw, info.estimated, []
    window = rule.kind == "window"
    basis = "R3" if rule.rollover == "forward" else ("R7" if window else "R6")
    if info.workday:
        if info.kind == "adjusted_workday":
            stays = Step(
                basis,
                lambda: f"{_iso(raw)} is a weekend day but an {en}, so it stays.",
                lambda: f"{_iso(raw)} 虽是周末，但为{zh}，不顺延。",
                raw,
            )
        else:
            stays = Step(
                basis,
                lambda: f"{_iso(raw)} is a {en}, so it stays.",
                lambda: f"{_iso(raw)} 是{zh}，不顺延。",
                raw,
            )
        return raw, info.estimated, [stays]
    if rule.rollover == "forward":
        moved = calendar.roll_forward(raw)
        step = Step(
            "R3",
            lambda: (
                f"{_iso(raw)} is a rest day ({en}); the period ends on the day after the rest ends, "
                f"{_iso(moved.date)}."
            ),
            lambda: f"{_iso(raw)} 为休息日（{zh}），以休息日结束的次日 {_iso(moved.date)} 为期限届满日。",
            moved.date,
        )
        landing = calendar.why(moved.date) if moved.date.weekday() >= 5 else None
        if landing is not None and landing.kind == "adjusted_workday":
            land_en, land_zh = _reason(landing)
            plain = step
            step = Step(
                plain.rule,
                lambda: f"{plain.en} It is a weekend day but an {land_en}.",
                lambda: f"{plain.zh}该日虽是周末，但为{land_zh}。",
                plain.date,
            )
        skipped = skipped_days(raw - ONE_DAY, moved.date, calendar, "R3") if detail else []
        return moved.date, info.estimated or moved.estimated, [*skipped, step]
    moved = calendar.roll_backward(raw)
    forward = calendar.roll_forward(raw)

    def en_text() -> str:
        if window:
            return (
                f"{_iso(raw)} is a rest day ({en}); the window's last working day is {_iso(moved.date)}, "
                f"the due date. Like R6, this is conservative: {_iso(forward.date)} would be outside the window."
            )
        return (
            f"{_iso(raw)} is a rest day ({en}); moved back to the previous working day, "
            f"{_iso(moved.date)}. This is licensecli's conservative choice: no rule says which way "
            f"a backward deadline moves, and moving it forward (as R3 would, to "
            f"{_iso(forward.date)}) would shorten the notice."
        )

    def zh_text() -> str:
        if window:
            return (
                f"{_iso(raw)} 为休息日（{zh}），期间内最后一个工作日 {_iso(moved.date)} 为截止日"
                f"（与 R6 同理的保守处理：顺延至 {_iso(forward.date)} 将超出期间）。"
            )
        return (
            f"{_iso(raw)} 为休息日（{zh}），提前至前一个工作日 {_iso(moved.date)}。此为保守处理：法律未规定"
            f"倒计期限遇休息日如何处理，若按 R3 顺延至 {_iso(forward.date)} 会缩短提前量。"
        )

    skipped = skipped_days(moved.date, raw + ONE_DAY, calendar, basis) if detail else []
    estimated = info.estimated or moved.estimated or forward.estimated
    return moved.date, estimated, [*skipped, Step(basis, en_text, zh_text, moved.date)]


def _shift(anchor: dt.date, count: int, unit: str, sign: int) -> dt.date:
    if unit == "days":
        return anchor + sign * dt.timedelta(days=count)
    from dateutil.relativedelta import relativedelta

    # R9: the same-numbered day of the month, or the month's last day (relativedelta clamps).
    delta = relativedelta(months=count) if unit == "months" else relativedelta(years=count)
    return anchor + delta if sign > 0 else anchor - delta


_UNIT_WORDS = {"days": ("days", "日"), "months": ("months", "个月"), "years": ("years", "年")}


def after(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """N days/months/years after the anchor: R1 start day excluded, R2 day N included, R3, R9."""
    assert anchor is not None and rule.days is not None and rule.unit is not None
    en_unit, zh_unit = _UNIT_WORDS[rule.unit]
    raw = _shift(anchor, rule.days, rule.unit, +1)
    steps = [
        Step(
            "R1",
            lambda: (
                f"The start day {_iso(anchor)} is not counted; counting starts on {_iso(anchor + ONE_DAY)}."
            ),
            lambda: f"起算日 {_iso(anchor)} 不计入，自 {_iso(anchor + ONE_DAY)} 开始计算。",
            anchor + ONE_DAY,
        ),
    ]
    if rule.unit == "days":
        steps.append(
            Step(
                "R2",
                lambda: f"Within {rule.days} days includes day {rule.days}: {_iso(raw)}.",
                lambda: f"“{rule.days}日内”包括第 {rule.days} 日：{_iso(raw)}。",
                raw,
            )
        )
    else:
        steps.append(
            Step(
                "R9",
                lambda: (
                    f"{rule.days} {en_unit} after {_iso(anchor)} ends on the same-numbered day "
                    f"(or the month's last day): {_iso(raw)}."
                ),
                lambda: (
                    f"{_iso(anchor)} 后{rule.days}{zh_unit}，到期月的对应日（无对应日的为月末）：{_iso(raw)}。"
                ),
                raw,
            )
        )
    due, estimated, landing = _land(raw, rule, calendar, detail)
    return Computed(due, estimated, (*steps, *landing))


def workdays_after(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """N working days after the anchor (R1, R4): only working days count, 调休 days included."""
    assert anchor is not None and rule.days is not None
    result = calendar.add(anchor, rule.days)
    span = (result.date - anchor).days
    rest = span - rule.days
    steps = (
        Step(
            "R1", f"The start day {_iso(anchor)} is not counted.", f"起算日 {_iso(anchor)} 不计入。", anchor
        ),
        Step(
            "R4",
            lambda: (
                f"Counting only working days (adjusted working weekend days count, holidays and "
                f"weekends do not), the {rule.days}th working day after {_iso(anchor)} is "
                f"{_iso(result.date)}; {rest} rest day(s) in between were skipped."
            ),
            lambda: (
                f"只计工作日（调休上班日计入，节假日和周末不计），{_iso(anchor)} 后第 {rule.days} 个工作日为 "
                f"{_iso(result.date)}，其间跳过 {rest} 个休息日。"
            ),
            result.date,
        ),
    )
    skipped = skipped_days(anchor, result.date, calendar, "R4") if detail else []
    return Computed(result.date, result.estimated, (*steps, *skipped))


def before(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """N days/months/years before the anchor (R5, R9), rolled back off rest days (R6)."""
    assert anchor is not None and rule.days is not None and rule.unit is not None
    en_unit, zh_unit = _UNIT_WORDS[rule.unit]
    raw = _shift(anchor, rule.days, rule.unit, -1)
    basis = "R5" if rule.unit == "days" else "R5, R9"
    steps = [
        Step(
            basis,
            lambda: (
                f"Counting back from {_iso(anchor)}, which is not counted: {rule.days} {en_unit} "
                f"before it is {_iso(raw)}, the last permissible day."
            ),
            lambda: (
                f"自 {_iso(anchor)} 倒数（该日不计入），提前{rule.days}{zh_unit}的最后一日为 {_iso(raw)}。"
            ),
            raw,
        ),
    ]
    due, estimated, landing = _land(raw, rule, calendar, detail)
    return Computed(due, estimated, (*steps, *landing))


def on_anchor(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """The anchor day itself (the licence's expiry): no counting, no rollover."""
    assert anchor is not None
    due, estimated, landing = _land(anchor, rule, calendar, detail)
    step = Step(
        "—",
        lambda: f"The licence is valid until {_iso(anchor)} (that day included).",
        lambda: f"许可证有效期至 {_iso(anchor)}（含当日）。",
        anchor,
    )
    return Computed(due, estimated or calendar.note_estimates(anchor, anchor), (step, *landing))


def window_bounds(rule: Rule, year: int) -> tuple[dt.date, dt.date]:
    """The window of `year`, e.g. 01-01 … 03-31 (an 02-29 end becomes 02-28 in other years)."""
    assert rule.window is not None

    def day(md: str) -> dt.date:
        month, dom = (int(p) for p in md.split("-"))
        try:
            return dt.date(year, month, dom)
        except ValueError:  # 02-29 outside a leap year
            return dt.date(year, month, dom - 1)

    return day(rule.window.start), day(rule.window.end)


def window(rule: Rule, year: int, calendar: Calendar, detail: bool = False) -> Computed:
    """A yearly window (R7): due on its last working day on or before the window's end."""
    start, end = window_bounds(rule, year)
    steps = [
        Step(
            "R7",
            lambda: f"The {year} window runs from {_iso(start)} to {_iso(end)}.",
            lambda: f"{year} 年的期间为 {_iso(start)} 至 {_iso(end)}。",
            end,
        ),
    ]
    due, estimated, landing = _land(end, rule, calendar, detail)
    return Computed(due, estimated, (*steps, *landing), window_start=start)


def immediately(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """立即 (R8): due the same day as the event."""
    assert anchor is not None
    estimated = calendar.note_estimates(anchor, anchor)
    return Computed(
        anchor,
        estimated,
        (
            Step(
                "R8",
                lambda: f"“Immediately” is due the same day as the event: {_iso(anchor)}.",
                lambda: f"“立即”即事件当日：{_iso(anchor)}。",
                anchor,
            ),
        ),
    )


def no_date(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """及时 (R8) or a standing duty: no computed date, never an invented one."""
    if rule.kind == "promptly":
        step = Step(
            "R8",
            "“Promptly” has no fixed count, so no date is computed; act and report without delay.",
            "“及时”没有固定天数，不计算日期；应尽快办理并报告。",
        )
    else:
        step = Step("—", "A standing duty with no date.", "持续义务，无期限。")
    return Computed(None, False, (step,))


RULES: dict[str, Callable[[Rule, dt.date | None, Calendar, bool], Computed]] = {
    "after": after,
    "workdays_after": workdays_after,
    "before": before,
    "on_anchor": on_anchor,
    "immediately": immediately,
    "promptly": no_date,
    "ongoing": no_date,
}


def compute(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """The due date of `rule` from `anchor` (windows go through `window`, with a year).

    With `detail`, the steps also list every rest day skipped or moved over, with its reason.
    """
    return RULES[rule.kind](rule, anchor, calendar, detail)


def occurrences_after(rule: Rule, first_due: dt.date, on_or_after: dt.date) -> dt.date:
    """For a rule that recurs every N years: the first raw occurrence on or after a day (rrule)."""
    from dateutil.rrule import YEARLY, rrule

    assert rule.every is not None
    # bymonthday=(day, -1) with bysetpos=1 keeps the same day, or the month's last day where the
    # month is shorter (02-29 → 02-28), as R9 counts years.
    rule_set = rrule(
        YEARLY,
        interval=rule.every,
        dtstart=dt.datetime.combine(first_due, dt.time()),
        bymonth=first_due.month,
        bymonthday=(first_due.day, -1),
        bysetpos=1,
    )
    found = rule_set.after(dt.datetime.combine(on_or_after, dt.time()), inc=True)
    return found.date() if found is not None else first_due


def recurring(rule: Rule, anchor: dt.date, as_of: dt.date, calendar: Calendar) -> Computed:
    """A duty that comes back every N years after its event (e.g. yearly assessments under
    令11号): the occurrence due next on or after `as_of`, rolled as the rule says."""
    assert rule.every is not None and rule.days is not None and rule.unit is not None
    first = _shift(anchor, rule.days, rule.unit, +1)
    raw = occurrences_after(rule, first, as_of - dt.timedelta(days=31))
    due, estimated, landing = _land(raw, rule, calendar, False)
    if due < as_of:  # that one is behind us: the next
        raw = occurrences_after(rule, first, raw + ONE_DAY)
        due, estimated, landing = _land(raw, rule, calendar, False)
    every = rule.every
    steps = (
        Step(
            "R1, R9",
            lambda: f"The first period after {_iso(anchor)} ({rule.days} {rule.unit}) ends on {_iso(first)}.",
            lambda: f"{_iso(anchor)} 后第一个期间（{rule.days} {rule.unit}）届满于 {_iso(first)}。",
            first,
        ),
        Step(
            "R9",
            lambda: f"The duty recurs every {every} year(s); the occurrence due next is {_iso(raw)}.",
            lambda: f"该义务每 {every} 年重复一次；下一次为 {_iso(raw)}。",
            raw,
        ),
    )
    return Computed(due, estimated, (*steps, *landing))


def skipped_days(start: dt.date, end: dt.date, calendar: Calendar, basis: str) -> list[Step]:
    """For --explain: each run of rest days strictly between two days, with its reason."""
    steps: list[Step] = []
    day = start + ONE_DAY
    run: list[DayInfo] = []

    def flush() -> None:
        if not run:
            return
        en, zh = _reason(run[0])
        first, last = run[0].date, run[-1].date
        span = _iso(first) if first == last else f"{_iso(first)} – {_iso(last)}"
        steps.append(Step(basis, f"{span}: {en}, a rest day.", f"{span}：{zh}，休息日。", first))
        run.clear()

    while day < end:
        info = calendar.why(day)
        if info.workday or (run and (run[0].kind, run[0].name) != (info.kind, info.name)):
            flush()
        if not info.workday:
            run.append(info)
        elif info.kind == "adjusted_workday":
            en, zh = _reason(info)
            steps.append(
                Step(
                    basis,
                    f"{_iso(day)}: a weekend day but an {en}, counted.",  # explain only: eager is fine
                    f"{_iso(day)}：周末但为{zh}，计入。",
                    day,
                )
            )
        day += ONE_DAY
    flush()
    return steps
