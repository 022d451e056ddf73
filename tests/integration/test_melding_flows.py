"""The five melding flows and the receipt-code flow through the real dialogue runtime.

Real parts: ``bot.runtime.Runtime`` with the real ``StateStore`` on a temporary SQLite file, the real ``actions``
package (rasa_sdk, in process), the real NLU interpreter and — for questions asked in the middle of a form — the real
index (``var/test-data/main``). The meldingen store lives in a temporary folder per test, with throw-away key pairs
made by the dev helper; the handler's private key is used only to check what was stored.

The conversation stories are in ``tests/stories/meldingen.yml`` (key ``melding_stories``); the tests below cover
what a story cannot express: restarts, crashes between commit and reply, the bytes of the database files, logs,
receipt codes and the consistency of the domain with types.yml and the regeling.
"""
from __future__ import annotations

import copy
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
STORIES = REPO / "tests" / "stories" / "meldingen.yml"
CORPUS = REPO / "knowledge" / "corpus" / "kerkrade_personeelshandboek.txt"
TEST_ARGON2 = {"time_cost": 1, "memory_kib": 1024, "parallelism": 1}


# ------------------------------------------------------------------------------------------------ fixtures

class Env:
    """One isolated world: its own conversation database, meldingen database and keys."""

    def __init__(self, assistant: Any, interpreter: Any, tmp: Path, *, keys: bool = True) -> None:
        from bot.config import Config
        from actions.melding_flow_store import generate_dev_keys

        self.tmp = tmp
        raw = dict(assistant.config.raw)
        raw["meldingen"] = {"data_dir": str(tmp / "meldingen"), "argon2": dict(TEST_ARGON2)}
        self.config = Config(assistant.config.path, raw)
        self.assistant = copy.copy(assistant)  # shares the loaded index, embedder and interpreter
        self.assistant.config = self.config
        self.interpreter = interpreter
        self.state_path = tmp / "state.db"
        self.keys_dir = generate_dev_keys(self.config) if keys else None
        self.sender = "melder-1"
        self.runtime = self.new_runtime()

    def new_runtime(self) -> Any:
        from bot.runtime import Runtime
        from bot.state import StateStore

        return Runtime(self.assistant, StateStore(f"sqlite:///{self.state_path}"), self.interpreter)

    def say(self, text: str, sender: str | None = None) -> Any:
        return self.runtime.handle_sync(sender or self.sender, text)

    @property
    def store(self) -> Any:
        from actions.melding_flow_store import get_store

        return get_store(self.config)

    def count(self) -> int:
        from sqlalchemy import text

        with self.store.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM meldingen")).scalar_one()

    def handler(self, role: str) -> Any:
        from actions.meldingen import Handler, load_handler_key

        return Handler(self.store, load_handler_key(self.keys_dir / f"{role}.key"))

    def stored(self) -> list[Any]:
        """Every stored melding, decrypted with the test keys (newest last)."""
        from actions.melding_flow_store import ROLES

        views = []
        for role in ROLES:
            h = self.handler(role)
            for summary in h.list(include_closed=True):
                views.append(h.show(summary.reference, with_identity=True))
        return sorted(views, key=lambda v: v.summary.created_at)

    def state_json(self, sender: str | None = None) -> str:
        return self.runtime.store.load(sender or self.sender).to_json()

    def close(self) -> None:
        from actions.melding_flow_store import reset_stores

        self.runtime.store.dispose()
        reset_stores()


@pytest.fixture()
def make_env(assistant, interpreter, tmp_path):
    made: list[Env] = []

    def build(**kwargs: Any) -> Env:
        env = Env(assistant, interpreter, tmp_path / f"env{len(made)}", **kwargs)
        made.append(env)
        return env

    yield build
    for env in made:
        env.close()


def texts(result: Any) -> str:
    return "\n".join(m.text for m in result.messages)


def responses(result: Any) -> list[str | None]:
    return [m.response for m in result.messages]


def receipt_code(result: Any) -> str:
    m = re.search(r"\b(\d{4} \d{4} \d{4} \d{4})\b", texts(result))
    assert m, texts(result)
    return m.group(1)


