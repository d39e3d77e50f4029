"""The fast paths give the plain paths' output byte for byte (issue 17):

- a folder read a licence at a time, on several processes, with its `deadlines --json` output
  spooled to temporary files and merged, against the in-memory path (load every licence, then
  engine.deadlines / renewal.renew_check / checks.check, then one document);
- JSON written by orjson against the standard library's json module;
- `due --batch` with errors among its lines against the single-query answers;

and an error still names `file:line`, whichever process read the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensecli import checks, engine, loader, portfolio, renewal
from licensecli.errors import DataFileError, LicenseCliError
from licensecli.output import documents
from licensecli.workdays import Calendar

from .conftest import BUNDLED, REPO, licence_text, run
from .test_workdays import FILE_2027

AS_OF = "2026-06-01"
PROFILE = (
    "profile: {protection_level: 3, number_resources: true, personal_information_over_10m: true, "
    "cross_border: [security_assessment, standard_contract]}"
)


def mixed_folder(folder: Path) -> Path:
    """Licences of every kind, each its own number: the bundled one (a template, lapsed by
    AS_OF), one written out in full with events, one with a regulation profile, one whose
    renewal is pending, the fictional calendar licence, and template copies valid until 2028."""
    folder.mkdir()
    bundled = BUNDLED.read_text(encoding="utf-8")
    (folder / "a-bundled.yaml").write_text(bundled, encoding="utf-8")
    events = "[{obligation: illegal-info-report, on: 2026-05-25}, {obligation: entity-change-application, on: 2026-04-20}]"
    (folder / "b-full.yaml").write_text(
        licence_text(number="B2-20990101", valid_until="2031-01-21", events=events), encoding="utf-8"
    )
    profiled = (
        bundled.replace("B2-20210247", "B2-20990102")
        .replace("issued_on: 2023-05-31", "issued_on: 2024-03-01")
        .replace("valid_until: 2026-01-21", "valid_until: 2029-03-01")
        .replace("events: []", f"{PROFILE}\nevents: [{{obligation: annual-report, on: 2025-03-01}}]")
    )
    (folder / "c-profile.yaml").write_text(profiled, encoding="utf-8")
    (folder / "d-pending.yaml").write_text(
        licence_text(number="B2-20990103", valid_until="2026-06-20", renewal_filed_on="2026-03-10"),
        encoding="utf-8",
    )
    shutil.copy(REPO / "tests" / "data" / "calendar-licence.yaml", folder / "e-calendar.yaml")
    for i in range(7):
        copy = bundled.replace("B2-20210247", f"B2-3000000{i}").replace(
            "valid_until: 2026-01-21", f"valid_until: 2028-0{i + 1}-21"
        )
        (folder / f"f-copy{i}.yaml").write_text(copy, encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return mixed_folder(tmp_path / "licences")


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two worker processes from two files on, and spools that spill after two items."""
    monkeypatch.setattr(portfolio, "PARALLEL_FROM", 2)
    monkeypatch.setattr(portfolio, "SPOOL_ITEMS", 2)
    monkeypatch.setattr(portfolio, "RUN_ITEMS", 3)
    monkeypatch.setenv("LICENSECLI_JOBS", "2")


