"""One small pure function per rule kind, chosen from a table (R1–R14 of docs/counting-rules.md).

Each function takes the rule (its parameters come from the licence file), the anchor day and the
calendar, and returns the due date with the numbered steps that got there, so that `--explain`
and JSON can show a regulator exactly how the date was counted.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import NamedTuple

from licensecli.errors import CalendarError, EstimateRefusedError, InputError
from licensecli.models import Rule, shift
from licensecli.workdays import Calendar, DayInfo, check_date

ONE_DAY = dt.timedelta(days=1)


def quantity(count: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: 1 day, 2 days, 0 days, -1 day."""
    return f"{count} {singular if abs(count) == 1 else (plural or singular + 's')}"


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 102nd."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


Words = str | Callable[[], str]


class Step:
    """One step of a computation, citing its rule (R1–R14) in both languages.

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
    due_at: dt.datetime | None = None  # R12: the moment it is due (China time), for hour periods
    grace_until: dt.date | None = None  # R14: the last day a late filing is still accepted


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _reason(info: DayInfo, cite: bool = True) -> tuple[str, str]:
    """What kind of day this is, in (en, zh), and where that comes from: "holiday 春节 per
    国务院办公厅关于2026年…的通知, https://…", "weekend", "statutory holiday 春节, estimated"."""
    name = info.name or ""
    if info.kind == "weekend":
        return "weekend", "周末"
    if info.kind == "workday":
        return "working day", "工作日"
    if info.kind == "holiday":
        en, zh = f"holiday {name}".strip(), f"法定节假日 {name}".strip()
    else:
        en, zh = f"adjusted working day {name}".strip(), f"调休上班日 {name}".strip()
    if info.estimated:
        return (
            f"{en}, estimated: no published schedule for {info.date.year}",
            f"{zh}，估算：{info.date.year} 年放假安排尚未公布",
        )
    if info.source and cite:
        return f"{en}, per {info.source}", f"{zh}，依据 {info.source}"
    return en, zh


def _land(
    raw: dt.date, rule: Rule, calendar: Calendar, detail: bool, basis: str | None = None
) -> tuple[dt.date, bool, list[Step]]:
    """Apply the rule's rollover to a raw last day (R3 forward, R6/R7 backward).

    Without rollover the date is certain: the calendar is not consulted (so no year is noted
    as estimated and --strict-calendar has nothing to refuse); it only has to lie in its range.
    """
    if rule.rollover == "none":
        check_date(raw)
        return raw, False, []
    info = calendar.why(raw)
    # With `detail` the rest days are listed, each with its notice, just before: not again here.
    en, zh = _reason(info, cite=not detail)
    window = rule.kind == "window" and basis is None  # a window's own end (R7), not its grace day
    basis = basis or ("R3" if rule.rollover == "forward" else ("R7" if window else "R6"))
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


_shift = shift  # R1/R2 for days, R9 for months and years (models.shift)

_UNIT_WORDS = {"days": ("day", "日"), "months": ("month", "个月"), "years": ("year", "年")}