def run_script(env: Env, lines: list[str]) -> Any:
    result = None
    for line in lines:
        result = env.say(line)
    return result


# A short complete flow used by several tests (S.O.S. without name: few questions).
SOS_UNTIL_SUMMARY = [
    "ik wil een onveilige situatie melden",
    '/inform{"melding_onveilige_situatie_betreft": "onveilige_situatie"}',
    "gisteren", "overslaan", "trappenhuis oost",
    "De leuning van de trap in het trappenhuis zit los. Merkwoord Wielewaal-21.",
    '/inform{"melding_onveilige_situatie_bijna_fout": "overslaan"}', "overslaan",
    '/inform{"melding_onveilige_situatie_gevolgen": "overslaan"}', "overslaan",
    '/inform{"melding_onveilige_situatie_kans_herhaling": "overslaan"}', "overslaan", "overslaan", "overslaan",
    '/inform{"melding_onveilige_situatie_met_naam": "nee"}',
]
SEND_SOS = '/inform{"melding_onveilige_situatie_bevestiging": "versturen"}'
PHRASE = "Wielewaal-21"


# ------------------------------------------------------------------------------------------------- stories

def _stories() -> list[tuple[str, dict]]:
    data = yaml.safe_load(STORIES.read_text(encoding="utf-8")) or {}
    return [(s["story"], s) for s in data.get("melding_stories", [])]


def _check(step: dict, result: Any, env: Env) -> None:
    where = f"na {step['user']!r}"
    said = texts(result)
    if "intent" in step:
        assert result.intent == step["intent"], (where, result.intent, said)
    if "active_form" in step:
        assert result.active_form == step["active_form"], (where, said)
    if "requested_slot" in step:
        assert result.requested_slot == step["requested_slot"], (where, result.requested_slot, said)
    if "bot" in step:
        it = iter(responses(result))
        for name in step["bot"]:
            assert any(r == name for r in it), (where, name, responses(result), said)
    for frag in step.get("bot_contains", []):
        assert frag in said, (where, frag, said)
    for frag in step.get("bot_lacks", []):
        assert frag.lower() not in said.lower(), (where, frag, said)
    if "buttons" in step:
        titles = [b["title"] for m in result.messages for b in m.buttons]
        for title in step["buttons"]:
            assert title in titles, (where, title, titles)
    if "slots" in step:
        slots = env.runtime.store.load(env.sender).slots
        for k, v in step["slots"].items():
            assert slots.get(k) == v, (where, k, slots.get(k))
    if "stored" in step:
        exp = step["stored"]
        assert env.count() == exp["count"], (where, env.count())
        if exp["count"]:
            view = env.stored()[-1]
            if "type" in exp:
                assert view.summary.type == exp["type"], where
            for k, v in (exp.get("fields") or {}).items():
                assert view.fields.get(k) == v, (where, k, view.fields.get(k))
            for k, frag in (exp.get("fields_contain") or {}).items():
                assert frag in str(view.fields.get(k)), (where, k, view.fields.get(k))
            if "identity" in exp:
                if exp["identity"] is None:
                    assert view.identity is None, (where, view.identity)
                else:
                    for k, v in exp["identity"].items():
                        assert (view.identity or {}).get(k) == v, (where, k, view.identity)
    for frag in step.get("state_lacks", []):
        assert frag not in env.state_json(), (where, frag)


@pytest.mark.parametrize("name,story", _stories(), ids=[n for n, _ in _stories()])
def test_story(name, story, make_env):
    env = make_env()
    for step in story["steps"]:
        if step.get("restart"):
            env.runtime = env.new_runtime()
            continue
        result = env.say(step["user"])
        _check(step, result, env)


# ----------------------------------------------------------------------------------- runtime-level behaviour

def test_restart_resumes_at_the_same_question(make_env):
    env = make_env()
    run_script(env, ["ik ben uitgescholden door een inwoner aan de telefoon",
                     '/inform{"melding_agressie_kanaal": "telefoon"}', '/inform{"melding_agressie_herhaling": "eerste"}'])
    assert env.runtime.store.load(env.sender).requested_slot == "melding_agressie_datum_incident"
    env.runtime = env.new_runtime()  # a new process on the same database
    r = env.say("is dit anoniem?")
    assert r.active_form == "melding_agressie_form"
    assert r.requested_slot == "melding_agressie_datum_incident"
    assert responses(r)[-1] == "utter_ask_melding_agressie_form_melding_agressie_datum_incident"
    r = env.say("gisteren")
    assert r.requested_slot == "melding_agressie_tijdstip_incident"
    slots = env.runtime.store.load(env.sender).slots
    assert slots["melding_agressie_kanaal"] == "telefoon" and slots["melding_agressie_datum_incident"]


