"""Licence(s) + as-of day (+ calendar) → deadlines. Pure: the clock is passed in.

Dated deadlines: the licence's expiry, the renewal filing deadline (R5/R6), the annual report of
the current or next first quarter (R7), duties anchored to the issue date, and the deadlines of
events recorded in the licence file. Event-triggered rules without an event are listed apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Literal, NamedTuple

from licensecli import rules
from licensecli.errors import CalendarError, EstimateRefusedError, InputError, UnknownObligationError
from licensecli.life import RENEWAL_ID, Life, expiry, life, valid_on
from licensecli.memo import by_identity
from licensecli.models import Basis, Clause, Event, License, Obligation, Rule, Text, normalize_ref
from licensecli.rules import Computed, Step
from licensecli.workdays import FIRST_DAY, LAST_DAY, Calendar
from licensecli.yamlfile import dotted, excerpt

# One enumerated set for JSON and tables (docs/commands.md): `expired` is a licence whose expiry
# has passed, `missed` a lifecycle deadline (the renewal filing) passed without the filing,
# `overdue` an event's deadline passed undone, `passed` a deadline that asks nothing more.
# `pending` is a renewal filed in time and waiting for the decision; `grace` a yearly report
# whose window has passed but whose grace period (补报) has not: late, still accepted (R14).
Status = Literal[
    "overdue",
    "missed",
    "expired",
    "grace",
    "due_today",
    "due_soon",
    "open",
    "pending",
    "upcoming",
    "passed",
    "done",
]
SOON_DAYS = 30


class Deadline(NamedTuple):
    """One dated deadline of one licence, as of a day."""

    license: str
    obligation: str
    clause: str
    title: Text
    due_date: dt.date
    days_left: int
    working_days_left: int
    status: Status
    estimated: bool  # the due date rests on estimated holiday data
    working_days_left_estimated: bool  # the working days between as-of and due date do
    rule: Rule
    steps: tuple[Step, ...]
    event_date: dt.date | None = None
    window_start: dt.date | None = None
    done_on: dt.date | None = None
    note: Text | None = None
    event_note: str | None = None
    clause_text: str = ""
    due_at: dt.datetime | None = None  # an hour period's moment (China time, R12)
    grace_until: dt.date | None = None  # a yearly report's last accepted late day (R14)
    source: str = "license"  # where the duty comes from: the licence text or a regulation
    basis: tuple[Basis, ...] = ()
    event_at: str | None = None  # the event's time of day, HH:MM


class EventRule(NamedTuple):
    """An obligation that has no date until its event happens."""

    license: str
    obligation: str
    clause: str
    title: Text
    trigger: Text | None
    rule: Rule
    source: str = "license"
    basis: tuple[Basis, ...] = ()


class Report(NamedTuple):
    """What `deadlines` shows."""

    as_of: dt.date
    deadlines: list[Deadline]
    event_rules: list[EventRule]
    estimated_years: list[int]
    lives: tuple[tuple[str, Life], ...] = ()  # each licence's number and state, in the order given


class DueAnswer(NamedTuple):
    """What `due` answers: one obligation's due date and how it was counted."""

    license: str
    obligation: str
    clause: str
    title: Text
    rule: Rule
    event_date: dt.date | None
    due_date: dt.date | None
    estimated: bool
    steps: tuple[Step, ...]
    window_start: dt.date | None = None
    note: Text | None = None
    due_at: dt.datetime | None = None
    grace_until: dt.date | None = None
    source: str = "license"
    basis: tuple[Basis, ...] = ()


# --- finding obligations ---------------------------------------------------------------------


def resolve_obligation(lic: License, reference: str) -> tuple[Clause, Obligation]:
    """An obligation by id, or by clause reference (11, 十一, 15.8, 十五（八）) when unambiguous."""
    text = reference.strip()
    found = lic.obligation(text)
    if found is not None:
        return found
    key = normalize_ref(text)
    if key.lower() in ("header", "0"):
        key = "正文"
    clause = lic.clause(key) or lic.clause(text)
    if clause is None:
        raise UnknownObligationError(
            f"'{excerpt(reference)}' is neither an obligation id nor a clause of licence {lic.number}; "
            f"see `licensecli show` (dated ones: {', '.join(_dated_ids(lic))})"
        )
    dated = [ob for ob in clause.obligations if ob.rule.kind != "ongoing"] or list(clause.obligations)
    if len(dated) > 1:  # 九: handle at once (立即), then report in 10 working days: `due 9` is the count
        counted = [ob for ob in dated if ob.rule.kind not in ("immediately", "promptly")]
        dated = counted if len(counted) == 1 else dated
    if len(dated) == 1:
        return clause, dated[0]
    if not dated:
        subs = ", ".join(item.ref for item in clause.items)
        raise UnknownObligationError(f"clause {clause.ref} has no duty of its own; pick a sub-item: {subs}")
    candidates = ", ".join(f"{ob.id} ({ob.title.en})" for ob in dated)
    raise UnknownObligationError(f"clause {clause.ref} has {len(dated)} obligations; name one: {candidates}")


