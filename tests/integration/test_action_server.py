"""Contract test: the same actions package served by rasa_sdk's own HTTP server
(``python -m rasa_sdk --actions actions``) answers Rasa-format action requests."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.domain import load_domain

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def action_server():
    port = _free_port()
    env = dict(os.environ, REGELWIJS_DATA_DIR=str(REPO / "var" / "test-data" / "main"))
    proc = subprocess.Popen([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/health", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode(errors="replace"))
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("action server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _post(url: str, payload: dict) -> dict:
    req = urllib.request.Request(url + "/webhook", data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def _tracker(slots: dict, text: str = "", events: list | None = None, active_loop: str | None = None) -> dict:
    return {"sender_id": "contract", "slots": slots, "latest_message": {"text": text, "intent": {"name": "inform"},
                                                                          "entities": []},
            "events": events or [], "paused": False, "followup_action": None,
            "active_loop": {"name": active_loop} if active_loop else {}, "latest_action_name": None}


def test_lists_actions(action_server):
    with urllib.request.urlopen(action_server + "/actions", timeout=30) as resp:
        names = {a["name"] for a in json.loads(resp.read())}
    assert {"action_calc_zorgverlof", "validate_calc_zorgverlof_form", "action_answer_policy"} <= names


def test_submit_calculator_returns_calculation(action_server):
    body = _post(action_server, {"next_action": "action_calc_zorgverlof", "sender_id": "contract",
                                 "tracker": _tracker({"gemeente": "Kerkrade", "zorgverlof_soort": "kort",
                                                      "uren_per_week": 32, "zorgverlof_al_opgenomen_uren": 0}),
                                 "domain": load_domain().to_rasa_json(), "version": "3.6.0"})
    assert body["events"] == []
    [msg] = body["responses"]
    calc = msg["custom"]["calculation"]
    assert calc["name"] == "zorgverlof" and calc["result"]["value"] == 64
    assert calc["citations"][0]["doc"] == "kerkrade_personeelshandboek"
    assert "2 × 32 uur" in msg["text"]


def test_form_validation_events(action_server):
    events = [{"event": "slot", "name": "uren_per_week", "value": "-5"}]
    body = _post(action_server, {"next_action": "validate_calc_zorgverlof_form", "sender_id": "contract",
                                 "tracker": _tracker({"gemeente": "Kerkrade", "uren_per_week": 32}, "-5", events,
                                                     "calc_zorgverlof_form"),
                                 "domain": load_domain().to_rasa_json()})
    slot_events = {e["name"]: e["value"] for e in body["events"] if e["event"] == "slot"}
    assert slot_events["uren_per_week"] == 32  # invalid answer: the earlier value is kept
    assert any("tussen" in (r.get("text") or "") for r in body["responses"])


def test_unknown_action_is_an_error(action_server):
    req = urllib.request.Request(action_server + "/webhook", data=json.dumps(
        {"next_action": "action_bestaat_niet", "tracker": _tracker({}), "domain": {}}).encode(),
        method="POST", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 404
