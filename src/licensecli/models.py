"""pydantic models of a licence, its clauses, obligations and rules. No I/O here.

Rules cite the counting rules R1–R9 of docs/counting-rules.md; rules.py implements them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

SCHEMA_VERSION = 1

# The calendar's range (workdays.FIRST_DAY … LAST_DAY, repeated here so that the models import
# nothing of ours): chinese-calendar starts in 2004, the lunar dates of the estimates end in 2099.
# A date in a licence file outside it could never be counted from, so it is refused on reading.
FIRST_DAY = dt.date(2004, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)

# Period sizes per unit. The calendar spans 96 years, and no telecom duty counts further than a
# licence's own term (five years): ten years leaves room for any real period while an oversized
# number (a typo such as 36500) is refused on reading instead of running off the calendar's end.
# 2500 working days are about ten years (some 250 a year).
MAX_PERIOD = {"days": 3660, "workdays": 2500, "months": 120, "years": 10}
# How long before the filing deadline a renewal filing can still belong to this licence period.
RENEWAL_FILING_LEAD_DAYS = 365

_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Bidirectional formatting characters reorder what a terminal or a monitoring page shows (a
# number "B2-…‮KO" reads as "OK…"): refused in one-line fields, where nothing needs them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x09: "TAB", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}


def control_problem(text: str, *, multiline: bool) -> str | None:
    """What is wrong with a control character in `text`, or None when there is none.

    C0 controls (except newline and tab in text that may run over several lines), DEL and C1
    controls are refused: a line break in a licence number forges a second line of monitoring
    output, an escape sequence in a company name drives the terminal that shows it. One-line
    text also refuses the Unicode line and paragraph separators.
    """
    # Fast path (in C): printable text has no control, format or line-separator character. Text
    # with a no-break or ideographic space is not "printable" either and takes the slow path.
    if (text.replace("\n", "").replace("\t", "") if multiline else text).isprintable():
        return None
    for position, char in enumerate(text, 1):
        code = ord(char)
        if multiline and char in "\n\t":
            continue
        if not multiline and char in _LINE_BREAKS:
            return f"must be one line: it has a line break (U+{code:04X}) at character {position}"
        if not multiline and char in _BIDI:
            return (
                f"has a bidirectional formatting character (U+{code:04X}) at character {position}, "
                "which would reorder the text on screen; write it without"
            )
        if not multiline and unicodedata.category(char) == "Cf":
            return (
                f"has an invisible formatting character (U+{code:04X}) at character {position}; "
                "write it without (it makes two equal-looking texts differ)"
            )
        if code < 0x20 or 0x7F <= code <= 0x9F:
            label = _CONTROL_NAMES.get(code)
            what = f"U+{code:04X} {label}" if label else f"U+{code:04X}"
            allowed = " (line breaks and tabs are)" if multiline else ""
            return (
                f"has a control character ({what}) at character {position}; control characters "
                f"are not allowed in a licence file{allowed}"
            )
    return None


def _whole_one(value: object) -> object:
    # Literal[1] alone takes 1.0 and true (both == 1 in Python): the version is the integer 1.
    if isinstance(value, bool | float):
        raise ValueError(f"must be the whole number 1, not {str(value).lower()}")
    return value


def _trimmed(text: str) -> str:
    if text != text.strip():
        raise ValueError("has spaces at its start or end; write the number without them")
    return text


def _one_line(text: str) -> str:
    problem = control_problem(text, multiline=False)
    if problem is not None:
        raise ValueError(problem)
    return text


def _many_lines(text: str) -> str:
    problem = control_problem(text, multiline=True)
    if problem is not None:
        raise ValueError(problem)
    return text


def _in_calendar(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(
            f"{day.isoformat()} is outside the calendar ({FIRST_DAY} … {LAST_DAY}); "
            "no deadline can be counted from it"
        )
    return day


Line = Annotated[str, AfterValidator(_one_line), Field(max_length=1000)]  # one line: names, titles
Lines = Annotated[str, AfterValidator(_many_lines)]  # text that may run over lines: clause text, notes
Day = Annotated[dt.date, AfterValidator(_in_calendar)]  # a date inside the calendar's range

RuleKind = Literal[
    "after",  # N days/months/years after the anchor (R1–R3, R9)
    "workdays_after",  # N working days after the anchor (R4)
    "before",  # N days/months/years before the anchor (R5, R6, R9)
    "on_anchor",  # the anchor date itself (licence expiry)
    "window",  # a window each year, e.g. the first quarter (R7)
    "immediately",  # the day of the event (R8)
    "promptly",  # 及时: no fixed count, no date (R8)
    "ongoing",  # a standing duty with no date
]
Unit = Literal["days", "workdays", "months", "years"]
Anchor = Literal["event", "issued_on", "valid_until"]
Rollover = Literal["forward", "backward", "none"]

_MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_OBLIGATION_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Text(_Model):
    """A label in both languages, each on one line."""

    zh: Line = Field(min_length=1)
    en: Line = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The label in `lang` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en


class Note(Text):
    """A note in both languages; it may run over several lines."""

    zh: Lines = Field(min_length=1)
    en: Lines = Field(min_length=1)


class Window(_Model):
    """A window inside each year, as month-day strings: {start: 01-01, end: 03-31}."""

    start: str = Field(pattern=_MONTH_DAY)
    end: str = Field(pattern=_MONTH_DAY)

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"the window ends ({self.end}) before it starts ({self.start})")
        for md in (self.start, self.end):
            month, day = (int(p) for p in md.split("-"))
            try:
                dt.date(2024, month, day)  # a leap year, so 02-29 is allowed
            except ValueError:
                raise ValueError(f"{md} is not a day of the year") from None
        return self


_NEEDS: dict[str, tuple[str, ...]] = {
    "after": ("days", "unit", "anchor"),
    "workdays_after": ("days", "anchor"),
    "before": ("days", "unit", "anchor"),
    "on_anchor": ("anchor",),
    "window": ("window",),
    "immediately": ("anchor",),
    "promptly": (),
    "ongoing": (),
}


class Rule(_Model):
    """How an obligation's deadline is computed; the parameters are data, the logic is rules.py."""

    kind: RuleKind
    # The bound depends on the unit (MAX_PERIOD), checked below so that every unit says it the same
    # way; the schema gives editors the largest.
    days: int | None = Field(
        default=None,
        ge=0,
        description="how many units (at most 3660 days, 2500 workdays, 120 months or 10 years)",
        json_schema_extra={"maximum": max(MAX_PERIOD.values())},
    )
    unit: Unit | None = None
    anchor: Anchor | None = None
    rollover: Rollover = Field(
        default="none",
        description="a due date on a rest day moves: forward (R3), backward (R6/R7) or not",
    )
    window: Window | None = None
    every: int | None = Field(default=None, ge=1, le=100, description="recurs every N years after each event")

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        missing = [name for name in _NEEDS[self.kind] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a rule of kind '{self.kind}' needs {', '.join(missing)}")
        if self.kind == "workdays_after" and self.unit not in (None, "workdays"):
            raise ValueError("a rule of kind 'workdays_after' counts in workdays")
        if self.every is not None and (self.kind != "after" or self.anchor != "event"):
            raise ValueError("'every' (a recurring duty) goes with kind 'after' and anchor 'event'")
        if self.kind in ("after", "before") and self.unit == "workdays":
            raise ValueError(f"use kind 'workdays_after' to count working days, not '{self.kind}'")
        unit = self.effective_unit
        if self.days is not None and unit is not None and self.days > MAX_PERIOD[unit]:
            raise ValueError(
                f"@days: {self.days} {unit} is longer than any licence period; at most "
                f"{MAX_PERIOD[unit]} {unit} (ten years; the calendar ends on {LAST_DAY})"
            )
        return self

    @property
    def effective_unit(self) -> str | None:
        """The unit, with workdays implied for `workdays_after`."""
        return "workdays" if self.kind == "workdays_after" else self.unit

    @property
    def is_dated(self) -> bool:
        """True when the rule yields a date (given its anchor)."""
        return self.kind not in ("promptly", "ongoing")


class Obligation(_Model):
    """One duty: what starts the clock and how the deadline follows."""

    id: str = Field(pattern=_OBLIGATION_ID)
    title: Text
    trigger: Text | None = None
    rule: Rule
    note: Note | None = None


class Clause(_Model):
    """A special provision (特别规定事项) of the licence, or a duty from a regulation."""

    ref: Line = Field(min_length=1)
    source: Literal["license", "regulation"] = "license"
    title: Text
    text: Lines = Field(min_length=1)
    obligations: tuple[Obligation, ...] = Field(default=(), strict=False)
    items: tuple[Clause, ...] = Field(default=(), strict=False)

    @property
    def key(self) -> str:
        """The reference in Arabic numerals: 十五（八） → 15.8."""
        return normalize_ref(self.ref)


class Service(_Model):
    service: Line = Field(min_length=1)
    coverage: Line = Field(min_length=1)


class Thresholds(_Model):
    """Per-licence renew-check thresholds in days (the command line wins over these)."""

    warning: int = Field(ge=0, le=3650)
    critical: int = Field(ge=0, le=3650)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        # WARNING comes first, CRITICAL when fewer days are left: warning < critical would never warn.
        if self.warning < self.critical:
            raise ValueError(
                f"warning ({self.warning} days) must be at least critical ({self.critical} days): "
                "WARNING comes before CRITICAL"
            )
        return self


class Event(_Model):
    """Something that happened and started an obligation's clock."""

    obligation: str = Field(pattern=_OBLIGATION_ID)
    on: Day
    note: Lines | None = None
    done_on: Day | None = None


class License(_Model):
    """A telecom business licence (增值电信业务经营许可证) with its clauses."""

    schema_version: Annotated[Literal[1], BeforeValidator(_whole_one)]
    # A licence number such as B2-20210247 or 京ICP证000000号: short, no spaces at its ends.
    number: Annotated[Line, AfterValidator(_trimmed)] = Field(min_length=1, max_length=64)
    kind: Line = Field(min_length=1)
    holder: Line = Field(min_length=1)
    legal_representative: Line = Field(min_length=1)
    services: tuple[Service, ...] = Field(strict=False, json_schema_extra={"minItems": 1})
    issuer: Line = Field(min_length=1)
    issued_on: Day
    valid_until: Day
    renewal_filed_on: Day | None = None
    renew_check: Thresholds | None = None
    clauses: tuple[Clause, ...] = Field(strict=False, json_schema_extra={"minItems": 1})
    events: tuple[Event, ...] = Field(default=(), strict=False)

    @field_validator("services", "clauses")
    @classmethod
    def _not_empty(cls, items: tuple[object, ...]) -> tuple[object, ...]:
        # Checked after the items (not as Field(min_length)), so that one bad item is one problem,
        # not also "should have at least 1 item after validation".
        if not items:
            raise ValueError("at least one is required")
        return items

    @field_validator("valid_until")
    @classmethod
    def _after_issue(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        issued = info.data.get("issued_on")
        if issued is not None and value == issued:
            raise ValueError(
                f"the licence would be valid only on its issue day ({value}); valid_until is the "
                "last valid day and must be after issued_on"
            )
        if issued is not None and value < issued:
            raise ValueError(f"the licence expires ({value}) before it was issued ({issued})")
        return value

    @field_validator("clauses")
    @classmethod
    def _unique_ids(cls, clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
        seen: dict[str, str] = {}
        for path, clause, index, obligation in _walk_obligations(clauses):
            if obligation.id in seen:
                raise ValueError(
                    f"@{path}.obligations.{index}.id: obligation id '{obligation.id}' is used "
                    f"twice (first in clause {seen[obligation.id]}, again in {clause.ref})"
                )
            seen[obligation.id] = clause.ref
        return clauses

    @field_validator("clauses")
    @classmethod
    def _unique_refs(cls, clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
        # `due 9` finds a clause by its reference: two clauses 九 would make it pick one silently.
        seen: dict[str, str] = {}
        for path, clause in _walk_clauses(clauses):
            key = normalize_ref(clause.ref)
            if key in seen:
                raise ValueError(
                    f"@{path}.ref: the clause reference '{clause.ref}' is used twice (first as "
                    f"'{seen[key]}'); each clause needs its own"
                )
            seen[key] = clause.ref
        return clauses

    @field_validator("events")
    @classmethod
    def _events_fit(cls, events: tuple[Event, ...], info: ValidationInfo) -> tuple[Event, ...]:
        clauses = info.data.get("clauses")
        issued = info.data.get("issued_on")
        if clauses is None:
            return events
        anchors = {ob.id: ob.rule.anchor for _, _, _, ob in _walk_obligations(clauses)}
        for i, event in enumerate(events):
            if event.obligation not in anchors:
                known = ", ".join(k for k, a in anchors.items() if a == "event")
                raise ValueError(
                    f"@{i}.obligation: no obligation '{event.obligation}' in this licence "
                    f"(event obligations: {known})"
                )
            if anchors[event.obligation] != "event":
                raise ValueError(f"@{i}.obligation: '{event.obligation}' is not started by an event")
            if issued is not None and event.on < issued:
                raise ValueError(
                    f"@{i}.on: the event ({event.on}) is before the licence was issued ({issued})"
                )
            if event.done_on is not None and event.done_on < event.on:
                raise ValueError(
                    f"@{i}.done_on: done ({event.done_on}) before the event happened ({event.on})"
                )
        return events

    @model_validator(mode="after")
    def _filing_fits(self) -> License:
        """A recorded renewal filing belongs to this licence period (whether it lies in the
        future is the engine's question: the model does not know what day it is)."""
        filed = self.renewal_filed_on
        if filed is None:
            return self
        if filed < self.issued_on:
            raise ValueError(
                f"@renewal_filed_on: the renewal was filed ({filed}) before this licence was issued "
                f"({self.issued_on}); that filing belongs to an earlier licence"
            )
        if filed > self.valid_until:
            raise ValueError(
                f"@renewal_filed_on: the renewal was filed ({filed}) after the licence expired "
                f"({self.valid_until}); a licence cannot be renewed once expired"
            )
        deadline = renewal_deadline_unrolled(self)
        if deadline is not None and (deadline - filed).days > RENEWAL_FILING_LEAD_DAYS:
            raise ValueError(
                f"@renewal_filed_on: {filed} is more than {RENEWAL_FILING_LEAD_DAYS} days before the "
                f"filing deadline ({deadline}); a filing that early is not this period's renewal "
                "(a date from an earlier licence?)"
            )
        return self

    def all_clauses(self) -> list[Clause]:
        """Every clause, sub-items after their parent, in document order."""
        return list(self._index[0])

    def obligations(self) -> list[tuple[Clause, Obligation]]:
        """Every obligation with the clause it belongs to, in document order."""
        return list(self._index[1].values())

    def obligation(self, obligation_id: str) -> tuple[Clause, Obligation] | None:
        """The obligation with this id and its clause, or None."""
        return self._index[1].get(obligation_id)

    def clause(self, key: str) -> Clause | None:
        """The clause with this reference (十五（八）) or normalised key (15.8), or None."""
        return self._index[2].get(key)

    @functools.cached_property
    def _index(self) -> tuple[tuple[Clause, ...], dict[str, tuple[Clause, Obligation]], dict[str, Clause]]:
        # Built once per licence (the model is frozen): `due --batch` asks thousands of times.
        clauses = tuple(clause for _, clause in _walk_clauses(self.clauses))
        obligations = {ob.id: (clause, ob) for _, clause, _, ob in _walk_obligations(self.clauses)}
        by_ref: dict[str, Clause] = {}
        for clause in clauses:
            by_ref.setdefault(clause.ref, clause)
            by_ref.setdefault(clause.key, clause)
        return clauses, obligations, by_ref


def shift(anchor: dt.date, count: int, unit: str, sign: int) -> dt.date:
    """`count` days, months or years after (sign +1) or before (-1) a day; R9 for months and years."""
    if unit == "days":
        return anchor + sign * dt.timedelta(days=count)
    from dateutil.relativedelta import relativedelta  # slow to import: only when months or years

    # R9: the same-numbered day of the month, or the month's last day (relativedelta clamps).
    delta = relativedelta(months=count) if unit == "months" else relativedelta(years=count)
    return anchor + delta if sign > 0 else anchor - delta


def renewal_deadline_unrolled(lic: License) -> dt.date | None:
    """The renewal filing deadline before any rollover (R5, R9), or None without a usable rule.

    Rollover (R6) moves it by a few days at most, which the plausibility check does not need.
    """
    found = lic.obligation("renewal-application")
    if found is None:
        return None
    rule = found[1].rule
    if rule.kind != "before" or rule.anchor != "valid_until" or rule.days is None or rule.unit is None:
        return None
    return shift(lic.valid_until, rule.days, rule.unit, -1)


def _walk_clauses(clauses: tuple[Clause, ...], prefix: str = "") -> list[tuple[str, Clause]]:
    found: list[tuple[str, Clause]] = []
    for i, clause in enumerate(clauses):
        path = f"{prefix}{i}"
        found.append((path, clause))
        found.extend(_walk_clauses(clause.items, f"{path}.items."))
    return found


def _walk_obligations(
    clauses: tuple[Clause, ...],
) -> list[tuple[str, Clause, int, Obligation]]:
    return [
        (path, clause, i, ob)
        for path, clause in _walk_clauses(clauses)
        for i, ob in enumerate(clause.obligations)
    ]


_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral from 1 to 99 (十五 → 15), or None."""
    if not text or any(ch not in _DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)


_REF_PART = re.compile(
    r"^\s*([0-9]+|[一二三四五六七八九十]+)\s*[（(]\s*([0-9]+|[一二三四五六七八九十]+)\s*[）)]\s*$"
)


@functools.lru_cache(maxsize=1024)
def normalize_ref(ref: str) -> str:
    """A clause reference in Arabic numerals: 十一 → 11, 十五（八） → 15.8, 15(8) → 15.8.

    References that are not numbered clauses (令42号 第二十九条) are returned trimmed.
    """
    text = ref.strip()
    match = _REF_PART.match(text)
    parts = [match.group(1), match.group(2)] if match else text.split(".")
    # Decimal digits (ASCII or the full-width １１ a Chinese input method types; "²" and "①" are
    # digits to str.isdigit but not to int()), and few of them: no clause number has five digits,
    # and a 5000-digit one would hit Python's conversion limit.
    numbers = [int(p) if p.isdecimal() and len(p) <= 4 else chinese_number(p) for p in parts]
    if len(parts) <= 2 and all(n is not None for n in numbers):
        return ".".join(str(n) for n in numbers)
    return text