def _dated_ids(lic: License) -> list[str]:
    return [ob.id for _, ob in lic.obligations() if ob.rule.is_dated]


# --- single obligations ----------------------------------------------------------------------


def anchor_date(
    lic: License, obligation: Obligation, on: dt.date | None, as_of: dt.date | None = None
) -> dt.date | None:
    """The day an obligation's clock starts from: the event (--on), or a date of the licence:
    valid_until is the last valid day in force on `as_of` (after a granted renewal, the renewed
    one), first_granted_on the first grant (the issue day when not recorded)."""
    anchor = obligation.rule.anchor
    if anchor == "event":
        return on
    if on is not None:
        if anchor is None:  # promptly, ongoing: no clock at all
            raise InputError(
                f"{obligation.id} has no fixed period to count ({obligation.rule.kind}); give no event date (--on)"
            )
        raise InputError(
            f"{obligation.id} runs from the licence's {anchor}, not from an event; give no event date (--on)"
        )
    if anchor == "issued_on":
        return lic.issued_on
    if anchor == "first_granted_on":
        return lic.first_granted_on or lic.issued_on
    if anchor == "valid_until":
        return expiry(lic, as_of)
    return None


def annual_window_year(rule: Rule, as_of: dt.date, calendar: Calendar) -> int:
    """The year of the current window, or of the next one once this year's is due and gone (and
    its grace period, R14, if it has one)."""
    this_year = calendar.remember(
        ("window", rule.memo_key, as_of.year, False), lambda: rules.window(rule, as_of.year, calendar)
    )
    assert this_year.due is not None
    last = this_year.grace_until or this_year.due
    return as_of.year if as_of <= last else as_of.year + 1


def window_owed(
    lic: License, rule: Rule, year: int, as_of: dt.date | None, calendar: Calendar, detail: bool = False
) -> Computed | None:
    """The `year` window of a yearly duty such as the annual report (R10), or None when it is not
    owed: the report covers the year before the window (令42号 第三十五条: 上一年度), so it is owed
    only if the licence was valid on the eve of the window (31 December). It must be filed while
    the licence is valid: a licence whose last valid day falls inside the window owes it by then,
    rolled back to a working day (R6)."""
    start, _ = rules.window_bounds(rule, year)
    eve = start - dt.timedelta(days=1)
    known = as_of if as_of is not None else LAST_DAY
    if not valid_on(lic, eve, known):
        return None
    computed = calendar.remember(
        ("window", rule.memo_key, year, detail), lambda: rules.window(rule, year, calendar, detail)
    )
    assert computed.due is not None
    if valid_on(lic, computed.due, known):
        grace = computed.grace_until
        if grace is not None and not valid_on(lic, grace, known):  # late filing ends with the licence
            last = calendar.roll_backward(expiry(lic, known, day=computed.due))  # on a working day (R6)
            computed = computed._replace(grace_until=max(last.date, computed.due))
        return computed
    end = expiry(lic, known, day=eve)  # what `as_of` knows: a later grant had not happened yet
    return rules.until_expiry(computed, rule, end, calendar, detail)


def _not_owed(lic: License, rule: Rule, year: int, obligation: Obligation) -> InputError:
    start, _ = rules.window_bounds(rule, year)
    eve = start - dt.timedelta(days=1)
    return InputError(
        f"licence {lic.number} owes no {obligation.id} in {year}: it was not valid on {eve}, the last "
        "day of the year the report covers (R10; 令42号 第三十五条). If it was, record that: "
        "first_granted_on in the file for an earlier grant, `licensecli renewal granted` for a renewal"
    )


