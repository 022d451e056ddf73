"""Dialogue subcommands: ``train``, ``eval-nlu`` and ``chat``."""
from __future__ import annotations

import argparse
import json
import sys
import time

from bot.config import REPO_ROOT

PARAPHRASES = REPO_ROOT / "data" / "nlu_paraphrases.yml"


def make_runtime(assistant, interpreter=None):
    """The dialogue runtime on this assistant's state database and NLU interpreter."""
    from bot.runtime import Runtime
    from bot.state import StateStore

    return Runtime(assistant, StateStore(assistant.config.database_url), interpreter or assistant.interpreter)


def cmd_train(args: argparse.Namespace) -> int:
    from bot.cli import _assistant

    assistant = _assistant(args)
    t0 = time.perf_counter()
    assistant.interpreter.train()
    print(f"NLU-model getraind in {time.perf_counter() - t0:.1f} s")
    return 0


def cmd_eval_nlu(args: argparse.Namespace) -> int:
    from bot.cli import _assistant
    from nlu.intents import evaluate
    from nlu.training_data import load_nlu

    assistant = _assistant(args)
    from bot.assistant import NLU_FILES

    train = load_nlu(NLU_FILES)
    para = load_nlu([PARAPHRASES])
    report = evaluate(train.examples, para.examples, embedder=assistant.embedder, folds=args.folds)
    print(json.dumps(report.to_dict(), ensure_ascii=False) if args.json else report.format())
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.cli import _assistant

    assistant = _assistant(args)
    if args.gemeente:
        from bot.assistant import canonical_gemeente

        g = canonical_gemeente(args.gemeente, assistant.gemeenten)
        if g is None:
            print(assistant.domain.render("utter_unknown_gemeente", asked=args.gemeente,
                                          known=", ".join(assistant.gemeenten)), file=sys.stderr)
            return 2
    runtime = make_runtime(assistant)
    meta = {"gemeente": canonical_gemeente(args.gemeente, assistant.gemeenten)} if args.gemeente else {}
    interactive = sys.stdin.isatty() and not args.json
    sender = args.sender or "cli"
    if args.gemeente:
        state = runtime.store.load(sender)
        state.slots["gemeente"] = meta["gemeente"]
        runtime.store.save(state)
    while True:
        if interactive:
            try:
                line = input("jij> ")
            except EOFError:
                break
        else:
            line = sys.stdin.readline()
            if not line:
                break
            line = line.rstrip("\n")
        result = runtime.handle_sync(sender, line, meta)
        if args.json:
            for obj in result.to_json_lines():
                sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            for m in result.messages:
                sys.stdout.write(("regelwijs> " if interactive else "") + m.text + "\n")
                for b in m.buttons:
                    sys.stdout.write(f"   [{b.get('title')}] → {b.get('payload')}\n")
        sys.stdout.flush()
    return 0


def add_cli(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser("train", help="train het NLU-model uit data/nlu.yml")
    t.set_defaults(func=cmd_train)
    e = sub.add_parser("eval-nlu", help="meet de intentherkenning (kruisvalidatie + parafraseset)")
    e.add_argument("--folds", type=int, default=5)
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_eval_nlu)
    c = sub.add_parser("chat", help="voer een gesprek (interactief of één beurt per regel van stdin)")
    c.add_argument("--sender", help="gespreks-id (standaard: cli)")
    c.add_argument("--gemeente")
    c.add_argument("--json", action="store_true", help="één JSON-object per botbericht")
    c.set_defaults(func=cmd_chat)
