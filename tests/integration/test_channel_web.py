"""The web chat page in headless Chromium (Debian's ``chromium``), driven by Playwright:
ask a question and open its citation, run a calculator form by clicking its buttons,
send a 👎, and see the warning before a melding. A screenshot is kept in test-artifacts/."""
from __future__ import annotations

import os
import shutil

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("REGELWIJS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
    pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) not installed")


@pytest.fixture(scope="module")
def web(server):
    """The page under test is served by the shared channel server."""
    return server


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                              args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser, web):
    context = browser.new_context(locale="nl-NL", viewport={"width": 900, "height": 1200})
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(web.url) else None)
    pg.goto(web.url + "/")
    yield pg
    context.close()
    assert not outside, f"the page tried to reach outside 127.0.0.1: {outside}"


def ask(page, text: str) -> None:
    page.get_by_label("Je vraag").fill(text)
    page.keyboard.press("Enter")  # keyboard use: the form submits on Enter


def test_question_citation_calculator_and_feedback(page, web, artifacts_dir):
    expect = sync_api.expect
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    ask(page, "Krijg ik een reiskostenvergoeding voor mijn woon-werkverkeer?")
    citation = page.locator("li.msg.bot details.citation").first
    expect(citation).to_be_visible(timeout=60_000)
    expect(citation.locator("summary")).to_contain_text("regels")
    citation.locator("summary").click()
    expect(citation.locator("blockquote")).to_be_visible()
    # 👎 on the answer, stored with its citations
    page.locator("li.msg.bot .feedback button[data-rating='down']").first.click()
    expect(page.locator("li.msg.bot .feedback .thanks").first).to_have_text("Dank je voor je reactie.")
    from bot.channels.feedback import feedback_table

    with web.service.feedback_store.engine.connect() as conn:
        rows = conn.execute(sa.select(feedback_table).where(feedback_table.c.channel == "web")).all()
    assert rows and rows[-1].rating == -1 and rows[-1].citations != "[]"
    # a calculator form, by clicking its buttons
    ask(page, "ik wil zorgverlof berekenen")
    kort = page.get_by_role("group", name="Antwoordkeuzes").last.get_by_role("button", name="kort")
    expect(kort).to_be_visible(timeout=60_000)
    kort.click()
    expect(page.locator("li.msg.user").last).to_have_text("Jijkort")
    expect(page.locator("li.msg.bot .text").last).to_contain_text("uur", timeout=60_000)
    ask(page, "32")
    expect(page.locator("li.msg.bot .text").last).to_contain_text("opgenomen", timeout=60_000)
    ask(page, "0")
    result = page.locator("li.msg.bot").last
    expect(result.locator(".text")).to_contain_text("32", timeout=60_000)
    expect(result.locator(".feedback button")).to_have_count(2)
    # the quotes once, as expandable citations, not also in the text
    expect(result.locator("details.citation").first).to_be_visible()
    expect(result.locator(".text")).not_to_contain_text("Bronnen:")
    expect(result.locator(".text")).to_contain_text("Zo is het berekend:")
    page.screenshot(path=str(artifacts_dir / "web-chat.png"), full_page=True)


def test_melding_warning_before_the_flow(page, web):
    """A melding button first shows the storage warning ("Toch niet" sends nothing); a flow
    that starts from typed text gets the warning as its first message. The server's replies
    are canned here (routed in the browser) so only the page's behaviour is under test."""
    import json

    expect = sync_api.expect
    sent: list[dict] = []
    replies = [
        [{"recipient_id": "x", "text": "Wil je een melding agressie en geweld doen?", "custom": {},
          "buttons": [{"title": "Ja, melding doen", "payload": "/melding_agressie"}]}],
        [{"recipient_id": "x", "text": "Wat is er gebeurd?", "buttons": [],
          "custom": {"active_form": "melding_agressie_form"}}],
    ]

    def fulfil(route):
        sent.append(json.loads(route.request.post_data))
        route.fulfill(status=200, content_type="application/json", body=json.dumps(replies[min(len(sent), 2) - 1]))

    page.route("**/webhooks/rest/webhook", fulfil)
    ask(page, "ik ben bedreigd")
    button = page.get_by_role("group", name="Antwoordkeuzes").get_by_role("button", name="Ja, melding doen")
    button.click()
    notice = page.get_by_role("alertdialog")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("opgeslagen")
    expect(page.get_by_role("button", name="Ik begrijp het, ga door")).to_be_focused()
    page.get_by_role("button", name="Toch niet").click()
    expect(notice).to_be_hidden()
    assert len(sent) == 1  # nothing sent without consent
    # A new page session: the flow starts from typed text; the warning comes first.
    page.evaluate("sessionStorage.clear()")
    page.reload()
    sent.clear()
    sent.append({})  # the next reply is the one with the active melding form
    ask(page, "ik wil agressie melden")
    warning = page.locator("li.msg.notice-msg")
    expect(warning).to_contain_text("opgeslagen")
    expect(warning).to_have_attribute("role", "alert")
    texts = page.locator("li.msg.bot .text").all_text_contents()
    assert texts.index(next(t for t in texts if "opgeslagen" in t)) < texts.index("Wat is er gebeurd?")


def test_page_in_english_and_accessible_names(page):
    expect = sync_api.expect
    page.get_by_label("Taal").select_option("en")
    expect(page.get_by_label("Your question")).to_be_visible()
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