def due(
    lic: License,
    reference: str,
    calendar: Calendar,
    *,
    on: dt.date | None = None,
    year: int | None = None,
    as_of: dt.date | None = None,
    detail: bool = False,
    memo: dict[tuple[object, ...], Computed] | None = None,
    at: dt.time | None = None,
) -> DueAnswer:
    """When is this obligation due? `on` is the event day (and `at` its time, for a period in
    hours); `year` picks a yearly window.

    With `detail` the steps list every rest day skipped or moved over (for --explain). `memo`,
    kept by a caller asking many questions with one calendar, remembers computations: a rule's
    answer depends only on its parameters and its day, whichever licence it belongs to.
    """
    clause, obligation = resolve_obligation(lic, reference)
    rule = obligation.rule
    if rule.kind == "window":
        if on is not None:
            raise InputError(f"{obligation.id} is a yearly window; use --year YYYY instead of --on")
        if year is None:
            if as_of is None:
                raise InputError(f"{obligation.id} is a yearly window; give --year YYYY")
            year = annual_window_year(rule, as_of, calendar)
        # Keyed by the licence's life too: whether a window is owed and when it ends depend on it.
        found = _memoized(
            memo,
            (_rule_key(rule), year, detail, _life_key(lic), as_of),
            lambda: window_owed(lic, rule, year, as_of, calendar, detail) or _NOT_OWED,
        )
        if found is _NOT_OWED:
            raise _not_owed(lic, rule, year, obligation)
        computed = found
        anchor = None
    else:
        if year is not None:
            raise InputError(f"--year is for yearly windows; {obligation.id} is not one")
        anchor = anchor_date(lic, obligation, on, as_of)
        if anchor is None and rule.kind == "hours_after":
            raise InputError(
                f"{obligation.id} is due {rule.hours} hours after {(obligation.trigger or obligation.title).en}; "
                'give the date and time with --at "YYYY-MM-DD HH:MM" (China time)'
            )
        if anchor is None and rule.is_dated:
            raise InputError(
                f"{obligation.id} starts when {(obligation.trigger or obligation.title).en}; "
                f"give the day with --on YYYY-MM-DD"
            )
        began = lic.first_granted_on or lic.issued_on
        if anchor is not None and anchor < began and rule.anchor == "event":
            what = "first granted" if lic.first_granted_on else "issued"
            raise InputError(f"--on {anchor} is before licence {lic.number} was {what} ({began})")
        if anchor is not None and obligation.in_force is not None and anchor < obligation.in_force:
            raise InputError(
                f"{obligation.id} took effect on {obligation.in_force}: an event on {anchor} started no such duty"
            )
        if at is not None and rule.kind not in ("hours_after", "immediately"):
            raise InputError(
                f"{obligation.id} counts in {rule.effective_unit or 'days'}, not hours; give the day "
                "with --on (--at is for periods in hours, such as incident-report)"
            )
        if rule.kind == "hours_after" and at is None:
            raise InputError(
                f"{obligation.id} is due {rule.hours} hours after the event; give its time with "
                '--at "YYYY-MM-DD HH:MM" (China time)'
            )
        if rule.kind == "hours_after" and anchor is not None:
            assert at is not None
            computed = rules.hours_after(rule, dt.datetime.combine(anchor, at))
        else:
            computed = _memoized(
                memo, (_rule_key(rule), anchor, detail), lambda: rules.compute(rule, anchor, calendar, detail)
            )
            if at is not None and anchor is not None and computed.due is not None:  # 立即 at a time
                computed = computed._replace(due_at=dt.datetime.combine(anchor, at))
    return DueAnswer(
        license=lic.number,
        obligation=obligation.id,
        clause=clause.ref,
        title=obligation.title,
        rule=rule,
        event_date=anchor if rule.anchor == "event" else None,
        due_date=computed.due,
        estimated=computed.estimated,
        steps=computed.steps,
        window_start=computed.window_start,
        note=obligation.note,
        due_at=computed.due_at,
        grace_until=computed.grace_until,
        source=clause.source,
        basis=obligation.basis,
    )


_NOT_OWED = Computed(None, False, ())


def _life_key(lic: License) -> tuple[object, ...]:
    """What a licence's validity periods depend on (for the memo: not the licence's identity,
    which a licence read later could reuse)."""
    found = lic.obligation(RENEWAL_ID)
    renewal_rule = _rule_key(found[1].rule) if found is not None else None
    return (lic.issued_on, lic.first_granted_on, lic.valid_until, lic.renewal_records(), renewal_rule)


def _rule_key(rule: Rule) -> tuple[object, ...]:
    return rule.memo_key


def _memoized(
    memo: dict[tuple[object, ...], Computed] | None, key: tuple[object, ...], compute: Callable[[], Computed]
) -> Computed:
    if memo is None:
        return compute()
    found = memo.get(key)
    if found is None:
        if len(memo) >= 100_000:  # bounded: a long batch does not grow without end
            memo.clear()
        found = memo[key] = compute()
    return found


# --- all deadlines ---------------------------------------------------------------------------


def _status(due_date: dt.date, as_of: dt.date, *, late: Status, soon_days: int) -> Status:
    if due_date < as_of:
        return late
    if due_date == as_of:
        return "due_today"
    if (due_date - as_of).days <= soon_days:
        return "due_soon"
    return "upcoming"


