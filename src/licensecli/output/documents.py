"""Scripts: the JSON documents of every command. Each document starts with "schema_version";
the JSON Schemas that describe them ship in licensecli/data/schemas/ (`licensecli schema`).

Plain data in, plain dicts out: no rich, no typer.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, overload

from licensecli.memo import by_identity
from licensecli.output.words import WEEKDAYS, describe_rule, life_notice

if TYPE_CHECKING:
    from pathlib import Path

    from licensecli.checks import CheckReport, DutyCheck, LicenceCheck
    from licensecli.checks import Problem as CheckProblem
    from licensecli.engine import Deadline, DueAnswer, EventRow, EventRule, Report
    from licensecli.holidayimport import Change, Incoming
    from licensecli.life import Life
    from licensecli.models import Basis, Clause, License, Rule
    from licensecli.months import Month
    from licensecli.renewal import RenewalCheck
    from licensecli.rules import Step
    from licensecli.workdays import Calendar, CalendarOverview, Counted, Dated, DayInfo, YearSchedule

SCHEMA_VERSION = 1


def dumps(document: Any) -> str:
    """One JSON document as text (UTF-8 characters kept, indented, key order as built).

    Written by orjson, byte for byte what `json.dumps(document, ensure_ascii=False, indent=2)`
    writes for our documents (text, whole numbers, booleans, null; tests/test_fast_paths.py) and
    some fifteen times faster: the standard library indents in pure Python, which was most of the
    time of `deadlines --json` over a folder. What orjson refuses (a lone surrogate from a script's
    input, a number over 64 bits) the standard library writes."""
    import orjson

    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def list_item(item: Any) -> str:
    """An item of one of a document's top-level lists, as `dumps` writes it there (indented)."""
    return "    " + dumps(item).removesuffix("\n").replace("\n", "\n    ")


def list_item_utf8(item: Any) -> bytes | str:
    """`list_item(item)` in UTF-8, made as bytes (orjson writes them): a worker's stash keeps them
    as they are, where the text would be decoded from orjson's bytes and encoded back. What
    orjson refuses (a lone surrogate, from a file name that is not UTF-8) is the text, which
    stdout writes as it writes any."""
    import orjson

    try:
        return b"    " + orjson.dumps(item, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n    ")
    except orjson.JSONEncodeError:
        return list_item(item)


@overload
def with_lists(
    head: dict[str, Any],
    lists: Sequence[tuple[str, Iterable[str]]],
    tail: dict[str, Any] | None = None,
    *,
    encode: None = None,
) -> Iterator[str]: ...


@overload
def with_lists(
    head: dict[str, Any],
    lists: Sequence[tuple[str, Iterable[bytes]]],
    tail: dict[str, Any] | None = None,
    *,
    encode: Callable[[str], bytes],
) -> Iterator[bytes]: ...


def with_lists(
    head: dict[str, Any],
    lists: Sequence[tuple[str, Iterable[Any]]],
    tail: dict[str, Any] | None = None,
    *,
    encode: Callable[[str], bytes] | None = None,
) -> Iterator[Any]:
    """What `dumps({**head, name: [item, …], …, **tail})` makes, in pieces of some 64 kB:
    the lists' items come already made by `list_item` (an item may be several, joined by
    ",\n"), from a folder's spools, never all in memory. The tail's values are plain text or
    numbers (written on one line). With `encode`, the items are bytes, the text around them is
    encoded by it, and so are the pieces."""
    text = dumps(head)
    assert head and text.endswith("\n}\n")
    code: Callable[[str], Any] = encode or str
    joined: Callable[[list[Any]], Any] = b"".join if encode else "".join
    pending = [code(text[:-3])]
    first_item, next_item = code("\n"), code(",\n")
    size = 0
    for name, items in lists:
        pending.append(code(f',\n  "{name}": ['))
        first = True
        for item in items:
            pending += (first_item if first else next_item, item)
            first = False
            size += len(item)
            if size > 1 << 16:
                yield joined(pending)
                pending, size = [], 0
        pending.append(code("]" if first else "\n  ]"))
    for key, value in (tail or {}).items():
        pending.append(code(f",\n  {dumps(key).rstrip()}: {dumps(value).rstrip()}"))
    pending.append(code("\n}\n"))
    yield joined(pending)


def dumps_line(document: dict[str, Any]) -> str:
    """One compact JSON line (for --batch), by orjson as `dumps` is: the same bytes as
    `json.dumps(document, ensure_ascii=False, separators=(",", ":"))`."""
    import orjson

    try:
        return orjson.dumps(document).decode("utf-8")
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _document(**fields: Any) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, **fields}


