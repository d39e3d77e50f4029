"""Licence templates: the standard special provisions (特别规定事项) shipped as data.

A template is a YAML file in the package's data/templates/ folder holding clauses (and the
licence kind and issuer they belong to). A licence file that says `template: cross-region`
holds only its header, events and deviations; reading it resolves the template's clauses first
(docs/licence-file.md#templates):

1. the template's clauses, in its order (a template may itself be `based_on` another and `omit`
   some of its clauses: the provincial template is the cross-region one without 十三);
2. minus the clauses the licence file lists under `omit` (by reference: 十三, 13, 十五（十）);
3. then the file's own `clauses`: one with the reference of a template clause replaces it in
   place, any other is added at the end.

`kind` and `issuer` default to the template's when the file leaves them out.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, NamedTuple

from licensecli.errors import DataFileError
from licensecli.models import Clause, normalize_ref
from licensecli.yamlfile import Loc, excerpt, one_line

FOLDER = "templates"
PACK = -1  # the origin of a clause the regulation pack added (Resolved.origin)


class Resolved(NamedTuple):
    """A licence's data with its template applied, and where each clause came from."""

    data: dict[str, Any]
    # For each clause of data["clauses"]: its index in the file's own `clauses`, None when it
    # comes from the template, PACK from the regulation pack (so that an error can name the
    # right line, the template or the pack).
    origin: list[int | None]
    problems: list[tuple[Loc, str]]


@functools.cache
def names() -> list[str]:
    """The bundled templates' names, sorted (read once: every licence file asks)."""
    from licensecli.loader import data_file

    folder = data_file(FOLDER, "cross-region.yaml").parent
    return sorted(p.stem for p in folder.glob("*.yaml"))


