"""renew-check's output read by independent parsers of the conventions it follows.

Perfdata: the Perl Monitoring::Plugin::Performance/Threshold (the reference implementation of the
Monitoring Plugins guidelines) and nagiosplugin's Range; the status we report must be what they
say about each value against its thresholds. Prometheus: prometheus_client's parser and promtool.
Thresholds: the range syntax as a table of cases, and against nagiosplugin for random ranges.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from licensecli import thresholds
from licensecli.errors import InputError

from .conftest import BUNDLED, licence_text, run, run_process

STATUS = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}

# --- the range syntax -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "text", "alerting", "quiet"),
    [
        ("60", "60:", [59, 0, -1], [60, 61, 10**6]),  # our reading: a bare number is a floor
        ("60:", "60:", [59.9, -5], [60, 144]),
        ("~:10", "~:10", [10.1, 11, 500], [10, 0, -(10**6)]),
        ("10:20", "10:20", [9, 21, -1], [10, 15, 20]),
        ("@10:20", "@10:20", [10, 15, 20], [9, 21]),
        ("@~:0", "@~:0", [0, -3], [1]),
        ("-10:-5", "-10:-5", [-11, -4, 0], [-10, -5]),
        ("0.5", "0.5:", [0, 0.4], [0.5, 1]),
        (":", "0:", [-1], [0, 9]),
        (" 14 ", "14:", [13], [14]),
    ],
)
def test_ranges(spec: str, text: str, alerting: list[float], quiet: list[float]) -> None:
    r = thresholds.parse(spec)
    assert str(r) == text and thresholds.parse(text) == r
    assert [v for v in alerting if not r.alerts(v)] == []
    assert [v for v in quiet if r.alerts(v)] == []


@pytest.mark.parametrize(
    "spec", ["", "abc", "-5", "@5", "10:5", "1e3", "10::", "~", "@@1:2", "5:~", "nan", "∞:"]
)
def test_unparsable_ranges(spec: str) -> None:
    with pytest.raises(InputError, match=re.escape(f"-w {spec!r}: ")):
        thresholds.parse(spec, "-w")


@pytest.mark.parametrize(
    ("warning", "critical", "refused"),
    [
        ("60", "14", False),
        ("14", "14", False),
        ("14", "60", True),
        ("10:20", "30:", False),
        ("60", "@70:80", False),
    ],
)
def test_critical_must_not_be_above_warning_for_floors(warning: str, critical: str, refused: bool) -> None:
    w, c = thresholds.parse(warning), thresholds.parse(critical)
    if refused:
        with pytest.raises(InputError, match="critical must be the smaller number"):
            thresholds.check_order(w, c)
    else:
        thresholds.check_order(w, c)


_ENDS = st.one_of(st.integers(-400, 400), st.decimals(-400, 400, places=1).map(float))


def _text(x: float) -> str:
    return f"{x:g}"


@st.composite
def range_specs(draw: st.DrawFn) -> str:
    low, high = sorted((draw(_ENDS), draw(_ENDS)))
    start = "~" if draw(st.booleans()) and draw(st.booleans()) else _text(low)
    end = "" if draw(st.booleans()) and draw(st.booleans()) else _text(high)
    return f"{'@' if draw(st.booleans()) else ''}{start}:{end}"


@given(range_specs(), st.integers(-500, 500))
def test_explicit_ranges_agree_with_nagiosplugin(spec: str, value: int) -> None:
    nagiosplugin = pytest.importorskip("nagiosplugin", reason="nagiosplugin is not installed")
    theirs = nagiosplugin.Range(spec)
    ours = thresholds.parse(spec)
    assert ours.alerts(value) == (not theirs.match(value)), spec
    assert nagiosplugin.Range(str(ours)) == theirs


# --- perfdata read by Monitoring::Plugin (Perl) and nagiosplugin ----------------------------

PERL_READER = r"""
use strict; use warnings;
use Monitoring::Plugin::Performance;
use Monitoring::Plugin::Threshold;
my $text = do { local $/; <STDIN> };
my @perf = Monitoring::Plugin::Performance->parse_perfstring($text);
my @items = $text =~ /'[^']*'=(\S*)/g;
die "items and parsed perfdata differ\n" unless @items == @perf;
for my $i (0 .. $#perf) {
    my $p = $perf[$i];
    my (undef, $warn, $crit) = split /;/, $items[$i], -1;
    my $t = Monitoring::Plugin::Threshold->set_thresholds(
        warning => (length $warn ? $warn : undef), critical => (length $crit ? $crit : undef));
    printf "%s\t%s\t%s\t%d\t%d\n", $p->label, $p->value, $p->uom // "",
        $p->threshold->get_status($p->value), $t->get_status($p->value);
}
"""


def _perl_has_monitoring_plugin() -> bool:
    if shutil.which("perl") is None:
        return False
    probe = ["perl", "-MMonitoring::Plugin::Performance", "-MMonitoring::Plugin::Threshold", "-e", "1"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


needs_perl = pytest.mark.skipif(
    not _perl_has_monitoring_plugin(),
    reason="perl with Monitoring::Plugin is not installed (Debian: apt-get install libmonitoring-plugin-perl)",
)


def perl_reads(perfdata: str) -> list[tuple[str, str, str, int]]:
    """(label, value, unit, status) for each perfdata item, as Monitoring::Plugin reads it.

    Its perfdata parser (Performance, 0.40) does not accept '@' ranges: it reads them as no
    threshold at all. So the status comes from Monitoring::Plugin::Threshold given the item's own
    warn and crit fields, and must equal the perfdata parser's own reading wherever there is no '@'.
    """
    out = subprocess.run(
        ["perl", "-e", PERL_READER], input=perfdata, capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split("\t") for line in out.splitlines()]
    if "@" not in perfdata:
        assert [r[3] for r in rows] == [r[4] for r in rows]
    return [(label, value, unit, int(status)) for label, value, unit, _, status in rows]


def _split_perfdata(perfdata: str) -> list[tuple[str, str, list[str]]]:
    """A plain reading of 'label'=value;warn;crit;min;max items (labels never hold a quote here)."""
    items = re.findall(r"'([^']*)'=(\S*)", perfdata)
    return [(label, rest.split(";")[0], rest.split(";")[1:]) for label, rest in items]


def _nagiosplugin_status(value: float, warn: str, crit: str) -> int:
    nagiosplugin = pytest.importorskip("nagiosplugin", reason="nagiosplugin is not installed")
    if crit and not nagiosplugin.Range(crit).match(value):
        return 2
    if warn and not nagiosplugin.Range(warn).match(value):
        return 1
    return 0


CASES = [
    # (licence fields, as-of, thresholds)
    ({}, "2025-06-01", []),
    ({}, "2025-08-24", []),  # exactly 60 days: OK
    ({}, "2025-08-25", []),
    ({}, "2025-10-09", []),  # exactly 14 days: WARNING
    ({}, "2025-10-10", []),
    ({}, "2025-10-23", []),
    ({}, "2025-10-24", []),  # passed
    ({}, "2026-01-22", []),  # expired
    ({}, "2025-06-01", ["-w", "150", "-c", "145"]),
    ({}, "2025-06-01", ["-w", "~:100", "-c", "0"]),
    ({}, "2025-06-01", ["-w", "@140:150", "-c", "10"]),
    ({}, "2025-06-01", ["-w", "100:200", "-c", "@143:144"]),
    ({"renewal_filed_on": "2025-10-10"}, "2025-10-20", []),
    ({"renewal_filed_on": "2025-10-10"}, "2026-01-21", []),  # filed, last valid day: WARNING
    ({"renewal_filed_on": "2025-10-10"}, "2026-01-22", []),
    ({"renew_check": "{warning: 150, critical: 20}"}, "2025-06-01", []),
]


def _cli_status_and_perfdata(
    tmp_path: Path, fields: dict[str, str], as_of: str, extra: list[str]
) -> tuple[int, str]:
    path = tmp_path / "lic.yaml"
    path.write_text(licence_text(**fields), encoding="utf-8")
    second = tmp_path / "second" / "other.yaml"
    second.parent.mkdir(exist_ok=True)
    second.write_text(licence_text(number="B2-20990001", valid_until="2030-06-28"), encoding="utf-8")
    single = run("renew-check", str(path), "--as-of", as_of, *extra)
    several = run("renew-check", str(path), str(second), "--as-of", as_of, *extra)
    assert single.exit_code == several.exit_code  # the other licence is OK in every case
    return single.exit_code, single.stdout.splitlines()[0].split(" | ", 1)[
        1
    ] + " " + several.stdout.splitlines()[0].split(" | ", 1)[1]


@needs_perl
@pytest.mark.parametrize(("fields", "as_of", "extra"), CASES)
def test_monitoring_plugin_reads_our_perfdata_as_we_do(
    tmp_path: Path, fields: dict[str, str], as_of: str, extra: list[str]
) -> None:
    code, perfdata = _cli_status_and_perfdata(tmp_path, fields, as_of, extra)
    read = perl_reads(perfdata)
    assert len(read) == 6, perfdata  # 2 metrics alone, 2 x 2 with the second licence
    assert {unit for _, _, unit, _ in read} == {""}  # no unit: days are not a UOM
    assert [label for label, *_ in read] == [
        "days_to_renewal_deadline",
        "days_to_expiry",
        "B2-20210247_days_to_renewal_deadline",
        "B2-20210247_days_to_expiry",
        "B2-20990001_days_to_renewal_deadline",
        "B2-20990001_days_to_expiry",
    ]
    assert max(status for *_, status in read[:2]) == code
    assert max(status for *_, status in read[2:]) == code


@pytest.mark.parametrize(("fields", "as_of", "extra"), CASES)
def test_nagiosplugin_ranges_read_our_perfdata_as_we_do(
    tmp_path: Path, fields: dict[str, str], as_of: str, extra: list[str]
) -> None:
    code, perfdata = _cli_status_and_perfdata(tmp_path, fields, as_of, extra)
    items = _split_perfdata(perfdata)
    assert len(items) == 6
    statuses = [_nagiosplugin_status(float(value), rest[0], rest[1]) for _, value, rest in items]
    assert max(statuses[:2]) == code and max(statuses[2:]) == code


@needs_perl
def test_the_old_perfdata_was_misread() -> None:
    """Why the format changed: `=144d;60;14` reads as alert outside 0..60, so 144 days is CRITICAL."""
    assert perl_reads("'days_to_renewal_deadline'=144d;60;14;;") == [
        ("days_to_renewal_deadline", "144", "d", 2)
    ]
    assert perl_reads("'days_to_renewal_deadline'=144;60:;14:;;") == [
        ("days_to_renewal_deadline", "144", "", 0)
    ]


@needs_perl
def test_hostile_labels_stay_one_item_each(tmp_path: Path) -> None:
    # Quotes, = and | are printable and allowed in a licence number; line breaks and other control
    # characters are refused by the licence model itself (see the next test).
    for name, number in (("a.yaml", '"B2\'=|x y"'), ("b.yaml", '"B2 =x"')):
        (tmp_path / name).write_text(licence_text(number=number), encoding="utf-8")
    result = run("renew-check", str(tmp_path), "--as-of", "2025-06-01")
    first = result.stdout.splitlines()[0]
    read = perl_reads(first.split(" | ", 1)[1])
    assert [(label, value, status) for label, value, _, status in read] == [
        ("B2___x y_days_to_renewal_deadline", "144", 0),
        ("B2___x y_days_to_expiry", "234", 0),
        ("B2 _x_days_to_renewal_deadline", "144", 0),
        ("B2 _x_days_to_expiry", "234", 0),
    ]


def test_a_line_break_in_a_licence_number_cannot_forge_a_status_line(tmp_path: Path) -> None:
    lic = tmp_path / "a.yaml"
    lic.write_text(licence_text(number='"B2\\nLICENSE OK - fake"'), encoding="utf-8")
    result = run("renew-check", str(lic), "--as-of", "2025-06-01")
    assert result.exit_code == 3
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("LICENSE UNKNOWN - ")
    assert "number: must be one line" in result.stdout


# --- Prometheus -----------------------------------------------------------------------------


def _families(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    from prometheus_client.parser import text_string_to_metric_families

    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        assert family.type == "gauge" and family.documentation, family.name
        found[family.name] = [(dict(s.labels), s.value) for s in family.samples]
    return found


def test_prometheus_exposition_parses(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(licence_text(number="B2-20990001", valid_until="2030-06-28"), encoding="utf-8")
    result = run("renew-check", str(BUNDLED), str(other), "--as-of", "2025-09-01", "--format", "prometheus")
    assert result.exit_code == 1
    families = _families(result.stdout)
    mine = {"license": "B2-20210247", "file": str(BUNDLED)}
    theirs = {"license": "B2-20990001", "file": str(other)}
    # The deadline 2025-10-23 ends at 2025-10-24 00:00 +08:00 = 2025-10-23 16:00 UTC = 1761235200;
    # the expiry 2026-01-21 ends at 2026-01-21 16:00 UTC = 1769011200.
    assert families["licensecli_renewal_deadline_timestamp_seconds"][0] == (mine, 1761235200.0)
    assert families["licensecli_expiry_timestamp_seconds"][0] == (mine, 1769011200.0)
    assert families["licensecli_renewal_status"] == [(mine, 1.0), (theirs, 0.0)]
    assert families["licensecli_renewal_filed"] == [(mine, 0.0), (theirs, 0.0)]
    assert families["licensecli_renewal_estimated"] == [(mine, 0.0), (theirs, 1.0)]  # 2030: estimated
    assert families["licensecli_renew_check_status"] == [({"scope": f"{BUNDLED},{other}"}, 1.0)]


def test_prometheus_scope_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LICENSECLI_LICENSE", str(BUNDLED))
    result = run("renew-check", "--as-of", "2025-06-01", "--format", "prometheus")
    assert _families(result.stdout)["licensecli_renew_check_status"] == [({"scope": str(BUNDLED)}, 0.0)]


def test_prometheus_unknown_parses() -> None:
    result = run("renew-check", "/no/such.yaml", "--format", "prometheus")
    families = _families(result.stdout)
    assert result.exit_code == 3
    assert families["licensecli_renew_check_status"] == [({"scope": "/no/such.yaml"}, 3.0)]
    assert families["licensecli_expiry_timestamp_seconds"] == []


needs_promtool = pytest.mark.skipif(
    shutil.which("promtool") is None, reason="promtool is not installed (Debian: apt-get install prometheus)"
)


# promtool parses the file (exit 1 if it cannot) and lints the names (exit 3): it must find
# nothing to say.
@needs_promtool
@pytest.mark.parametrize(
    ("args", "code", "findings"),
    [
        (["--as-of", "2025-06-01"], 0, set()),
        (["/no/such.yaml"], 0, set()),
        (["-w", "abc"], 0, set()),
    ],
)
def test_promtool_accepts_the_exposition(args: list[str], code: int, findings: set[str]) -> None:
    result = run("renew-check", "--format", "prometheus", *args)
    lint = subprocess.run(
        ["promtool", "check", "metrics"], input=result.stdout, capture_output=True, text=True, check=False
    )
    assert (lint.returncode, lint.stdout) == (code, ""), lint.stderr
    assert set(lint.stderr.splitlines()) == findings


@needs_promtool
def test_promtool_rejects_what_it_should() -> None:
    """The check above can fail: promtool does refuse a broken exposition."""
    broken = "# TYPE licensecli_renew_check_status gauge\nlicensecli_renew_check_status{scope=bundled} 0\n"
    lint = subprocess.run(
        ["promtool", "check", "metrics"], input=broken, capture_output=True, text=True, check=False
    )
    assert lint.returncode == 1


# --- output failures (real processes: real pipes and devices) ----------------------------------


def test_closed_pipe_is_unknown_and_quiet() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "licensecli", "renew-check", "--as-of", "2025-06-01"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (3, "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["--as-of", "2025-06-01"], ["--json", "-w", "abc"], ["-V"]])
def test_a_full_device_is_unknown_with_one_line(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "licensecli", "renew-check", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    assert proc.returncode == 3
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: cannot write")]
    assert errors == ["error: cannot write the output: No space left on device"]
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


def test_the_program_answers_json_for_a_bad_option() -> None:
    proc = run_process("renew-check", "--json", "--bogus")
    assert proc.returncode == 3
    assert json.loads(proc.stdout)["status"] == "UNKNOWN"
    assert proc.stderr == ""  # no usage block for Icinga 2 to append to the service output
