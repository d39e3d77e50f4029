"""pydantic models of a licence, its clauses, obligations and rules. No I/O here.

Rules cite the counting rules R1–R14 of docs/counting-rules.md; rules.py implements them.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from typing import Annotated, Literal, NamedTuple

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
    "workdays_before",  # N working days before the anchor (R11)
    "hours_after",  # N hours after an event's date and time (R12)
    "before",  # N days/months/years before the anchor (R5, R6, R9)
    "on_anchor",  # the anchor date itself (licence expiry)
    "window",  # a window each year, e.g. the first quarter (R7)
    "immediately",  # the day of the event (R8)
    "promptly",  # 及时: no fixed count, no date (R8)
    "ongoing",  # a standing duty with no date
]
Unit = Literal["days", "workdays", "months", "years"]
# first_granted_on: the day the licence was first granted (the issue day when not recorded).
Anchor = Literal["event", "issued_on", "first_granted_on", "valid_until"]
Rollover = Literal["forward", "backward", "none"]
# What a recurring duty's next occurrence counts from: its event, or its last completion (R13).
RecurFrom = Literal["event", "done"]
Confidence = Literal["confirmed", "secondary"]
CrossBorder = Literal["security_assessment", "standard_contract"]

_MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_OBLIGATION_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_TIME = r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"  # 9:05 or 09:05; kept as 09:05


# Pydantic looks for plugins (entry points of every installed package, through importlib.metadata)
# when it builds a model's validator: some 40 ms of a cold start, for models that are ours alone.
# Our models are built without them, as typer builds its own; the setting is restored below.
_PLUGINS_SETTING = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"


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
    grace_until: str | None = Field(
        default=None,
        pattern=_MONTH_DAY,
        description="a late filing is still accepted up to this day of the same year (R14)",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError(f"the window ends ({self.end}) before it starts ({self.start})")
        if self.grace_until is not None and self.grace_until <= self.end:
            raise ValueError(
                f"@grace_until: the grace period ends ({self.grace_until}) before the window does ({self.end})"
            )
        for md in (self.start, self.end, *([self.grace_until] if self.grace_until else [])):
            month, day = (int(p) for p in md.split("-"))
            try:
                dt.date(2024, month, day)  # a leap year, so 02-29 is allowed
            except ValueError:
                raise ValueError(f"{md} is not a day of the year") from None
        return self


_NEEDS: dict[str, tuple[str, ...]] = {
    "after": ("days", "unit", "anchor"),
    "workdays_after": ("days", "anchor"),
    "workdays_before": ("days", "anchor"),
    "hours_after": ("hours", "anchor"),
    "before": ("days", "unit", "anchor"),
    "on_anchor": ("anchor",),
    "window": ("window",),
    "immediately": ("anchor",),
    "promptly": (),
    "ongoing": (),
}


class Term(_Model):
    """How long something started by an event lasts, e.g. a security assessment's 3 years."""

    count: int = Field(ge=1, le=120)
    unit: Literal["days", "months", "years"]