def test_cancel_stores_nothing_and_forgets_the_answers(make_env):
    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY[:6])
    assert PHRASE in env.state_json()  # kept while the form runs, so a restart can resume
    r = env.say("stop")
    assert r.active_form is None and "utter_melding_gestopt" in responses(r)
    assert env.count() == 0
    assert PHRASE not in env.state_json()
    slots = env.runtime.store.load(env.sender).slots
    assert not any(k.startswith("melding_") and v is not None for k, v in slots.items()), slots


def test_stop_button_at_the_summary(make_env):
    env = make_env()
    r = run_script(env, SOS_UNTIL_SUMMARY)
    assert r.requested_slot == "melding_onveilige_situatie_bevestiging"
    stop = next(b for m in r.messages for b in m.buttons if b["title"] == "Stoppen")
    r = env.say(stop["payload"])
    assert r.active_form is None and "utter_melding_gestopt" in responses(r)
    assert env.count() == 0


def _submit_sos_and_talk_on(env: Env) -> None:
    run_script(env, SOS_UNTIL_SUMMARY)
    assert "utter_melding_ontvangen" in responses(env.say(SEND_SOS))
    assert env.count() == 1
    assert PHRASE in json.dumps(env.stored()[-1].fields)  # it was stored, sealed for the handler
    env.say("hallo", sender="iemand-anders")  # the state database is written again afterwards


def test_database_files_do_not_keep_melding_content(make_env):
    env = make_env()
    _submit_sos_and_talk_on(env)
    assert PHRASE not in env.state_json()
    # The meldingen database holds only sealed content, at every moment.
    for p in (env.tmp / "meldingen").glob("meldingen.db*"):
        assert PHRASE.encode() not in p.read_bytes(), p
    # The conversation database file: after a checkpoint every page of the WAL is in it; no old version may remain.
    with env.runtime.store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for p in env.tmp.glob("state.db*"):
        assert PHRASE.encode() not in p.read_bytes(), p
    env.runtime.store.dispose()
    for p in env.tmp.rglob("*.db*"):
        assert PHRASE.encode() not in p.read_bytes(), p


def test_wal_does_not_keep_melding_content_between_checkpoints(make_env):
    env = make_env()
    _submit_sos_and_talk_on(env)
    for p in env.tmp.glob("state.db*"):
        assert PHRASE.encode() not in p.read_bytes(), p


def test_resubmission_after_a_crash_is_idempotent(make_env):
    """A crash after the commit but before the state was saved: the user presses "Versturen" again."""
    from actions.meldingen import InvalidReceipt

    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY)
    before = env.runtime.store.load(env.sender)
    first = env.say(SEND_SOS)
    code1 = receipt_code(first)
    ref = re.search(r"MLD-[0-9A-Z]{4}-[0-9A-Z]{4}", texts(first)).group(0)
    env.runtime.store.save(before)  # the turn's state was never saved
    env.runtime = env.new_runtime()
    second = env.say(SEND_SOS)
    assert "utter_melding_al_ontvangen" in responses(second), texts(second)
    assert ref in texts(second)
    code2 = receipt_code(second)
    assert code2 != code1
    assert env.count() == 1
    with pytest.raises(InvalidReceipt):
        env.store.status(code1)
    assert env.store.status(code2).reference == ref


def test_a_second_send_click_after_submission_stores_nothing_new(make_env):
    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY)
    env.say(SEND_SOS)
    r = env.say(SEND_SOS)
    assert env.count() == 1
    assert "utter_melding_ontvangen" not in responses(r)


def test_a_new_melding_in_the_same_conversation_gets_a_new_nonce(make_env):
    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY)
    env.say(SEND_SOS)
    run_script(env, SOS_UNTIL_SUMMARY)
    env.say(SEND_SOS)
    assert env.count() == 2