def license_json(lic: License) -> dict[str, Any]:
    """The licence as JSON-ready data, with each clause's normalised key added."""
    data: dict[str, Any] = lic.model_dump(mode="json", exclude_none=True)
    data["clause_count"] = sum(1 for c in lic.all_clauses() if c.source == "license")
    if lic.profile is not None:  # each legal basis also as one citation line
        _add_citations(data["clauses"], lic.clauses)
    return data


def _add_citations(dumped: list[dict[str, Any]], clauses: Iterable[Clause]) -> None:
    for out, clause in zip(dumped, clauses, strict=True):
        for ob_out, ob in zip(out.get("obligations", []), clause.obligations, strict=True):
            for basis_out, basis in zip(ob_out.get("basis", []), ob.basis, strict=True):
                basis_out["citation"] = basis.cite()
        _add_citations(out.get("items", []), clause.items)


def write_show_json(licenses: Iterable[License], out: IO[str]) -> None:
    """The `show --json` document written one licence at a time, so that a folder of thousands
    holds one licence in memory, not all: byte for byte what `dumps` would make of
    `{"schema_version": 1, "licenses": [license_json(…), …]}`."""
    out.write(f'{{\n  "schema_version": {SCHEMA_VERSION},\n  "licenses": [')
    first = True
    for lic in licenses:
        text = dumps(license_json(lic)).removesuffix("\n")
        out.write(("\n" if first else ",\n") + "\n".join("    " + line for line in text.split("\n")))
        first = False
    out.write("]\n}\n" if first else "\n  ]\n}\n")


def validate_json(problems: list[str], files: int) -> dict[str, Any]:
    """The `validate --json` document: every problem as `file:line: field: what is wrong`."""
    return _document(valid=not problems, files=files, problems=problems)


def workday_info(info: DayInfo) -> dict[str, Any]:
    """`workdays is --json`."""
    return _document(
        date=info.date.isoformat(),
        workday=info.workday,
        kind=info.kind,
        name=info.name,
        estimated=info.estimated,
    )


def workday_sum(start: dt.date, days: int, result: Dated) -> dict[str, Any]:
    """`workdays add --json`."""
    return _document(
        start=start.isoformat(), days=days, date=result.date.isoformat(), estimated=result.estimated
    )


def workday_count(start: dt.date, end: dt.date, result: Counted) -> dict[str, Any]:
    """`workdays count --json`."""
    return _document(
        start=start.isoformat(), end=end.isoformat(), count=result.count, estimated=result.estimated
    )


def year_schedule(schedule: YearSchedule) -> dict[str, Any]:
    """`holidays YEAR --json`."""
    return _document(
        year=schedule.year,
        source=schedule.source,
        origin=schedule.origin,
        estimated=schedule.estimated,
        days_off=[{"date": d.isoformat(), "name": n} for d, n in schedule.days_off.items()],
        working_days=[{"date": d.isoformat(), "name": n} for d, n in schedule.working_days.items()],
    )


def calendar_overview(overview: CalendarOverview, warning: str | None) -> dict[str, Any]:
    """`holidays --json` without a year."""
    return _document(
        as_of=overview.today.isoformat(),
        known_years=[{"year": s.year, "source": s.source, "origin": s.origin} for s in overview.known],
        years=[_year_status(s) for s in overview.known]
        + [
            {"year": year, "status": "estimated", "source": None, "papers": []}
            for year in range(overview.published_through + 1, overview.next_year + 1)
            if year not in {s.year for s in overview.known}
        ],
        first_year=overview.first_year,
        last_year=overview.last_year,
        estimated_from=overview.first_estimated,
        next_year=overview.next_year,
        next_year_missing=overview.next_year_missing,
        holiday_files=[str(p) for p in overview.holiday_files],
        user_holiday_folder=str(overview.folder),
        warning=warning,
    )


