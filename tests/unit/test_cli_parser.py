"""The command line loads other modules' subcommands only when they can be asked for."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.cli import _wanted_command, build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_wanted_command_skips_global_options() -> None:
    assert _wanted_command(["--config", "x.yml", "-v", "ask", "vraag"]) == "ask"
    assert _wanted_command(["--help"]) is None
    assert _wanted_command([]) is None


def test_plugins_are_registered_for_their_commands_and_help() -> None:
    for argv in (["meldingen", "list", "--key", "k"], ["serve"], ["--help"]):
        choices = build_parser(argv)._subparsers._group_actions[0].choices
        assert {"ask", "chat", "meldingen", "keys", "serve", "report"} <= set(choices), argv


def test_ask_does_not_import_meldingen_or_channels() -> None:
    code = ("import sys; from bot.cli import build_parser; build_parser(['ask', 'vraag']); "
            "print(sorted(m for m in sys.modules if m.startswith(('actions.meldingen', 'bot.channels', 'sqlalchemy'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