def test_100kb_paste_is_cut_with_a_notice(make_env):
    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY[:5])
    paste = (PHRASE + " " + "De leuning zit los en wiebelt. " * 4000)[:100_000]
    r = env.say(paste)
    assert "utter_melding_ingekort" in responses(r), responses(r)
    assert r.requested_slot == "melding_onveilige_situatie_bijna_fout"
    r = run_script(env, SOS_UNTIL_SUMMARY[6:])
    assert r.requested_slot == "melding_onveilige_situatie_bevestiging"
    env.say(SEND_SOS)
    beschrijving = env.stored()[-1].fields["beschrijving"]
    assert beschrijving.startswith(PHRASE) and len(beschrijving) <= 2000


def test_policy_question_in_a_free_text_question_is_answered_then_asked_again(make_env):
    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY[:5])
    r = env.say("Hoeveel krijg ik vergoed voor een beeldschermbril?")
    assert r.active_form == "melding_onveilige_situatie_form"
    assert r.requested_slot == "melding_onveilige_situatie_beschrijving"
    assert "225" in texts(r), texts(r)
    assert responses(r)[-1] == "utter_ask_melding_onveilige_situatie_form_melding_onveilige_situatie_beschrijving"
    assert env.runtime.store.load(env.sender).slots.get("melding_onveilige_situatie_beschrijving") is None


def test_policy_question_at_a_choice_is_answered_then_asked_again(make_env):
    env = make_env()
    env.say("een klant schold me uit")
    r = env.say("wat zegt de regeling over een beeldschermbril?")
    assert r.requested_slot == "melding_agressie_kanaal"
    assert "225" in texts(r), texts(r)
    assert responses(r)[-1] == "utter_ask_melding_agressie_form_melding_agressie_kanaal"


def test_wrong_answer_to_a_choice_is_explained(make_env):
    env = make_env()
    env.say("een klant schold me uit")
    r = env.say("blauw")
    assert r.requested_slot == "melding_agressie_kanaal"
    assert "utter_melding_fout_keuze" in responses(r)


def test_missing_public_key_stops_before_any_question(make_env):
    env = make_env(keys=False)
    r = env.say("ik wil een onveilige situatie melden")
    assert r.active_form is None
    assert "utter_melding_niet_beschikbaar" in responses(r)
    assert "regelwijs keys generate --role arbo" in texts(r)
    assert env.count() == 0


def test_receipt_code_status_replies_and_adding_information(make_env):
    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY)
    code = receipt_code(env.say(SEND_SOS))
    ref = env.stored()[-1].summary.reference
    handler = env.handler("arbo")
    handler.reply(ref, "Dank je, de leuning wordt deze week gerepareerd.")

    r = env.say("wat is de status van mijn melding?")
    assert r.active_form == "melding_status_form" and r.requested_slot == "melding_status_code"
    r = env.say("1234 5678 9012 3456")
    assert "utter_melding_status_code_onbekend" in responses(r)
    assert r.requested_slot == "melding_status_code"
    r = env.say(code)
    assert ref in texts(r) and "ontvangen" in texts(r)
    assert "de leuning wordt deze week gerepareerd" in texts(r)
    assert r.requested_slot == "melding_status_vervolg"
    slots = env.runtime.store.load(env.sender).slots
    assert code.replace(" ", "") not in json.dumps(slots).replace(" ", "")  # only a marker is kept in the slots
    r = env.say('/inform{"melding_status_vervolg": "aanvullen"}')
    assert r.requested_slot == "melding_status_aanvulling"
    r = env.say("Aanvulling: ook de leuning op de tweede verdieping zit los. Merkwoord Tapuit-9.")
    assert "utter_melding_status_toegevoegd" in responses(r)
    r = env.say('/inform{"melding_status_vervolg": "klaar"}')
    assert r.active_form is None
    state = env.state_json()
    assert "Tapuit-9" not in state and code.replace(" ", "") not in state.replace(" ", "")
    messages = handler.show(ref).messages
    assert any("Tapuit-9" in m.text for m in messages)