def _year_status(schedule: YearSchedule) -> dict[str, Any]:
    """A known year: published (the package's data) or imported (a holiday file)."""
    from licensecli.workdays import from_package, notice_urls

    published = from_package(schedule)
    return {
        "year": schedule.year,
        "status": "published" if published else "imported",
        "source": schedule.source,
        "papers": list(notice_urls(schedule.year) if published else schedule.papers),
    }


def rule_json(rule: Rule) -> dict[str, Any]:
    """The rule as the contract shows it: kind, days, unit, rollover (+ anchor, window, every)."""
    data: dict[str, Any] = {
        "kind": rule.kind,
        "days": rule.days,
        "unit": rule.effective_unit,
        "rollover": rule.rollover,
        "anchor": rule.anchor,
    }
    if rule.window is not None:
        data["window"] = {"start": rule.window.start, "end": rule.window.end}
        if rule.window.grace_until is not None:
            data["window"]["grace_until"] = rule.window.grace_until
    if rule.every is not None:
        data["every"] = rule.every
    if rule.recur_from is not None:
        data["recur_from"] = rule.recur_from
    if rule.hours is not None:
        data["hours"] = rule.hours
    if rule.opens:
        data["opens"] = True
    if rule.term is not None:
        data["term"] = {"count": rule.term.count, "unit": rule.term.unit}
    return data


def basis_json(basis: tuple[Basis, ...], lang: str) -> list[dict[str, Any]]:
    """Where a duty comes from in law, with how sure licensecli is of the text."""
    return [
        {
            "document": b.document,
            "number": b.number,
            "article": b.article,
            "citation": b.cite(),
            "in_force": _iso_or_none(b.in_force),
            "confidence": b.confidence,
            "source": b.source,
            "note": b.note.get(lang) if b.note is not None else None,
        }
        for b in basis
    ]


def steps_json(steps: tuple[Step, ...], lang: str) -> list[dict[str, Any]]:
    """Numbered steps for JSON."""
    return [
        {"n": i, "rule": s.rule, "text": s.text(lang), "date": s.date.isoformat() if s.date else None}
        for i, s in enumerate(steps, 1)
    ]