def _deadline(
    lic: License,
    clause: Clause,
    obligation: Obligation,
    computed: Computed,
    as_of: dt.date,
    calendar: Calendar,
    status: Status,
    event: Event | None = None,
) -> Deadline:
    assert computed.due is not None
    left = calendar.count(as_of, computed.due)
    return Deadline(
        license=lic.number,
        obligation=obligation.id,
        clause=clause.ref,
        title=obligation.title,
        due_date=computed.due,
        days_left=(computed.due - as_of).days,
        working_days_left=left.count,
        status=status,
        estimated=computed.estimated,
        working_days_left_estimated=left.estimated,
        rule=obligation.rule,
        steps=computed.steps,
        event_date=event.on if event else None,
        window_start=computed.window_start,
        done_on=event.done_on if event else None,
        note=obligation.note,
        event_note=event.note if event else None,
        clause_text=clause.text,
        due_at=computed.due_at,
        grace_until=computed.grace_until,
        source=clause.source,
        basis=obligation.basis,
        event_at=event.at if event else None,
    )


def _computed(rule: Rule, anchor: dt.date | None, calendar: Calendar, at: dt.time | None = None) -> Computed:
    """rules.compute, once per calendar for the same rule and day: the licences of a folder share
    their template's rules, and many their expiry or annual-report years."""
    return calendar.remember(
        ("compute", rule.memo_key, anchor, at), lambda: rules.compute(rule, anchor, calendar, at=at)
    )


def license_deadlines(
    lic: License,
    as_of: dt.date,
    calendar: Calendar,
    *,
    soon_days: int = SOON_DAYS,
    now: Life | None = None,
    clock: dt.datetime | None = None,
    hidden: bool = True,
    renewal: bool = True,
) -> list[tuple[Deadline, bool]]:
    """Every dated deadline of one licence, each with whether it is shown by default; with
    `hidden=False`, only those shown by default (a yearly window or an earlier renewal that is
    not shown is then not worked out at all, where that changes nothing else: a folder's `check`
    and `deadlines` skip them). With `renewal=False`, none of the renewal filing deadlines and
    the expiry (`by_renewal_check`: check judges them with the licence's life): the estimated
    years they rest on are noted all the same, and --strict-calendar refuses them the same.

    The expiry and the renewal filing deadline are those of the period in force on `as_of`
    (life.py); the renewals of earlier periods are listed as done. Raises InputError when the
    licence records what cannot have happened by `as_of` (see `license_problems`). With a
    `clock` (China time, on `as_of`), a period in hours whose moment has passed is overdue.
    """
    now = now or life(lic, as_of, calendar)
    # A deadline that is not shown falls in `as_of`'s year or before, or (an earlier period's
    # renewal) before the renewal deadline that is shown. So where every year up to `as_of` has
    # a published schedule, working it out notes no estimated year and meets no
    # --strict-calendar refusal that the shown ones do not; elsewhere it is worked out as
    # before, so that the notes and refusals stay the same (tests/test_fast_paths.py).
    every = hidden or as_of.year > calendar.published_through
    found: list[tuple[Deadline, bool]] = []
    events_by_id: dict[str, list[Event]] = {}
    for event in lic.events:
        events_by_id.setdefault(event.obligation, []).append(event)
    dated, every_obligation = _plan(lic)
    # Without events, only the obligations dated by the licence itself give deadlines (in a
    # template of thirty-odd duties, a handful): the others are not looked at.
    for clause, obligation, kind in every_obligation if events_by_id else dated:
        rule = obligation.rule
        if kind == "window":
            found.extend(_windows(lic, clause, obligation, as_of, calendar, soon_days, every))
        elif kind == "lifecycle" and not renewal and by_renewal_check(obligation.id, rule):
            _lifecycle_notes(obligation, now, calendar, every)
        elif kind == "lifecycle":
            found.extend(_lifecycle(lic, clause, obligation, now, calendar, soon_days, every))
        elif kind == "anchored":
            computed = _computed(rule, anchor_date(lic, obligation, None), calendar)
            assert computed.due is not None
            if every or computed.due >= as_of:
                status = _status(computed.due, as_of, late="passed", soon_days=soon_days)
                deadline = _deadline(lic, clause, obligation, computed, as_of, calendar, status)
                found.append((deadline, computed.due >= as_of))
        events = events_by_id.get(obligation.id, [])
        if rule.every is not None and events:  # a recurring duty runs from its latest event by as_of
            events = [max([e for e in events if e.on <= as_of] or events, key=lambda e: e.on)]
        if rule.kind == "window":  # its events are filings, read by _windows
            continue
        for event in events:
            found.extend(_event_deadlines(lic, clause, obligation, event, as_of, calendar, soon_days, clock))
    return found if hidden else [(deadline, True) for deadline, shown in found if shown]


_Planned = tuple[Clause, Obligation, str | None]
_Plan = tuple[tuple[_Planned, ...], tuple[_Planned, ...], tuple[EventRule, ...]]
_PLANS: dict[Any, tuple[Any, Any]] = {}