def after(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """N days/months/years after the anchor: R1 start day excluded, R2 day N included, R3, R9."""
    assert anchor is not None and rule.days is not None and rule.unit is not None
    en_unit, zh_unit = _UNIT_WORDS[rule.unit]
    period = quantity(rule.days, en_unit)
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
                lambda: f"Within {period} includes day {rule.days}: {_iso(raw)}.",
                lambda: f"“{rule.days}日内”包括第 {rule.days} 日：{_iso(raw)}。",
                raw,
            )
        )
    else:
        steps.append(
            Step(
                "R9",
                lambda: (
                    f"{period} after {_iso(anchor)} ends on the same-numbered day "
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
    if rule.days == 0:  # no working day to count: the start day itself, whatever kind of day
        check_date(anchor)
        return Computed(
            anchor,
            False,
            (
                Step(
                    "R4",
                    f"0 working days after {_iso(anchor)}: the day itself.",
                    f"{_iso(anchor)} 后 0 个工作日：即当日。",
                    anchor,
                ),
            ),
        )
    count = rule.days
    result = calendar.add(anchor, count)
    span = (result.date - anchor).days
    rest = span - count
    skipped_words = (
        "no rest day in between was skipped"
        if rest == 0
        else f"{quantity(rest, 'rest day')} in between {'was' if rest == 1 else 'were'} skipped"
    )
    steps = (
        Step(
            "R1", f"The start day {_iso(anchor)} is not counted.", f"起算日 {_iso(anchor)} 不计入。", anchor
        ),
        Step(
            "R4",
            lambda: (
                f"Counting only working days (adjusted working weekend days count, holidays and "
                f"weekends do not), the {ordinal(count)} working day after {_iso(anchor)} is "
                f"{_iso(result.date)}; {skipped_words}."
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
    period = quantity(rule.days, en_unit)
    raw = _shift(anchor, rule.days, rule.unit, -1)
    basis = "R5" if rule.unit == "days" else "R5, R9"
    steps = [
        Step(
            basis,
            lambda: (
                f"Counting back from {_iso(anchor)}, which is not counted: {period} "
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
    """The anchor day itself (the licence's expiry): no counting; certain unless it rolls over."""
    assert anchor is not None
    due, estimated, landing = _land(anchor, rule, calendar, detail)
    step = Step(
        "—",
        lambda: f"The licence is valid until {_iso(anchor)} (that day included).",
        lambda: f"许可证有效期至 {_iso(anchor)}（含当日）。",
        anchor,
    )
    return Computed(due, estimated, (step, *landing))


def window_bounds(rule: Rule, year: int) -> tuple[dt.date, dt.date]:
    """The window of `year`, e.g. 01-01 … 03-31 (an 02-29 end becomes 02-28 in other years)."""
    assert rule.window is not None
    return _month_day(rule.window.start, year), _month_day(rule.window.end, year)


@functools.lru_cache(maxsize=1024)  # a folder's licences ask for the same few windows
def _month_day(md: str, year: int) -> dt.date:
    month, dom = (int(p) for p in md.split("-"))
    try:
        return dt.date(year, month, dom)
    except ValueError:  # 02-29 outside a leap year
        return dt.date(year, month, dom - 1)


def filing_year(rule: Rule, day: dt.date) -> int:
    """The year whose yearly report a filing on `day` is: from that year's window start to the
    next one's (R14)."""
    return day.year if day >= window_bounds(rule, day.year)[0] else day.year - 1


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
    if rule.window is None or rule.window.grace_until is None:
        return Computed(due, estimated, (*steps, *landing), window_start=start)
    grace_raw = _month_day(rule.window.grace_until, year)
    grace, grace_estimated, grace_landing = _land(grace_raw, rule, calendar, False, basis="R14")
    moved = (
        ""
        if grace == grace_raw
        else f" ({_iso(grace_raw)} is a rest day: its last working day before it, {_iso(grace)})"
    )
    moved_zh = (
        "" if grace == grace_raw else f"（{_iso(grace_raw)} 为休息日，取此前最后一个工作日 {_iso(grace)}）"
    )
    grace_step = Step(
        "R14",
        lambda: (
            f"A late filing is still accepted up to {_iso(grace)}{moved}: the grace the regulators' "
            "notices give late filers in practice (限期补报; 令42号 第三十八条 sets no number of days). "
            "Filing then is late but accepted; a holder that still does not file is listed (不良名单)."
        ),
        lambda: (
            f"逾期的可在 {_iso(grace)}{moved_zh} 前补报（各地年报通知的限期补报做法；令42号第三十八条未规定天数）："
            "迟报但仍受理；仍不报送的列入不良名单。"
        ),
        grace,
    )
    return Computed(
        due,
        estimated or grace_estimated,
        (*steps, *landing, *grace_landing, grace_step),
        window_start=start,
        grace_until=grace,
    )


def until_expiry(
    computed: Computed, rule: Rule, end: dt.date, calendar: Calendar, detail: bool = False
) -> Computed:
    """A yearly window cut short by the licence's last valid day `end` (R10): a report owed for a
    year must be filed while the licence is valid, so it is due by `end`, rolled back (R6)."""
    assert computed.window_start is not None
    step = Step(
        "R10",
        lambda: (
            f"The licence's last valid day, {_iso(end)}, comes before the window ends, and the report "
            "must be filed while the licence is valid (令42号 第三十五条; regulators' notices: "
            f"均须在许可有效期内履行年报义务), so it is due by {_iso(end)}."
        ),
        lambda: (
            f"许可证有效期于 {_iso(end)} 届满，早于期间结束；年报须在许可有效期内报送（令42号第三十五条；"
            f"通信管理局年报通知：均须在许可有效期内履行年报义务），故截止日为 {_iso(end)}。"
        ),
        end,
    )
    due, estimated, landing = _land(end, rule.model_copy(update={"kind": "before"}), calendar, detail)
    start = min(computed.window_start, end)
    # No grace either: a late filing needs a valid licence too.
    return Computed(due, estimated, (*computed.steps[:1], step, *landing), window_start=start)


def workdays_before(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """N working days before the anchor (R11), counted back over working days; with a `term`, the
    anchor is the end of a term the event started (R1, R9); with `opens`, the counted day opens
    a period that ends on the anchor's eve, due on its last working day (R6)."""
    assert anchor is not None and rule.days is not None
    steps: list[Step] = []
    end = anchor
    if rule.term is not None:
        term = rule.term
        end = _shift(anchor, term.count, term.unit, +1)
        en_unit, zh_unit = _UNIT_WORDS[term.unit]
        steps.append(
            Step(
                "R1, R9",
                lambda: (
                    f"The term of {quantity(term.count, en_unit)} that began on {_iso(anchor)} (not "
                    f"counted) ends on {_iso(end)}."
                ),
                lambda: f"自 {_iso(anchor)} 起（当日不计入）{term.count}{zh_unit}的期限届满于 {_iso(end)}。",
                end,
            )
        )
    count = rule.days
    counted = calendar.add(end, -count)
    rest = (end - counted.date).days - count
    skipped_en = (
        "no rest day in between was skipped"
        if rest == 0
        else f"{quantity(rest, 'rest day')} in between {'was' if rest == 1 else 'were'} skipped"
    )
    steps.append(
        Step(
            "R11",
            lambda: (
                f"Counting back over working days from {_iso(end)}, which is not counted (adjusted "
                f"working weekend days count, holidays and weekends do not), the {ordinal(count)} "
                f"working day before it is {_iso(counted.date)}; {skipped_en}."
            ),
            lambda: (
                f"自 {_iso(end)} 倒数工作日（该日不计入；调休上班日计入，节假日和周末不计），"
                f"前第 {count} 个工作日为 {_iso(counted.date)}，其间跳过 {rest} 个休息日。"
            ),
            counted.date,
        )
    )
    if detail:
        steps.extend(skipped_days(counted.date, end, calendar, "R11"))
    if not rule.opens:
        return Computed(counted.date, counted.estimated, tuple(steps))
    last = calendar.roll_backward(end - ONE_DAY)
    steps.append(
        Step(
            "R11",
            lambda: (
                f"The period opens on {_iso(counted.date)} and runs until {_iso(end)}; it is due on "
                f"the last working day before {_iso(end)}, {_iso(last.date)} (conservative, as R6)."
            ),
            lambda: (
                f"申请期自 {_iso(counted.date)} 开始，至 {_iso(end)} 届满；截止日取 {_iso(end)} 前最后一个"
                f"工作日 {_iso(last.date)}（R6）。"
            ),
            last.date,
        )
    )
    return Computed(last.date, counted.estimated or last.estimated, tuple(steps), window_start=counted.date)


def hours_after(rule: Rule, moment: dt.datetime) -> Computed:
    """N hours after the event's date and time (R12): elapsed hours in China time, through
    nights, weekends and holidays; certain (no calendar)."""
    assert rule.hours is not None
    check_date(moment.date())
    hours = rule.hours
    due_at = moment + dt.timedelta(hours=hours)
    check_date(due_at.date())
    at, by = moment.strftime("%Y-%m-%d %H:%M"), due_at.strftime("%Y-%m-%d %H:%M")
    step = Step(
        "R12",
        lambda: (
            f"The event was at {at} (China time); within {quantity(hours, 'hour')} means at the latest "
            f"{by}. Hours run on through nights, weekends and holidays."
        ),
        lambda: (
            f"事件发生于 {at}（北京时间）；{hours}小时内，即最迟 {by}。小时连续计算，不因夜间、周末或节假日中断。"
        ),
        due_at.date(),
    )
    return Computed(due_at.date(), False, (step,), due_at=due_at)


def next_after_completion(rule: Rule, done_on: dt.date, calendar: Calendar) -> Computed:
    """The occurrence after a completion of a duty that recurs from its completions (R13):
    every N years after the day it was done (R9), rolled as the rule says."""
    assert rule.every is not None
    every = rule.every
    raw = _shift(done_on, every, "years", +1)
    due, estimated, landing = _land(raw, rule, calendar, False)
    every_en = "every year" if every == 1 else f"every {every} years"
    step = Step(
        "R13",
        lambda: (
            f"The duty recurs {every_en} from its last completion, not from its first event: done on "
            f"{_iso(done_on)}, the next is due by {_iso(raw)}."
        ),
        lambda: (
            f"该义务自上一次完成之日起每 {every} 年一次（不从首次事件起算）：{_iso(done_on)} 完成，下一次应于 {_iso(raw)} 前完成。"
        ),
        raw,
    )
    return Computed(due, estimated, (step, *landing))


def immediately(rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False) -> Computed:
    """立即 (R8): due the same day as the event, whatever kind of day: certain, no calendar."""
    assert anchor is not None
    check_date(anchor)
    return Computed(
        anchor,
        False,
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
    "workdays_before": workdays_before,
    "before": before,
    "on_anchor": on_anchor,
    "immediately": immediately,
    "promptly": no_date,
    "ongoing": no_date,
}


def compute(
    rule: Rule, anchor: dt.date | None, calendar: Calendar, detail: bool = False, at: dt.time | None = None
) -> Computed:
    """The due date of `rule` from `anchor` (windows go through `window`, with a year); an hour
    period (R12) needs the event's time `at`.

    With `detail`, the steps also list every rest day skipped or moved over, with its reason.
    """
    if rule.kind == "hours_after":
        assert anchor is not None
        if at is None:
            raise InputError(f"a period of {rule.hours} hours counts from a time: give the event's time")
        return hours_after(rule, dt.datetime.combine(anchor, at))
    return RULES[rule.kind](rule, anchor, calendar, detail)


def occurrences(rule: Rule, anchor: dt.date) -> Iterator[tuple[int, dt.date]]:
    """For a rule that recurs every N years: (k, raw day) of its occurrences after an event.

    Occurrence 0 is the rule's own period after the event; occurrence k is k·N years after
    that (R9). A period in months or years is counted from the event in one go (1 + k years
    after 2024-02-29: 02-28 in other years, 02-29 again in leap years); one in days from the
    end of the first period.
    """
    assert rule.every is not None and rule.days is not None and rule.unit is not None
    from dateutil.relativedelta import relativedelta

    first = _shift(anchor, rule.days, rule.unit, +1)
    k = 0
    while True:
        if rule.unit == "days":
            raw = first + relativedelta(years=k * rule.every)
        else:
            months = rule.days * (12 if rule.unit == "years" else 1) + 12 * k * rule.every
            raw = anchor + relativedelta(months=months)
        if raw.year > 9998:  # dt.date's end; the calendar ends long before
            return
        yield k, raw
        k += 1


def recurring(rule: Rule, anchor: dt.date, as_of: dt.date, calendar: Calendar) -> list[Computed]:
    """A duty that comes back every N years after its event (e.g. yearly assessments under
    令11号): every occurrence due before `as_of` (missed, unless a later event was recorded),
    then the one due next on or after `as_of`, each rolled as the rule says."""
    assert rule.every is not None and rule.days is not None and rule.unit is not None
    en_unit, zh_unit = _UNIT_WORDS[rule.unit]
    period = quantity(rule.days, en_unit)
    every = rule.every
    every_en = "every year" if every == 1 else f"every {every} years"
    first = _shift(anchor, rule.days, rule.unit, +1)
    found: list[Computed] = []
    for k, raw in occurrences(rule, anchor):
        try:
            due, estimated, landing = _land(raw, rule, calendar, False)
        except EstimateRefusedError:
            raise
        except CalendarError:
            if not found:
                raise
            break  # the calendar ends in 2099: later occurrences cannot be dated
        steps = (
            Step(
                "R1, R9",
                lambda: f"The first period after {_iso(anchor)} ({period}) ends on {_iso(first)}.",
                lambda: f"{_iso(anchor)} 后第一个期间（{rule.days}{zh_unit}）届满于 {_iso(first)}。",
                first,
            ),
            Step(
                "R9",
                _recurs_en(every_en, k, raw),
                _recurs_zh(every, k, raw),
                raw,
            ),
        )
        found.append(Computed(due, estimated, (*steps, *landing)))
        if due >= as_of:
            break
    return found


def _recurs_en(every_en: str, k: int, raw: dt.date) -> str:
    if k == 0:
        return f"The duty recurs {every_en}; this is its first occurrence, {_iso(raw)}."
    return f"The duty recurs {every_en}; its {ordinal(k + 1)} occurrence is {_iso(raw)}."


def _recurs_zh(every: int, k: int, raw: dt.date) -> str:
    return f"该义务每 {every} 年重复一次；第 {k + 1} 次为 {_iso(raw)}。"


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