def _iso_or_none(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def deadline_json(d: Deadline, lang: str, *, kept: bool = False) -> dict[str, Any]:
    """One deadline for JSON. `kept`: its basis, rule and steps are made once for the deadlines
    that have the same objects (a template's obligation; the computation of one due day, which
    the calendar remembers) and shared by the documents made so: for a folder's output, written
    at once and never changed."""
    if kept:
        basis = by_identity(_KEPT, basis_json, d.basis, lang)
        rule = by_identity(_KEPT, rule_json, d.rule)
        steps = by_identity(_KEPT, steps_json, d.steps, lang)
    else:
        basis, rule, steps = basis_json(d.basis, lang), rule_json(d.rule), steps_json(d.steps, lang)
    return {
        "license": d.license,
        "obligation": d.obligation,
        "clause": d.clause,
        "title": {"zh": d.title.zh, "en": d.title.en},
        "due_date": d.due_date.isoformat(),
        "weekday": WEEKDAYS["en"][d.due_date.weekday()],
        "days_left": d.days_left,
        "working_days_left": d.working_days_left,
        "working_days_left_estimated": d.working_days_left_estimated,
        "status": d.status,
        "estimated": d.estimated,
        "window_start": _iso_or_none(d.window_start),
        "grace_until": _iso_or_none(d.grace_until),
        "due_at": _china_time(d.due_at),
        "event_date": _iso_or_none(d.event_date),
        "event_at": d.event_at,
        "done_on": _iso_or_none(d.done_on),
        "source": d.source,
        "basis": basis,
        "rule": rule,
        "steps": steps,
    }


_KEPT: dict[Any, tuple[Any, Any]] = {}  # deadline_json's kept parts (memo.by_identity)


def event_rule_json(r: EventRule, lang: str) -> dict[str, Any]:
    """One event-triggered rule for JSON."""
    return {
        "license": r.license,
        "obligation": r.obligation,
        "clause": r.clause,
        "title": {"zh": r.title.zh, "en": r.title.en},
        "trigger": {"zh": r.trigger.zh, "en": r.trigger.en} if r.trigger else None,
        "source": r.source,
        "basis": basis_json(r.basis, lang),
        "rule": rule_json(r.rule),
        "summary": describe_rule(r.rule, lang),
    }


_EVENT_RULE_ITEMS: dict[tuple[object, ...], tuple[EventRule, str, bytes]] = {}


def event_rule_item(r: EventRule, lang: str) -> str:
    """`list_item(event_rule_json(r, lang))`, made once per obligation: the licences of one
    template share theirs, and only the licence number differs (written in here)."""
    return '    {\n      "license": ' + dumps(r.license).removesuffix("\n") + _event_rule_rest(r, lang)[1]


def event_rule_items_utf8(number: str, shared: tuple[EventRule, ...], lang: str) -> bytes | str:
    """The items of licence `number`'s event rules, `",\n".join(event_rule_item(r, lang) …)`, in
    UTF-8, made as bytes (or the text, see list_item_utf8). `shared` is
    engine.shared_event_rules: one tuple for the licences of a template, so the items are made
    once for it and only the number is written in."""
    import orjson

    rests = by_identity(_EVENT_RULE_LISTS, _event_rule_rests, shared, lang, limit=64)
    try:
        head = b'    {\n      "license": ' + orjson.dumps(number)
    except orjson.JSONEncodeError:
        return ",\n".join(event_rule_item(r._replace(license=number), lang) for r in shared)
    return head + (b",\n" + head).join(rests) if shared else b""


_EVENT_RULE_LISTS: dict[Any, tuple[Any, Any]] = {}


def _event_rule_rests(shared: tuple[EventRule, ...], lang: str) -> list[bytes]:
    return [_event_rule_rest(r, lang)[2] for r in shared]


def _event_rule_rest(r: EventRule, lang: str) -> tuple[EventRule, str, bytes]:
    """An event rule's item after its licence number, as text and in UTF-8, made once."""
    key = (id(r.rule), id(r.title), id(r.trigger), id(r.basis), r.obligation, r.clause, r.source, lang)
    found = _EVENT_RULE_ITEMS.get(key)
    # The entry holds the objects whose ids make its key, so no id is reused while it lives.
    if found is None or found[0].rule is not r.rule or found[0].title is not r.title:
        if len(_EVENT_RULE_ITEMS) >= 256:
            _EVENT_RULE_ITEMS.clear()
        rest = list_item(event_rule_json(r._replace(license=""), lang)).partition('"license": ""')[2]
        found = _EVENT_RULE_ITEMS[key] = (r, rest, rest.encode("utf-8"))
    return found


def report_json(report: Report, calendar: Calendar, lang: str) -> dict[str, Any]:
    """The `deadlines --json` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": report.as_of.isoformat(),
        "calendar": {
            "estimated_years": report.estimated_years,
            "holiday_files": [str(p) for p in calendar.holiday_files],
        },
        "licenses": [life_json(number, now, lang) for number, now in report.lives],
        "deadlines": [deadline_json(d, lang) for d in report.deadlines],
        "event_rules": [event_rule_json(r, lang) for r in report.event_rules],
    }


def events_json(number: str, as_of: dt.date, rows: list[EventRow], lang: str) -> dict[str, Any]:
    """The `event list --json` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "license": number,
        "as_of": as_of.isoformat(),
        "events": [
            {
                "number": r.number,
                "obligation": r.event.obligation,
                "clause": r.clause,
                "title": {"zh": r.title.zh, "en": r.title.en},
                "on": r.event.on.isoformat(),
                "at": r.event.at,
                "note": r.event.note,
                "ref": r.event.ref,
                "done_on": _iso_or_none(r.event.done_on),
                "due_date": _iso_or_none(r.deadline.due_date if r.deadline else None),
                "status": r.deadline.status if r.deadline else None,
                "estimated": r.deadline.estimated if r.deadline else False,
            }
            for r in rows
        ],
    }