def test_status_code_in_the_first_message(make_env):
    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY)
    code = receipt_code(env.say(SEND_SOS))
    r = env.say(f"hoe staat het met mijn melding? mijn code is {code}")
    assert r.active_form == "melding_status_form"
    assert r.requested_slot == "melding_status_vervolg", texts(r)
    assert "Status:" in texts(r)


def test_three_wrong_codes_end_the_status_flow(make_env):
    env = make_env()
    env.say("wat is de status van mijn melding?")
    for code in ("1111 1111 1111 1111", "2222 2222 2222 2222"):
        assert env.say(code).requested_slot == "melding_status_code"
    r = env.say("3333 3333 3333 3333")
    assert r.active_form is None and "utter_melding_status_te_vaak" in responses(r)


def test_no_melding_content_in_logs(make_env, caplog):
    env = make_env()
    with caplog.at_level(logging.DEBUG):
        run_script(env, SOS_UNTIL_SUMMARY)
        env.say(SEND_SOS)
    assert env.count() == 1
    for rec in caplog.records:
        assert PHRASE not in rec.getMessage(), (rec.name, rec.getMessage()[:200])
    assert any("melding" in rec.getMessage() and "opgeslagen" in rec.getMessage() for rec in caplog.records)


# ------------------------------------------------------------------------ domain, spec and regeling checks

def test_generated_files_are_in_step_with_the_spec():
    from actions.melding_flow_domain import main
    from actions.melding_flow_spec import check_spec

    assert check_spec() == []
    assert main(["--check"]) == 0


def test_every_question_and_choice_is_in_the_domain():
    from actions.melding_flow_spec import FLOWS
    from bot.domain import load_domain
    from rasa_sdk.executor import ActionExecutor

    ex = ActionExecutor()
    ex.register_package("actions")
    d = load_domain()
    for flow in FLOWS.values():
        assert flow.form in d.forms
        for slot in d.forms[flow.form]["required_slots"]:
            assert f"utter_ask_{flow.form}_{slot}" in d.responses or f"action_ask_{flow.form}_{slot}" in ex.actions, slot
        for step in flow.steps:
            kind = flow.kind(step)
            if kind in ("choice", "multichoice"):
                buttons = d.buttons(f"utter_ask_{flow.form}_{flow.step_slot(step)}")
                values = {json.loads(b["payload"][len("/inform"):])[flow.step_slot(step)] for b in buttons
                          if b["payload"].startswith("/inform")}
                assert {v for v, _ in flow.choices(step)} <= values, step.name
        for action in (f"action_start_{flow.form}", f"validate_{flow.form}", f"action_cancel_{flow.form}",
                       f"action_submit_melding_{flow.key}"):
            assert action in ex.actions, action


@pytest.mark.parametrize("line,fragment", [
    (440, "binnen zeven dagen"), (452, "binnen twee weken"), (467, "drie maanden"), (484, "direct een externe melding"),
    (514, "uitdrukkelijke schriftelijke toestemming"), (605, "gemeentesecretaris"), (423, "Huis voor klokkenluiders"),
    (441, "aangifte doen"), (689, "inwoners of derden"), (789, "externe vertrouwenspersoon"), (999, "zonder toestemming"),
    (1012, "direct tot de klachtencommissie"), (1027, "één keer verlengen met vier weken"),
    (4691, "binnen twaalf weken"), (4609, "naam- en adresgegevens"), (4697, "artikel 9 lid 1"),
    (1153, "verplicht melding te doen"), (1269, "binnen 24 uur"), (1273, "binnen 24 na het incident"),
    (1307, "1 tot 3 dagen"), (1309, "vier tot zes weken"), (1333, "112"), (3470, "meer dan 3 dagen"),
    (3471, "binnen 24 uur aan de Arbeidsinspectie"), (3474, "verplicht onveilige situaties te melden"),
    (3482, "S.O.S.-formulier"), (3484, "minimaal drie dagen"), (1566, "Alle bedrijfsongevallen"),
    (6334, "Naam rapporteur"), (4651, "twee jaar"), (1285, "48 uur"),
])
def test_cited_lines_say_what_the_texts_claim(line, fragment):
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    assert fragment in lines[line - 1], (line, lines[line - 1][:200])


