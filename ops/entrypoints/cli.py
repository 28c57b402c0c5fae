"""`python -m ops` (or `./dev ops`): the operator console on the command line.

    ops lag [--group G ...]                      lag per consumer group, topic and partition
    ops dlq list [--service S] [--state STATE]   dead letters with their reasons and origin
    ops dlq show ID                              one dead letter, its key and value
    ops dlq replay ID ... | --all [--service S] [--reason TEXT]
    ops dlq discard ID ... [--note TEXT]
    ops outbox                                   events not yet published, per service
    ops health                                   every component: broker, APIs, workers

Add --json for machine-readable output. ID numbers and phones in dead letters are masked;
`--unmasked` shows them in full, for the district administrator who must read them. The exit
status is 1 when something was refused, a component is unhealthy, or the broker cannot be
reached.
"""

import argparse
import getpass
import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from kafka.errors import KafkaError

from ops.bootstrap import bootstrap
from ops.domain.dead_letters import State
from ops.entrypoints import views
from ops.service_layer.console import Console
from shared.errors import DomainError

REASON_WIDTH = 70


def main(argv: Sequence[str] | None = None, console: Console | None = None) -> int:
    args = parser().parse_args(argv)
    console = console or bootstrap()
    try:
        return int(args.run(console, args))
    except DomainError as refused:
        print(f"ops: {refused.detail}", file=sys.stderr)
        return 1
    except KafkaError as error:
        print(
            f"ops: Kafka at {console.settings.kafka_bootstrap} did not answer: {error}",
            file=sys.stderr,
        )
        return 1


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="machine-readable output")
    common.add_argument(
        "--unmasked",
        action="store_true",
        help="show ID numbers and phones in dead letters in full (district administrator)",
    )
    root = argparse.ArgumentParser(
        prog="ops",
        description="The operator console: lag, dead letters, outbox backlog and health.",
    )
    commands = root.add_subparsers(dest="command", required=True)

    lag = commands.add_parser("lag", parents=[common], help="lag per group and partition")
    lag.add_argument("--group", action="append", help="a consumer group (repeatable)")
    lag.set_defaults(run=show_lag)

    dlq = commands.add_parser("dlq", help="dead letters").add_subparsers(
        dest="action", required=True
    )
    listing = dlq.add_parser("list", parents=[common], help="dead letters, open by default")
    listing.add_argument("--service")
    listing.add_argument("--state", choices=[*(s.value for s in State), "all"], default="open")
    listing.set_defaults(run=list_dead_letters)
    show = dlq.add_parser("show", parents=[common], help="one dead letter in full")
    show.add_argument("id")
    show.set_defaults(run=show_dead_letter)
    replay = dlq.add_parser("replay", parents=[common], help="send back to the original topic")
    replay.add_argument("ids", nargs="*", metavar="ID")
    replay.add_argument("--all", action="store_true", help="every open dead letter (filtered)")
    replay.add_argument("--service", help="with --all: only this service's")
    replay.add_argument("--reason", default="", help="with --all: reasons containing this text")
    replay.add_argument("--by", default=_user(), help="who replays (default: you)")
    replay.set_defaults(run=replay_dead_letters)
    discard = dlq.add_parser("discard", parents=[common], help="close without replaying")
    discard.add_argument("ids", nargs="+", metavar="ID")
    discard.add_argument("--note", default="", help="why")
    discard.add_argument("--by", default=_user(), help="who discards (default: you)")
    discard.set_defaults(run=discard_dead_letters)

    outbox = commands.add_parser("outbox", parents=[common], help="outbox backlog per service")
    outbox.set_defaults(run=show_outbox)
    health = commands.add_parser("health", parents=[common], help="health of every component")
    health.set_defaults(run=show_health)
    return root


