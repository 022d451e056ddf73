"""Telegram: python-telegram-bot talks to a local stand-in of the Bot API (aiohttp on
127.0.0.1) through its ``base_url``; updates come in through ``serve``'s webhook (and
once through long polling)."""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
import time

import httpx
import pytest
import sqlalchemy as sa
from aiohttp import web

pytestmark = pytest.mark.slow

TOKEN = "123456:TEST-token-not-real_abcdefghijklmnopqrstu"
SECRET = "webhook-secret-for-tests"
BOT = {"id": 999, "is_bot": True, "first_name": "Regelwijs", "username": "regelwijs_test_bot",
       "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
_ids = itertools.count(1000)


class FakeBotApi:
    """Just enough of the Bot API: records every call, answers like Telegram would."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.pending_updates: list[dict] = []
        self._lock = threading.Lock()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {}
            for k, v in (await request.post()).items():
                try:
                    params[k] = json.loads(v) if k in ("reply_markup", "allowed_updates", "chat_id") else v
                except ValueError:
                    params[k] = v
        method = request.match_info["method"]
        with self._lock:
            self.calls.append((method, params))
        if method == "getMe":
            result = BOT
        elif method == "sendMessage":
            result = {"message_id": next(_ids), "date": int(time.time()), "from": BOT,
                      "chat": {"id": int(params["chat_id"]), "type": "private"}, "text": params["text"]}
            if params.get("reply_markup"):
                result["reply_markup"] = params["reply_markup"]
        elif method == "getUpdates":
            with self._lock:
                updates, self.pending_updates = self.pending_updates, []
            if not updates:
                await asyncio.sleep(0.1)
            result = updates
        elif method in ("answerCallbackQuery", "editMessageReplyMarkup", "deleteWebhook", "setWebhook",
                        "sendChatAction", "setMyCommands", "deleteMyCommands"):
            result = True
        else:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.json_response({"ok": True, "result": result})

    def sent(self, chat_id: int) -> list[dict]:
        with self._lock:
            return [p for m, p in self.calls if m == "sendMessage" and int(p["chat_id"]) == chat_id]

    def called(self, method: str) -> list[dict]:
        with self._lock:
            return [p for m, p in self.calls if m == method]


def user(uid: int) -> dict:
    return {"id": uid, "is_bot": False, "first_name": "Test", "language_code": "nl"}


def text_update(uid: int, text: str, update_id: int | None = None) -> dict:
    msg = {"message_id": next(_ids), "date": int(time.time()), "chat": {"id": uid, "type": "private"},
           "from": user(uid), "text": text}
    if text.startswith("/"):
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id or next(_ids), "message": msg}


def callback_update(uid: int, data: str) -> dict:
    return {"update_id": next(_ids), "callback_query": {
        "id": str(next(_ids)), "from": user(uid), "chat_instance": "ci", "data": data,
        "message": {"message_id": next(_ids), "date": int(time.time()), "chat": {"id": uid, "type": "private"},
                    "from": BOT, "text": "vraag"}}}


@pytest.fixture(scope="module")
def bot_api(stand_in):
    api = FakeBotApi()
    with stand_in(api.app()) as srv:
        api.url = srv.url
        yield api


@pytest.fixture(scope="module")
def tg(make_service, live_server, bot_api):
    from bot.channels.server import create_app
    from bot.channels.telegram import TelegramWebhook, build_application, protect_token_in_logs

    protect_token_in_logs(TOKEN)
    service = make_service()
    ptb = build_application(service, TOKEN, base_url=f"{bot_api.url}/bot", webhook=True)
    with live_server(create_app(service, telegram=TelegramWebhook(ptb, SECRET))) as srv:
        srv.service = service
        srv.client = httpx.Client(base_url=srv.url, timeout=30)
        yield srv
        srv.client.close()


def push(tg, update: dict, secret: str | None = SECRET, **kw) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return tg.client.post("/telegram/webhook", json=update, headers=headers, **kw)


def test_question_in_answer_out_with_feedback_buttons(tg, bot_api, waiter):
    uid = 5001
    assert push(tg, text_update(uid, "Krijg ik een reiskostenvergoeding voor mijn woon-werkverkeer?")).status_code == 200
    answer = next_message(bot_api, waiter, uid, 0, lambda m: m.get("reply_markup"))
    assert answer["text"] and len(answer["text"]) <= 4096
    buttons = _buttons(answer)
    datas = [b["callback_data"] for b in buttons]
    assert any(d.startswith("fb:+:") for d in datas) and any(d.startswith("fb:-:") for d in datas)
    # 👎 is stored with the answer's citations
    down = next(d for d in datas if d.startswith("fb:-:"))
    push(tg, callback_update(uid, down))
    waiter(lambda: bot_api.called("answerCallbackQuery"))
    from bot.channels.feedback import feedback_table

    def stored():
        with tg.service.feedback_store.engine.connect() as conn:
            return conn.execute(sa.select(feedback_table).where(feedback_table.c.channel == "telegram")).all()

    rows = waiter(stored)
    assert rows[0].rating == -1 and json.loads(rows[0].citations)


def _buttons(msg: dict) -> list[dict]:
    return [b for row in (msg.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def next_message(bot_api, waiter, uid: int, after: int, pred=lambda m: True) -> dict:
    """The first message to ``uid`` after the first ``after`` ones that satisfies ``pred``."""
    return waiter(lambda: next((m for m in bot_api.sent(uid)[after:] if pred(m)), None))


def test_zorgverlof_form_with_buttons(tg, bot_api, waiter):
    uid = 5002
    push(tg, text_update(uid, "ik wil zorgverlof berekenen"))
    first = next_message(bot_api, waiter, uid, 0, lambda m: any(
        b["text"].lower().startswith("kort") for b in _buttons(m)))
    kort = next(b for b in _buttons(first) if b["text"].lower().startswith("kort"))
    assert kort["callback_data"] == '/inform{"zorgverlof_soort": "kort"}'  # callback data = payload
    n = len(bot_api.sent(uid))
    push(tg, callback_update(uid, kort["callback_data"]))
    assert "uur" in next_message(bot_api, waiter, uid, n)["text"]
    assert bot_api.called("editMessageReplyMarkup")  # the used keyboard is removed
    n = len(bot_api.sent(uid))
    push(tg, text_update(uid, "32"))
    next_message(bot_api, waiter, uid, n)
    n = len(bot_api.sent(uid))
    push(tg, text_update(uid, "0"))
    result = next_message(bot_api, waiter, uid, n, lambda m: any(b["callback_data"].startswith("fb:")
                                                                 for b in _buttons(m)))
    assert "32" in result["text"]
    with tg.service.runtime.store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(sa.text("select sender_id from rw_conversations"))]
    assert tg.service.pseudonym("telegram", uid) in ids and not any(str(uid) in i for i in ids)


def test_secret_token_checked(tg, bot_api):
    uid = 5003
    assert push(tg, text_update(uid, "hallo"), secret=None).status_code == 401
    assert push(tg, text_update(uid, "hallo"), secret="wrong").status_code == 403
    time.sleep(0.5)
    assert not bot_api.sent(uid)


def test_replayed_update_processed_once(tg, bot_api, waiter):
    uid = 5004
    update = text_update(uid, "hallo", update_id=777001)
    assert push(tg, update).status_code == 200
    assert push(tg, update).status_code == 200
    waiter(lambda: bot_api.sent(uid))
    time.sleep(1.0)
    assert len(bot_api.sent(uid)) == 1


def test_odd_updates_do_not_break_the_bot(tg, bot_api, waiter):
    uid = 5005
    odd = [
        {"update_id": next(_ids), "edited_message": text_update(uid, "bewerkt")["message"]},
        {"update_id": next(_ids), "my_chat_member": {
            "chat": {"id": uid, "type": "private"}, "from": user(uid), "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": BOT},
            "new_chat_member": {"status": "kicked", "user": BOT, "until_date": 0}}},
        {"update_id": next(_ids), "some_future_update_type": {"x": 1}},
    ]
    for u in odd:
        assert push(tg, u).status_code == 200
    assert push(tg, {"update_id": "abc"}).status_code == 400
    assert push(tg, ["not", "an", "update"]).status_code == 400
    assert tg.client.post("/telegram/webhook", content=b"{oops", headers={
        "X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}).status_code == 400
    assert tg.client.post("/telegram/webhook", content=b"x", headers={
        "X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "text/plain"}).status_code == 415
    sticker = text_update(uid, "x")
    del sticker["message"]["text"]
    sticker["message"]["sticker"] = {"file_id": "f", "file_unique_id": "u", "type": "regular", "width": 1,
                                     "height": 1, "is_animated": False, "is_video": False}
    push(tg, sticker)
    reply = waiter(lambda: bot_api.sent(uid))
    assert "tekst" in reply[-1]["text"]
    push(tg, text_update(uid, "/start"))
    waiter(lambda: len(bot_api.sent(uid)) >= 2)
    assert "Regelwijs" in bot_api.sent(uid)[-1]["text"]
    assert tg.client.get("/healthz").status_code == 200


def test_token_never_logged(tg, bot_api, waiter, caplog):
    uid = 5006
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # httpx logs every request URL, token included
    push(tg, text_update(uid, "hallo"))
    waiter(lambda: bot_api.sent(uid))
    # httpx logs a request once its response is read, just after the stand-in saw it
    waiter(lambda: any("<token>" in r.getMessage() for r in caplog.records if r.name.startswith("httpx")))
    assert TOKEN not in caplog.text


def test_long_polling(make_service, bot_api, waiter):
    """``regelwijs telegram`` mode: the Updater fetches updates from the stand-in."""
    from bot.channels.telegram import build_application

    service = make_service()
    app = build_application(service, TOKEN, base_url=f"{bot_api.url}/bot")
    uid = 5007
    bot_api.pending_updates.append(text_update(uid, "hallo"))
    stop = threading.Event()

    def run() -> None:
        async def main() -> None:
            async with app:
                await app.updater.start_polling(poll_interval=0.05, timeout=1)
                await app.start()
                while not stop.is_set():
                    await asyncio.sleep(0.05)
                await app.updater.stop()
                await app.stop()

        asyncio.run(main())

    t = threading.Thread(target=run, daemon=True)
    t.start()
    try:
        assert waiter(lambda: bot_api.sent(uid))
    finally:
        stop.set()
        t.join(20)


def test_split_text_at_telegram_limit():
    from bot.channels.telegram import MAX_TEXT, PayloadKeys, _utf16_len, split_text

    para = ("Dit is een zin over verlof. " * 40).strip()
    text = "\n\n".join([para] * 12) + " 😀" * 500
    pieces = split_text(text)
    assert len(pieces) > 1 and all(_utf16_len(p) <= MAX_TEXT for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    assert split_text("kort") == ["kort"]
    hard = "x" * 9000
    assert [len(p) for p in split_text(hard)] == [4096, 4096, 808]
    keys = PayloadKeys()
    long_payload = '/inform{"een_heel_lange_slotnaam_voor_de_test": "een heel lange waarde ook"}'
    enc = keys.encode(long_payload)
    assert len(enc.encode()) <= 64 and keys.decode(enc) == long_payload
    assert keys.encode("/affirm") == "/affirm"


def test_telegram_language_code_sets_the_language_of_a_greeting(tg, bot_api, waiter):
    uid = 5099
    upd = text_update(uid, "hoi")
    upd["message"]["from"]["language_code"] = "en"
    assert push(tg, upd).status_code == 200
    reply = next_message(bot_api, waiter, uid, 0)
    assert "How can I help" in reply["text"], reply["text"]
