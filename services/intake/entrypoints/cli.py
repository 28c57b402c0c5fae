"""`python -m services.intake.entrypoints.cli`: the register from the command line.

import FILE             import a survey (CSV or XLSX), with a progress bar
load-district FILE      set the district's communities (JSON or CSV)
generate-survey OUT     write a generated district survey (18,788 elders by default)
count-register          count the register into its communities' tallies again (a repair)
"""

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

from services.intake.adapters.spreadsheets import count_rows, read_rows
from services.intake.bootstrap import bootstrap
from services.intake.entrypoints import demo_district
from services.intake.entrypoints.survey import registrations
from services.intake.service_layer.district import load_district_file
from services.intake.service_layer.registration import register_many
from services.intake.service_layer.users import create_user
from shared.audit import Actor
from shared.web.auth import ADMIN

T = TypeVar("T")


def import_survey(path: Path, by: Actor) -> int:
    intake = bootstrap()
    content = path.read_bytes()
    with tqdm(total=count_rows(content, path.name), unit="row", desc=path.name) as bar:
        report = register_many(
            intake, registrations(_ticking(read_rows(content, path.name), bar)), by
        )
    print(json.dumps({k: v for k, v in vars(report).items() if k != "rejected"}))
    for rejected in report.rejected:
        print(f"row {rejected['row']}: {rejected['reason']}", file=sys.stderr)
    return 0 if not report.rejected else 1


def _ticking(rows: Iterator[T], bar: tqdm) -> Iterator[T]:
    for row in rows:
        bar.update(1)
        yield row


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="intake", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    imported = commands.add_parser("import", help="import a survey file")
    imported.add_argument("file", type=Path)
    imported.add_argument("--by", default="import", help="who is importing (for the history)")
    district = commands.add_parser("load-district", help="set the district's communities")
    district.add_argument("file", type=Path)
    generated = commands.add_parser("generate-survey", help="write a generated survey CSV")
    generated.add_argument("out", type=Path)
    generated.add_argument("--elders", type=int, default=demo_district.ELDERS)
    generated.add_argument(
        "--communities-out", type=Path, help="also write the matching district file (JSON)"
    )
    admin = commands.add_parser("create-admin", help="create a district administrator")
    admin.add_argument("username")
    commands.add_parser(
        "count-register",
        help="count the whole register into the communities' tallies again (safe while it runs)",
    )
    args = parser.parse_args()
    if args.command == "count-register":
        print(f"{bootstrap().elders.rebuild_tallies()} elders counted")
        return 0
    if args.command == "create-admin":
        password = os.environ.get("ELDERCARE_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        create_user(bootstrap(), args.username, password, [ADMIN], None)
        print(f"district administrator {args.username} created")
        return 0
    if args.command == "import":
        return import_survey(args.file, Actor(args.by, "command line"))
    if args.command == "load-district":
        configured = load_district_file(bootstrap(), args.file)
        print(f"{len(configured.communities)} communities configured")
        return 0
    rows, _ = demo_district.survey(date.today(), args.elders)
    args.out.write_bytes(demo_district.as_csv(rows))
    if args.communities_out:
        args.communities_out.write_text(
            json.dumps({"communities": demo_district.communities()}, ensure_ascii=False, indent=2)
        )
    print(f"{len(rows)} elders written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
