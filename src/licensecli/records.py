"""What happens to a licence, recorded in its file: events (added, done, removed) and renewals
(filed, granted). Each function checks the request against the licence as it stands, then has
edit.py change the file in place — comments and layout kept, the result validated exactly as
`licensecli validate` would before it atomically replaces the original, under a lock.

Pure of the clock: `today` is passed in (an event or a filing cannot be recorded before it
happened).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from licensecli import edit, loader
from licensecli.engine import license_problems, resolve_obligation
from licensecli.errors import DataFileError, InputError
from licensecli.life import refuse_after_lapse
from licensecli.models import Event, License, Obligation, renewal_deadline_unrolled
from licensecli.workdays import Calendar
from licensecli.yamlfile import dotted, excerpt, shown


class Recorded(NamedTuple):
    """The outcome of an edit: the licence after it, and a sentence saying what was recorded."""

    license: License
    what: str


def _current(path: Path) -> License:
    """The licence in `path`, which must be valid before anything is recorded in it."""
    if path.resolve() == loader.bundled_license_path().resolve():
        raise InputError(
            f"{shown(path)} is the licence bundled with licensecli and is not edited in place; record "
            f"in your own copy: cp '{path}' my-licence.yaml, then -l my-licence.yaml (or set "
            "LICENSECLI_LICENSE to it)"
        )
    try:
        return loader.load_license(path)
    except DataFileError as exc:
        raise DataFileError(
            f"{exc.message} — fix the file first (licensecli validate {shown(path)}); nothing was changed",
            details=exc.details,
        ) from None


def _apply(
    path: Path,
    change: Callable[[edit.Document], None],
    today: dt.date,
    calendar: Calendar,
    lock_timeout: float,
) -> License:
    """Edit `path` with `change`; the result must load and pass the checks `validate` makes."""
    result: list[License] = []

    def check(text: str) -> None:
        try:
            lic = loader.license_from_text(text, path)
        except DataFileError as exc:
            raise DataFileError(
                f"{exc.message} — in the edited file, which would not be valid; nothing was changed",
                details=exc.details,
            ) from None
        problems = license_problems(lic, today, calendar)
        if problems:
            where = dotted(problems[0].loc)
            raise InputError(f"{shown(path)}: {where}: {problems[0].message}; nothing was changed")
        result.append(lic)

    edit.edit_yaml(path, change, check=check, lock_timeout=lock_timeout)
    return result[-1]


def _not_future(day: dt.date, today: dt.date, option: str, what: str) -> None:
    if day > today:
        raise InputError(
            f"{option} {day} is in the future (today is {today}); record the {what} once it has happened"
        )


# --- events ----------------------------------------------------------------------------------


def add_event(
    path: Path,
    obligation: str,
    on: dt.date,
    *,
    today: dt.date,
    calendar: Calendar,
    note: str | None = None,
    ref: str | None = None,
    at: str | None = None,
    done_on: dt.date | None = None,
    lock_timeout: float = edit.LOCK_TIMEOUT,
    now: dt.time | None = None,
) -> Recorded:
    """Record that the event starting `obligation`'s clock happened on `on` (at `at`, HH:MM, for
    a period in hours), or, for a yearly report, that it was filed on `on` (R14); `done_on` when
    the duty is already done. `now` is the time in China on `today`: a time after it is refused."""
    lic = _current(path)
    _, ob = resolve_obligation(lic, obligation)
    if ob.rule.kind == "window":
        if at is not None or done_on is not None:
            raise InputError(
                f"{ob.id} is a yearly report: its event is the day it was filed (--on), nothing more"
            )
        _one_filing_a_year(lic, ob, on)
        return _record(path, lic, ob.id, on, today, calendar, lock_timeout, note=note, ref=ref, filed=True)
    if at is not None and now is not None and on == today and dt.time.fromisoformat(at) > now:
        raise InputError(
            f"--at {at} is later than now ({now.strftime('%H:%M')} in China); record the event once it "
            "has happened"
        )
    if ob.rule.anchor != "event" and ob.rule.kind != "promptly":
        runs = f"runs from the licence's {ob.rule.anchor}"
        if ob.rule.kind == "ongoing":
            runs = "is a standing duty with no date"
        raise InputError(
            f"{ob.id} is not started by an event (it {runs}); only event duties are recorded (see the "
            "event-triggered rules in `licensecli deadlines`)"
        )
    if ob.rule.anchor != "event":
        raise InputError(
            f"{ob.id} has no fixed period ({ob.rule.kind}): there is no deadline to record an event for"
        )
    if ob.rule.kind == "hours_after" and at is None:
        raise InputError(
            f"{ob.id} is due {ob.rule.hours} hours after the event: give its time with --at HH:MM (China time)"
        )
    if at is not None and ob.rule.kind not in ("hours_after", "immediately"):
        raise InputError(f"{ob.id} is counted in days, not hours: give no --at")
    if done_on is not None:
        _not_future(done_on, today, "--done-on", "completion")
        if done_on < on:
            raise InputError(f"--done-on {done_on} is before the event ({on})")
    return _record(
        path, lic, ob.id, on, today, calendar, lock_timeout, note=note, ref=ref, at=at, done_on=done_on
    )


def _one_filing_a_year(lic: License, ob: Obligation, on: dt.date) -> None:
    """A yearly report is filed once a year: a second filing for the year `on` falls in (from its
    window's start to the next one's) is refused, naming the first."""
    from licensecli.rules import filing_year

    year = filing_year(ob.rule, on)
    for number, event in enumerate(lic.events, 1):
        if event.obligation == ob.id and filing_year(ob.rule, event.on) == year:
            raise InputError(
                f"{ob.id} of {year} is already recorded as filed on {event.on} (event #{number}); "
                "remove that event first if the date is wrong (licensecli event remove)"
            )


def _record(
    path: Path,
    lic: License,
    obligation: str,
    on: dt.date,
    today: dt.date,
    calendar: Calendar,
    lock_timeout: float,
    *,
    note: str | None,
    ref: str | None,
    at: str | None = None,
    done_on: dt.date | None = None,
    filed: bool = False,
) -> Recorded:
    """Append the event after the checks every event gets: not in the future, not before the
    grant, not after the lapse."""
    _not_future(on, today, "--on", "filing" if filed else "event")
    began = lic.first_granted_on or lic.issued_on
    if on < began:
        what = "first granted" if lic.first_granted_on else "issued"
        raise InputError(
            f"--on {on} is before licence {lic.number} was {what} ({began}); if it was granted earlier than "
            "this certificate says, record first_granted_on in the file"
        )
    refuse_after_lapse(lic, on, today, "--on")
    item = edit.flow_map(obligation=obligation, on=on, at=at, note=note, ref=ref, done_on=done_on)
    new = _apply(path, lambda doc: edit.block_list(doc, "events").append(item), today, calendar, lock_timeout)
    what = "filed" if filed else "on"
    when = f"{on} {at}" if at else str(on)
    return Recorded(new, f"recorded {obligation} {what} {when} as event #{len(new.events)}")


def find_event(lic: License, selector: str, on: dt.date | None, path: Path) -> int:
    """The index of the event `selector` names: its number in `event list` (1, 2 …), or an
    obligation id (with `on` when the licence records it more than once)."""
    try:
        return _find_event(lic, selector, on)
    except InputError as exc:
        raise InputError(f"{shown(path)}: {exc.message}") from None


def _find_event(lic: License, selector: str, on: dt.date | None) -> int:
    if selector.isdecimal() and len(selector) <= 6:
        number = int(selector)
        if not 1 <= number <= len(lic.events):
            raise InputError(
                f"no event #{number}: the licence records {len(lic.events)} (see `licensecli event list -l FILE`)"
            )
        if on is not None and lic.events[number - 1].on != on:
            raise InputError(f"event #{number} happened on {lic.events[number - 1].on}, not {on}")
        return number - 1
    matches = [
        i for i, e in enumerate(lic.events) if e.obligation == selector.strip() and (on is None or e.on == on)
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        when = f" on {on}" if on is not None else ""
        raise InputError(f"no recorded event '{excerpt(selector)}'{when} (see `licensecli event list`)")
    listed = ", ".join(f"#{i + 1} ({lic.events[i].on})" for i in matches)
    raise InputError(
        f"{len(matches)} events of {excerpt(selector)}: {listed}; name one by its number or add --on DATE"
    )


def _event_at(doc: edit.Document, index: int, event: Event) -> Any:
    """The mapping of event `index` in the file, checked to be the one the model read."""
    items = doc.get("events")
    if not isinstance(items, list) or index >= len(items) or not isinstance(items[index], dict):
        raise InputError("the events changed while they were read; run the command again")
    item = items[index]
    if item.get("obligation") != event.obligation or item.get("on") != event.on:
        raise InputError("the events changed while they were read; run the command again")
    return item


def done_event(
    path: Path,
    selector: str,
    done_on: dt.date,
    *,
    today: dt.date,
    calendar: Calendar,
    on: dt.date | None = None,
    lock_timeout: float = edit.LOCK_TIMEOUT,
) -> Recorded:
    """Record that the duty of an event was done (reported, filed) on `done_on`."""
    lic = _current(path)
    index = find_event(lic, selector, on, path)
    event = lic.events[index]
    _not_future(done_on, today, "--done-on", "completion")
    if done_on < event.on:
        raise InputError(
            f"--done-on {done_on} is before event #{index + 1} happened ({event.on}); give the day the duty was done"
        )
    if event.done_on == done_on:
        return Recorded(lic, f"event #{index + 1} ({event.obligation}) was already done on {done_on}")

    def change(doc: edit.Document) -> None:
        edit.add_key(_event_at(doc, index, event), "done_on", done_on)

    new = _apply(path, change, today, calendar, lock_timeout)
    return Recorded(new, f"event #{index + 1} ({event.obligation} on {event.on}) done on {done_on}")


def remove_event(
    path: Path,
    selector: str,
    *,
    today: dt.date,
    calendar: Calendar,
    on: dt.date | None = None,
    lock_timeout: float = edit.LOCK_TIMEOUT,
) -> Recorded:
    """Remove a recorded event (one recorded by mistake)."""
    lic = _current(path)
    index = find_event(lic, selector, on, path)
    event = lic.events[index]

    def change(doc: edit.Document) -> None:
        _event_at(doc, index, event)
        edit.remove_item(doc, "events", index)

    new = _apply(path, change, today, calendar, lock_timeout)
    moved = "" if index == len(lic.events) - 1 else f"; the events after it are now #{index + 1} …"
    return Recorded(new, f"removed event #{index + 1} ({event.obligation} on {event.on}){moved}")


# --- renewals --------------------------------------------------------------------------------


def _renewals(doc: edit.Document) -> Any:
    """The file's `renewals` list (added at the end when missing). An older `renewal_filed_on`
    stays where it is, with its comments: it is the first period's filing, and renewals[0]
    then holds only the grant (models.License.renewal_records joins them)."""
    return edit.block_list(doc, "renewals")


def renewal_filed(
    path: Path,
    on: dt.date,
    *,
    today: dt.date,
    calendar: Calendar,
    ref: str | None = None,
    lock_timeout: float = edit.LOCK_TIMEOUT,
) -> Recorded:
    """Record that the renewal of the period in force was applied for on `on`."""
    lic = _current(path)
    _not_future(on, today, "--on", "filing")
    last = lic.periods()[-1]  # the period a filing can still belong to: the latest
    if last.renewal is not None and last.renewal.filed_on is not None:
        raise InputError(
            f"the renewal of the period ending {last.end} was already filed on {last.renewal.filed_on}; "
            "record the decision with `licensecli renewal granted`"
        )
    if on < last.start:
        raise InputError(f"--on {on} is before the validity period it would renew began ({last.start})")
    if on > last.end:
        raise InputError(
            f"licence {lic.number} expired on {last.end}: a licence cannot be renewed once expired "
            "(令42号 第二十七条); apply for a new one"
        )
    deadline = renewal_deadline_unrolled(lic, last.end)
    late = ""
    if deadline is not None and on > deadline:
        late = (
            f"; it is after the filing deadline ({deadline}, 90 days before the expiry): 令42号 "
            "第二十七条 says a late application is not renewed"
        )
    item = edit.flow_map(filed_on=on, ref=ref)
    new = _apply(path, lambda doc: _renewals(doc).append(item), today, calendar, lock_timeout)
    return Recorded(new, f"renewal of the period ending {last.end} filed on {on}{late}")


def renewal_granted(
    path: Path,
    valid_until: dt.date,
    *,
    today: dt.date,
    calendar: Calendar,
    on: dt.date | None = None,
    ref: str | None = None,
    lock_timeout: float = edit.LOCK_TIMEOUT,
) -> Recorded:
    """Record that the renewal of the last period was granted, valid until `valid_until`."""
    lic = _current(path)
    if on is not None:
        _not_future(on, today, "--on", "grant")
    last = lic.periods()[-1]
    if valid_until <= last.end:
        raise InputError(
            f"--valid-until {valid_until} is not after the period it renews (ending {last.end}); give the "
            "renewed licence's last valid day"
        )
    pending = last.renewal is not None and last.renewal.valid_until is None
    filed = None if last.renewal is None else last.renewal.filed_on
    if pending and on is not None and filed is not None and on < filed:
        raise InputError(f"--on {on} is before the renewal was filed ({filed})")

    # An older file's renewal_filed_on is the pending filing: the grant gets an entry of its own.
    legacy = pending and lic.renewal_filed_on is not None and not lic.renewals

    def change(doc: edit.Document) -> None:
        items = _renewals(doc)
        if pending and not legacy:
            item = items[-1]
            position = list(item).index("filed_on") + 1 if "filed_on" in item else 0
            if on is not None:
                item.insert(position, "granted_on", on)
                position += 1
            item.insert(position, "valid_until", valid_until)
            if ref is not None and "ref" not in item:
                item["ref"] = edit.flow_map(ref=ref)["ref"]
        else:
            items.append(edit.flow_map(granted_on=on, valid_until=valid_until, ref=ref))

    new = _apply(path, change, today, calendar, lock_timeout)
    granted = f" on {on}" if on is not None else ""
    return Recorded(new, f"renewal granted{granted}: licence {lic.number} valid until {valid_until}")