def test_line_references_in_texts_exist():
    from bot.domain import load_domain

    n = len(CORPUS.read_text(encoding="utf-8").splitlines())
    d = load_domain()
    for name, variations in d.responses.items():
        if not (name.startswith("utter_melding") or name.startswith("utter_ask_melding") or name == "utter_anonimiteit"):
            continue
        for v in variations:
            for m in re.finditer(r"\b(?:regels?|lines?|l\.)\s+(\d+)(?:[–-](\d+))?", v.get("text", "")):
                for g in m.groups():
                    if g:
                        assert 1 <= int(g) <= n, (name, m.group(0))


def test_no_text_promises_anonymity():
    from bot.domain import load_domain

    d = load_domain()
    promise = re.compile(r"\b(je|u) (blijft|bent|meldt) (volledig |helemaal )?anoniem|anoniem melden kan\b",
                         re.IGNORECASE)
    for name, variations in d.responses.items():
        for v in variations:
            text = v.get("text", "")
            assert not promise.search(text), (name, text[:120])
            if re.search(r"anoniem|anonym", text, re.IGNORECASE) and (
                    name.startswith("utter_melding") or name.startswith("utter_ask_melding") or name == "utter_anonimiteit"):
                assert re.search(r"\b(niet|geen|nergens|no|not|never|kent)\b", text, re.IGNORECASE), (name, text[:120])


def test_parsing_helpers():
    import datetime as dt

    from actions.melding_flow_parse import (code_digits, match_choices, parse_bool, parse_date, parse_time)

    today = dt.date(2025, 3, 10)
    assert parse_date("31 februari 2024", today).error == "invalid"
    assert parse_date("30-02-2024", today).error == "invalid"
    assert parse_date("morgen", today).error == "future"
    assert parse_date("gisteren", today).value == dt.date(2025, 3, 9)
    assert parse_date("5 maart", today).value == dt.date(2025, 3, 5)
    assert parse_date("1 april", today).value == dt.date(2024, 4, 1)  # no year: the most recent one
    assert parse_time("14u30") == "14:30" and parse_time("2 uur 's middags") == "14:00" and parse_time("blauw") is None
    assert parse_bool("ja, een blauwe plek") is True and parse_bool("nee hoor") is False and parse_bool("blauw") is None
    choices = [("schelden", "schelden"), ("intimidatie", "intimidatie (onder druk zetten)"),
               ("fysieke_seksuele_intimidatie", "fysieke seksuele intimidatie")]
    assert match_choices("schelden en fysieke seksuele intimidatie", choices) == ["schelden", "fysieke_seksuele_intimidatie"]
    assert code_digits("code: 1234-5678-9012-3456") == "1234567890123456" and code_digits("12345") is None


def _fail_first_submit(monkeypatch, exc: Exception) -> None:
    """The store raises ``exc`` on the next submit only; later submits go through."""
    from actions.meldingen import MeldingStore

    real = MeldingStore.submit
    calls = {"n": 0}

    def once(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise exc
        return real(self, *args, **kwargs)

    monkeypatch.setattr(MeldingStore, "submit", once)


def test_a_failing_store_keeps_the_answers_for_a_retry(make_env, monkeypatch):
    from sqlalchemy.exc import OperationalError

    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY)
    _fail_first_submit(monkeypatch, OperationalError("INSERT", {}, Exception("database is locked")))
    r = env.say(SEND_SOS)
    assert "utter_melding_versturen_mislukt" in responses(r)
    assert r.active_form == "melding_onveilige_situatie_form"
    assert r.requested_slot == "melding_onveilige_situatie_bevestiging"
    assert env.count() == 0
    r = env.say(SEND_SOS)
    assert "utter_melding_ontvangen" in responses(r)
    assert env.count() == 1


def test_an_answer_rejected_by_types_yml_is_asked_again(make_env, monkeypatch):
    from actions.meldingen import ValidationError

    env = make_env()
    run_script(env, SOS_UNTIL_SUMMARY)
    _fail_first_submit(monkeypatch, ValidationError({"datum": "ligt in de toekomst"}))
    r = env.say(SEND_SOS)
    assert "utter_melding_ongeldig_veld" in responses(r)
    assert r.requested_slot == "melding_onveilige_situatie_datum"
    r = env.say("eergisteren")
    assert r.requested_slot == "melding_onveilige_situatie_bevestiging"
    assert "utter_melding_ontvangen" in responses(env.say(SEND_SOS))
    assert env.count() == 1