def show_lag(console: Console, args: argparse.Namespace) -> int:
    groups = console.lag(args.group)
    if args.json:
        return _json([views.group_lag(g) for g in groups])
    rows: list[list[Any]] = []
    for group in groups:
        if group.error:
            rows.append([group.group, f"(offsets unreadable: {group.error})", "", "", "", ""])
        elif not group.partitions:
            rows.append([group.group, "(no committed offsets)", "", "", "", ""])
        for p in group.partitions:
            committed = "-" if p.committed is None else p.committed
            rows.append([group.group, p.topic, p.partition, committed, p.end, p.lag])
    print(table(["GROUP", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG"], rows))
    totals = ", ".join(
        f"{g.group} {'unknown' if g.error else g.total}" for g in groups if g.partitions or g.error
    )
    if totals:
        print(f"\ntotal lag: {totals}")
    return 0


def list_dead_letters(console: Console, args: argparse.Namespace) -> int:
    state = None if args.state == "all" else State(args.state)
    letters = console.dead_letters(args.service, state)
    shown = [views.dead_letter(d, unmasked=args.unmasked) for d in letters]
    if args.json:
        return _json(shown)
    rows = [
        [
            d.id,
            d.state.value,
            views.instant(d.dead_lettered_at) or "",
            d.origin,
            view["event"].get("type", ""),
            _shorten(view["reason"], REASON_WIDTH),
        ]
        for d, view in zip(letters, shown, strict=True)
    ]
    print(table(["ID", "STATE", "DEAD-LETTERED", "ORIGIN", "EVENT", "REASON"], rows))
    print(f"\n{len(letters)} dead letter{'s' if len(letters) != 1 else ''} ({args.state})")
    return 0


def show_dead_letter(console: Console, args: argparse.Namespace) -> int:
    letter = console.dead_letter(args.id)
    view = views.dead_letter(letter, full=True, unmasked=args.unmasked)
    if args.json:
        return _json(view)
    resolution = letter.resolution
    fields = [
        ("id", letter.id),
        ("service", letter.service),
        ("state", letter.state.value),
        ("reason", view["reason"]),
        ("origin", letter.origin),
        ("consumer group", letter.consumer_group),
        ("dead-lettered", view["dead_lettered_at"] or "unknown"),
        *(("event " + name, value) for name, value in view["event"].items()),
    ]
    if resolution:
        fields.append(
            (letter.state.value, f"{views.instant(resolution.at)} by {resolution.by or '?'}")
        )
        if resolution.replayed_to:
            fields.append(("replayed to", resolution.replayed_to))
        if resolution.note:
            fields.append(("note", resolution.note))
    width = max(len(name) for name, _ in fields)
    for name, value in fields:
        print(f"{name + ':':<{width + 2}}{value}")
    print(f"\nkey:\n{view['key']}\n\nvalue:\n{view['value']}")
    return 0


def replay_dead_letters(console: Console, args: argparse.Namespace) -> int:
    if args.all == bool(args.ids):
        raise DomainError("Name the dead letters to replay, or give --all (not both).")
    if args.all:
        outcomes = console.replay_all(args.by, args.service, args.reason)
    else:
        outcomes = [console.try_replay(i, args.by) for i in args.ids]
    return _report(args, [views.replay_outcome(o) for o in outcomes], "replayed")


def discard_dead_letters(console: Console, args: argparse.Namespace) -> int:
    outcomes = []
    for dead_letter_id in args.ids:
        try:
            console.discard(dead_letter_id, args.by, args.note)
            outcomes.append({"dead_letter": dead_letter_id, "outcome": "discarded"})
        except DomainError as refused:
            outcomes.append({"dead_letter": dead_letter_id, "outcome": refused.detail})
    return _report(args, outcomes, "discarded")


def show_outbox(console: Console, args: argparse.Namespace) -> int:
    backlog = console.outbox()
    if args.json:
        return _json([views.backlog(b) for b in backlog])
    rows = [[b.service, b.collection, b.documents] for b in backlog]
    print(table(["SERVICE", "COLLECTION", "DOCUMENTS WAITING"], rows))
    reporting = {b.service for b in backlog}
    silent = [s.name for s in console.settings.services if s.name not in reporting]
    if silent:
        print(f"\nno outbox reported by: {', '.join(silent)}")
    return 0


def show_health(console: Console, args: argparse.Namespace) -> int:
    components = console.health()
    if args.json:
        _json([views.component(c) for c in components])
    else:
        rows = [[c.service, c.component, c.state, c.target, c.detail] for c in components]
        print(table(["SERVICE", "COMPONENT", "STATE", "CHECKED", "DETAIL"], rows))
    return 0 if all(c.ok for c in components) else 1


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """Columns padded to their widest cell, counting wide (CJK) characters as two."""
    cells = [headers, *[[str(cell) for cell in row] for row in rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = [_line(row, widths) for row in cells]
    if not rows:
        lines.append("(none)")
    return "\n".join(line.rstrip() for line in lines)


def _report(args: argparse.Namespace, outcomes: list[dict[str, str]], done: str) -> int:
    if args.json:
        _json(outcomes)
    else:
        for item in outcomes:
            print(f"{item['dead_letter']}: {item['outcome']}")
        if not outcomes:
            print("nothing to do: no open dead letter matches")
    return 0 if all(item["outcome"].startswith(done) for item in outcomes) else 1


def _json(value: object) -> int:
    print(json.dumps(value, ensure_ascii=False, indent=2))
    return 0


def _line(cells: list[str], widths: list[int]) -> str:
    padded = (
        cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)
    )
    return "  ".join(padded)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"