def import_json(
    incoming: Incoming, stored: Path | None, target: Path, changes: list[Change], lang: str
) -> dict[str, Any]:
    """The `holidays import|diff --json` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "file": incoming.name,
        "format": incoming.format,
        "years": [s.year for s in incoming.schedules],
        "papers": sorted({p for s in incoming.schedules for p in s.papers}),
        "stored": str(stored) if stored is not None else None,
        "target": str(target),
        "changes": [
            {
                "license": c.license,
                "obligation": c.obligation,
                "clause": c.clause,
                "title": {"zh": c.title_zh, "en": c.title_en},
                "event_date": _iso_or_none(c.event_date),
                "before": {"due_date": c.before.isoformat(), "estimated": c.estimated_before},
                "after": {"due_date": c.after.isoformat(), "estimated": c.estimated_after},
                "day": _iso_or_none(c.day),
                "because": c.because_zh if lang == "zh" else c.because_en,
            }
            for c in changes
        ],
    }


def life_json(number: str, now: Life, lang: str) -> dict[str, Any]:
    """A licence's state on the as-of day (life.py) for JSON."""
    return {
        "number": number,
        "state": now.state,
        "period_start": now.period.start.isoformat(),
        "valid_until": now.expiry.isoformat(),
        "renewal_deadline": _iso_or_none(now.renewal_deadline),
        "renewal_filed_on": _iso_or_none(now.filed_on),
        "renewal_filed_in_time": now.filed_in_time if now.filed_on is not None else None,
        "decision_overdue": now.decision_overdue,
        "message": life_notice(number, now, lang),
    }


def due_json(answer: DueAnswer, lang: str) -> dict[str, Any]:
    """The `due --json` document (also one line of `due --batch`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "license": answer.license,
        "obligation": answer.obligation,
        "clause": answer.clause,
        "title": {"zh": answer.title.zh, "en": answer.title.en},
        "event_date": _iso_or_none(answer.event_date),
        "window_start": _iso_or_none(answer.window_start),
        "due_date": _iso_or_none(answer.due_date),
        "due_at": _china_time(answer.due_at),
        "grace_until": _iso_or_none(answer.grace_until),
        "estimated": answer.estimated,
        "source": answer.source,
        "basis": basis_json(answer.basis, lang),
        "rule": rule_json(answer.rule),
        "steps": steps_json(answer.steps, lang),
    }


def renew_check_json(
    status: str, code: int, checks: list[RenewalCheck], message: str | None = None
) -> dict[str, Any]:
    """The `renew-check --json` document."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "status": status,
        "exit_code": code,
        "licenses": [renewal_check_json(c) for c in checks],
    }
    if message is not None:
        document["message"] = message
    return document


def renewal_check_json(c: RenewalCheck) -> dict[str, Any]:
    """One licence of the `renew-check --json` document."""
    return {
        "number": c.number,
        "file": c.file,
        "status": c.status,
        "valid_until": c.valid_until.isoformat(),
        "renewal_deadline": c.renewal_deadline.isoformat(),
        "days_to_renewal_deadline": c.days_to_renewal_deadline,
        "days_to_expiry": c.days_to_expiry,
        "estimated": c.estimated,
        "message": c.message,
        "renewal_filed_on": _iso_or_none(c.renewal_filed_on),
        "state": c.state,
        "thresholds_on": c.watched,
        "warning": c.warning,
        "critical": c.critical,
    }


def renew_check_chunks(status: str, code: int, licences: Iterable[str], message: str | None) -> Iterator[str]:
    """The `renew-check --json` document in pieces, its licences already made by
    `list_item(renewal_check_json(…))` (a folder's, spooled): byte for byte renew_check_json's."""
    head = {"schema_version": SCHEMA_VERSION, "status": status, "exit_code": code}
    return with_lists(head, [("licenses", licences)], None if message is None else {"message": message})


# --- check (appended: the functions above are left as they were) ---------------------------


