"""Command line for handlers: ``regelwijs meldingen …`` and ``regelwijs keys generate``.

The lead wires :func:`add_cli` into ``bot/cli.py``; :func:`main` runs the same commands standalone (and in tests).
Output is Dutch; ``--json`` gives machine-readable output. Commands that read or change a melding need ``--key``
(the role's private key file); every one of them is written to the audit log.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

from .config import MeldingConfig
from .crypto import CryptoError, generate_role_keys, load_handler_key
from .db import HEAD, current_revision, make_engine, upgrade_db
from .deadlines import TZ, Deadline, fmt_local, utc
from .handler import Handler, HandlerError, MeldingSummary, MeldingView, PurgeReport
from .store import MeldingStore
from .types import ValidationError, get_type

log = logging.getLogger(__name__)


class CliError(RuntimeError):
    pass


# ------------------------------------------------------------------------------------------------- wiring

def _common(p: argparse.ArgumentParser, *, key: bool = True) -> None:
    if key:
        p.add_argument("--key", required=True, metavar="KEYFILE", help="privésleutel van de rol (ROL.key)")
    p.add_argument("--db", metavar="URL", help="database-URL (standaard uit de configuratie)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")


def add_cli(subparsers: Any) -> None:
    """Register ``meldingen`` and ``keys`` on an ``argparse`` subparsers object."""
    mp = subparsers.add_parser("meldingen", help="vertrouwelijke meldingen behandelen")
    msub = mp.add_subparsers(dest="meldingen_cmd", required=True)

    p = msub.add_parser("list", help="meldingen voor uw rol")
    _common(p)
    p.add_argument("--all", action="store_true", help="ook afgesloten meldingen")
    p.set_defaults(func=_cmd_list)

    p = msub.add_parser("show", help="een melding ontsleutelen en tonen")
    _common(p)
    p.add_argument("reference")
    p.add_argument("--identity", action="store_true", help="ook de identiteit van de melder tonen (wordt gelogd)")
    p.set_defaults(func=_cmd_show)

    p = msub.add_parser("ack", help="ontvangst bevestigen (status: in behandeling)")
    _common(p)
    p.add_argument("reference")
    p.add_argument("--message", help="bericht aan de melder")
    p.set_defaults(func=_cmd_ack)

    p = msub.add_parser("reply", help="bericht aan de melder (leesbaar met de ontvangstcode)")
    _common(p)
    p.add_argument("reference")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--message", help="de tekst")
    g.add_argument("--file", type=Path, help="tekst uit een bestand")
    p.set_defaults(func=_cmd_reply)

    p = msub.add_parser("close", help="melding afsluiten (start de bewaartermijn)")
    _common(p)
    p.add_argument("reference")
    p.add_argument("--message", help="afsluitend bericht aan de melder")
    p.set_defaults(func=_cmd_close)

    p = msub.add_parser("export", help="ontsleutelde JSON van één melding")
    _common(p)
    p.add_argument("reference")
    p.add_argument("--out", type=Path, help="bestand (rechten 0600); zonder --out naar stdout")
    p.add_argument("--identity", action="store_true", help="identiteit van de melder meenemen (wordt gelogd)")
    p.set_defaults(func=_cmd_export)

    p = msub.add_parser("purge", help="afgesloten meldingen na de bewaartermijn verwijderen")
    _common(p)
    p.add_argument("--dry-run", action="store_true", help="alleen tonen wat verwijderd zou worden")
    p.set_defaults(func=_cmd_purge)

    p = msub.add_parser("done", help="gebeurtenis vastleggen / termijn afronden")
    _common(p)
    p.add_argument("reference")
    p.add_argument("name", help="sleutel van de termijn of naam van de gebeurtenis")
    p.add_argument("--at", help="tijdstip (ISO, standaard nu)")
    p.set_defaults(func=_cmd_done)

    p = msub.add_parser("extend", help="termijn verlengen waar de regeling dat toestaat")
    _common(p)
    p.add_argument("reference")
    p.add_argument("deadline")
    p.set_defaults(func=_cmd_extend)

    p = msub.add_parser("overdue", help="verlopen termijnen (alleen metadata, geen sleutel nodig)")
    _common(p, key=False)
    p.set_defaults(func=_cmd_overdue)

    p = msub.add_parser("migrate", help="databaseschema bijwerken")
    _common(p, key=False)
    p.set_defaults(func=_cmd_migrate)

    kp = subparsers.add_parser("keys", help="sleutels voor behandelaars")
    ksub = kp.add_subparsers(dest="keys_cmd", required=True)
    p = ksub.add_parser("generate", help="sleutelpaar maken: ROL.key (geheim, 0600) en ROL.pub (voor de bot)")
    p.add_argument("--role", required=True)
    p.add_argument("--out", type=Path, default=Path("."))
    p.add_argument("--force", action="store_true", help="bestaande bestanden overschrijven")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_keys_generate)


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Standalone entry point: ``main(["meldingen", "list", "--key", "arbo.key"])``. Returns the exit code."""
    parser = argparse.ArgumentParser(prog="regelwijs")
    add_cli(parser.add_subparsers(dest="command", required=True))
    return run_parsed(parser.parse_args(argv), stdout=stdout)


