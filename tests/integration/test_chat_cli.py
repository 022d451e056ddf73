"""``regelwijs chat`` end to end, as a separate process reading turns from stdin."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.integration.test_melding_flows import PHRASE, SEND_SOS, SOS_UNTIL_SUMMARY

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "var" / "test-data" / "main"
KEYS = {"chat --json": ["sender", "text", "buttons", "intent", "confidence", "entities", "active_form",
                        "requested_slot", "citations", "calculation"]}


def _chat(tmp_path: Path, turns: list[str], *extra: str) -> list[dict]:
    env = dict(os.environ, REGELWIJS_DATA_DIR=str(DATA),
               REGELWIJS_DATABASE_URL=f"sqlite:///{tmp_path / 'state.db'}")
    p = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--json", *extra], cwd=REPO, env=env,
                       input="\n".join(turns) + "\n", capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in p.stdout.splitlines()]


def test_chat_json_contract_and_calculator(assistant, tmp_path):
    out = _chat(tmp_path, ["hallo", "Ik werk 32 uur, hoeveel kortdurend zorgverlof heb ik?", "0"],
                "--sender", "cli-test", "--gemeente", "Kerkrade")
    for obj in out:
        assert list(obj) == KEYS["chat --json"]
        assert obj["sender"] == "cli-test"
    assert out[-1]["calculation"]["name"] == "zorgverlof"
    assert out[-1]["calculation"]["result"] == {"value": 64, "unit": "uur"} or \
        out[-1]["calculation"]["result"]["value"] == 64
    assert out[1]["active_form"] == "calc_zorgverlof_form"


def test_chat_resumes_after_a_restart(assistant, tmp_path):
    first = _chat(tmp_path, ["ik wil zorgverlof berekenen", "langdurend"], "--sender", "r1")
    assert first[-1]["requested_slot"] == "uren_per_week"
    second = _chat(tmp_path, ["24"], "--sender", "r1")  # a new process, same database
    assert second[-1]["requested_slot"] == "zorgverlof_al_opgenomen_uren"


def test_melding_through_chat_is_stored_encrypted(assistant, tmp_path):
    keyring = DATA / "keyring"
    if not (keyring / "arbo.pub").exists():
        subprocess.run([sys.executable, "-m", "bot.cli", "keys", "generate", "--role", "arbo", "--out", str(keyring)],
                       cwd=REPO, env=dict(os.environ, REGELWIJS_DATA_DIR=str(DATA)), check=True,
                       capture_output=True, timeout=120)
    out = _chat(tmp_path, SOS_UNTIL_SUMMARY + [SEND_SOS], "--sender", "sos-cli")
    receipt = "\n".join(o["text"] for o in out[-3:])
    assert re.search(r"\d{4} \d{4} \d{4} \d{4}", receipt), receipt
    assert out[-1]["active_form"] is None
    for db in list(DATA.glob("meldingen.db*")) + list(tmp_path.glob("state.db*")):
        assert PHRASE.encode() not in db.read_bytes(), db
