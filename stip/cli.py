"""`python -m stip`: the command line for admin work, in Dutch (exit 2 on wrong usage)."""

from __future__ import annotations

import argparse
import json
import sys

from stip import config
from stip.i18n import t


class DutchParser(argparse.ArgumentParser):
    """argparse with Dutch usage, headings and errors; wrong usage exits 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = t("cli.heading_positionals")
        self._optionals.title = t("cli.heading_options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("cli.help_help"))

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", t("cli.usage"), 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", t("cli.usage"), 1)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.error", prog=self.prog, message=_dutch_error(message)) + "\n")


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=88)  # the same help on every terminal (docs/cli.md)


def _dutch_error(message: str) -> str:
    replacements = {
        "the following arguments are required": t("cli.error_required"),
        "unrecognized arguments": t("cli.error_unrecognized"),
        "invalid choice": t("cli.error_invalid_choice"),
        "invalid int value": t("cli.error_invalid_int"),
        "expected one argument": t("cli.error_expected_one"),
        "choose from": t("cli.error_choose_from"),
    }
    for english, dutch in replacements.items():
        message = message.replace(english, dutch)
    return message


def build_parser() -> DutchParser:
    parser = DutchParser(prog="python -m stip", description=t("cli.description"))
    commands = parser.add_subparsers(
        dest="command", metavar=t("cli.metavar_command"), parser_class=DutchParser
    )
    commands.required = True

    serve = commands.add_parser("serve", help=t("cli.serve_help"), description=t("cli.serve_help"))
    serve.add_argument("--port", type=int, default=8866, help=t("cli.port_help"))
    serve.add_argument("--host", default="127.0.0.1", help=t("cli.host_help"))
    serve.add_argument("--deelnemers", action="store_true", help=t("deelnemen.cli_serve_help"))
    serve.add_argument(
        "--deelnemers-host", default="0.0.0.0", metavar="HOST", help=t("deelnemen.cli_serve_host_help")
    )
    serve.add_argument(
        "--deelnemers-port", type=int, default=8867, metavar="PORT", help=t("deelnemen.cli_serve_port_help")
    )

    deelnemen = commands.add_parser(
        "deelnemen", help=t("deelnemen.cli_help"), description=t("deelnemen.cli_help")
    )
    deelnemen.add_argument("--host", default="127.0.0.1", help=t("deelnemen.cli_host_help"))
    deelnemen.add_argument("--port", type=int, default=8867, help=t("deelnemen.cli_port_help"))

    commands.add_parser("demo", help=t("cli.demo_help"), description=t("cli.demo_help"))

    status = commands.add_parser("status", help=t("cli.status_help"), description=t("cli.status_help"))
    status.add_argument("--json", action="store_true", help=t("cli.json_help"))

    imp = commands.add_parser("import", help=t("cli.import_help"), description=t("cli.import_help"))
    imp.add_argument("file", metavar=t("cli.metavar_file"), help=t("cli.file_help"))
    imp.add_argument("--dry-run", action="store_true", help=t("cli.dry_run_import_help"))
    imp.add_argument("--demo-verwijderen", action="store_true", help=t("cli.demo_remove_help"))
    imp.add_argument("--json", action="store_true", help=t("cli.json_help"))

    retention = commands.add_parser(
        "retention", help=t("cli.retention_help"), description=t("cli.retention_help")
    )
    retention.add_argument("--dry-run", action="store_true", help=t("cli.dry_run_retention_help"))
    retention.add_argument("--json", action="store_true", help=t("cli.json_help"))

    export = commands.add_parser("export", help=t("cli.export_help"), description=t("cli.export_help"))
    export.add_argument("--json", action="store_true", required=True, help=t("cli.json_help"))
    _add_sessie_parser(commands)
    return parser


def _add_sessie_parser(commands) -> None:
    """`sessie start|resultaten|sluit`: live sessions (team scan, kenniskring) from the command line."""
    sessie = commands.add_parser("sessie", help=t("sessie.help"), description=t("sessie.help"))
    steps = sessie.add_subparsers(
        dest="sessie_command", metavar=t("cli.metavar_command"), parser_class=DutchParser
    )
    steps.required = True
    start = steps.add_parser("start", help=t("sessie.start_help"), description=t("sessie.start_description"))
    start.add_argument(
        "kind",
        choices=("teamscan", "kenniskring"),
        metavar=t("sessie.metavar_kind"),
        help=t("sessie.kind_help"),
    )
    start.add_argument("--naam", required=True, help=t("sessie.naam_help"))
    start.add_argument("--datum", type=_sessie_date, help=t("sessie.datum_help"))
    start.add_argument("--json", action="store_true", help=t("cli.json_help"))
    shown = steps.add_parser(
        "resultaten", help=t("sessie.results_help"), description=t("sessie.results_description")
    )
    shown.add_argument("code", metavar=t("sessie.metavar_code"), help=t("sessie.code_help"))
    shown.add_argument("--json", action="store_true", help=t("cli.json_help"))
    close = steps.add_parser("sluit", help=t("sessie.close_help"), description=t("sessie.close_help"))
    close.add_argument("code", metavar=t("sessie.metavar_code"), help=t("sessie.code_help"))


def _sessie_date(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("sessie.bad_date", value=value)) from None


def _prepare() -> None:
    from stip import store

    store.migrate()


def cmd_serve(args: argparse.Namespace) -> int:
    from stip import schools, serve, store

    try:
        token, generated = serve.server_token(args.host, config.token())
    except serve.TokenTooShort as exc:
        print(t(exc.message_key, minimum=serve.MIN_TOKEN_LENGTH), file=sys.stderr)
        return 2
    _prepare()
    with store.write() as conn:
        schools.acting_staff_member(conn)
    url = serve.start_url(args.host, args.port, token if args.host not in serve.LOCAL_HOSTS else None)
    print(t("cli.serve_started", url=url, data=config.data_dir()), flush=True)
    if generated:
        print(t("cli.serve_token_generated"), flush=True)
    if args.deelnemers:  # the participant app for the LAN, started before Voilà: kernels get its address
        from stip import deelnemen

        if deelnemen.start_beside(args.deelnemers_host, args.deelnemers_port) is None:
            return 1
    serve.serve(args.port, args.host, token=token)
    return 0


def cmd_deelnemen(args: argparse.Namespace) -> int:
    """The participant app of live sessions (study day, kenniskring) on its own."""
    from stip import deelnemen

    _prepare()
    return deelnemen.run(args.host, args.port)


def cmd_demo(args: argparse.Namespace) -> int:
    from stip import demo, schools, store

    _prepare()
    try:
        with store.write() as conn:
            loaded = demo.load_demo(conn, schools.acting_staff_member(conn))
    except demo.DemoRefused as exc:
        print(t(exc.message_key), file=sys.stderr)
        return 1
    print(
        t(
            "demo.loaded",
            school=loaded.school,
            students=t("klassen.n_students", count=loaded.students),
            klassen=t("klassen.n_klassen", count=loaded.klassen),
        )
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from stip import records, store

    _prepare()
    with store.read() as conn:
        counts = records.counts(conn)
    if args.json:
        print(json.dumps(counts))
    else:
        print(t("cli.status_data", data=config.data_dir()))
        for name, count in counts.items():
            print(f"  {name}: {count}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from stip import records, store

    _prepare()
    with store.read() as conn:
        everything = records.export_all(conn)
    json.dump(everything, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def cmd_sessie(args: argparse.Namespace) -> int:
    """Start a live session, print its results, or close it; exit 1 with a Dutch message for an
    unknown code."""
    from stip import live, schools, store

    _prepare()
    if args.sessie_command == "start":
        try:
            with store.write() as conn:
                actor = schools.acting_staff_member(conn)
                if args.kind == "kenniskring":  # with Stip's standard programme (issue 18)
                    from stip import kenniskring

                    session = kenniskring.start(conn, actor, args.naam, args.datum)
                else:
                    session = live.start_session(conn, actor, args.kind, args.naam, args.datum)
        except live.LiveError as exc:
            print(t(exc.message_key, **exc.values), file=sys.stderr)
            return 1
        url = (config.participant_base_url() or "http://127.0.0.1:8867") + live.join_path(session)
        if args.json:
            datum = session["held_on"].isoformat() if session["held_on"] else None
            shown = {"id": session["id"], "kind": session["kind"], "naam": session["naam"], "datum": datum}
            print(json.dumps({**shown, "code": session["code"], "url": url}, ensure_ascii=False))
        else:
            print(t("sessie.started", naam=session["naam"], code=session["code"], url=url))
        return 0
    with store.read() as conn:
        session = live.session_by_code(conn, args.code)
        found = session is not None and session["kind"] in live.KINDS
        result = live.results(conn, session["id"]) if found and args.sessie_command == "resultaten" else None
    if not found:
        print(t("sessie.unknown_code", code=live.normalize_code(args.code) or args.code), file=sys.stderr)
        return 1
    if args.sessie_command == "sluit":
        if session["status"] != "open":
            print(t("sessie.already_closed", code=session["code"]))
            return 0
        with store.write() as conn:
            live.close_session(conn, session["id"])
        print(t("sessie.closed", code=session["code"], naam=session["naam"]))
        return 0
    if args.json:
        print(
            json.dumps({"code": session["code"], "status": session["status"], **result}, ensure_ascii=False)
        )
        return 0
    print(t("sessie.results_head", naam=session["naam"], code=session["code"], count=result["deelnemers"]))
    if result["verborgen"]:
        print(t("sessie.results_hidden", minimum=live.MIN_GROUP))
        return 0
    for item in result["items"]:
        if item["kind"] in ("open", "opmerking"):
            continue
        counts = ", ".join(f"{live.scale_label(option)}: {n}" for option, n in item["antwoorden"].items())
        print(f"- {item['tekst']}\n    {counts}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import a class list: all or nothing; exit 0 stored (or valid with --dry-run), 1 refused, 2 while
    the fictional Voorbeeldschool is loaded and `--demo-verwijderen` is not given."""
    from pathlib import Path

    from stip import demo, imports, klassen, schools, store

    path = Path(args.file)
    try:
        size = path.stat().st_size
        if size > imports.MAX_UPLOAD_BYTES:
            size_mb = f"{size / 1024 / 1024:.1f}".replace(".", ",")
            limit_mb = imports.MAX_UPLOAD_BYTES // (1024 * 1024)
            raise imports.ImportRefused("import.too_large", size_mb=size_mb, limit_mb=limit_mb)
        plan = imports.parse(path.read_bytes())
    except OSError:
        print(t("cli.file_unreadable", file=args.file), file=sys.stderr)
        return 1
    except imports.ImportRefused as exc:
        message = t(exc.message_key, **exc.values)
        if args.json:
            print(
                json.dumps(
                    {
                        "students": 0,
                        "guardians": 0,
                        "errors": [{"row": None, "column": None, "message": message}],
                        "warnings": [],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(message, file=sys.stderr)
        return 1
    report = plan.as_json()
    stored = removed = None
    if plan.ok and not args.dry_run:
        _prepare()
        actor = schools.resolve_actor()
        with store.read() as conn:  # match first, so the write transaction stays short
            prepared = klassen.prepare_import(conn, actor, plan)
        with store.write() as conn:
            demo_loaded = demo.is_demo_school(conn, actor.school_id)
            if demo_loaded and args.demo_verwijderen:
                removed = demo.remove_demo(conn, actor)
            if not demo_loaded or removed is not None:
                stored = klassen.apply_import(conn, actor, prepared)
        if stored is None:  # the demo school is loaded: ask first (real and made-up students never mix)
            message = t("cli.import_demo_loaded")
            if args.json:
                refused = {"students": 0, "guardians": 0, "warnings": []}
                refused["errors"] = [{"row": None, "column": None, "message": message}]
                print(json.dumps(refused, ensure_ascii=False))
            else:
                print(message, file=sys.stderr)
            return 2
    if removed is not None:
        report["demo_removed"] = {
            "students": removed.students,
            "guardians": removed.guardians,
            "klassen": removed.klassen,
        }
        if not args.json:
            print(
                t(
                    "cli.demo_removed",
                    students=t("klassen.n_students", count=removed.students),
                    guardians=t("klassen.n_guardians", count=removed.guardians),
                    klassen=t("klassen.n_klassen", count=removed.klassen),
                )
            )
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for problem in plan.errors:
            print(problem.message, file=sys.stderr)
        for problem in plan.warnings:
            print(t("cli.warning", message=problem.message), file=sys.stderr)
        if stored is not None:
            print(
                t("cli.imported", created=stored.created, updated=stored.updated, missing=len(stored.missing))
            )
        elif plan.ok:
            print(
                t(
                    "cli.import_dry_run",
                    students=t("klassen.n_students", count=report["students"]),
                    guardians=t("klassen.n_guardians", count=report["guardians"]),
                )
            )
        else:
            print(t("cli.import_refused", errors=len(plan.errors)), file=sys.stderr)
    return 0 if plan.ok else 1


def cmd_retention(args: argparse.Namespace) -> int:
    from stip import privacy, schools, store, timefmt

    _prepare()
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        months = privacy.retention_months(conn, actor)
        found = privacy.apply_retention(conn, actor, timefmt.today(), dry_run=args.dry_run)
    if found and not args.dry_run:
        store.checkpoint()  # the deleted rows leave the write-ahead log too (DESIGN §8)
    if args.json:
        print(json.dumps({"months": months, "dry_run": args.dry_run, "students": found}, ensure_ascii=False))
        return 0
    key = "cli.retention_would_remove" if args.dry_run else "cli.retention_removed"
    print(t(key, count=len(found), months=months))
    for student in found:
        print(f"  {student['leerlingnummer']}  {student['naam']}  ({student['left_on']})")
    return 0


COMMANDS = {
    "serve": cmd_serve,
    "deelnemen": cmd_deelnemen,
    "demo": cmd_demo,
    "status": cmd_status,
    "import": cmd_import,
    "retention": cmd_retention,
    "export": cmd_export,
}

COMMANDS["sessie"] = cmd_sessie  # live sessions (issues 17/18)


def main(argv: list[str] | None = None) -> int:
    config.private_umask()
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)
