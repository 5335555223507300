"""Write docs/cli.md from the real `--help` of every command (`make docs`; a test keeps them equal)."""

import subprocess
import sys
from pathlib import Path

COMMANDS = ["", "serve", "demo", "status", "import", "retention", "export"]
HEAD = """# Command line: `python -m stip`

Generated from the real `--help` by `make docs` (`docs/gen_cli.py`); `tests/unit/test_foundation.py`
fails when this page and the program disagree. Wrong usage exits with 2 and a Dutch message.
"""


def main() -> None:
    parts = [HEAD]
    for command in COMMANDS:
        args = [sys.executable, "-m", "stip", *([command] if command else []), "--help"]
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
        title = f"python -m stip {command}".strip()
        parts.append(f"## `{title}`\n\n```\n{out}\n```\n")
    Path(__file__).with_name("cli.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
