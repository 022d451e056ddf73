"""``regelwijs``: the command line.

Subcommands: ask, index, ingest, eval (knowledge); train, eval-nlu, chat (dialogue);
meldingen, keys (handler side); serve, telegram, report (channels) — each registered by
the module that owns it, so this file stays a table of contents.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Callable

log = logging.getLogger("regelwijs")


def _assistant(args: argparse.Namespace):
    from bot.assistant import Assistant
    from bot.config import load_config

    return Assistant(load_config(args.config))


def _progress_bar(desc: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    from tqdm import tqdm

    bar: dict = {}

    def update(done: int, total: int) -> None:
        if "b" not in bar:
            bar["b"] = tqdm(total=total, desc=desc, unit="passage", file=sys.stderr, leave=True)
        bar["b"].n = done
        bar["b"].refresh()

    def close() -> None:
        if "b" in bar:
            bar["b"].close()

    return update, close


def cmd_ask(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    questions = [args.question] if args.question is not None else (line.rstrip("\n") for line in sys.stdin)
    for q in questions:
        result = assistant.ask(q, gemeente=args.gemeente)
        if args.json:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(result["answer"] + "\n")
            if args.question is None:
                sys.stdout.write("\n")
        sys.stdout.flush()
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    update, close = _progress_bar("Passages inbedden")
    t0 = time.perf_counter()
    try:
        stats = assistant.ensure_index(rebuild=args.rebuild, progress=update)
    finally:
        close()
    d = assistant.domain
    per = ", ".join(f"{g}: {n}" for g, n in sorted(stats.per_gemeente.items()))
    print(d.render("utter_index_done", documents=stats.documents, chunks=stats.chunks, per_gemeente=per,
                   embedded=stats.chunks_embedded, reparsed=stats.documents_reparsed,
                   seconds=f"{time.perf_counter() - t0:.1f}",
                   reused=d.render("utter_index_reused") if stats.reused else ""))
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from knowledge.convert import ConversionError

    assistant = _assistant(args)
    d = assistant.domain
    try:
        info = assistant.library.ingest(Path(args.path), args.gemeente, args.title)
    except (ConversionError, OSError) as exc:
        print(d.render("utter_ingest_failed", path=args.path, reason=str(exc)), file=sys.stderr)
        return 2
    update, close = _progress_bar("Passages inbedden")
    try:
        stats = assistant.ensure_index(progress=update)
    finally:
        close()
    n_chunks = sum(1 for c in assistant.index.chunks if c.doc_id == info.doc_id)
    n_lines = len((assistant.library.ingested_dir / info.file).read_text(encoding="utf-8").splitlines())
    print(d.render("utter_ingest_done", title=info.title, gemeente=info.gemeente, doc_id=info.doc_id,
                   lines=n_lines, chunks=n_chunks))
    log.info("ingest re-embedded %d passages", stats.chunks_embedded)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from knowledge.evaluate import evaluate, load_questions

    assistant = _assistant(args)
    questions = []
    for f in args.files:
        questions += load_questions(Path(f))
    report = evaluate(assistant.searcher, questions)
    refusals = answerability(assistant, questions)
    if args.json:
        print(json.dumps({"retrieval": report.to_json(), "answerability": refusals}, ensure_ascii=False))
    else:
        print(f"Weigeren waar de tekst geen antwoord heeft (out_of_scope): {refusals['refused_out_of_scope']}"
              f"/{refusals['out_of_scope']}; onterecht geweigerd (lookup): {refusals['refused_lookup']}"
              f"/{refusals['lookup']}\n")
        print(report.table())
        if report.misses:
            print("\nNiet in de top 3 (hybride):")
            for qid, q, best in report.misses:
                print(f"  {qid}: {q[:70]!r} → {best}")
    return 0


def answerability(assistant, questions) -> dict:
    """How often the assistant refuses: it should for out_of_scope, and should not for lookup."""
    out = {"out_of_scope": 0, "refused_out_of_scope": 0, "lookup": 0, "refused_lookup": 0}
    for q in questions:
        if q.type not in ("out_of_scope", "lookup"):
            continue
        answered = assistant.ask(q.q, gemeente=q.gemeente)["answered"]
        out[q.type] += 1
        out[f"refused_{q.type}"] += not answered
    return out


CORE_COMMANDS = ("ask", "index", "ingest", "eval")


def _wanted_command(argv: list[str] | None) -> str | None:
    """The subcommand named in ``argv`` (None for ``--help`` or when there is none)."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    pre.add_argument("-v", "--verbose", action="store_true")
    pre.add_argument("-h", "--help", action="store_true")
    pre.add_argument("command", nargs="?")
    known, _ = pre.parse_known_args(argv)
    return None if known.help else known.command


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The full parser; for a core command the plugins' modules are not imported.

    Why: ``regelwijs ask`` must start fast (≤ 3 s to the first answer), and importing the
    meldingen and channel modules (SQLAlchemy, crypto, web servers) only to register
    their subcommands cost about half a second.
    """
    p = argparse.ArgumentParser(prog="regelwijs", description="Regelwijs: antwoorden uit de regelingen van je gemeente")
    p.add_argument("--config", help="pad naar config.yml")
    p.add_argument("-v", "--verbose", action="store_true", help="meer logging")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("ask", help="beantwoord vragen uit de regelingen (met bronvermelding)")
    a.add_argument("question", nargs="?", help="de vraag; zonder vraag: één vraag per regel van stdin")
    a.add_argument("--gemeente", help="gemeente (anders de standaard uit config.yml)")
    a.add_argument("--json", action="store_true", help="één JSON-object per vraag")
    a.set_defaults(func=cmd_ask)

    i = sub.add_parser("index", help="bouw of werk de index bij")
    i.add_argument("--rebuild", action="store_true", help="alles opnieuw opbouwen")
    i.set_defaults(func=cmd_index)

    g = sub.add_parser("ingest", help="voeg een regeling toe (.txt, .pdf, .docx, .html)")
    g.add_argument("path")
    g.add_argument("--gemeente", required=True)
    g.add_argument("--title")
    g.set_defaults(func=cmd_ingest)

    e = sub.add_parser("eval", help="meet de retrieval op een vragenset (jsonl)")
    e.add_argument("files", nargs="+")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_eval)

    if _wanted_command(sys.argv[1:] if argv is None else argv) not in CORE_COMMANDS:
        for register in _plugins():
            register(sub)
    return p


def _plugins() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Subcommands owned by other modules (dialogue, meldingen, channels)."""
    regs = []
    for mod, attr in (("bot.cli_dialogue", "add_cli"), ("actions.meldingen.cli", "add_cli"),
                      ("bot.channels.cli", "add_cli")):
        try:
            module = __import__(mod, fromlist=[attr])
        except ImportError as exc:
            if exc.name and exc.name.startswith(mod.split(".")[0]) and exc.name == mod:
                continue
            raise
        regs.append(getattr(module, attr))
    return regs


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        if args.command in ("meldingen", "keys"):  # handlers that write to a given stream
            from actions.meldingen.cli import run_parsed

            return run_parsed(args)
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