# ------------------------------------------------------------------ fields added after the review (no runtime)

def _asked(flow: Any, slots: dict) -> list[str]:
    from actions.melding_actions import flow_values

    return [s.name for s in flow.applicable(flow_values(flow, slots))]


@pytest.mark.parametrize("kanaal,plaats", [
    ("balie", "balie"), ("spreekkamer", "spreekkamer"), ("telefoon", None), ("schriftelijk", None),
    ("huisbezoek", "elders"), ("buitendienst", "elders"), ("prive", "elders"), ("anders", "elders")])
def test_agressie_plaats_follows_from_the_situation(kanaal, plaats):
    from actions.melding_actions import build_submission
    from actions.melding_flow_spec import FLOWS

    flow = FLOWS["agressie"]
    slots = {flow.slot("kanaal"): kanaal, flow.slot("herhaling"): "eerste", flow.slot("beschrijving"): "x"}
    asked = _asked(flow, slots)
    assert asked[:3] == (["kanaal", "plaats_elders", "herhaling"] if plaats == "elders" else ["kanaal", "herhaling",
                                                                                            "datum_incident"])
    assert "plaats" not in asked  # never asked: the situation says it
    if plaats == "elders":
        slots[flow.slot("plaats_elders")] = "Hoofdstraat"
    fields, _identity = build_submission(flow, slots)
    assert fields.get("plaats") == plaats
    # the derivation and the required_if of types.yml agree, so the store never rejects a derived "plaats"
    assert flow.mtype.field("plaats").required_if.holds({"kanaal": kanaal}) == (plaats is not None)
    assert fields["kanaal"] == kanaal and fields["herhaling"] == "eerste"
    assert "overige_opmerkingen" not in fields  # no more "[Regelwijs] …" lines: these are fields now


def test_misstand_consent_is_asked_and_sent_only_with_the_name():
    from actions.melding_actions import build_submission
    from actions.melding_flow_spec import FLOWS

    flow = FLOWS["misstand"]
    base = {flow.slot("doorgaan"): "melden", flow.slot("ontvanger"): "vertrouwenspersoon",
            flow.slot("omschrijving"): "x"}
    with_name = {**base, flow.slot("met_naam"): "ja", flow.slot("naam"): "Els",
                 flow.slot("toestemming_bekendmaking"): False}
    assert flow.slot("toestemming_bekendmaking") == "melding_misstand_id_toestemming_bekendmaking"
    assert "toestemming_bekendmaking" in _asked(flow, with_name)
    step = flow.step_by_name("toestemming_bekendmaking")
    assert flow.required_when_asked(step) and flow.kind(step) == "bool"
    fields, identity = build_submission(flow, with_name)
    assert fields == {"ontvanger": "vertrouwenspersoon", "omschrijving": "x"}
    assert dict(identity.fields) == {"naam": "Els", "toestemming_bekendmaking": False}
    # without a name: not asked, and an answer left over from before is not sent
    without = {**with_name, flow.slot("met_naam"): "nee"}
    assert "toestemming_bekendmaking" not in _asked(flow, without)
    fields, identity = build_submission(flow, without)
    assert identity is None and fields["ontvanger"] == "vertrouwenspersoon"
    # "de integriteitscoördinator is zelf betrokken" is a dialogue choice (H4 fase 1): never a stored value
    fields, _ = build_submission(flow, {**base, flow.slot("ontvanger"): "coordinator_betrokken"})
    assert "ontvanger" not in fields


def test_arbeidsongeval_asks_the_name_of_the_leidinggevende_last():
    from actions.melding_flow_spec import FLOWS

    flow = FLOWS["arbeidsongeval"]
    assert flow.steps[-1].name == "naam_leidinggevende" and flow.steps[-1].source == "identity"
    assert flow.slot("naam_leidinggevende") == "melding_arbeidsongeval_id_naam_leidinggevende"