def _plan(lic: License) -> tuple[tuple[_Planned, ...], tuple[_Planned, ...]]:
    """The licence's obligations in document order, each with how license_deadlines dates it
    ("window", "lifecycle" for the expiry and the renewal, "anchored" to the issue or first
    grant, None: only by its events): those it dates itself, and all of them. Worked out once
    for the licences that share their clauses (a template's)."""
    entry = _plan_entry(lic)
    return entry[0], entry[1]


def _plan_entry(lic: License) -> _Plan:
    """The plan of the licence's clauses (see _plan) and their event rules (shared_event_rules)."""
    return by_identity(_PLANS, _make_plan, lic.obligations_by_id(), limit=64)


def _make_plan(obligations: dict[str, tuple[Clause, Obligation]]) -> _Plan:
    planned: list[_Planned] = []
    for clause, obligation in obligations.values():
        rule = obligation.rule
        kind = None
        if rule.kind == "window":
            kind = "window"
        elif rule.anchor == "valid_until" and rule.is_dated:
            kind = "lifecycle"
        elif rule.anchor in ("issued_on", "first_granted_on") and rule.is_dated:
            kind = "anchored"
        planned.append((clause, obligation, kind))
    dated, every = tuple(entry for entry in planned if entry[2] is not None), tuple(planned)
    rules = tuple(
        EventRule("", ob.id, clause.ref, ob.title, ob.trigger, ob.rule, clause.source, ob.basis)
        for clause, ob in obligations.values()
        if ob.rule.anchor == "event" or ob.rule.kind == "promptly"
    )
    return dated, every, rules


def by_renewal_check(obligation_id: str, rule: Rule) -> bool:
    """Whether the deadline of this obligation is the renewal filing deadline or the expiry,
    which the renewal check judges (renewal.py), not check's duties."""
    return obligation_id == RENEWAL_ID or (rule.kind == "on_anchor" and rule.anchor == "valid_until")


def _lifecycle_notes(obligation: Obligation, now: Life, calendar: Calendar, every: bool) -> None:
    """The calendar's part of _lifecycle without its deadlines: the same due dates and working
    days left, in the same order, so the same estimated years are noted and the same
    --strict-calendar refusal is raised (some 5% of a folder's check, by callgrind)."""
    earlier = now.periods[: now.period.position] if obligation.id == RENEWAL_ID and every else ()
    for end in [*(period.end for period in earlier), now.period.end]:
        computed = _computed(obligation.rule, end, calendar)
        assert computed.due is not None
        calendar.count(now.as_of, computed.due)


def _lifecycle(
    lic: License,
    clause: Clause,
    obligation: Obligation,
    now: Life,
    calendar: Calendar,
    soon_days: int,
    every: bool = True,
) -> list[tuple[Deadline, bool]]:
    """The expiry or the renewal filing deadline of the period in force (always shown), and for
    the renewal, those of earlier periods that were renewed (done, shown with --all; not worked
    out unless `every`)."""
    rule, as_of = obligation.rule, now.as_of
    found: list[tuple[Deadline, bool]] = []
    renewal = obligation.id == RENEWAL_ID
    if renewal and every:
        for period in now.periods[: now.period.position]:
            record = period.renewal
            assert record is not None  # a later period exists only through a renewal
            computed = _computed(rule, period.end, calendar)
            # Renewed without a break: done. After a gap (granted late, the filing missing or
            # late), the deadline was missed and the licence had lapsed in between.
            continued = now.periods[period.position + 1].continuous
            status: Status = "done" if continued else "missed"
            deadline = _deadline(lic, clause, obligation, computed, as_of, calendar, status)
            found.append(
                (
                    deadline._replace(done_on=record.filed_on or (record.granted_on if continued else None)),
                    False,
                )
            )
    computed = _computed(rule, now.period.end, calendar)
    assert computed.due is not None
    done_on = None
    if renewal and now.state == "lapsed":  # missed until the licence lapses; then the expiry says it
        status = "passed"
        done_on = now.filed_on
    elif renewal and now.filed_on is not None:
        status = "pending" if now.filed_in_time else "missed"
        done_on = now.filed_on
    elif now.decision_overdue:  # past the expiry, filed in time: deemed renewed (第五十条), not lapsed
        status = "pending"
    else:
        late: Status = "expired" if rule.kind == "on_anchor" else "missed"
        status = _status(computed.due, as_of, late=late, soon_days=soon_days)
    deadline = _deadline(lic, clause, obligation, computed, as_of, calendar, status)
    found.append((deadline._replace(done_on=done_on), True))
    return found