COMMANDS = [
    ("deadlines", "--json"),
    ("deadlines", "--json", "--all", "--lang", "zh"),
    ("deadlines", "--json", "--within", "60"),
    ("renew-check", "--json"),
    ("renew-check", "-v"),
    ("renew-check", "--format", "prometheus"),
    ("check", "--json"),
    ("check", "-v"),
    ("check", "--format", "prometheus"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_folder_on_two_processes_answers_as_on_one(
    folder: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    one = run(*command, "--as-of", AS_OF, str(folder), env={"LICENSECLI_JOBS": "1"})
    monkeypatch.setattr(portfolio, "PARALLEL_FROM", 2)
    monkeypatch.setattr(portfolio, "SPOOL_ITEMS", 2)
    monkeypatch.setattr(portfolio, "RUN_ITEMS", 3)
    calls: list[int] = []
    real_pool = portfolio.each

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(portfolio.jobs())
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(portfolio, "each", counting)
    two = run(*command, "--as-of", AS_OF, str(folder), env={"LICENSECLI_JOBS": "2"})
    assert calls == [2]  # the folder really went through the pool
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert one.stdout.strip()


def test_the_pool_really_forks(folder: Path, parallel: None) -> None:
    """Each worker result comes from another process (the fast path is not quietly the plain one)."""
    import os

    files = loader.expand_paths([folder])
    pids = list(portfolio.each(files, lambda path: os.getpid()))
    assert pids[0] == os.getpid()  # the first file here, warming what the workers inherit
    assert os.getpid() not in pids[1:] and len(pids) == len(files)


@pytest.mark.parametrize("extra", [(), ("--all",), ("--within", "30"), ("--lang", "zh")])
def test_streamed_deadlines_json_is_the_in_memory_document(
    folder: Path, parallel: None, extra: tuple[str, ...]
) -> None:
    result = run("deadlines", "--json", "--as-of", AS_OF, *extra, str(folder))
    assert result.exit_code == 0
    calendar = Calendar()
    licences = loader.load_licenses([folder])
    within = int(extra[1]) if extra[:1] == ("--within",) else None
    report = engine.deadlines(
        licences,
        dt.date.fromisoformat(AS_OF),
        calendar,
        within=within,
        include_all="--all" in extra,
        clock=None,
    )
    lang = "zh" if "zh" in extra else "en"
    assert result.stdout == documents.dumps(documents.report_json(report, calendar, lang))
    assert len(json.loads(result.stdout)["deadlines"]) > portfolio.RUN_ITEMS  # runs were merged


def test_the_bundled_licence_streamed_is_the_in_memory_document() -> None:
    result = run("deadlines", "--json", "--all", "--as-of", "2025-06-01")
    calendar = Calendar()
    report = engine.deadlines([loader.load_license(BUNDLED)], dt.date(2025, 6, 1), calendar, include_all=True)
    assert result.stdout == documents.dumps(documents.report_json(report, calendar, "en"))


def test_renew_check_and_check_streamed_are_the_in_memory_answers(folder: Path, parallel: None) -> None:
    day = dt.date.fromisoformat(AS_OF)
    loaded = loader.load_with_paths([folder])
    summary = renewal.renew_check(loaded, day, Calendar(), duplicates=loader.duplicate_numbers(loaded))
    expected = documents.dumps(
        documents.renew_check_json(summary.status, summary.code, summary.checks, summary.problem)
    )
    assert run("renew-check", "--json", "--as-of", AS_OF, str(folder)).stdout == expected
    report = checks.check(loaded, day, Calendar(), duplicates=loader.duplicate_numbers(loaded))
    assert run("check", "--json", "--as-of", AS_OF, str(folder)).stdout == documents.dumps(
        documents.check_json(report)
    )


def _broken(folder: Path) -> Path:
    """A file whose line 17 is a date that does not exist."""
    text = BUNDLED.read_text(encoding="utf-8").replace("B2-20210247", "B2-20990199")
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("valid_until:"))
    lines[row] = "valid_until: 2028-02-30"
    path = folder / "c-broken.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command", [("deadlines", "--json"), ("renew-check",), ("check", "--json")], ids=" ".join
)
def test_an_unreadable_file_is_named_with_its_line_whichever_process_reads_it(
    folder: Path, parallel: None, command: tuple[str, ...]
) -> None:
    broken = _broken(folder)
    line = broken.read_text(encoding="utf-8").splitlines().index("valid_until: 2028-02-30") + 1
    with pytest.raises(DataFileError) as plain:
        loader.load_license(broken)
    expected = plain.value.message
    assert f"c-broken.yaml:{line}: valid_until: '2028-02-30' is not a real date" in expected
    two = run(*command, "--as-of", AS_OF, str(folder))
    one = run(*command, "--as-of", AS_OF, str(folder), env={"LICENSECLI_JOBS": "1"})
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert expected in two.stdout + two.stderr


def test_a_reading_error_comes_before_a_duplicate_number_and_that_before_a_future_filing(
    folder: Path, parallel: None
) -> None:
    today = dt.date.today()
    future, expiry = (today + dt.timedelta(days=40)).isoformat(), (today + dt.timedelta(days=200)).isoformat()
    (folder / "z-future.yaml").write_text(
        licence_text(number="B2-20990177", valid_until=expiry, renewal_filed_on=future),
        encoding="utf-8",
    )
    shutil.copy(folder / "b-full.yaml", folder / "y-copy.yaml")  # B2-20990101 twice
    _broken(folder)
    first = run("deadlines", "--json", "--as-of", AS_OF, str(folder))
    assert first.exit_code == 1 and "c-broken.yaml:" in first.stderr
    (folder / "c-broken.yaml").unlink()
    second = run("deadlines", "--json", "--as-of", AS_OF, str(folder))
    assert "B2-20990101 is in 2 files" in second.stderr
    (folder / "y-copy.yaml").unlink()
    third = run("deadlines", "--json", "--as-of", AS_OF, str(folder))
    assert "licence B2-20990177: renewal_filed_on" in third.stderr
    for result in (first, second, third):
        plain = run("deadlines", "--json", "--as-of", AS_OF, str(folder), env={"LICENSECLI_JOBS": "1"})
        assert result.stdout == ""
    assert (plain.exit_code, plain.stderr) == (third.exit_code, third.stderr)


@pytest.mark.parametrize(("end", "workers"), [(2, 2), (200, 2), (201, 3), (10_000, 2), (50_000, 8)])
def test_the_chunks_cover_every_file_once_in_order_smaller_towards_the_end(end: int, workers: int) -> None:
    chunks = list(portfolio._chunks(1, end, workers))
    assert chunks[0][0] == 1 and chunks[-1][1] == end
    assert all(a[1] == b[0] for a, b in itertools.pairwise(chunks))  # no gap, no overlap
    sizes = [stop - start for start, stop in chunks]
    assert all(1 <= size <= portfolio.CHUNK for size in sizes)
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
    assert len(chunks) >= min(end - 1, 4 * workers)  # every worker gets several


def test_jobs_must_be_a_whole_number(folder: Path) -> None:
    result = run("deadlines", "--json", str(folder), env={"LICENSECLI_JOBS": "two"})
    assert result.exit_code == 1
    assert "LICENSECLI_JOBS='two': give a whole number of processes" in result.stderr


def test_spools_keep_order_and_sort_stably() -> None:
    rng = random.Random(5)
    items = [(rng.randrange(20), i) for i in range(1000)]
    spool = portfolio.Spool(limit=7)
    ordered = portfolio.SortedSpool(key=lambda item: item[0], run=13)
    for item in items:
        spool.add(item)
        ordered.add(item)
    assert list(spool) == items
    assert list(ordered) == sorted(items, key=lambda item: item[0])


# --- JSON by orjson, as the json module writes it ---------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.text(st.characters(blacklist_categories=("Cs",))),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_orjson_writes_what_the_json_module_writes(value: Any) -> None:
    assert documents.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    if isinstance(value, dict):
        assert documents.dumps_line(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_a_list_item_made_as_bytes_is_the_texts_utf8(value: Any) -> None:
    assert documents.list_item_utf8(value) == documents.list_item(value).encode("utf-8")


def test_event_rule_items_made_as_bytes_are_the_texts_utf8() -> None:
    lic = loader.load_license(BUNDLED)
    shared = engine.shared_event_rules(lic)
    assert len(shared) > 3 and {rule.license for rule in shared} == {""}
    assert engine.event_rules(lic) == [rule._replace(license=lic.number) for rule in shared]
    assert engine.shared_event_rules(loader.load_license(BUNDLED)) is shared  # made once
    for lang in ("en", "zh"):
        for number in ("B2-20210247", '京ICP证"000"号\\', "B2-\udcff"):  # escapes; no UTF-8 form
            some = [rule._replace(license=number) for rule in shared]
            text = ",\n".join(documents.event_rule_item(rule, lang) for rule in some)
            made = documents.event_rule_items_utf8(number, shared, lang)
            assert made == (text if "\udcff" in number else text.encode("utf-8"))
            assert text == ",\n".join(documents.list_item(documents.event_rule_json(r, lang)) for r in some)
        assert documents.event_rule_items_utf8("B2-20210247", (), lang) == b""


def test_a_deadline_made_with_kept_parts_is_the_same_document(folder: Path) -> None:
    """deadline_json(kept=True) (a folder's deadlines --json) shares the basis, rule and steps
    of deadlines that have the same objects: the same document as one made anew, for every
    deadline of the mixed folder (events, renewals, a regulation profile) on several days, in
    both languages, also once the parts are kept."""
    calendar = Calendar()
    compared = 0
    for path in sorted(folder.iterdir()):
        lic = loader.load_license(path)
        for day in (dt.date(2024, 3, 15), dt.date(2026, 6, 1), dt.date(2030, 1, 2)):
            for deadline, _ in engine.license_deadlines(lic, day, calendar):
                for lang in ("en", "zh"):
                    for _ in range(2):  # made, then from what was kept
                        kept = documents.deadline_json(deadline, lang, kept=True)
                        assert kept == documents.deadline_json(deadline, lang)
                        compared += 1
    assert compared > 400


@pytest.mark.parametrize("value", [{"text": "\ud800"}, {"big": 2**70}, ['\x00\x1f\u2028\u202e"\\']])
def test_what_orjson_refuses_the_json_module_writes(value: Any) -> None:
    assert documents.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    if isinstance(value, dict):
        assert documents.dumps_line(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize(
    "command",
    [
        ("deadlines", "--json", "--all"),
        ("show", "--json"),
        ("due", "11", "--on", "2025-12-02", "--explain", "--json"),
        ("check", "--json"),
        ("calendar", "2026-02", "--json"),
        ("workdays", "add", "2026-02-12", "10", "--json"),
    ],
    ids=" ".join,
)
def test_command_output_is_the_json_modules_indenting(command: tuple[str, ...]) -> None:
    result = (
        run(*command, "--as-of", "2025-06-01")
        if command[0] in ("deadlines", "due", "check")
        else run(*command)
    )
    assert result.stdout
    assert result.stdout == json.dumps(json.loads(result.stdout), ensure_ascii=False, indent=2) + "\n"


def test_a_batch_with_errors_among_its_lines_answers_each_as_a_single_query(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(licence_text(number="B2-20990101", valid_until="2031-01-21"), encoding="utf-8")
    rng = random.Random(11)
    good = [
        {
            "obligation": rng.choice(["9", "十一", "15.8", "illegal-info-report"]),
            "on": (dt.date(2024, 1, 1) + dt.timedelta(rng.randrange(900))).isoformat(),
            **({"license": str(other)} if rng.random() < 0.5 else {}),
        }
        for _ in range(12)
    ]
    bad = [
        '{"obligation": "nope", "on": "2026-02-12"}',
        "not json",
        '{"obligation": "9", "on": "2026-02-30"}',
        json.dumps({"obligation": "9", "on": "2026-02-12", "license": str(tmp_path / "missing.yaml")}),
        '{"obligation": "9", "on": "2026-02-12", "on": "2026-02-13"}',
    ]
    lines = [json.dumps(q, ensure_ascii=False) for q in good]
    for i, text in enumerate(bad):
        lines.insert(2 + 3 * i, text)
    batch = run("due", "--batch", "-", "--as-of", "2026-11-28", input="\n".join(lines) + "\n")
    assert batch.exit_code == 1
    answers = batch.stdout.splitlines()
    assert len(answers) == len(lines)
    queries = iter(good)
    for number, (text, answer) in enumerate(zip(lines, answers, strict=True), start=1):
        # Written by orjson, as the json module writes it.
        assert answer == json.dumps(json.loads(answer), ensure_ascii=False, separators=(",", ":"))
        data = json.loads(answer)
        if text in bad:
            assert data["line"] == number and data["error"]
            continue
        query = next(queries)
        args = ["due", query["obligation"], "--on", query["on"], "--json", "--as-of", "2026-11-28"]
        single = run(*args, *(["-l", query["license"]] if "license" in query else []))
        assert single.exit_code == 0
        assert data == json.loads(single.stdout)


@pytest.mark.parametrize("command", ["renew-check", "check"])
def test_a_spooled_json_answer_written_to_a_file_is_the_one_on_stdout(
    folder: Path, parallel: None, tmp_path: Path, command: str
) -> None:
    target = tmp_path / "answer.json"
    to_file = run(command, "--json", "--as-of", AS_OF, "-o", str(target), str(folder))
    on_stdout = run(command, "--json", "--as-of", AS_OF, str(folder))
    assert to_file.stdout == "" and to_file.exit_code == on_stdout.exit_code
    assert target.read_text(encoding="utf-8") == on_stdout.stdout
    assert json.loads(on_stdout.stdout)["licenses"][-1]["number"] == "B2-30000006"


def test_reading_a_spool_back_holds_one_item_at_a_time() -> None:
    """20 MB spooled, read back with a tenth of it in memory at most (the unpickler's memo
    would otherwise keep every item it read)."""
    import tracemalloc

    tracemalloc.start()
    try:
        with portfolio.Spool(limit=100) as spool, portfolio.SortedSpool(key=len, run=100) as ordered:
            for i in range(20_000):
                spool.add(f"{i:06d}" + "x" * 1000)
                ordered.add(f"{i:06d}" + "y" * (1000 + i % 7))
            tracemalloc.reset_peak()
            start = tracemalloc.get_traced_memory()[0]
            assert sum(1 for _ in spool) == 20_000
            assert sum(1 for _ in ordered) == 20_000
            assert tracemalloc.get_traced_memory()[1] - start < 2_000_000
    finally:
        tracemalloc.stop()


def test_a_file_in_a_folder_twice_is_read_once_however_it_is_named(tmp_path: Path) -> None:
    """Folders are listed without a look at each file; a symlink to a file, or the file named as
    well (by another path), still make one licence."""
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.yaml").write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.yaml").symlink_to(folder / "a.yaml")
    (folder / "sub.yaml").mkdir()  # a folder named like a licence: skipped
    (tmp_path / "g").symlink_to(folder)
    assert loader.expand_paths([folder]) == [folder / "a.yaml"]
    assert loader.expand_paths([folder, tmp_path / "g" / "b.yaml"]) == [folder / "a.yaml"]
    assert loader.expand_paths([tmp_path / "g" / "a.yaml", folder]) == [tmp_path / "g" / "a.yaml"]
    assert loader.expand_paths([tmp_path / "g", folder]) == [tmp_path / "g" / "a.yaml"]


def _die_in_a_worker(path: Path) -> str:
    import os

    if path.name == "f-copy3.yaml" and os.getpid() != PARENT[0]:
        os._exit(9)  # as the OOM killer would end it
    return path.name


PARENT = [0]


def test_a_worker_that_dies_is_an_error_not_a_hang(folder: Path, parallel: None) -> None:
    import os

    PARENT[0] = os.getpid()
    files = loader.expand_paths([folder])
    with pytest.raises(LicenseCliError, match="a worker process ended before its licences were read"):
        list(portfolio.each(files, _die_in_a_worker))
    # and the next folder is read as if nothing had happened
    assert list(portfolio.each(files, lambda path: path.name)) == [f.name for f in files]


def test_a_bad_as_of_is_reported_after_an_unreadable_file_as_before(folder: Path, parallel: None) -> None:
    broken = _broken(folder)
    result = run("deadlines", "--json", "--as-of", "2026-13-01", str(folder))
    assert result.exit_code == 1 and f"{broken.name}:" in result.stderr
    broken.unlink()
    result = run("deadlines", "--json", "--as-of", "2026-13-01", str(folder))
    assert result.exit_code == 1 and "2026-13-01" in result.stderr


def test_check_names_the_renewal_thresholds_before_a_refused_estimate(folder: Path) -> None:
    """-w alone below the renewal's critical is said first, as before, whatever the calendar."""
    result = run("check", "--strict-calendar", "-w", "5", "--as-of", AS_OF, str(folder / "f-copy0.yaml"))
    assert result.exit_code == 3 and "give -c as well" in result.stdout


def test_the_calendars_memory_notes_and_refuses_an_estimate_at_every_use() -> None:
    """Two rules resting on the same estimated year: each remembered answer still notes the
    year when asked again, and --strict-calendar still refuses it."""
    from licensecli.errors import EstimateRefusedError

    lic = loader.load_license(BUNDLED)
    calendar = Calendar()
    rules = [lic.obligation(i)[1].rule for i in ("entity-change-application", "illegal-info-report")]
    day = dt.date(2027, 9, 20)  # 国庆 2027 is not published (LICENSECLI_DATA_UNTIL=2026)
    first = [engine._computed(rule, day, calendar) for rule in rules]
    assert all(c.estimated for c in first) and calendar.estimated_years_used == {2027}
    calendar.estimated_years_used.clear()
    assert [engine._computed(rule, day, calendar) for rule in rules] == first
    assert calendar.estimated_years_used == {2027}
    calendar.strict = True
    for rule in rules:
        with pytest.raises(EstimateRefusedError):
            engine._computed(rule, day, calendar)


def test_a_copied_rule_has_its_own_memo_key() -> None:
    rule = loader.load_license(BUNDLED).obligation("renewal-application")[1].rule  # type: ignore[index]
    assert rule.memo_key != rule.model_copy(update={"days": 60}).memo_key


def test_omitting_a_clause_three_levels_deep_leaves_the_others_shared() -> None:
    from licensecli import templates

    inner = {"ref": "B", "items": [{"ref": "C"}, {"ref": "D"}]}
    top = {"ref": "A", "items": [inner]}
    other = {"ref": "E"}
    kept, missing = templates._omit([top, other], ["D"])
    assert missing == [] and kept[1] is other
    assert kept[0]["items"][0]["items"] == [{"ref": "C"}]  # D is gone at any depth
    assert top["items"][0]["items"] == [{"ref": "C"}, {"ref": "D"}]  # the template is untouched
    kept, _ = templates._omit([top, other], ["E"])
    assert kept == [top] and kept[0] is top


def test_a_temporary_folder_that_cannot_be_written_is_one_line(
    folder: Path, parallel: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    result = run("deadlines", "--json", "--as-of", AS_OF, str(folder))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: cannot make a temporary file in {tmp_path / 'missing'}")
    assert "set TMPDIR to a writable folder" in result.stderr
    check = run("check", "--json", "--as-of", AS_OF, str(folder))
    assert check.exit_code == 3 and "set TMPDIR to a writable folder" in json.loads(check.stdout)["message"]


def test_without_hidden_deadlines_the_engine_gives_exactly_the_shown_ones(
    folder: Path, tmp_path: Path
) -> None:
    """check and deadlines (without --all) ask the engine for the deadlines shown by default only
    (hidden=False), which skips the earlier years' windows and renewals where that changes
    nothing else; check also leaves out the renewal and the expiry (renewal=False), which it
    judges with the licence's life. On every licence of the mixed folder and two renewed ones, on
    days from 2023 to 2031 (due days included), with the package's calendar and with a FICTIONAL
    2027 schedule, they are the shown ones of the whole list (check's: less those two), in
    order, with the same estimated years noted, and --strict-calendar refuses the same days with
    the same message."""
    bundled = BUNDLED.read_text(encoding="utf-8")
    renewed = {  # earlier periods: renewed in time, then granted late after a lapse
        "g-renewed.yaml": "renewals:\n  - {filed_on: 2025-10-20, granted_on: 2025-12-15, valid_until: 2031-01-21}\n",
        "h-regranted.yaml": "renewals:\n  - {granted_on: 2026-03-02, valid_until: 2031-03-01}\n",
    }
    for i, (name, renewals) in enumerate(renewed.items()):
        text = bundled.replace("B2-20210247", f"B2-2099020{i}").replace("events: []", f"{renewals}events: []")
        (folder / name).write_text(text, encoding="utf-8")
    # Renewed in a year with no published schedule, without the yearly report and the duty counted
    # from the grant (omitted), whose deadlines would note those years anyway: only its earlier
    # period's renewal deadline notes them.
    (folder / "i-renewed-unreported.yaml").write_text(
        "schema_version: 1\ntemplate: cross-region\nomit: [十三, 十四]\nnumber: B2-20990210\n"
        "holder: 示例信息服务有限公司（虚构）\nlegal_representative: 测试\nservices:\n"
        "  - service: 信息服务业务（不含互联网信息服务）\n    coverage: 北京\n"
        "issued_on: 2022-01-10\nvalid_until: 2027-12-31\n"
        "renewals:\n  - {granted_on: 2027-11-01, valid_until: 2032-12-31}\nevents: []\n",
        encoding="utf-8",
    )
    licences = [loader.load_license(path) for path in sorted(folder.iterdir())]
    assert [len(lic.renewals) for lic in licences].count(1) == 3
    schedule_2027 = tmp_path / "2027.yaml"
    schedule_2027.write_text(FILE_2027, encoding="utf-8")  # FICTIONAL (test_workdays.py)
    days = [dt.date(2023, 1, 1) + dt.timedelta(days=23 * i) for i in range(130)]  # to 2031
    due_days: set[dt.date] = set()  # then each due day itself, where a status turns
    for day in days:
        due_days |= {d.due_date for d, _ in _whole_or_none(licences, day, Calendar())}
    assert len(due_days) > 30
    compared = estimates_refused = 0
    for files in ([], [schedule_2027]):
        whole_calendar, shown_calendar, judged_calendar = Calendar(files), Calendar(files), Calendar(files)
        strict = Calendar(files, strict=True)
        for day in days + sorted(due_days):
            for lic in licences:
                # The years each licence's deadlines note (a calendar notes them at every use).
                for calendar in (whole_calendar, shown_calendar, judged_calendar):
                    calendar.estimated_years_used.clear()
                whole = _deadlines_or_error(lic, day, whole_calendar, hidden=True)
                shown = _deadlines_or_error(lic, day, shown_calendar, hidden=False)
                judged = _deadlines_or_error(lic, day, judged_calendar, hidden=False, renewal=False)
                assert (
                    whole_calendar.estimated_years_used
                    == shown_calendar.estimated_years_used
                    == judged_calendar.estimated_years_used
                ), (lic.number, day)
                if isinstance(whole, str) or isinstance(shown, str) or isinstance(judged, str):  # alike
                    assert whole == shown == judged, (lic.number, day)
                    continue
                assert all(by_default for _, by_default in shown)
                # As they are written (a step is a new object each time it is worked out).
                assert [documents.deadline_json(d, "en") for d, _ in shown] == [
                    documents.deadline_json(d, "en") for d, by_default in whole if by_default
                ], (lic.number, day)
                assert [documents.deadline_json(d, "en") for d, _ in judged] == [
                    documents.deadline_json(d, "en")
                    for d, _ in shown
                    if not engine.by_renewal_check(d.obligation, d.rule)
                ], (lic.number, day)
                assert len(judged) < len(shown)
                compared += 1
                answers = [
                    _deadlines_or_error(lic, day, strict, hidden, renewal)
                    for hidden, renewal in ((True, True), (False, True), (False, False))
                ]
                refusals = [answer for answer in answers if isinstance(answer, str)]
                assert not refusals or refusals == [refusals[0]] * 3, (lic.number, day, refusals)
                estimates_refused += bool(refusals)
    assert compared > 4000 and estimates_refused > 100


def _deadlines_or_error(
    lic: Any, day: dt.date, calendar: Calendar, hidden: bool, renewal: bool = True
) -> Any:
    try:
        return engine.license_deadlines(lic, day, calendar, hidden=hidden, renewal=renewal)
    except LicenseCliError as exc:
        return f"{type(exc).__name__}: {exc}"


def _whole_or_none(licences: list[Any], day: dt.date, calendar: Calendar) -> list[Any]:
    found = []
    for lic in licences:
        with contextlib.suppress(LicenseCliError):
            found += engine.license_deadlines(lic, day, calendar)
    return found


def test_a_workers_texts_reach_the_parent_as_places_in_its_stash(folder: Path, parallel: None) -> None:
    """In a worker, a stashed text becomes where it was written (not the text, which the parent
    would otherwise receive and spool); read back, it is the text, and its UTF-8 bytes."""
    files = loader.expand_paths([folder])
    with portfolio.Stash() as stash:
        pieces = list(
            portfolio.each(files, lambda path: stash.add(path.read_text(encoding="utf-8")), stash=stash)
        )
        assert isinstance(pieces[0], str)  # the first file is read here, in the parent
        assert all(isinstance(piece, tuple) for piece in pieces[1:])
        assert {piece[0] for piece in pieces[1:]} <= {0, 1}  # a file for each worker
        for path, piece in zip(files, pieces, strict=True):
            assert stash.text(piece) == path.read_text(encoding="utf-8")
            assert stash.data(piece, str.encode) == path.read_bytes()
        assert stash.add("") == ""  # nothing to keep: the text itself
    assert stash._files == []  # closed, so deleted, with the block


def test_a_stash_spares_nothing_when_stdout_is_not_utf8(
    folder: Path, parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where stdout's own encoding is not UTF-8, the stashed texts are decoded and written through
    it; the document is the same either way."""
    from licensecli import writing

    as_bytes = run("deadlines", "--json", "--all", "--as-of", AS_OF, str(folder))
    monkeypatch.setattr(writing, "stdout_takes_utf8", lambda: False)
    as_text = run("deadlines", "--json", "--all", "--as-of", AS_OF, str(folder))
    assert as_bytes.exit_code == as_text.exit_code == 0
    assert as_bytes.stdout == as_text.stdout


def test_stdout_takes_utf8_bytes_only_from_a_utf8_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from licensecli import writing

    for encoding, expected in [("utf-8", True), ("UTF8", True), ("latin-1", False), ("gb18030", False)]:
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding=encoding))
        assert writing.stdout_takes_utf8() is expected, encoding
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # no bytes underneath
    assert writing.stdout_takes_utf8() is False


def test_a_full_disk_under_a_workers_stash_is_one_line(
    folder: Path, parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def full(fd: int, data: bytes, offset: int) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "pwrite", full)  # inherited by the workers, which alone write a stash
    result = run("deadlines", "--json", "--as-of", AS_OF, str(folder))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("error: cannot write a temporary file in ")
    assert "(No space left on device); set TMPDIR to a folder with room" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    check = run("check", "--json", "--as-of", AS_OF, str(folder))
    assert check.exit_code == 3 and "No space left on device" in json.loads(check.stdout)["message"]


def test_a_licence_without_events_is_dated_by_its_windows_lifecycle_and_issue_only(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """license_deadlines looks only at the obligations a licence dates by itself when it records no
    event (engine._plan): a yearly window, the expiry and the renewal (valid_until), a duty
    counted from the issue or first grant. On the mixed folder's licences (the template's, the
    regulation pack's and the bundled licence's obligations), with and without their events, on
    days from 2024 to 2029, shown-only and whole, that gives what looking at every obligation
    gives (compared as text: Deadline's steps are functions); with events, their duties too."""
    licences = [loader.load_license(path) for path in sorted(folder.iterdir())]
    with_events = [lic for lic in licences if lic.events]
    assert with_events and len(with_events) < len(licences)
    licences += [lic.model_copy(update={"events": ()}) for lic in with_events]
    real_plan = engine._plan
    calendar = Calendar()
    for lic in licences:
        by_itself = {
            ob.id
            for _, ob in lic.obligations()
            if ob.rule.kind == "window"
            or (ob.rule.is_dated and ob.rule.anchor in ("valid_until", "issued_on", "first_granted_on"))
        }
        assert by_itself and len(by_itself) < len(lic.obligations())
        for day in (dt.date(2024, 3, 1), dt.date(2026, 6, 1), dt.date(2027, 2, 10), dt.date(2029, 12, 31)):
            for hidden in (True, False):
                found = engine.license_deadlines(lic, day, calendar, hidden=hidden)
                with monkeypatch.context() as patched:  # every obligation looked at
                    patched.setattr(engine, "_plan", lambda lic: (real_plan(lic)[1], real_plan(lic)[1]))
                    looked_at_all = engine.license_deadlines(lic, day, calendar, hidden=hidden)
                assert repr(found) == repr(looked_at_all), (lic.number, day, hidden)
                dated = {d.obligation for d, _ in found}
                assert dated - by_itself == {e.obligation for e in lic.events} - by_itself
                if day.year == 2029 and hidden:  # by then, every one of them (the earlier ones too)
                    assert by_itself <= dated


def test_a_file_name_that_is_not_utf8_is_written_escaped_by_the_workers_too(
    bench: Any, tmp_path: Path
) -> None:
    """A licence's JSON naming a file whose name is not UTF-8 (a lone surrogate to Python) cannot
    be stashed as UTF-8: a worker passes it on as text, written as stdout writes any (\\u escaped),
    as one process writes it. (Whole processes: the escaping is set up by the command's start; 400
    files, so that two workers run.)"""
    import os

    from .conftest import run_process

    bench.write_portfolio(tmp_path, 2 * portfolio.PARALLEL_FROM)
    (tmp_path / "l00005.yaml").rename(tmp_path / os.fsdecode(b"x\xff.yaml"))
    for command in ("check", "renew-check"):
        args = (command, "--json", "--as-of", AS_OF, str(tmp_path))
        one = run_process(*args, env={"LICENSECLI_JOBS": "1"})
        two = run_process(*args, env={"LICENSECLI_JOBS": "2"})
        assert (two.returncode, two.stdout) == (one.returncode, one.stdout)
        assert "internal error" not in two.stdout
        assert "x\\udcff.yaml" in two.stdout


def test_a_workers_short_writes_are_written_on_and_a_short_read_back_is_an_error(
    folder: Path, parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write to a stash may come short (a nearly full disk): the worker writes the rest, and
    the document is whole. A piece that cannot be read back whole is an error, never a gap."""
    import os

    from licensecli.errors import OutputError

    whole = run("deadlines", "--json", "--all", "--as-of", AS_OF, str(folder), env={"LICENSECLI_JOBS": "1"})
    real_pwrite = os.pwrite
    monkeypatch.setattr(os, "pwrite", lambda fd, data, offset: real_pwrite(fd, data[:100], offset))
    pieces = run("deadlines", "--json", "--all", "--as-of", AS_OF, str(folder))
    assert (pieces.exit_code, pieces.stdout) == (whole.exit_code, whole.stdout) and "\0" not in pieces.stdout
    with portfolio.Stash() as stash:
        stash.open(1)
        os.write(stash._files[0].fileno(), "许可证".encode())
        assert stash.text((0, 0, 9)) == "许可证" and stash.data((0, 3, 6), str.encode) == "可证".encode()
        with pytest.raises(OutputError, match=r"\(3 of 6 bytes read back\); set TMPDIR"):
            stash.text((0, 6, 6))


def test_a_worker_stuck_on_a_file_is_ended_when_the_check_times_out(
    folder: Path, parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A timeout gives up the pool: the workers get STOP_WAIT seconds to finish their current
    files, then a worker still stuck (a hung network file system) is ended, so the answer comes
    within the timeout and STOP_WAIT, and nothing from the pool reaches stderr."""
    import multiprocessing
    import os
    import time

    real_load = loader.load_license
    parent = os.getpid()

    def stuck(path: Path, *args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent and path.name == "f-copy3.yaml":
            time.sleep(60)
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(loader, "load_license", stuck)
    monkeypatch.setattr(portfolio, "CHUNK", 1)
    started = time.monotonic()
    result = run("renew-check", "-t", "1", "--as-of", AS_OF, str(folder))
    took = time.monotonic() - started
    assert (result.exit_code, result.stdout, result.stderr) == (
        3,
        "LICENSE UNKNOWN - timed out after 1 s\n",
        "",
    )
    assert took < 1 + portfolio.STOP_WAIT + 3, took
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:  # the stuck one too
        time.sleep(0.05)
    assert multiprocessing.active_children() == []
