"""Teams through the Microsoft 365 Agents SDK: activities signed with a locally generated
RSA key and validated by the SDK's own ``JwtTokenValidator``, whose JWKS lookup is pointed
(in this test only) at a local stand-in; replies are captured by a local stand-in of the
Bot Connector service (the activity's ``serviceUrl`` is 127.0.0.1)."""
from __future__ import annotations

import itertools
import json
import threading
import time

import httpx
import jwt
import pytest
import sqlalchemy as sa
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

pytestmark = pytest.mark.slow

APP_ID = "00000000-1111-2222-3333-444444444444"
TENANT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"  # mapped to Oldebroek
TENANT_K = "ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee"  # mapped to Kerkrade
KID = "local-test-key"
_ids = itertools.count(1)


def _rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _rsa_key()
OTHER_KEY = _rsa_key()


class FakeConnector:
    """JWKS endpoint + Bot Connector: records every activity the bot sends."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.auth_headers: list[str | None] = []
        self._lock = threading.Lock()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/keys", self.jwks)
        app.router.add_post("/v3/conversations/{cid}/activities", self.activity)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.activity)
        return app

    async def jwks(self, request: web.Request) -> web.Response:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
        jwk.update(kid=KID, use="sig", alg="RS256")
        return web.json_response({"keys": [jwk]})

    async def activity(self, request: web.Request) -> web.Response:
        body = await request.json()
        body["_conversation"] = request.match_info["cid"]
        aid = f"bot-activity-{next(_ids)}"
        body["_id"] = aid  # what Teams would call this message from now on
        with self._lock:
            self.sent.append(body)
            self.auth_headers.append(request.headers.get("Authorization"))
        return web.json_response({"id": aid})

    def messages(self, conversation: str) -> list[dict]:
        with self._lock:
            return [a for a in self.sent if a["_conversation"] == conversation and a.get("type") == "message"]


def token(service_url: str, *, key=SIGNING_KEY, aud: str = APP_ID, exp_in: int = 3600, kid: str = KID) -> str:
    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": aud, "iat": now - 10, "nbf": now - 10,
              "exp": now + exp_in, "serviceurl": service_url}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture(scope="module")
def connector(stand_in):
    c = FakeConnector()
    with stand_in(c.app()) as srv:
        c.url = srv.url
        yield c


@pytest.fixture(scope="module")
def teams(make_service, live_server, connector, channel_config):
    from microsoft_agents.hosting.core import AgentAuthConfiguration, AnonymousTokenProvider, ConnectionManager
    from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator

    from bot.channels.server import create_app
    from bot.channels.teams import TeamsChannel
    from bot.config import Config

    class LocalTokenProvider(AnonymousTokenProvider):
        """Outbound tokens without Entra ID: the stand-in connector does not check them."""

        async def get_access_token(self, resource_url, scopes, force_refresh=False) -> str:
            return "outbound-test-token"

    mp = pytest.MonkeyPatch()
    # The SDK builds Microsoft's JWKS URL itself; in this test it is the stand-in's.
    mp.setattr(jwt_token_validator, "_build_jwks_uri", lambda *a, **k: f"{connector.url}/keys")
    auth = AgentAuthConfiguration(client_id=APP_ID, tenant_id=TENANT)
    connections = ConnectionManager(provider_factory=lambda cfg: LocalTokenProvider(),
                                    connections_configurations={"SERVICE_CONNECTION": auth})
    raw = dict(channel_config.raw, channels={"teams": {"tenants": {TENANT: "Oldebroek", TENANT_K: "Kerkrade"}},
                                             "rate_limit": {"burst": 20, "per_second": 5}})
    service = make_service(Config(channel_config.path, raw))
    channel = TeamsChannel(service, service.config, connections)
    with live_server(create_app(service, teams=channel)) as srv:
        srv.service = service
        srv.client = httpx.Client(base_url=srv.url, timeout=60)
        yield srv
        srv.client.close()
    mp.undo()


def activity(connector, conversation: str, text: str | None = None, tenant: str = TENANT, **extra) -> dict:
    act = {"type": "message", "id": f"user-activity-{next(_ids)}", "timestamp": "2026-11-29T12:00:00Z",
           "serviceUrl": connector.url, "channelId": "msteams",
           "from": {"id": f"29:{conversation}", "name": "Test Gebruiker", "aadObjectId": f"aad-{conversation}"},
           "conversation": {"id": conversation, "tenantId": tenant, "conversationType": "personal"},
           "recipient": {"id": "28:regelwijs", "name": "Regelwijs"}, "locale": "nl-NL",
           "channelData": {"tenant": {"id": tenant}}}
    if text is not None:
        act["text"] = text
    act.update(extra)
    return act


def send(teams, connector, act: dict, **kw) -> httpx.Response:
    headers = {"Authorization": f"Bearer {kw.pop('tok', None) or token(connector.url)}"}
    headers.update(kw.pop("headers", {}))
    return teams.client.post("/api/messages", json=act, headers=headers, **kw)


def test_answer_with_citations_and_feedback_loop(teams, connector, waiter):
    conv = "conv-answer"
    r = send(teams, connector, activity(connector, conv, "Krijg ik een reiskostenvergoeding voor mijn woon-werkverkeer?"))
    assert r.status_code == 202
    replies = waiter(lambda: connector.messages(conv))
    answer = next(a for a in replies if a.get("entities"))
    assert answer["replyToId"].startswith("user-activity-")
    entity = answer["entities"][0]
    assert entity["@type"] == "Message" and "AIGeneratedContent" in entity["additionalType"]
    cits = entity["citation"]
    assert cits and cits[0]["@type"] == "Claim" and cits[0]["position"] == 1
    assert cits[0]["appearance"]["name"].startswith("Oldebroek")  # gemeente from the tenant map
    assert "[1]" in answer["text"]
    assert answer["channelData"]["feedbackLoopEnabled"] is True
    assert connector.auth_headers[-1] == "Bearer outbound-test-token"
    # Teams' feedback loop: an invoke naming the answer's activity id
    fb = activity(connector, conv, type="invoke", name="message/submitAction",
                  replyToId=answer["_id"],
                  value={"actionName": "feedback",
                         "actionValue": {"reaction": "dislike", "feedback": json.dumps({"feedbackText": "te vaag"})}})
    r = send(teams, connector, fb)
    assert r.status_code == 200
    from bot.channels.feedback import feedback_table

    with teams.service.feedback_store.engine.connect() as conn:
        rows = conn.execute(sa.select(feedback_table).where(feedback_table.c.channel == "teams")).all()
    assert rows and rows[-1].rating == -1 and rows[-1].comment == "te vaag"
    assert json.loads(rows[-1].citations)[0]["gemeente"] == "Oldebroek"


def test_zorgverlof_form_through_adaptive_cards(teams, connector, waiter):
    conv = "conv-form"
    assert send(teams, connector, activity(connector, conv, "ik wil zorgverlof berekenen", tenant=TENANT_K)).status_code == 202
    card_msg = waiter(lambda: [a for a in connector.messages(conv) if a.get("attachments")])[-1]
    card = card_msg["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    actions = card["content"]["actions"]
    kort = next(a for a in actions if a["title"].lower().startswith("kort"))
    assert kort["type"] == "Action.Submit" and kort["data"]["payload"].startswith("/inform")
    # Teams posts the card's data back as the activity's value (messageBack)
    n = len(connector.messages(conv))
    send(teams, connector, activity(connector, conv, None, tenant=TENANT_K, value=kort["data"]))
    waiter(lambda: len(connector.messages(conv)) > n)
    assert "uur" in connector.messages(conv)[-1]["text"]
    send(teams, connector, activity(connector, conv, "32", tenant=TENANT_K))
    n = len(connector.messages(conv))
    send(teams, connector, activity(connector, conv, "0", tenant=TENANT_K))
    waiter(lambda: len(connector.messages(conv)) > n)
    result = connector.messages(conv)[-1]
    content = result["attachments"][0]["content"]
    assert content["type"] == "AdaptiveCard"
    assert "32" in content["body"][0]["text"]
    facts = {f["title"]: f["value"] for f in content["body"][1]["facts"]}
    assert facts.get("Uren per week") == "32"
    # the sources travel as citation entities, so the card does not quote them again
    assert "Bronnen:" not in content["body"][0]["text"] and "Zo is het berekend:" in content["body"][0]["text"]
    entities = [e for e in result.get("entities") or [] if e.get("citation")]
    assert entities and entities[0]["citation"][0]["appearance"]["abstract"]


@pytest.mark.parametrize("case", ["missing", "expired", "wrong-key", "wrong-audience", "basic", "garbage",
                                  "unknown-kid"])
def test_unauthenticated_requests_get_401(teams, connector, case):
    conv = f"conv-auth-{case}"
    act = activity(connector, conv, "hallo")
    headers = {
        "missing": {},
        "expired": {"Authorization": f"Bearer {token(connector.url, exp_in=-3600)}"},
        "wrong-key": {"Authorization": f"Bearer {token(connector.url, key=OTHER_KEY)}"},
        "wrong-audience": {"Authorization": f"Bearer {token(connector.url, aud='some-other-bot')}"},
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
        "garbage": {"Authorization": "Bearer not.a.jwt"},
        "unknown-kid": {"Authorization": f"Bearer {token(connector.url, kid='nope')}"},
    }[case]
    r = teams.client.post("/api/messages", json=act, headers=headers)
    assert r.status_code == 401
    time.sleep(0.2)
    assert not connector.messages(conv)


def test_conversation_update_welcomes_and_typing_is_ignored(teams, connector, waiter):
    conv = "conv-welcome"
    upd = activity(connector, conv, type="conversationUpdate",
                   membersAdded=[{"id": "28:regelwijs"}, {"id": f"29:{conv}"}])
    assert send(teams, connector, upd).status_code == 202
    welcome = waiter(lambda: connector.messages(conv))
    assert "Regelwijs" in welcome[0]["text"]
    bot_only = activity(connector, "conv-bot-added", type="conversationUpdate", membersAdded=[{"id": "28:regelwijs"}])
    assert send(teams, connector, bot_only).status_code == 202
    typing = activity(connector, "conv-typing", type="typing")
    assert send(teams, connector, typing).status_code == 202
    reaction = activity(connector, "conv-typing", type="messageReaction", reactionsAdded=[{"type": "like"}])
    assert send(teams, connector, reaction).status_code == 202
    time.sleep(0.3)
    assert not connector.messages("conv-typing") and not connector.messages("conv-bot-added")


def test_bad_bodies(teams, connector):
    tok = {"Authorization": f"Bearer {token(connector.url)}"}
    c = teams.client
    assert c.post("/api/messages", content=b"{oops", headers={**tok, "Content-Type": "application/json"}
                  ).status_code == 400
    assert c.post("/api/messages", content=b"x", headers={**tok, "Content-Type": "text/plain"}).status_code == 415
    assert c.post("/api/messages", json={"type": "message"}, headers=tok).status_code == 400  # no conversation
    assert c.post("/api/messages", json=[1, 2], headers=tok).status_code == 400
    big = b'{"type": "message", "text": "' + b"a" * (1024 * 1024) + b'"}'
    # size is refused before authentication is even looked at
    assert c.post("/api/messages", content=big, headers={"Content-Type": "application/json"}).status_code == 413
    assert c.get("/healthz").status_code == 200


def test_teams_locale_sets_the_language_of_a_greeting(teams, connector, waiter):
    conv = "conv-locale"
    assert send(teams, connector, activity(connector, conv, "hoi", locale="en-US")).status_code == 202
    reply = waiter(lambda: connector.messages(conv))[-1]
    assert "How can I help" in reply["text"], reply["text"]