def check_json(report: CheckReport) -> dict[str, Any]:
    """The `check --json` document: the overall status, the problems worst first, every licence
    with its renewal (as renew-check judges it) and its dated duties still owed, and when UNKNOWN
    the reason why (`message`)."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "status": report.status,
        "exit_code": report.code,
        "as_of": _iso_or_none(report.as_of),
        "problems": [
            {"status": p.status, "license": p.license, "message": p.message} for p in report.problems()
        ],
        "licenses": [licence_check_json(lic) for lic in report.licences],
    }
    if report.problem is not None:
        document["message"] = report.problem
    return document


def check_chunks(
    status: str,
    code: int,
    as_of: dt.date | None,
    problems: Sequence[CheckProblem],
    licences: Iterable[str],
    message: str | None,
) -> Iterator[str]:
    """The `check --json` document in pieces, its licences already made by
    `list_item(licence_check_json(…))` (a folder's, spooled), its problems worst first: byte for
    byte check_json's."""
    head = {
        "schema_version": SCHEMA_VERSION,
        "status": status,
        "exit_code": code,
        "as_of": _iso_or_none(as_of),
        "problems": [{"status": p.status, "license": p.license, "message": p.message} for p in problems],
    }
    return with_lists(head, [("licenses", licences)], None if message is None else {"message": message})


def licence_check_json(lic: LicenceCheck) -> dict[str, Any]:
    """One licence of the `check --json` document."""
    r = lic.renewal
    return {
        "number": lic.number,
        "file": lic.file,
        "status": lic.status,
        "state": r.state,
        "warning": lic.warning,
        "critical": lic.critical,
        "days_to_next_due": lic.days_to_next_due,
        "overdue": lic.overdue,
        "due_soon": lic.due_soon,
        "renewal": {
            "status": r.status,
            "valid_until": r.valid_until.isoformat(),
            "renewal_deadline": r.renewal_deadline.isoformat(),
            "days_to_renewal_deadline": r.days_to_renewal_deadline,
            "days_to_expiry": r.days_to_expiry,
            "estimated": r.estimated,
            "message": r.message,
            "renewal_filed_on": _iso_or_none(r.renewal_filed_on),
            "thresholds_on": r.watched,
            "warning": r.warning,
            "critical": r.critical,
        },
        "duties": [_duty_check_json(d) for d in lic.duties],
    }


def _duty_check_json(d: DutyCheck) -> dict[str, Any]:
    return {
        "obligation": d.obligation,
        "clause": d.clause,
        "source": d.source,
        "citation": d.citation,
        "title": {"zh": d.title.zh, "en": d.title.en},
        "due_date": d.due_date.isoformat(),
        "weekday": WEEKDAYS["en"][d.due_date.weekday()],
        "due_at": _china_time(d.due_at),
        "days_left": d.days_left,
        "working_days_left": d.working_days_left,
        "deadline_status": d.deadline_status,
        "status": d.status,
        "late": d.late,
        "estimated": d.estimated,
        "event_date": _iso_or_none(d.event_date),
        "window_start": _iso_or_none(d.window_start),
        "message": d.message,
    }


def _china_time(moment: dt.datetime | None) -> str | None:
    """An ISO date-time in China time with its offset (2026-11-28T18:05:00+08:00)."""
    if moment is None:
        return None
    china = dt.timezone(dt.timedelta(hours=8))
    return (moment.astimezone(china) if moment.tzinfo else moment.replace(tzinfo=china)).isoformat()


def calendar_json(shown: Sequence[Month], as_of: dt.date, calendar: Calendar, lang: str) -> dict[str, Any]:
    """The `calendar --json` document: the same facts as the grids, a day at a time."""
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "months": [
            {
                "year": month.year,
                "month": month.month,
                "estimated": month.estimated,
                "days": [
                    {
                        "date": day.date.isoformat(),
                        "weekday": WEEKDAYS["en"][day.date.weekday()],
                        "kind": day.kind,
                        "workday": day.workday,
                        "name": day.name,
                        "estimated": day.estimated,
                        "deadlines": [deadline_json(d, lang) for d in day.deadlines],
                    }
                    for day in month.days
                ],
            }
            for month in shown
        ],
        "calendar": {
            "estimated_years": sorted(calendar.estimated_years_used),
            "holiday_files": [str(p) for p in calendar.holiday_files],
        },
    }
