"""Channel subcommands: ``serve`` (HTTP: REST, web page, Teams, Telegram webhook),
``telegram`` (long polling) and ``report`` (unanswered questions and feedback)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys

from bot.channels import texts

log = logging.getLogger(__name__)


def _warm(assistant) -> None:
    """Load the index and the NLU model (training it if missing) before the first user waits."""
    assistant.ensure_index()
    assistant.interpreter.parse("hallo")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.channels.server import build_server_app
    from bot.channels.telegram import protect_token_in_logs, telegram_token
    from bot.cli import _assistant
    from bot.cli_dialogue import make_runtime

    assistant = _assistant(args)
    _warm(assistant)
    runtime = make_runtime(assistant)
    token = telegram_token(assistant.config)
    if token:
        protect_token_in_logs(token)
    app = build_server_app(assistant, runtime=runtime, workers=args.workers)
    log.info("serving on http://%s:%d", args.host, args.port)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if args.verbose else "warning",
                proxy_headers=True, server_header=False)
    return 0


def cmd_telegram(args: argparse.Namespace) -> int:
    from telegram import Update

    from bot.channels.service import ChannelService
    from bot.channels.telegram import build_application, protect_token_in_logs, telegram_token
    from bot.cli import _assistant
    from bot.cli_dialogue import make_runtime

    assistant = _assistant(args)
    token = telegram_token(assistant.config)
    if not token:
        print("Geen Telegram-token: zet REGELWIJS_TELEGRAM_TOKEN of channels.telegram.token.", file=sys.stderr)
        return 2
    protect_token_in_logs(token)
    _warm(assistant)
    service = ChannelService(make_runtime(assistant), assistant.config)
    app = build_application(service, token, base_url=assistant.config.get("channels.telegram.base_url"))
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        service.close()
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from bot.channels.feedback import FeedbackStore
    from bot.config import load_config
    from bot.state import make_engine

    config = load_config(args.config)
    store = FeedbackStore(make_engine(config.database_url))
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=args.days) if args.days else None
    top = store.top_unanswered(args.limit, since)
    summary = store.feedback_summary(since)
    down = store.downvoted_sources(args.limit, since)
    if args.json:
        print(json.dumps({"unanswered": top, "feedback": summary, "downvoted_sources": down}, ensure_ascii=False))
        return 0
    period = texts.render("utter_report_days", days=args.days) if args.days else texts.render("utter_report_all_time")
    out = [texts.render("utter_report_header", period=period), "",
           texts.render("utter_report_feedback", **summary), "",
           texts.render("utter_report_unanswered_header")]
    if top:
        out += [f"  {row['count']:>4} × {row['question']}" for row in top]
    else:
        out.append("  " + texts.render("utter_report_unanswered_none"))
    if down:
        out += ["", texts.render("utter_report_downvoted_header")]
        out += [f"  {d['count']:>4} × {d['gemeente']} — {d['title']}, {d['section'] or ''} (r. {d['line_start']})"
                for d in down]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("serve", help="start de HTTP-kanalen: REST (Rasa-formaat), webchat, Teams, Telegram-webhook")
    s.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1)")
    s.add_argument("--port", type=int, default=5005, help="poort (standaard 5005, als Rasa)")
    s.add_argument("--workers", type=int, default=None, help="threads voor het rekenwerk per bericht")
    s.set_defaults(func=cmd_serve)
    t = sub.add_parser("telegram", help="Telegram-bot met long polling")
    t.set_defaults(func=cmd_telegram)
    r = sub.add_parser("report", help="meest gestelde onbeantwoorde vragen en feedback")
    r.add_argument("--limit", type=int, default=20)
    r.add_argument("--days", type=int, default=None, help="alleen de laatste N dagen")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_report)
