"""The regulation pack: dated duties from regulations, shipped as data (data/regulations.yaml).

A licence file that has a `profile:` opts in. Reading it (after its template, templates.py)
adds every pack duty whose `when` matches the profile: a clause with `source: regulation`,
whose obligations carry their legal basis and the day they took effect. An entry that `amends`
an obligation the licence already has adds to it instead (the annual report's grace month).
What the licence file itself says wins: a clause with the same reference, or an obligation with
the same id, keeps the file's version (docs/regulations.md).
"""

from __future__ import annotations

import functools
from typing import Any

from licensecli.errors import DataFileError
from licensecli.models import Profile, normalize_ref

FILE = "regulations.yaml"


@functools.cache
def duties() -> tuple[dict[str, Any], ...]:
    """The pack's entries, read once (our own data, checked by the tests: the C parser)."""
    import yaml

    from licensecli.loader import data_file

    try:
        text = data_file(FILE).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("duties"), list):
        raise DataFileError(f"the bundled regulation pack ({FILE}) is damaged; reinstall licensecli")
    return tuple(data["duties"])


@functools.cache
def obligation_ids() -> frozenset[str]:
    """Every obligation id the pack can add."""
    return frozenset(ob["id"] for entry in duties() for ob in entry.get("obligations", []))


def applies(when: dict[str, Any] | None, profile: Profile) -> bool:
    """Whether an entry's `when` matches the profile (every key given must match)."""
    for key, wanted in (when or {}).items():
        if key == "always":
            continue
        level = profile.protection_level
        if key == "protection_level_at_least":
            if level is None or level < wanted:
                return False
        elif key == "protection_level":
            if level != wanted:
                return False
        elif key == "cross_border":
            if wanted not in profile.cross_border:
                return False
        elif getattr(profile, key) != wanted:
            return False
    return True


def profile_of(data: dict[str, Any]) -> Profile | None:
    """The file's profile when it has a valid one (an invalid one is the model's to report)."""
    if "profile" not in data:
        return None
    raw = data["profile"] if data["profile"] is not None else {}  # `profile:` alone opts in too
    from pydantic import ValidationError

    try:
        return Profile.model_validate(raw)
    except ValidationError:
        return None


def apply(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """`data` (template already resolved) with the pack's duties for its profile, and how many
    clauses were added at the end of data["clauses"] (0 without a valid profile)."""
    if "profile" in data and data["profile"] is None:  # `profile:` alone opts in, like `profile: {}`
        data = {**data, "profile": {}}
    profile = profile_of(data)
    clauses = data.get("clauses")
    if profile is None or not isinstance(clauses, list):
        return data, 0
    # The licences of one template and profile give the same clauses: worked out once, and the
    # clauses the pack made are then shared by them as the template's are (templates.py takes
    # them validated). The entry holds the clauses its key has the ids of, so no id is reused.
    key = (tuple(map(id, clauses)), repr(profile))
    found = _APPLIED.get(key)
    if found is None:
        if len(_APPLIED) >= APPLIED_KEPT:
            _APPLIED.clear()
            _MADE.clear()
        with_duties, added = _with_duties(clauses, profile)
        given = set(map(id, clauses))
        _MADE.update((id(c), [c, None]) for c in with_duties if isinstance(c, dict) and id(c) not in given)
        found = _APPLIED[key] = (clauses, with_duties, added)
    return {**data, "clauses": list(found[1])}, found[2]


APPLIED_KEPT = 64
_APPLIED: dict[tuple[tuple[int, ...], str], tuple[list[Any], list[Any], int]] = {}
# The clauses the pack made for an entry of _APPLIED, by id: [the clause, its Clause once validated].
_MADE: dict[int, list[Any]] = {}


def validated(clause: object) -> object:
    """A clause the pack made (`apply`, shared by the licences of one template and profile) as its
    validated Clause, made once, like a template's (templates.py); any other clause, and one
    that does not validate (then the licence's validation reports it), as it is."""
    entry = _MADE.get(id(clause))
    if entry is None or entry[0] is not clause:
        return clause
    if entry[1] is None:
        from pydantic import ValidationError

        from licensecli.models import Clause

        try:
            entry[1] = Clause.model_validate(clause)
        except ValidationError:
            entry[1] = clause
    return entry[1]


def _with_duties(clauses: list[Any], profile: Profile) -> tuple[list[Any], int]:
    """`clauses` with the pack's duties for `profile`, and how many clauses were added at the end."""
    clauses = list(clauses)  # the template's clauses are shared: changed ones are copied (_amended)
    obligations = {ob.get("id"): ob for ob in _obligations(clauses)}
    refs = {normalize_ref(str(c.get("ref", ""))) for c in _clauses(clauses)}
    added = 0
    for entry in duties():
        if not applies(entry.get("when"), profile):
            continue
        if "amends" in entry:
            if entry["amends"] in obligations:
                clauses = _amended(clauses, entry["amends"], entry)
            continue
        if normalize_ref(entry["ref"]) in refs:
            continue  # the licence file's own clause of that reference wins
        kept = []
        for ob in entry["obligations"]:
            if ob["id"] in obligations or not applies(ob.get("when"), profile):
                continue
            kept.append({k: v for k, v in ob.items() if k != "when"})
        if not kept:
            continue
        clause = {k: v for k, v in entry.items() if k != "when"}
        clause["source"] = "regulation"
        clause["obligations"] = kept
        clauses.append(clause)
        obligations.update((ob["id"], ob) for ob in kept)
        added += 1
    return clauses, added


def _amended(clauses: list[Any], obligation: str, entry: dict[str, Any]) -> list[Any]:
    """`clauses` with the obligation `obligation` amended by `entry`: the clause holding it (and
    its parent) copied, the rest shared."""
    result = []
    for clause in clauses:
        if isinstance(clause, dict):
            obligations = clause.get("obligations")
            if isinstance(obligations, list) and any(
                isinstance(ob, dict) and ob.get("id") == obligation for ob in obligations
            ):
                changed = [
                    _amend(ob, entry) if isinstance(ob, dict) and ob.get("id") == obligation else ob
                    for ob in obligations
                ]
                clause = {**clause, "obligations": changed}
            elif isinstance(clause.get("items"), list):
                items = _amended(clause["items"], obligation, entry)
                if any(new is not old for new, old in zip(items, clause["items"], strict=True)):
                    clause = {**clause, "items": items}
        result.append(clause)
    return result


def _amend(target: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """A yearly window the licence already has, with the pack's grace, note and basis added."""
    amended = dict(target)
    rule, given = target.get("rule"), entry.get("rule", {})
    grace = given.get("window", {}).get("grace_until")
    if isinstance(rule, dict) and rule.get("kind") == "window" and isinstance(rule.get("window"), dict):
        window = rule["window"]
        if "grace_until" not in window and grace:
            amended["rule"] = {**rule, "window": {**window, "grace_until": grace}}
    if "note" in entry:
        amended["note"] = entry["note"]
    basis = target.get("basis")
    amended["basis"] = [*(basis if isinstance(basis, list) else []), *entry.get("basis", [])]
    return amended


def _clauses(clauses: list[Any]) -> list[dict[str, Any]]:
    found = []
    for clause in clauses:
        if isinstance(clause, dict):
            found.append(clause)
            items = clause.get("items")
            if isinstance(items, list):
                found.extend(_clauses(items))
    return found


def _obligations(clauses: list[Any]) -> list[dict[str, Any]]:
    return [
        ob
        for clause in _clauses(clauses)
        if isinstance(clause.get("obligations"), list)
        for ob in clause["obligations"]
        if isinstance(ob, dict)
    ]