def run_parsed(args: argparse.Namespace, *, stdout: TextIO | None = None) -> int:
    """Run an already parsed ``meldingen``/``keys`` command (also used by ``regelwijs``)."""
    out = stdout or sys.stdout
    try:
        return int(args.func(args, out) or 0)
    except (CliError, HandlerError, CryptoError, ValidationError, FileExistsError, OSError) as exc:
        if getattr(args, "json", False):
            _emit_json(out, {"error": str(exc)})
        else:
            print(f"Fout: {exc}", file=sys.stderr)
        return 2


# ------------------------------------------------------------------------------------------------ helpers

def _emit_json(out: TextIO, data: Any) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")


def _store(args: argparse.Namespace) -> MeldingStore:
    config = MeldingConfig.from_env()
    if args.db:
        config.database_url = args.db
    engine = make_engine(config.url())
    if current_revision(engine) is None:
        engine.dispose()
        raise CliError(f"database {config.url()} bevat geen meldingen-schema (gebruik 'meldingen migrate')")
    return MeldingStore(config, engine=engine)


def _with_handler(fn: Callable[[Handler, argparse.Namespace, TextIO], int]) -> Callable[..., int]:
    def run(args: argparse.Namespace, out: TextIO) -> int:
        key = load_handler_key(args.key)
        store = _store(args)
        try:
            return fn(Handler(store, key), args, out)
        finally:
            store.engine.dispose()
    return run


def _deadline_lines(deadlines: Sequence[Deadline], now: datetime) -> list[str]:
    lines = []
    for d in deadlines:
        if d.completed_at:
            state = f"afgerond {fmt_local(d.completed_at)}"
        elif d.due < now:
            state = "VERLOPEN"
        else:
            state = "open"
        window = f" (vanaf {fmt_local(d.window_start)})" if d.window_start else ""
        extra = " (voorlopig)" if d.provisional else ""
        ext = f" (verlengd x{d.extensions})" if d.extensions else ""
        lines.append(f"  - {d.label_nl}: uiterlijk {fmt_local(d.due)}{window}{extra}{ext} — {state}")
        lines.append(f"      bron: {d.citation.doc} r. {d.citation.line_start}-{d.citation.line_end}: "
                     f"\u201c{d.citation.quote}\u201d")
    return lines