def _event_deadlines(
    lic: License,
    clause: Clause,
    obligation: Obligation,
    event: Event,
    as_of: dt.date,
    calendar: Calendar,
    soon_days: int,
    clock: dt.datetime | None = None,
) -> list[tuple[Deadline, bool]]:
    """The deadline of one event; for a recurring duty, every occurrence since its latest event
    that came due before `as_of` (overdue: a later event would have replaced this one) and the
    next one, or, for one that recurs from its completions (R13), this cycle and the next."""
    rule = obligation.rule
    if rule.every is not None and rule.recur_from == "done":
        return _from_completion(lic, clause, obligation, event, as_of, calendar, soon_days)
    if rule.every is not None:
        found = []
        for computed in rules.recurring(rule, event.on, as_of, calendar):
            assert computed.due is not None
            status = _status(computed.due, as_of, late="overdue", soon_days=soon_days)
            found.append((_deadline(lic, clause, obligation, computed, as_of, calendar, status, event), True))
        return found
    at = dt.time.fromisoformat(event.at) if event.at is not None else None
    computed = _computed(rule, event.on, calendar, at if rule.kind == "hours_after" else None)
    if computed.due is None:  # an event-started duty with no fixed count (R8): nothing to date
        return []
    if rule.kind == "immediately" and at is not None:  # 立即, at the moment it happened
        computed = computed._replace(due_at=dt.datetime.combine(event.on, at))
    assert computed.due is not None
    # Done on a day after the as-of day: not done yet as of that day (as for a renewal filing).
    if event.done_on is not None and event.done_on <= as_of:
        status = "done"
    else:
        status = _status(computed.due, as_of, late="overdue", soon_days=soon_days)
        if computed.window_start is not None and computed.window_start <= as_of < computed.due:
            status = "open"  # the period R11 opens (届满前N个工作日内) has begun
        if computed.due_at is not None and clock is not None and computed.due_at < clock:
            status = "overdue"
        event = event.model_copy(update={"done_on": None}) if event.done_on is not None else event
    deadline = _deadline(lic, clause, obligation, computed, as_of, calendar, status, event)
    return [(deadline, status != "done")]


def _from_completion(
    lic: License,
    clause: Clause,
    obligation: Obligation,
    event: Event,
    as_of: dt.date,
    calendar: Calendar,
    soon_days: int,
) -> list[tuple[Deadline, bool]]:
    """A duty that recurs from its completions (R13): the cycle the latest event started, and once
    it is done (by `as_of`), the next one, due every N years after the day it was done."""
    rule = obligation.rule
    first = rules.compute(rule.model_copy(update={"every": None, "recur_from": None}), event.on, calendar)
    assert first.due is not None and rule.every is not None
    if event.done_on is None or event.done_on > as_of:
        status = _status(first.due, as_of, late="overdue", soon_days=soon_days)
        pending = event.model_copy(update={"done_on": None}) if event.done_on is not None else event
        return [(_deadline(lic, clause, obligation, first, as_of, calendar, status, pending), True)]
    done = _deadline(lic, clause, obligation, first, as_of, calendar, "done", event)
    following = rules.next_after_completion(rule, event.done_on, calendar)
    assert following.due is not None
    status = _status(following.due, as_of, late="overdue", soon_days=soon_days)
    # The next cycle runs from the completion: that is its event day.
    cycle = event.model_copy(update={"on": event.done_on, "done_on": None})
    return [
        (done, False),
        (_deadline(lic, clause, obligation, following, as_of, calendar, status, cycle), True),
    ]


def _windows(
    lic: License,
    clause: Clause,
    obligation: Obligation,
    as_of: dt.date,
    calendar: Calendar,
    soon_days: int,
    every: bool = True,
) -> list[tuple[Deadline, bool]]:
    """The yearly windows owed from the licence's first grant to the current one (R10): none
    for a year on whose eve the licence was not valid; the current one shown by default (unless
    `every`, only the shown ones: never a year before last)."""
    rule = obligation.rule
    current = annual_window_year(rule, as_of, calendar)
    first = (lic.first_granted_on or lic.issued_on).year + 1
    # Filings recorded as events (R14): one dated from a window's start to the next window's
    # start is that year's.
    filings = sorted(e.on for e in lic.events if e.obligation == obligation.id and e.on <= as_of)
    # Filings are tracked where late filing has a grace period, or the licence opted in to the
    # regulation pack (its filings are recorded); otherwise licensecli cannot tell a missed report.
    tracked = (rule.window is not None and rule.window.grace_until is not None) or lic.profile is not None
    found: list[tuple[Deadline, bool]] = []
    start = min(first, current)
    if not every:  # a year before last is never shown, nor last year's where it can only have passed
        start = max(start, current - 1 if tracked else current)
    for year in range(start, current + 1):
        computed = window_owed(lic, rule, year, as_of, calendar)
        if computed is None:
            continue
        assert computed.due is not None and computed.window_start is not None
        filed = next((day for day in filings if rules.filing_year(rule, day) == year), None)
        grace = computed.grace_until
        shown = year == current
        if filed is not None:
            status: Status = "done"
            shown = False
        elif year < current:
            # Where filings are tracked, the year just gone with no filing recorded is missed
            # (the holder is listed, 不良名单), shown until the next window opens; elsewhere
            # licensecli cannot tell and says passed.
            status = "missed" if tracked and year == current - 1 else "passed"
            shown = status == "missed" and as_of < rules.window_bounds(rule, current)[0]
        elif computed.window_start <= as_of <= computed.due:
            status = "due_today" if as_of == computed.due else "open"
        elif grace is not None and computed.due < as_of <= grace:
            status = "grace"
        else:
            status = _status(computed.due, as_of, late="passed", soon_days=soon_days)
        if not (shown or every):
            continue
        deadline = _deadline(lic, clause, obligation, computed, as_of, calendar, status)
        if filed is not None:
            deadline = deadline._replace(done_on=filed)
        found.append((deadline, shown))
    return found


