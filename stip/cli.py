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

    commands.add_parser("demo", help=t("cli.demo_help"), description=t("cli.demo_help"))

    status = commands.add_parser("status", help=t("cli.status_help"), description=t("cli.status_help"))
    status.add_argument("--json", action="store_true", help=t("cli.json_help"))

    export = commands.add_parser("export", help=t("cli.export_help"), description=t("cli.export_help"))
    export.add_argument("--json", action="store_true", required=True, help=t("cli.json_help"))
    return parser


def _prepare() -> None:
    from stip import store

    store.migrate()


def cmd_serve(args: argparse.Namespace) -> int:
    from stip import schools, serve, store

    if args.host not in serve.LOCAL_HOSTS and not config.token():
        print(t("cli.serve_needs_token", host=args.host), file=sys.stderr)
        return 2
    _prepare()
    with store.transaction() as conn:
        schools.acting_staff_member(conn)
    print(
        t(
            "cli.serve_started",
            url=f"http://{'localhost' if args.host in serve.LOCAL_HOSTS else args.host}:{args.port}",
            data=config.data_dir(),
        ),
        flush=True,
    )
    serve.serve(args.port, args.host)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from stip import demo, schools, store

    _prepare()
    try:
        with store.transaction() as conn:
            loaded = demo.load_demo(conn, schools.acting_staff_member(conn))
    except demo.DemoRefused as exc:
        print(t(exc.message_key), file=sys.stderr)
        return 1
    print(t("demo.loaded", school=loaded.school, students=loaded.students, klassen=loaded.klassen))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from stip import records, store

    _prepare()
    with store.transaction() as conn:
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
    with store.transaction() as conn:
        everything = records.export_all(conn)
    json.dump(everything, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


COMMANDS = {"serve": cmd_serve, "demo": cmd_demo, "status": cmd_status, "export": cmd_export}


def main(argv: list[str] | None = None) -> int:
    config.private_umask()
    args = build_parser().parse_args(argv)
    return COMMANDS[args.command](args)