def _summary_line(m: MeldingSummary, now: datetime) -> str:
    late = m.overdue(now)
    flags = []
    if late:
        flags.append(f"{len(late)} termijn(en) verlopen")
    if not m.readable:
        flags.append(f"andere sleutel ({m.key_id})")
    if m.messages:
        flags.append(f"{m.messages} bericht(en)")
    tail = f"  [{'; '.join(flags)}]" if flags else ""
    return f"{m.reference}  {fmt_local(m.created_at)}  {m.status_nl:<15} {m.label_nl}{tail}"


def _print_view(view: MeldingView, now: datetime, out: TextIO) -> None:
    s = view.summary
    mtype = get_type(s.type)
    p = lambda line="": print(line, file=out)  # noqa: E731
    p(f"Melding {s.reference} — {s.label_nl}")
    p(f"Ontvangen: {fmt_local(s.created_at)}   Status: {s.status_nl}"
      + (f"   Afgesloten: {fmt_local(s.closed_at)}" if s.closed_at else ""))
    p()
    p("Inhoud:")
    for f in mtype.fields:
        if f.name in view.fields:
            p(f"  {f.label}: {_fmt_value(f, view.fields[f.name])}")
    p()
    if view.identity is not None:
        p("Identiteit van de melder (met toestemming gegeven):")
        for f in mtype.identity.fields:
            if f.name in view.identity:
                p(f"  {f.label}: {_fmt_value(f, view.identity[f.name])}")
    elif s.has_identity:
        p("Identiteit: opgegeven met toestemming; tonen met --identity (wordt gelogd).")
    else:
        p("Identiteit: niet opgegeven.")
    p()
    p("Termijnen:" if s.deadlines else "Termijnen: de regeling noemt geen termijn voor dit soort melding.")
    for line in _deadline_lines(s.deadlines, now):
        p(line)
    if view.messages:
        p()
        p("Berichten:")
        for msg in view.messages:
            p(f"  [{fmt_local(msg.at)}] {msg.author}: {msg.text}")


def _fmt_value(spec: Any, value: Any) -> str:
    if spec.kind == "bool":
        return "ja" if value else "nee"
    if spec.kind == "choice":
        return spec.choice_label(value)
    if spec.kind == "multichoice":
        return ", ".join(spec.choice_label(v) for v in value)
    return str(value)


# ----------------------------------------------------------------------------------------------- commands