def event_rules(lic: License) -> list[EventRule]:
    """Obligations that start with an event and have no date until it happens."""
    return [rule._replace(license=lic.number) for rule in shared_event_rules(lic)]


def shared_event_rules(lic: License) -> tuple[EventRule, ...]:
    """event_rules(lic) without the licence number (""): one tuple shared, read only, by the
    licences that have the same clauses (a template's), so what is made of it can be kept."""
    return _plan_entry(lic)[2]


def deadlines(
    licenses: Sequence[License],
    as_of: dt.date,
    calendar: Calendar,
    *,
    within: int | None = None,
    include_all: bool = False,
    soon_days: int = SOON_DAYS,
    clock: dt.datetime | None = None,
) -> Report:
    """Every dated deadline from `as_of` on (all of them with include_all), soonest first; with a
    `clock` (China's wall clock on `as_of`), a duty counted in hours is overdue once its moment has
    passed."""
    check_within(within)
    shown: list[Deadline] = []
    lives: list[tuple[str, Life]] = []
    for lic in licenses:
        now, found = shown_deadlines(
            lic, as_of, calendar, within=within, include_all=include_all, soon_days=soon_days, clock=clock
        )
        lives.append((lic.number, now))
        shown += found
    shown.sort(key=deadline_order)
    ev_rules = [rule for lic in licenses for rule in event_rules(lic)]
    return Report(as_of, shown, ev_rules, sorted(calendar.estimated_years_used), tuple(lives))


def check_within(within: int | None) -> None:
    """--within is a number of days, 0 or more."""
    if within is not None and within < 0:
        raise InputError(f"--within {within}: give a number of days, 0 or more")


def deadline_order(d: Deadline) -> tuple[dt.date, str, str]:
    """The order of `deadlines`: soonest first, then by licence number and obligation id."""
    return d.due_date, d.license, d.obligation


def shown_deadlines(
    lic: License,
    as_of: dt.date,
    calendar: Calendar,
    *,
    within: int | None = None,
    include_all: bool = False,
    soon_days: int = SOON_DAYS,
    clock: dt.datetime | None = None,
) -> tuple[Life, list[Deadline]]:
    """One licence's part of `deadlines`: its life on `as_of` and the deadlines it shows, in the
    engine's order (not yet sorted with other licences')."""
    now = life(lic, as_of, calendar)
    found = license_deadlines(
        lic, as_of, calendar, soon_days=soon_days, now=now, clock=clock, hidden=include_all
    )
    shown = [
        deadline
        for deadline, by_default in found
        if (include_all or by_default) and (within is None or deadline.days_left <= within)
    ]
    return now, shown


# --- what a licence cannot say as of a day ------------------------------------------------


class Problem(NamedTuple):
    """A problem of a licence file found by the engine: the field (a pydantic-style location,
    for `file:line: field:`) and what is wrong with it."""

    loc: tuple[str | int, ...]
    message: str


def license_problems(lic: License, as_of: dt.date, calendar: Calendar) -> list[Problem]:
    """What the model cannot check because it needs the day or the calendar: a renewal filing
    recorded after `as_of` (not made yet), and a deadline that would fall outside the calendar
    (after 2099-12-31, or before 2004-01-01 for a backward period). `validate` calls this with
    today; the computing commands refuse the same things.

    Estimates are not problems here: the calendar's --strict-calendar is set aside while
    checking, and the years it estimated are not noted as used.
    """
    problems = _future_records(lic, as_of)
    strict, used = calendar.strict, set(calendar.estimated_years_used)
    calendar.strict = False
    try:
        for path, obligation in _obligation_locations(lic):
            rule = obligation.rule
            if rule.anchor in ("issued_on", "first_granted_on", "valid_until") and rule.is_dated:
                anchor = anchor_date(lic, obligation, None)
                problem = _outside_calendar(rule, anchor, calendar, f"from {rule.anchor} ({anchor})")
                if problem is not None:
                    problems.append(Problem((*path, "rule"), problem))
        by_id = {ob.id: ob for _, ob in lic.obligations()}
        for i, event in enumerate(lic.events):
            rule = by_id[event.obligation].rule
            problem = _outside_calendar(rule, event.on, calendar, f"of this event ({event.on})")
            if problem is not None:
                problems.append(Problem(("events", i, "on"), problem))
    finally:
        calendar.strict = strict
        calendar.estimated_years_used.clear()
        calendar.estimated_years_used.update(used)
    return problems