_MEMO_KEYS: dict[int, tuple[Rule, tuple[object, ...]]] = {}  # Rule.memo_key's, by the rule's id


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
    recur_from: RecurFrom | None = Field(
        default=None,
        description="a recurring duty's next occurrence counts from its event or its last completion (R13)",
    )
    hours: int | None = Field(default=None, ge=1, le=720, description="hours after the event's time (R12)")
    opens: bool | None = Field(
        default=None,
        description="workdays_before: the counted day opens a window that ends on the anchor's eve (R11)",
    )
    term: Term | None = Field(
        default=None,
        description="the event starts a term of this length; the rule counts back from its end (R11)",
    )

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        missing = [name for name in _NEEDS[self.kind] if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a rule of kind '{self.kind}' needs {', '.join(missing)}")
        if self.kind == "workdays_after" and self.unit not in (None, "workdays"):
            raise ValueError("a rule of kind 'workdays_after' counts in workdays")
        if self.every is not None and (self.kind != "after" or self.anchor != "event"):
            raise ValueError("'every' (a recurring duty) goes with kind 'after' and anchor 'event'")
        if self.recur_from is not None and self.every is None:
            raise ValueError("'recur_from' goes with 'every' (a recurring duty)")
        if self.kind == "workdays_before" and self.unit not in (None, "workdays"):
            raise ValueError("a rule of kind 'workdays_before' counts in workdays")
        if self.kind == "hours_after" and self.unit is not None:
            raise ValueError("a rule of kind 'hours_after' counts in hours: give 'hours', no unit")
        if self.kind == "hours_after" and self.anchor != "event":
            raise ValueError("a rule of kind 'hours_after' counts from an event's time: anchor 'event'")
        if self.hours is not None and self.kind != "hours_after":
            raise ValueError("'hours' goes with kind 'hours_after'")
        if self.opens and self.kind != "workdays_before":
            raise ValueError("'opens' goes with kind 'workdays_before'")
        if self.term is not None and (self.kind != "workdays_before" or self.anchor != "event"):
            raise ValueError("'term' goes with kind 'workdays_before' and anchor 'event'")
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
    def memo_key(self) -> tuple[object, ...]:
        """Everything a computation of this rule depends on: equal keys, equal answers (the
        calendar's memo, `due --batch`), whichever licence or copy the rule belongs to. Made once
        per rule object (the model is frozen), kept by the object's id, not on the rule: model_copy
        would carry a key kept on the rule over to a changed copy."""
        found = _MEMO_KEYS.get(id(self))
        if found is not None and found[0] is self:  # the entry holds the rule its key is the id of
            return found[1]
        if len(_MEMO_KEYS) >= 4096:
            _MEMO_KEYS.clear()
        key = self._memo_key()
        _MEMO_KEYS[id(self)] = (self, key)
        return key

    def _memo_key(self) -> tuple[object, ...]:
        window = (self.window.start, self.window.end, self.window.grace_until) if self.window else None
        term = (self.term.count, self.term.unit) if self.term is not None else None
        return (
            self.kind,
            self.days,
            self.unit,
            self.anchor,
            self.rollover,
            self.every,
            window,
            self.recur_from,
            self.hours,
            self.opens,
            term,
        )

    @property
    def effective_unit(self) -> str | None:
        """The unit, with workdays implied for `workdays_after` and `workdays_before`."""
        return "workdays" if self.kind in ("workdays_after", "workdays_before") else self.unit

    @property
    def is_dated(self) -> bool:
        """True when the rule yields a date (given its anchor)."""
        return self.kind not in ("promptly", "ongoing")


class Basis(_Model):
    """Where a duty comes from in law: the document, its number, the article, the day it took
    effect, and how sure licensecli is of the text (confirmed on an official page or a faithful
    full text, or only from secondary sources)."""

    document: Line = Field(min_length=1)
    number: Line | None = Field(
        default=None, description="the order or document number, e.g. 工业和信息化部令第42号"
    )
    article: Line | None = Field(
        default=None, description="e.g. 第三十五条; none when no article could be found"
    )
    in_force: dt.date | None = None  # may be before the calendar's range: nothing is counted from it
    confidence: Confidence
    source: Line | None = Field(default=None, description="where the text was checked (an address)")
    note: Note | None = None

    def cite(self) -> str:
        """《document》(number) article: the citation in one line."""
        number = f"（{self.number}）" if self.number else ""
        article = f" {self.article}" if self.article else ""
        return f"《{self.document}》{number}{article}"


class Obligation(_Model):
    """One duty: what starts the clock and how the deadline follows."""

    id: str = Field(pattern=_OBLIGATION_ID)
    title: Text
    trigger: Text | None = None
    rule: Rule
    note: Note | None = None
    # For a duty from a regulation (the regulation pack): its legal basis and the day it took
    # effect (an event before that day started no such duty).
    basis: tuple[Basis, ...] = Field(default=(), strict=False)
    in_force: Day | None = None


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
    """Something that happened and started an obligation's clock (or, for a yearly report, the
    day it was filed)."""

    obligation: str = Field(pattern=_OBLIGATION_ID)
    on: Day
    at: str | None = Field(
        default=None,
        description="the time of day (HH:MM, China time)",
        json_schema_extra={"pattern": _TIME},
    )
    note: Lines | None = None
    ref: Line | None = Field(default=None, description="a receipt or case number")
    done_on: Day | None = None

    @field_validator("at")
    @classmethod
    def _two_digit_hour(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if re.fullmatch(_TIME, value) is None:
            raise ValueError(
                f"'{value[:20]}' is not a time of day: write it as 'HH:MM' in quotes, e.g. '09:05' "
                "(00:00 to 23:59, China time)"
            )
        return value.zfill(5)


class Renewal(_Model):
    """The renewal (续办) of one validity period: filed, then granted with a new last valid day.

    Entry i renews period i: the first period is issued_on … valid_until, each granted renewal
    adds the next one, up to its valid_until."""

    filed_on: Day | None = None
    granted_on: Day | None = None
    valid_until: Day | None = Field(default=None, description="the renewed licence's last valid day")
    ref: Line | None = Field(default=None, description="an application or decision number")
    note: Lines | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Renewal:
        if self.filed_on is None and self.valid_until is None:
            raise ValueError("a renewal needs filed_on (the application) or valid_until (the grant)")
        if self.granted_on is not None and self.valid_until is None:
            raise ValueError("@valid_until: a granted renewal needs the new last valid day (valid_until)")
        if self.granted_on is not None and self.filed_on is not None and self.granted_on < self.filed_on:
            raise ValueError(
                f"@granted_on: granted ({self.granted_on}) before it was filed ({self.filed_on})"
            )
        return self


class Profile(_Model):
    """What a licence holder is, as far as the regulation pack asks (data/regulations.yaml): a
    licence file with a profile gets the pack's duties that apply to it."""

    protection_level: int | None = Field(
        default=None,
        ge=1,
        le=5,
        description="the highest protection level of its systems and network units (等级保护, 令11号)",
    )
    number_resources: bool = Field(default=False, description="holds telecom number resources (码号)")
    personal_information_over_10m: bool = Field(
        default=False, description="processes the personal information of more than 10 million people"
    )
    critical_information_infrastructure: bool = Field(
        default=False, description="operates critical information infrastructure (关键信息基础设施)"
    )
    cross_border: tuple[CrossBorder, ...] = Field(
        default=(), strict=False, description="how personal information leaves China, if it does"
    )


class Period(NamedTuple):
    """One validity period of a licence: the first one, or one a renewal granted."""

    position: int  # 0 for the first period, 1 for the first renewal …
    start: dt.date
    end: dt.date  # the last valid day
    renewal: Renewal | None  # what is recorded about renewing this period, if anything
    # Whether the period follows the previous one without a gap (always for the first).
    continuous: bool = True


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
    # The template the clauses come from (templates.py resolves it before validation) and the
    # template clauses this licence leaves out.
    template: Line | None = None
    omit: tuple[Line | int, ...] = Field(default=(), strict=False)
    first_granted_on: Day | None = Field(
        default=None,
        description="the day the licence was first granted, when the certificate was reissued since",
    )
    reissued_on: tuple[Day, ...] = Field(
        default=(), strict=False, description="days the certificate was reissued"
    )
    renewals: tuple[Renewal, ...] = Field(default=(), strict=False)
    renewal_filed_on: Day | None = Field(
        default=None, description="the first period's renewal filing (older files; renewals: holds it now)"
    )
    renew_check: Thresholds | None = None
    # Opting in to the regulation pack (templates.py adds its duties before validation).
    profile: Profile | None = None
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
        twice = _survey(clauses).twice_id
        if twice is not None:
            raise ValueError(twice)
        return clauses

    @field_validator("clauses")
    @classmethod
    def _unique_refs(cls, clauses: tuple[Clause, ...]) -> tuple[Clause, ...]:
        # `due 9` finds a clause by its reference: two clauses 九 would make it pick one silently.
        twice = _survey(clauses).twice_ref
        if twice is not None:
            raise ValueError(twice)
        return clauses

    @field_validator("events")
    @classmethod
    def _events_fit(cls, events: tuple[Event, ...], info: ValidationInfo) -> tuple[Event, ...]:
        clauses = info.data.get("clauses")
        if clauses is None:
            return events
        by_id = _survey(clauses).obligations
        for i, event in enumerate(events):
            if event.obligation not in by_id:
                known = ", ".join(k for k, (_, ob) in by_id.items() if ob.rule.anchor == "event")
                raise ValueError(
                    f"@{i}.obligation: no obligation '{event.obligation}' in this licence "
                    f"(event obligations: {known})"
                )
            obligation = by_id[event.obligation][1]
            rule = obligation.rule
            if rule.kind == "window":  # the day a yearly report was filed (R14)
                if event.done_on is not None:
                    raise ValueError(
                        f"@{i}.done_on: an event of '{event.obligation}' is the day the report was "
                        "filed (its on:); it takes no done_on"
                    )
            elif rule.anchor != "event":
                raise ValueError(f"@{i}.obligation: '{event.obligation}' is not started by an event")
            if event.at is not None and rule.kind not in ("hours_after", "immediately"):
                raise ValueError(
                    f"@{i}.at: '{event.obligation}' is counted in days, not hours: leave the time out"
                )
            if rule.kind == "hours_after" and event.at is None:
                raise ValueError(
                    f"@{i}.at: '{event.obligation}' counts {rule.hours} hours from the event's time: "
                    "give it as at: 'HH:MM' (China time)"
                )
            if obligation.in_force is not None and event.on < obligation.in_force:
                raise ValueError(
                    f"@{i}.on: the duty '{event.obligation}' took effect on {obligation.in_force}; "
                    f"an event on {event.on} started no such duty"
                )
            if event.done_on is not None and event.done_on < event.on:
                raise ValueError(
                    f"@{i}.done_on: done ({event.done_on}) before the event happened ({event.on})"
                )
        return events

    @field_validator("first_granted_on")
    @classmethod
    def _granted_first(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        issued = info.data.get("issued_on")
        if value is not None and issued is not None and value > issued:
            raise ValueError(
                f"the first grant ({value}) is after this certificate's issue day ({issued}); "
                "a reissued certificate is never older than the first grant"
            )
        return value

    @model_validator(mode="after")
    def _life_fits(self) -> License:
        """Renewals, reissues and events fit the licence's validity periods. (Whether a day lies
        in the future is the engine's question: the model does not know what day it is.)"""
        if not (self.renewals or self.renewal_filed_on or self.reissued_on or self.events):
            return self  # nothing recorded that must fit (most licences of a folder)
        if self.renewals and self.renewal_filed_on is not None and self.renewals[0].filed_on is not None:
            raise ValueError(
                "@renewal_filed_on: the first period's filing is recorded twice, here and as "
                "renewals[0].filed_on; keep one"
            )
        periods, records = self.periods(), self.renewal_records()
        for i, (period, renewal) in enumerate(zip(periods, records, strict=False)):
            legacy = i == 0 and self.renewal_filed_on is not None
            where = f"renewals.{i}"
            filed_at = "renewal_filed_on" if legacy else f"{where}.filed_on"
            _check_renewal(self, period, renewal, where, filed_at, last=i == len(records) - 1)
        start, end = periods[0].start, periods[-1].end
        for i, day in enumerate(self.reissued_on):
            if not start <= day <= self.valid_until and not any(p.start <= day <= p.end for p in periods):
                raise ValueError(
                    f"@reissued_on.{i}: {day} is outside the licence's validity ({start} … {end})"
                )
        open_ended = self.renewal_pending_in_time(periods[-1])
        for i, event in enumerate(self.events):
            if event.on < start:
                what = "first granted" if self.first_granted_on is not None else "issued"
                raise ValueError(
                    f"@events.{i}.on: the event ({event.on}) is before the licence was {what} ({start})"
                )
            if any(p.start <= event.on <= p.end for p in periods) or (open_ended and event.on > end):
                continue
            if event.on > end:
                raise ValueError(
                    f"@events.{i}.on: the event ({event.on}) is after the licence lapsed (its last valid "
                    f"day was {end}); it is no duty of this licence — record the renewal first if it was "
                    "renewed (licensecli renewal granted)"
                )
            raise ValueError(
                f"@events.{i}.on: the event ({event.on}) falls between two validity periods, when the licence had lapsed"
            )
        return self

    def renewal_records(self) -> tuple[Renewal, ...]:
        """The recorded renewals, the older `renewal_filed_on` read as the first period's filing
        (renewals[0], if any, then holds its grant)."""
        if self.renewal_filed_on is None:
            return self.renewals
        if not self.renewals:
            return (Renewal(filed_on=self.renewal_filed_on),)
        first = self.renewals[0].model_copy(update={"filed_on": self.renewal_filed_on})
        return (first, *self.renewals[1:])

    def periods(self, as_of: dt.date | None = None) -> list[Period]:
        """The validity periods, first to last. With `as_of`, as they stood that day: a filing or
        a grant recorded with a later date had not happened yet. (Worked out once per day asked:
        the deadlines of one licence ask a dozen times; the model is frozen.)"""
        return list(self.periods_known(as_of))

    def periods_known(self, as_of: dt.date | None = None) -> tuple[Period, ...]:
        """periods(as_of), as a tuple kept for the day: read only, never copied."""
        known = self._periods_by_day
        found = known.get(as_of)
        if found is None:
            if len(known) >= 64:
                known.clear()
            found = known[as_of] = tuple(self._periods(as_of))
        return found

    @functools.cached_property
    def _periods_by_day(self) -> dict[dt.date | None, tuple[Period, ...]]:
        return {}

    def _periods(self, as_of: dt.date | None) -> list[Period]:
        found: list[Period] = []
        start, end, continuous = self.first_granted_on or self.issued_on, self.valid_until, True
        records = self.renewal_records()
        for index in range(len(records) + 1):
            renewal = records[index] if index < len(records) else None
            if renewal is not None and as_of is not None:
                renewal = _as_of(renewal, as_of)
            found.append(Period(index, start, end, renewal, continuous))
            if renewal is None or renewal.valid_until is None:
                break
            granted = renewal.granted_on
            in_time = self.renewal_pending_in_time(found[-1])
            continuous = granted is None or granted <= end + dt.timedelta(days=1) or in_time
            start = end + dt.timedelta(days=1) if continuous else granted or end
            end = renewal.valid_until
        return found

    def renewal_pending_in_time(self, period: Period) -> bool:
        """Whether the renewal of `period` was filed by its (unrolled) filing deadline: the
        authority must decide before the expiry, and no decision in time counts as approval
        (行政许可法 第五十条), so the licence does not lapse while such a filing waits."""
        if period.renewal is None or period.renewal.filed_on is None:
            return False
        deadline = renewal_deadline_unrolled(self, period.end)
        return deadline is None or period.renewal.filed_on <= deadline

    def all_clauses(self) -> list[Clause]:
        """Every clause, sub-items after their parent, in document order."""
        return list(self._index[0])

    def obligations(self) -> list[tuple[Clause, Obligation]]:
        """Every obligation with the clause it belongs to, in document order."""
        return list(self._index[1].values())

    def obligations_by_id(self) -> dict[str, tuple[Clause, Obligation]]:
        """Every obligation with its clause, by id, in document order: shared by the licences
        that have the same clauses, so read only (and its identity says which clauses)."""
        return self._index[1]

    def obligation(self, obligation_id: str) -> tuple[Clause, Obligation] | None:
        """The obligation with this id and its clause, or None."""
        return self._index[1].get(obligation_id)

    def clause(self, key: str) -> Clause | None:
        """The clause with this reference (十五（八）) or normalised key (15.8), or None."""
        return self._index[2].get(key)

    @functools.cached_property
    def _index(self) -> tuple[tuple[Clause, ...], dict[str, tuple[Clause, Obligation]], dict[str, Clause]]:
        # Built once per set of clauses and shared (read only) by every licence that has them: a
        # folder of template licences, `due --batch` asking thousands of times.
        survey = _survey(self.clauses)
        return survey.flat, survey.obligations, survey.by_ref


def shift(anchor: dt.date, count: int, unit: str, sign: int) -> dt.date:
    """`count` days, months or years after (sign +1) or before (-1) a day; R9 for months and years."""
    if unit == "days":
        return anchor + sign * dt.timedelta(days=count)
    from dateutil.relativedelta import relativedelta  # slow to import: only when months or years

    # R9: the same-numbered day of the month, or the month's last day (relativedelta clamps).
    delta = relativedelta(months=count) if unit == "months" else relativedelta(years=count)
    return anchor + delta if sign > 0 else anchor - delta


def renewal_deadline_unrolled(lic: License, end: dt.date | None = None) -> dt.date | None:
    """The renewal filing deadline of the period ending on `end` (default: the first period)
    before any rollover (R5, R9), or None without a usable rule.

    Rollover (R6) moves it by a few days at most, which the plausibility check does not need.
    """
    found = lic.obligation("renewal-application")
    if found is None:
        return None
    rule = found[1].rule
    if rule.kind != "before" or rule.anchor != "valid_until" or rule.days is None or rule.unit is None:
        return None
    return shift(end or lic.valid_until, rule.days, rule.unit, -1)


def _as_of(renewal: Renewal, as_of: dt.date) -> Renewal | None:
    """What was known of a renewal on `as_of`: a filing or grant dated later had not happened."""
    filed = renewal.filed_on if renewal.filed_on is not None and renewal.filed_on <= as_of else None
    if renewal.granted_on is not None:
        granted = renewal.granted_on <= as_of
    else:  # a grant of unknown date: not before its filing
        granted = renewal.filed_on is None or renewal.filed_on <= as_of
    if granted and renewal.valid_until is not None:
        return renewal if filed == renewal.filed_on else renewal.model_copy(update={"filed_on": filed})
    if filed is None:
        return None
    return Renewal(filed_on=filed, ref=renewal.ref, note=renewal.note)


def _check_renewal(
    lic: License, period: Period, renewal: Renewal, where: str, at: str, *, last: bool
) -> None:
    """A renewal fits the period it renews: filed inside it (`at` names where the filing is
    written), not long before its deadline; the new validity ends after it; only the last one
    may still wait for a decision."""
    filed = renewal.filed_on
    began = "this licence was issued" if period.position == 0 else "this validity period began"
    if filed is not None and filed < period.start:
        raise ValueError(
            f"@{at}: the renewal was filed ({filed}) before {began} ({period.start}); that filing "
            "belongs to an earlier licence"
        )
    if filed is not None and filed > period.end:
        raise ValueError(
            f"@{at}: the renewal was filed ({filed}) after the licence expired ({period.end}); a "
            "licence cannot be renewed once expired (apply for a new one)"
        )
    deadline = renewal_deadline_unrolled(lic, period.end)
    if filed is not None and deadline is not None and (deadline - filed).days > RENEWAL_FILING_LEAD_DAYS:
        raise ValueError(
            f"@{at}: {filed} is more than {RENEWAL_FILING_LEAD_DAYS} days before the filing deadline "
            f"({deadline}); a filing that early is not this period's renewal (a date from an earlier "
            "licence?)"
        )
    if renewal.valid_until is not None and renewal.valid_until <= period.end:
        raise ValueError(
            f"@{where}.valid_until: the renewed validity ({renewal.valid_until}) must end after the "
            f"period it renews ({period.end})"
        )
    if renewal.granted_on is not None and renewal.granted_on < period.start:
        raise ValueError(
            f"@{where}.granted_on: granted ({renewal.granted_on}) before the period it renews began ({period.start})"
        )
    if renewal.valid_until is None and not last:
        raise ValueError(f"@{where}: a later renewal follows, so this one was granted: give its valid_until")


if _PLUGINS_SETTING is None:
    del os.environ["PYDANTIC_DISABLE_PLUGINS"]
else:
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = _PLUGINS_SETTING


class _Survey(NamedTuple):
    """What the validators and the look-ups need from a licence's clauses, found in one walk."""

    clauses: tuple[Clause, ...]  # held, so that the ids in its key stay these clauses' own
    flat: tuple[Clause, ...]  # every clause, sub-items after their parent
    obligations: dict[str, tuple[Clause, Obligation]]  # by id (the last of a repeated id)
    by_ref: dict[str, Clause]  # by reference as written and by key (15.8)
    twice_id: str | None  # the first obligation id used twice, as the error to raise
    twice_ref: str | None  # the first clause reference used twice, likewise


_SURVEYS: dict[tuple[int, ...], _Survey] = {}
_SURVEYS_KEPT = 64
# The clauses last asked about (held, so their id is not reused) and their survey.
_LAST_SURVEY: list[tuple[tuple[Clause, ...], _Survey] | None] = [None]


def _survey(clauses: tuple[Clause, ...]) -> _Survey:
    """The survey of these clauses, made once for the same clause objects: licences of one
    template share their (pre-validated) clauses, so a folder of them walks the clauses once.
    Bounded: past _SURVEYS_KEPT it starts afresh."""
    last = _LAST_SURVEY[0]  # the validators and the look-ups of one licence ask in turn
    if last is not None and last[0] is clauses:
        return last[1]
    key = tuple(map(id, clauses))
    found = _SURVEYS.get(key)
    if found is not None:
        _LAST_SURVEY[0] = (clauses, found)
        return found
    walk = _walk_clauses(clauses)
    obligations: dict[str, tuple[Clause, Obligation]] = {}
    first_in: dict[str, str] = {}
    twice_id: str | None = None
    for path, clause in walk:
        for index, obligation in enumerate(clause.obligations):
            if obligation.id in first_in and twice_id is None:
                twice_id = (
                    f"@{path}.obligations.{index}.id: obligation id '{obligation.id}' is used "
                    f"twice (first in clause {first_in[obligation.id]}, again in {clause.ref})"
                )
            first_in.setdefault(obligation.id, clause.ref)
            obligations[obligation.id] = (clause, obligation)
    refs: dict[str, str] = {}
    twice_ref: str | None = None
    by_ref: dict[str, Clause] = {}
    for path, clause in walk:
        key_of = clause.key
        if key_of in refs and twice_ref is None:
            twice_ref = (
                f"@{path}.ref: the clause reference '{clause.ref}' is used twice (first as "
                f"'{refs[key_of]}'); each clause needs its own"
            )
        refs.setdefault(key_of, clause.ref)
        by_ref.setdefault(clause.ref, clause)
        by_ref.setdefault(key_of, clause)
    survey = _Survey(clauses, tuple(c for _, c in walk), obligations, by_ref, twice_id, twice_ref)
    if len(_SURVEYS) >= _SURVEYS_KEPT:
        _SURVEYS.clear()
    _SURVEYS[key] = survey
    _LAST_SURVEY[0] = (clauses, survey)
    return survey


def _walk_clauses(clauses: tuple[Clause, ...], prefix: str = "") -> list[tuple[str, Clause]]:
    found: list[tuple[str, Clause]] = []
    for i, clause in enumerate(clauses):
        path = f"{prefix}{i}"
        found.append((path, clause))
        found.extend(_walk_clauses(clause.items, f"{path}.items."))
    return found


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
