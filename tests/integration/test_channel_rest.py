"""REST channel (Rasa's format), the page's endpoints, feedback, unanswered questions,
pseudonymisation and robustness — over HTTP against a live server on 127.0.0.1."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import httpx
import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.slow

QUESTION = "Krijg ik een reiskostenvergoeding voor mijn woon-werkverkeer?"
# Questions the regelingen do not answer (at least one must come back with answered: false).
OFF_CORPUS = [
    "Mag ik mijn hond meenemen naar kantoor? Mail jan.jansen@example.nl",
    "Krijg ik een vergoeding voor een sportabonnement? bel 06-1234 5678 of 0612345678",
    "Mag ik een tatoeage laten zetten tijdens werktijd met Pietersen? Mijn nummer is 12345678",
]
RASA_KEYS = {"recipient_id", "text", "buttons", "custom"}


@pytest.fixture()
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def post(client: httpx.Client, sender: str, message: str, **extra) -> httpx.Response:
    return client.post("/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra})


def test_answer_in_rasa_format_with_citations(client):
    r = post(client, "rest-answer", QUESTION)
    assert r.status_code == 200
    body = r.json()
    assert isinstance(body, list) and body
    for m in body:
        assert set(m) == RASA_KEYS
        assert m["recipient_id"] == "rest-answer"
        assert isinstance(m["text"], str) and isinstance(m["buttons"], list) and isinstance(m["custom"], dict)
    answer = next(m for m in body if m["custom"].get("kind") == "answer")
    assert answer["custom"]["answered"] is True
    cits = answer["custom"]["citations"]
    assert cits and {"doc", "title", "section", "line_start", "line_end", "quote"} <= set(cits[0])
    assert answer["custom"]["answer_id"]


def test_calculator_form_with_buttons(client):
    sender = "rest-calc"
    first = post(client, sender, "ik wil zorgverlof berekenen").json()
    buttons = [b for m in first for b in m["buttons"]]
    kort = next(b for b in buttons if b["title"].lower().startswith("kort"))
    assert kort["payload"].startswith("/")
    assert first[-1]["custom"]["active_form"] == "calc_zorgverlof_form"
    post(client, sender, kort["payload"])
    post(client, sender, "32")
    last = post(client, sender, "0").json()
    calc = next(m for m in last if m["custom"].get("kind") == "calculation")
    assert calc["custom"]["calculation"]["inputs"]["uren_per_week"] == 32
    assert calc["custom"]["citations"]
    assert all("active_form" not in m["custom"] for m in last)


@pytest.mark.parametrize("content, headers, status", [
    (b"{not json", {"Content-Type": "application/json"}, 400),
    (b'{"message": "hallo"}', {"Content-Type": "application/json"}, 400),
    (b'{"sender": "x"}', {"Content-Type": "application/json"}, 400),
    (b'{"sender": "", "message": "hallo"}', {"Content-Type": "application/json"}, 400),
    (b'{"sender": "x", "message": 42}', {"Content-Type": "application/json"}, 400),
    (b'{"sender": "x", "message": "hi", "metadata": []}', {"Content-Type": "application/json"}, 400),
    (b'["sender", "message"]', {"Content-Type": "application/json"}, 400),
    (b'\xff\xfe', {"Content-Type": "application/json"}, 400),
    (b'{"sender": "x", "message": "hallo"}', {"Content-Type": "text/plain"}, 415),
    (b'sender=x&message=hallo', {"Content-Type": "application/x-www-form-urlencoded"}, 415),
])
def test_bad_requests(client, content, headers, status):
    r = client.post("/webhooks/rest/webhook", content=content, headers=headers)
    assert r.status_code == status
    assert "error" in r.json()


def test_body_over_1mb_rejected_by_content_length(client):
    big = json.dumps({"sender": "big", "message": "a" * (1024 * 1024 + 10)}).encode()
    r = client.post("/webhooks/rest/webhook", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_body_over_1mb_rejected_while_streaming(client):
    def chunks():  # no Content-Length: chunked transfer encoding
        yield b'{"sender": "big", "message": "'
        for _ in range(40):
            yield b"a" * 32768
        yield b'"}'

    r = client.post("/webhooks/rest/webhook", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_wrong_method(client):
    assert client.get("/webhooks/rest/webhook").status_code == 405


def test_feedback_stored_with_citations(server, client):
    body = post(client, "rest-fb", QUESTION).json()
    answer = next(m for m in body if m["custom"].get("answer_id"))
    r = client.post("/api/feedback", json={"answer_id": answer["custom"]["answer_id"], "rating": "down"})
    assert r.status_code == 200 and r.json() == {"ok": True, "matched": True}
    from bot.channels.feedback import feedback_table

    with server.service.feedback_store.engine.connect() as conn:
        row = conn.execute(sa.select(feedback_table).where(
            feedback_table.c.answer_id == answer["custom"]["answer_id"])).one()
    assert row.rating == -1 and row.channel == "web"
    stored = json.loads(row.citations)
    assert stored and stored[0]["title"] == answer["custom"]["citations"][0]["title"]
    assert "quote" not in stored[0]
    assert client.post("/api/feedback", json={"answer_id": "x", "rating": "meh"}).status_code == 400
    assert client.post("/api/feedback", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415


def test_unanswered_logged_without_personal_data_and_reported(server, client, channel_config, tmp_path):
    for i, q in enumerate(OFF_CORPUS):
        post(client, f"rest-unanswered-{i}", q)
        post(client, f"rest-unanswered-{i}b", q)
    from bot.channels.feedback import unanswered_table

    with server.service.feedback_store.engine.connect() as conn:
        rows = conn.execute(sa.select(unanswered_table)).all()
    assert rows, "none of the off-corpus questions came back unanswered"
    dump = " ".join(r.question for r in rows)
    for secret in ("jan.jansen@example.nl", "0612345678", "12345678", "1234 5678", "pietersen", "rest-unanswered"):
        assert secret not in dump.lower()
    assert all(len(r.question) <= 200 for r in rows)
    # `regelwijs report` lists the most frequent ones (each was asked twice)
    cfg = tmp_path / "config.yml"
    cfg.write_text(f"database_url: {channel_config.database_url}\ndata_dir: {tmp_path}\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot.cli", "--config", str(cfg), "report", "--json"],
                         capture_output=True, text=True, timeout=120, cwd=str(server.service.config.base_dir))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["unanswered"] and report["unanswered"][0]["count"] >= 2
    assert report["feedback"]["down"] >= 0
    text = subprocess.run([sys.executable, "-m", "bot.cli", "--config", str(cfg), "report"],
                          capture_output=True, text=True, timeout=120, cwd=str(server.service.config.base_dir)).stdout
    assert "zonder antwoord" in text


def test_sender_ids_are_pseudonymised(server, client):
    raw = "alice@example.org"
    post(client, raw, "hallo")
    with server.service.runtime.store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(sa.text("select sender_id from rw_conversations"))]
    assert ids and all(i.startswith("rest:") for i in ids)
    assert raw not in " ".join(ids)
    expected = server.service.pseudonym("rest", raw)
    assert expected in ids
    db_path = server.service.config.database_url.removeprefix("sqlite:///")
    blob = b"".join(open(p, "rb").read() for p in (db_path, db_path + "-wal") if os.path.exists(p))
    assert raw.encode() not in blob


def test_sender_key_file_created_private(tmp_path, monkeypatch):
    from bot.channels.identity import KEY_ENV, Pseudonymizer, load_or_create_key

    monkeypatch.delenv(KEY_ENV, raising=False)
    key = load_or_create_key(tmp_path)
    path = tmp_path / "sender.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(tmp_path) == key  # stable across restarts
    p = Pseudonymizer(key)
    assert p.sender("telegram", 42) == p.sender("telegram", "42") != p.sender("rest", 42)
    monkeypatch.setenv(KEY_ENV, "from-env")
    assert load_or_create_key(tmp_path) == b"from-env"


def test_gemeente_from_channel_config_and_request(make_service, live_server, channel_config):
    from bot.channels.server import create_app
    from bot.config import Config

    raw = dict(channel_config.raw, channels={"rest": {"gemeente": "Oldebroek"}})
    service = make_service(Config(channel_config.path, raw))
    with live_server(create_app(service)) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        body = post(c, "g1", QUESTION).json()
        answers = [m for m in body if m["custom"].get("kind") == "answer"]
        assert answers and answers[0]["custom"]["gemeente"] == "Oldebroek"
        body = post(c, "g2", QUESTION, metadata={"gemeente": "raalte"}).json()
        answers = [m for m in body if m["custom"].get("kind") == "answer"]
        assert answers and answers[0]["custom"]["gemeente"] == "Raalte"
        body = post(c, "g3", QUESTION, metadata={"gemeente": "Atlantis"}).json()
        answers = [m for m in body if m["custom"].get("kind") == "answer"]
        assert answers and answers[0]["custom"]["gemeente"] == "Oldebroek"  # unknown: ignored


def test_flood_is_rate_limited_per_sender(make_service, live_server, channel_config):
    from bot.channels.limits import TokenBucketLimiter
    from bot.channels.server import create_app

    service = make_service(limiter=TokenBucketLimiter(rate=0.01, burst=3))
    with live_server(create_app(service)) as srv, httpx.Client(base_url=srv.url, timeout=60) as c:
        codes = [post(c, "flooder", "hallo").status_code for _ in range(6)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429, 429]
        r = post(c, "flooder", "hallo")
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
        assert "Wacht even" in r.json()[0]["text"] and r.json()[0]["recipient_id"] == "flooder"
        assert post(c, "someone-else", "hallo").status_code == 200
        assert c.get("/healthz").json()["status"] == "ok"
        assert 'regelwijs_rate_limited_total{channel="rest"} 4.0' in c.get("/metrics").text


def test_health_metrics_and_page(client):
    assert client.get("/healthz").json()["status"] == "ok"
    metrics = client.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    for name in ("regelwijs_messages_total", "regelwijs_response_seconds_bucket", "regelwijs_fallbacks_total",
                 "regelwijs_meldingen_submitted_total"):
        assert name in text
    assert "reiskostenvergoeding" not in text and "rest-answer" not in text  # counts only, no content
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text and "Content-Security-Policy" in page.headers
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/api/texts?lang=en").json()["send"] == "Send"
    assert client.get("/api/texts?lang=xx").json()["send"] == "Verstuur"


def test_language_setting_in_metadata_when_the_words_do_not_tell(client):
    """The web page sends its language choice; a greeting or a figure then gets that language,
    while a sentence that reads as Dutch is answered in Dutch."""
    hi = post(client, "rest-lang", "hoi", metadata={"language": "en"}).json()
    assert "Regelwijs" in hi[0]["text"] and "How can I help" in hi[0]["text"], hi[0]["text"]
    nl = post(client, "rest-lang", "Hoeveel verlof krijg ik bij de geboorte van mijn kind?",
              metadata={"language": "en"}).json()
    assert any("regels" in m["text"] or "Hoofdstuk" in m["text"] for m in nl), [m["text"][:80] for m in nl]
    assert post(client, "rest-lang", "hoi", metadata={"language": "xx"}).status_code == 200
