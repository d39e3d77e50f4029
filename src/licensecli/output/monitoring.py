"""Monitoring: the monitoring-plugin status line with perfdata (Nagios, Icinga, Zabbix) and the
Prometheus text exposition for node_exporter's textfile collector."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from licensecli.engine import RenewalCheck


def _perfdata(checks: list[RenewalCheck]) -> str:
    parts = []
    for c in checks:
        prefix = f"{c.number}_" if len(checks) > 1 else ""
        parts.append(
            f"'{prefix}days_to_renewal_deadline'={c.days_to_renewal_deadline}d;{c.warning};{c.critical};;"
        )
        parts.append(f"'{prefix}days_to_expiry'={c.days_to_expiry}d;;;;")
    return " ".join(parts)


def renew_check_text(status: str, checks: list[RenewalCheck]) -> str:
    """The monitoring-plugin output: a status line with perfdata, then a line per licence."""
    if len(checks) == 1:
        return f"LICENSE {status} - {checks[0].message} | {_perfdata(checks)}\n"
    counts: dict[str, int] = {}
    for c in checks:
        counts[c.status] = counts.get(c.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda kv: kv[0]))
    lines = [f"LICENSE {status} - {len(checks)} licences: {summary} | {_perfdata(checks)}"]
    lines.extend(f"{c.status}: {c.message}" for c in checks)
    return "\n".join(lines) + "\n"


def _label_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def renew_check_prometheus(status: str, code: int, checks: list[RenewalCheck]) -> str:
    """A node_exporter textfile-collector snippet."""
    from licensecli.engine import CHECK_CODES

    metrics: list[tuple[str, str, list[int]]] = [
        (
            "licensecli_days_to_renewal_deadline",
            "Days from today (China) to the renewal filing deadline.",
            [c.days_to_renewal_deadline for c in checks],
        ),
        (
            "licensecli_days_to_expiry",
            "Days from today (China) to the licence's last valid day.",
            [c.days_to_expiry for c in checks],
        ),
        (
            "licensecli_renewal_filed",
            "1 if a renewal filing is recorded in the licence file.",
            [int(c.renewal_filed_on is not None) for c in checks],
        ),
        (
            "licensecli_renewal_status",
            "0 OK, 1 WARNING, 2 CRITICAL (monitoring-plugin codes).",
            [CHECK_CODES[c.status] for c in checks],
        ),
        (
            "licensecli_renewal_estimated",
            "1 if the deadline rests on estimated holiday data.",
            [int(c.estimated) for c in checks],
        ),
    ]
    lines: list[str] = []
    for name, help_text, values in metrics:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
        lines += [
            f'{name}{{license="{_label_value(c.number)}"}} {v}' for c, v in zip(checks, values, strict=True)
        ]
    lines += [
        "# HELP licensecli_renew_check_status Overall result: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        "# TYPE licensecli_renew_check_status gauge",
        f"licensecli_renew_check_status {code}",
    ]
    return "\n".join(lines) + "\n"