@_with_handler
def _cmd_list(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    now = h.store.now()
    items = h.list(include_closed=args.all)
    if args.json:
        _emit_json(out, {"role": h.key.role, "key_id": h.key.key_id, "meldingen": [m.to_dict(now) for m in items]})
        return 0
    if not items:
        print(f"Geen {'' if args.all else 'open '}meldingen voor rol {h.key.role}.", file=out)
    for m in items:
        print(_summary_line(m, now), file=out)
    return 0


@_with_handler
def _cmd_show(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    now = h.store.now()
    view = h.show(args.reference, with_identity=args.identity)
    if args.json:
        _emit_json(out, view.to_dict(now))
    else:
        _print_view(view, now, out)
    return 0


@_with_handler
def _cmd_ack(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    s = h.ack(args.reference, args.message)
    if args.json:
        _emit_json(out, s.to_dict(h.store.now()))
    else:
        print(f"Ontvangst van {s.reference} bevestigd; status: {s.status_nl}.", file=out)
        for line in _deadline_lines(s.deadlines, h.store.now()):
            print(line, file=out)
    return 0


@_with_handler
def _cmd_reply(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    text = args.message if args.message is not None else (
        args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read())
    msg = h.reply(args.reference, text)
    if args.json:
        _emit_json(out, {"reference": args.reference, "at": msg.at.isoformat()})
    else:
        print(f"Bericht opgeslagen voor {args.reference}; de melder leest het met de ontvangstcode.", file=out)
    return 0


@_with_handler
def _cmd_close(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    s = h.close(args.reference, args.message)
    days = h.retention_days(get_type(s.type))
    if args.json:
        _emit_json(out, {**s.to_dict(), "retention_days": days})
    else:
        print(f"Melding {s.reference} afgesloten; wordt na {days} dagen verwijderd bij 'meldingen purge'.", file=out)
    return 0


@_with_handler
def _cmd_export(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    data = h.export(args.reference, args.out, with_identity=args.identity)
    if args.out is None:
        _emit_json(out, data)
    elif args.json:
        _emit_json(out, {"reference": data["reference"], "file": str(args.out)})
    else:
        print(f"Melding {data['reference']} geëxporteerd naar {args.out} (rechten 0600).", file=out)
    return 0


@_with_handler
def _cmd_purge(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    report: PurgeReport = h.purge(dry_run=args.dry_run)
    if args.json:
        _emit_json(out, {"dry_run": report.dry_run, "purged": [
            {"reference": i.reference, "type": i.type, "closed_at": i.closed_at.isoformat(),
             "purge_after": i.purge_after.isoformat()} for i in report.items]})
        return 0
    verb = "zou verwijderen" if report.dry_run else "verwijderd"
    print(f"{len(report.items)} melding(en) {verb}.", file=out)
    for i in report.items:
        print(f"  {i.reference}  {i.type}  afgesloten {fmt_local(i.closed_at)}", file=out)
    return 0


@_with_handler
def _cmd_done(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    at = None
    if args.at:
        at = datetime.fromisoformat(args.at)
        at = utc(at if at.tzinfo else at.replace(tzinfo=TZ))
    s = h.complete(args.reference, args.name, at)
    if args.json:
        _emit_json(out, s.to_dict(h.store.now()))
    else:
        print(f"Gebeurtenis '{args.name}' vastgelegd voor {s.reference}.", file=out)
        for line in _deadline_lines(s.deadlines, h.store.now()):
            print(line, file=out)
    return 0


@_with_handler
def _cmd_extend(h: Handler, args: argparse.Namespace, out: TextIO) -> int:
    s = h.extend(args.reference, args.deadline)
    if args.json:
        _emit_json(out, s.to_dict(h.store.now()))
    else:
        print(f"Termijn '{args.deadline}' van {s.reference} verlengd.", file=out)
        for line in _deadline_lines(s.deadlines, h.store.now()):
            print(line, file=out)
    return 0


def _cmd_overdue(args: argparse.Namespace, out: TextIO) -> int:
    store = _store(args)
    try:
        items = store.overdue()
    finally:
        store.engine.dispose()
    if args.json:
        _emit_json(out, [{"reference": i.reference, "type": i.type, "role": i.recipient_role,
                          "overdue": [d.to_dict() for d in i.deadlines]} for i in items])
        return 0
    if not items:
        print("Geen verlopen termijnen.", file=out)
    for i in items:
        print(f"{i.reference}  rol {i.recipient_role}: " + "; ".join(
            f"{d.label_nl} (uiterlijk {fmt_local(d.due)})" for d in i.deadlines), file=out)
    return 0


def _cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    config = MeldingConfig.from_env()
    url = args.db or config.url()
    upgrade_db(url)
    if args.json:
        _emit_json(out, {"revision": HEAD})
    else:
        print(f"Schema bijgewerkt tot revisie {HEAD}.", file=out)
    return 0


def _cmd_keys_generate(args: argparse.Namespace, out: TextIO) -> int:
    key_path, pub_path, kid = generate_role_keys(args.role, args.out, force=args.force)
    if args.json:
        _emit_json(out, {"role": args.role, "key_id": kid, "private_key": str(key_path), "public_key": str(pub_path)})
        return 0
    print(f"Sleutelpaar voor rol {args.role} gemaakt (sleutel-id {kid}).", file=out)
    print(f"  Geheim (alleen voor de behandelaar, rechten 0600): {key_path}", file=out)
    print(f"  Publiek (kopiëren naar de keyring van de bot):     {pub_path}", file=out)
    return 0


__all__ = ["add_cli", "main"]
