"""Figures as a table for people and as JSON for tools: each with its target, its raw limit
measured in the same run, and its ratio to that limit."""

import json
from pathlib import Path
from typing import Any


def figure(
    workload: str,
    name: str,
    value: float | None,
    unit: str,
    raw_value: float | None,
    raw_what: str,
    target: str | None = None,
    met: bool | None = None,
) -> dict[str, Any]:
    """`ratio` is value / raw limit: for a rate, the share of the raw rate achieved; for a time
    or a size, how many times the raw one it is."""
    ratio = round(value / raw_value, 3) if value and raw_value else None
    return {
        "workload": workload,
        "figure": name,
        "value": value,
        "unit": unit,
        "target": target,
        "met": met,
        "raw_limit": {"value": raw_value, "unit": unit, "what": raw_what},
        "ratio": ratio,
    }


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def table(figures: list[dict[str, Any]]) -> str:
    header = ["workload", "figure", "value", "unit", "raw limit", "ratio", "target", "met"]
    rows = [
        [
            f["workload"],
            f["figure"],
            cell(f["value"]),
            f["unit"],
            cell(f["raw_limit"]["value"]),
            cell(f["ratio"]),
            f["target"] or "",
            cell(f["met"]) if f["target"] else "",
        ]
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    title = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    return "\n".join([title, "  ".join("-" * w for w in widths), *lines])


def markdown(figures: list[dict[str, Any]]) -> str:
    lines = [
        "| workload | figure | value | raw limit (same run) | ratio | target | met |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for f in figures:
        lines.append(
            f"| {f['workload']} | {f['figure']} | {cell(f['value'])} {f['unit']} | "
            f"{cell(f['raw_limit']['value'])} {f['unit']} ({f['raw_limit']['what']}) | "
            f"{cell(f['ratio'])} | {f['target'] or ''} | "
            f"{cell(f['met']) if f['target'] else ''} |"
        )
    return "\n".join(lines)


def write(path: Path, result: dict[str, Any]) -> None:
    """The JSON, and next to it the table in Markdown, as docs/performance.md shows it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    path.with_suffix(".md").write_text(markdown(result["figures"]) + "\n")
