"""Benchmark of the dialogue layer; prints one table.

NLU training time (from scratch, with the e5 vectors), intent accuracy by 5-fold
cross-validation and on the held-out paraphrase set, and per-turn latency of the whole
runtime (NLU + rules/forms + rasa_sdk actions + state store) over scripted conversations.

    .venv/bin/python bench/nlu_bench.py [--data-dir DIR]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.report import pct, print_table  # noqa: E402

CONVERSATIONS = [
    ["hallo", "ik wil zorgverlof uitrekenen", "kortdurend", "32 uur", "0", "nee, 28 uur", "bedankt"],
    ["Mag ik deze kerstattentie van € 60 houden?", "nee", "nee", "dank je"],
    ["ik wil een beeldschermbril", "€ 120", "€ 90", "€ 50", "weet ik niet", "stop"],
    ["hoeveel ouderschapsverlof heb ik", "36", "0"],
    ["blub flap", "wat kun je?", "doei"],
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None, help="data dir with a built index (default: a temp dir)")
    args = ap.parse_args()
    from bot.assistant import NLU_FILES, Assistant
    from bot.config import load_config
    from bot.runtime import Runtime
    from bot.state import StateStore
    from nlu.intents import evaluate
    from nlu.interpreter import Interpreter
    from nlu.training_data import load_nlu

    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="rw-nlu-"))
    cfg = load_config(REPO / "config.yml")
    cfg.raw = dict(cfg.raw, data_dir=str(data_dir))
    a = Assistant(cfg)
    rows = []
    model_dir = Path(tempfile.mkdtemp(prefix="rw-nlu-model-"))
    interp = Interpreter(model_dir, NLU_FILES, a.embedder, threshold=0.45)
    t0 = time.perf_counter()
    interp.train()
    rows.append(("NLU training (from scratch, incl. embedding)", f"{time.perf_counter() - t0:.1f} s", "target ≤ 60 s"))
    train = load_nlu(NLU_FILES)
    para = load_nlu([REPO / "data" / "nlu_paraphrases.yml"])
    rep = evaluate(train.examples, para.examples, embedder=a.embedder, folds=5)
    rows.append(("intent accuracy, 5-fold CV", f"{rep.cv_accuracy:.3f}", f"n={rep.n_train}, target ≥ 0.95"))
    rows.append(("intent accuracy, paraphrase set", f"{rep.paraphrase_accuracy:.3f}",
                 f"n={rep.n_paraphrases}, target ≥ 0.90"))

    a._interpreter = interp
    a.ensure_index()
    rt = Runtime(a, StateStore(f"sqlite:///{data_dir / 'bench-state.db'}"), interp)
    lat = []
    for rnd in range(3):
        for i, conv in enumerate(CONVERSATIONS):
            sender = f"bench-{rnd}-{i}"
            for turn in conv:
                s = time.perf_counter()
                rt.handle_sync(sender, turn)
                lat.append((time.perf_counter() - s) * 1000)
    rows.append(("per-turn latency (runtime)", f"p50 {pct(lat, 50):.1f} ms",
                 f"p95 {pct(lat, 95):.1f} ms, max {max(lat):.0f} ms, n={len(lat)} (target p95 ≤ 60 ms)"))
    shutil.rmtree(model_dir, ignore_errors=True)
    print_table(rows, 14)
    return 0


if __name__ == "__main__":
    sys.exit(main())