@functools.lru_cache(maxsize=16)
def template(name: str) -> dict[str, Any]:
    """A template's data with its own `based_on` and `omit` applied; DataFileError if unknown."""
    import yaml

    from licensecli.loader import data_file

    if name not in names():
        raise DataFileError(f"no template '{excerpt(name)}' (bundled: {', '.join(names())})")
    # Our own data, checked by the tests: the C parser without the line bookkeeping a user's file
    # gets (it would cost a cold start some 20 ms).
    try:
        text = data_file(FOLDER, f"{name}.yaml").read_text(encoding="utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("clauses", []), list):
        raise DataFileError(f"the bundled template '{name}' is damaged; reinstall licensecli")
    base = data.get("based_on")
    if base is not None:
        parent = template(str(base))
        kept, missing = _omit(parent["clauses"], data.get("omit", []))
        if missing:
            raise DataFileError(f"template '{name}' omits clauses its base lacks: {', '.join(missing)}")
        # Only the clauses are inherited: the kind and issuer are the template's own.
        data = {**data, "clauses": kept + list(data.get("clauses", []))}
    return data


def template_path(name: str) -> Path:
    """The file a template is read from (for messages and `init`)."""
    from licensecli.loader import data_file

    return data_file(FOLDER, f"{name}.yaml")


def _omit(clauses: list[Any], refs: object) -> tuple[list[Any], list[str]]:
    """The clauses without those whose reference is in `refs` (top level or sub-items), and the
    references that matched none."""
    wanted = {normalize_ref(str(r)): str(r) for r in refs} if isinstance(refs, list) else {}
    if not wanted:  # most licences omit nothing: the template's own clause objects, unwalked
        return list(clauses), []
    used: set[str] = set()

    def keep(items: list[Any]) -> list[Any]:
        kept = []
        for clause in items:
            key = normalize_ref(str(clause.get("ref", ""))) if isinstance(clause, dict) else None
            if key in wanted:
                used.add(key)
                continue
            if isinstance(clause, dict) and isinstance(clause.get("items"), list):
                items = keep(clause["items"])
                # Unchanged (at any depth: keep returns the same objects), it stays the template's own.
                if len(items) != len(clause["items"]) or any(
                    a is not b for a, b in zip(items, clause["items"], strict=True)
                ):
                    clause = {**clause, "items": items}
            kept.append(clause)
        return kept

    kept = keep(clauses)
    return kept, [text for key, text in wanted.items() if key not in used]


def resolve(data: dict[str, Any]) -> Resolved:
    """`data` with its template's clauses, kind and issuer filled in (unchanged without one),
    then the regulation pack's duties for its profile, if it has one (pack.py)."""
    found = _resolve_template(data)
    if "profile" in data:
        from licensecli import pack

        with_pack, added = pack.apply(found.data)
        found = Resolved(with_pack, [*found.origin, *([PACK] * added)], found.problems)
    name = data.get("template")
    if isinstance(name, str) and name in names():
        found = _with_validated(found, name)
    return found


@functools.cache
def _validated(name: str) -> dict[int, tuple[dict[str, Any], Clause]]:
    """A template's clauses, each validated once: id of its data → (the data, the Clause). The
    data is held too, so an id is never reused while the entry lives."""
    from licensecli.models import Clause

    return {id(c): (c, Clause.model_validate(c)) for c in template(name)["clauses"] if isinstance(c, dict)}


def _with_validated(found: Resolved, name: str) -> Resolved:
    """The template's clauses that reach the licence unchanged, as already-validated models: a
    folder of thousands of licences of one template validates its clauses once, not per file;
    so are the clauses the regulation pack made for a profile (pack.validated). (A clause the
    licence omits a sub-item of is new data and is validated with the file.)"""
    clauses = found.data.get("clauses")
    if not isinstance(clauses, list):
        return found
    # The licences of a template mostly have the very same clause objects: swapped once for them.
    # The entry holds the clauses whose ids make its key, so no id is reused while it lives.
    key = (name, tuple(map(id, clauses)))
    done = _SWAPPED.get(key)
    if done is None:
        from licensecli import pack

        index = _validated(name)
        swapped: list[Any] = []
        for clause in clauses:
            entry = index.get(id(clause))
            swapped.append(entry[1] if entry is not None and entry[0] is clause else pack.validated(clause))
        if len(_SWAPPED) >= 64:
            _SWAPPED.clear()
        done = _SWAPPED[key] = (tuple(clauses), tuple(swapped))
    return found._replace(data={**found.data, "clauses": list(done[1])})


_SWAPPED: dict[tuple[str, tuple[int, ...]], tuple[tuple[Any, ...], tuple[Any, ...]]] = {}


def _resolve_template(data: dict[str, Any]) -> Resolved:
    own = data.get("clauses")
    own_list = own if isinstance(own, list) else []
    name = data.get("template")
    if name is None:
        if "omit" in data:
            return Resolved(data, list(range(len(own_list))), [(("omit",), "goes with a template: name one")])
        return Resolved(data, list(range(len(own_list))), [])
    if not isinstance(name, str) or name not in names():
        known = ", ".join(names())
        return Resolved(
            data,
            list(range(len(own_list))),
            [(("template",), f"no template '{excerpt(str(name))}'; the bundled ones are: {known}")],
        )
    base = template(name)
    problems: list[tuple[Loc, str]] = []
    omit = data.get("omit", [])
    if not isinstance(omit, list):
        problems.append((("omit",), "is a list of clause references, e.g. [十三, 十五（十）]"))
        omit = []
    for i, ref in enumerate(omit):
        if isinstance(ref, float):  # 15.8 unquoted is a number to YAML, and 15.10 would be 15.1
            problems.append(
                ((("omit", i)), f"{ref} is read as a number; write it in quotes ('{ref}') or as 十五（…）")
            )
        elif not isinstance(ref, str | int) or isinstance(ref, bool):
            problems.append(((("omit", i)), "is a clause reference, e.g. 十三 or '15.8'"))
    omit = [str(ref) for ref in omit if isinstance(ref, str | int) and not isinstance(ref, bool)]
    clauses, missing = _omit(base["clauses"], omit)
    for text in missing:
        problems.append((("omit",), f"'{excerpt(text)}' is not a clause of template {name}"))
    origin: list[int | None] = [None] * len(clauses)
    by_key = {normalize_ref(str(c.get("ref", ""))): i for i, c in enumerate(clauses)} if own_list else {}
    if own is not None and not isinstance(own, list):
        own_list = []  # the model reports the wrong type at `clauses`
        clauses.append(own)
        origin.append(0)
    for j, clause in enumerate(own_list):
        key = normalize_ref(str(clause.get("ref", ""))) if isinstance(clause, dict) else None
        if key is not None and key in by_key:
            clauses[by_key[key]] = clause
            origin[by_key[key]] = j
        else:
            clauses.append(clause)
            origin.append(j)
    resolved = {**data, "clauses": clauses}
    if "omit" in data:
        resolved["omit"] = omit  # the references it understood, as text
    for field in ("kind", "issuer"):
        if field not in data and field in base:
            resolved[field] = base[field]
    return Resolved(resolved, origin, problems)


class Header(NamedTuple):
    """What `licensecli init` asks for: the fields printed on the certificate."""

    number: str
    holder: str
    legal_representative: str
    issuer: str
    issued_on: dt.date
    valid_until: dt.date
    services: tuple[tuple[str, str], ...]  # (service, coverage)
    kind: str | None = None  # the template's when None
    first_granted_on: dt.date | None = None


def licence_file_text(name: str, header: Header, today: dt.date) -> str:
    """A new licence file that refers to template `name`: the header, commented hints, and empty
    renewals and events for the commands that record them."""
    base = template(name)
    lines = [
        f"# Licence {header.number} ({header.holder}), written by `licensecli init` on {today}.",
        f'# Its special provisions (特别规定事项) come from the bundled template "{name}": a fix there',
        "# reaches this file. Check every field below against the certificate, then",
        "# `licensecli validate FILE` and `licensecli deadlines FILE`. Fields: docs/licence-file.md.",
        "schema_version: 1",
        f"template: {name}",
        f"number: {one_line(header.number)}",
        f"kind: {one_line(header.kind or base.get('kind', ''))}",
        f"holder: {one_line(header.holder)}",
        f"legal_representative: {one_line(header.legal_representative)}",
        "services:",
    ]
    for service, coverage in header.services:
        lines += [f"  - service: {one_line(service)}", f"    coverage: {one_line(coverage)}"]
    lines += [
        f"issuer: {one_line(header.issuer)}",
        f"issued_on: {header.issued_on.isoformat()}",
        f"valid_until: {header.valid_until.isoformat()}",
    ]
    if header.first_granted_on is not None:
        lines += [
            "# The licence was first granted before this certificate was issued (a change reissues it):",
            f"first_granted_on: {header.first_granted_on.isoformat()}",
        ]
    else:
        lines += [
            "# If this certificate was reissued after a change (变更), the day the licence was first",
            "# granted; duties that run from obtaining the licence and the annual reports count from it:",
            "# first_granted_on: YYYY-MM-DD",
        ]
    lines += [
        "# A template clause that does not apply can be left out, and one your certificate words",
        "# differently written out here (it replaces the template's clause with the same ref):",
        "# omit: [十五（十）]",
        "# clauses:",
        "#   - ref: 十一",
        "#     title: {zh: …, en: …}",
        "#     text: …",
        "#     obligations: […]",
        "# Renewals are recorded by `licensecli renewal filed --on DATE -l FILE` and, once decided,",
        "# `licensecli renewal granted --valid-until DATE --on DATE -l FILE`.",
        "renewals: []",
        "# Events that start a clock are recorded by `licensecli event add OBLIGATION --on DATE -l FILE`,",
        "# e.g. `licensecli event add illegal-info-report --on YYYY-MM-DD --note 处置记录 -l FILE`.",
        "events: []",
    ]
    return "\n".join(lines) + "\n"