def refuse_future_filing(lic: License, today: dt.date) -> None:
    """Raise InputError when the licence records a renewal filed or granted, or a first grant
    or reissue, after `today` (the real day, not an --as-of): none can have happened yet."""
    problems = _future_records(lic, today)
    if problems:
        raise InputError(f"licence {lic.number}: {dotted(problems[0].loc)}: {problems[0].message}")


def _future_records(lic: License, as_of: dt.date) -> list[Problem]:
    """The life records dated after `as_of`: a filing, grant, first grant or reissue recorded
    before it happened. (Events in a file are not checked here; `event add` refuses a future day.)"""
    dated: list[tuple[tuple[str | int, ...], dt.date | None, str]] = [
        (("renewal_filed_on",), lic.renewal_filed_on, "filing"),
        (("first_granted_on",), lic.first_granted_on, "grant"),
    ]
    dated += [(("reissued_on", i), day, "reissue") for i, day in enumerate(lic.reissued_on)]
    for i, renewal in enumerate(lic.renewals):
        dated.append((("renewals", i, "filed_on"), renewal.filed_on, "filing"))
        dated.append((("renewals", i, "granted_on"), renewal.granted_on, "grant"))
    return [
        Problem(loc, f"{day} is in the future (after {as_of}); record the {what} once it has happened")
        for loc, day, what in dated
        if day is not None and day > as_of
    ]


def _outside_calendar(rule: Rule, anchor: dt.date | None, calendar: Calendar, what: str) -> str | None:
    """Why the deadline of `rule` from `anchor` cannot be dated, or None when it can."""
    if anchor is None or not rule.is_dated or rule.kind in ("window", "hours_after"):
        return None  # a filing day (R14) or a count in hours (R12): no working-day calendar
    try:
        if rule.every is not None:
            rules.compute(rule.model_copy(update={"every": None}), anchor, calendar)
        else:
            rules.compute(rule, anchor, calendar)
    except EstimateRefusedError:  # not raised: strict is off while checking
        return None
    except CalendarError:
        edge = f"before {FIRST_DAY}, where" if rule.kind == "before" else f"after {LAST_DAY}, where"
        ends = "starts" if rule.kind == "before" else "ends"
        return f"the deadline {what} would fall {edge} the calendar {ends}; it cannot be dated"
    return None


def _obligation_locations(lic: License) -> list[tuple[tuple[str | int, ...], Obligation]]:
    """Every obligation with its location in the file: ("clauses", 3, "items", 0, "obligations", 1)."""
    found: list[tuple[tuple[str | int, ...], Obligation]] = []

    def walk(clauses: Sequence[Clause], prefix: tuple[str | int, ...]) -> None:
        for i, clause in enumerate(clauses):
            here = (*prefix, i)
            found.extend(((*here, "obligations", j), ob) for j, ob in enumerate(clause.obligations))
            walk(clause.items, (*here, "items"))

    walk(lic.clauses, ("clauses",))
    return found


# --- recorded events -----------------------------------------------------------------------


class EventRow(NamedTuple):
    """One recorded event with its deadline as of a day (`event list`)."""

    number: int  # 1-based, as `event done N` takes it
    event: Event
    clause: str
    title: Text
    deadline: Deadline | None  # None for a duty with no fixed count


def event_rows(
    lic: License, as_of: dt.date, calendar: Calendar, clock: dt.datetime | None = None
) -> list[EventRow]:
    """Every recorded event in file order, each with its (next) deadline as of `as_of` (and
    `clock`, for duties counted in hours)."""
    rows: list[EventRow] = []
    for i, event in enumerate(lic.events):
        found = lic.obligation(event.obligation)
        assert found is not None  # the model checks that events name obligations
        clause, obligation = found
        if obligation.rule.kind == "window":  # a filing: the report of the year it was filed for
            year = rules.filing_year(obligation.rule, event.on)
            years = _windows(lic, clause, obligation, as_of, calendar, SOON_DAYS)
            filed = [d for d, _ in years if d.window_start is not None and d.window_start.year == year]
            rows.append(EventRow(i + 1, event, clause.ref, obligation.title, filed[0] if filed else None))
            continue
        dated = _event_deadlines(lic, clause, obligation, event, as_of, calendar, SOON_DAYS, clock)
        deadline = dated[-1][0] if dated else None
        rows.append(EventRow(i + 1, event, clause.ref, obligation.title, deadline))
    return rows
