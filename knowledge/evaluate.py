"""Retrieval quality on a question set in the format of ``eval/dev.jsonl``.

A citation is a hit when it is in the expected document and its line span overlaps the
expected lines (or one of ``also_lines``). hit@1, hit@3 and MRR@5 are computed for the
hybrid retriever and, in the same run, for BM25 alone and dense alone, per gemeente and
per question type; out_of_scope questions measure the refusal rate instead.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from knowledge.query_expansion import detect_language
from knowledge.search import Hit, Searcher

MODES = ("hybrid", "bm25", "dense")


@dataclass
class Question:
    id: str
    q: str
    gemeente: str | None
    type: str
    doc: str | None
    spans: list[tuple[int, int]]


def load_questions(path: Path) -> list[Question]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        spans = []
        if d.get("lines"):
            spans.append(tuple(d["lines"]))
        spans += [tuple(s) for s in d.get("also_lines", []) or []]
        out.append(Question(d.get("id", f"line{n}"), d["q"], d.get("gemeente"), d.get("type", "lookup"),
                            d.get("doc"), spans))
    return out


def is_hit(hit_doc: str, start: int, end: int, q: Question) -> bool:
    return hit_doc == q.doc and any(start <= e and s <= end for s, e in q.spans)


def rank_of(hits: list[Hit], q: Question) -> int | None:
    for r, h in enumerate(hits, 1):
        if is_hit(h.chunk.doc_id, h.chunk.line_start, h.chunk.line_end, q):
            return r
    return None


@dataclass
class Scores:
    n: int = 0
    h1: int = 0
    h3: int = 0
    rr: float = 0.0

    def add(self, rank: int | None) -> None:
        self.n += 1
        if rank:
            self.h1 += rank == 1
            self.h3 += rank <= 3
            self.rr += 1.0 / rank

    def row(self) -> tuple[float, float, float]:
        return (self.h1 / self.n, self.h3 / self.n, self.rr / self.n) if self.n else (0.0, 0.0, 0.0)


@dataclass
class Report:
    by: dict[str, dict[str, Scores]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Scores)))
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    def table(self) -> str:
        lines = [f"{'group':<34}{'n':>4}  " + "  ".join(f"{m + ' h@1':>10}{'h@3':>6}{'MRR':>6}" for m in MODES)]
        for group in sorted(self.by):
            cols = []
            n = 0
            for m in MODES:
                s = self.by[group][m]
                n = s.n
                h1, h3, mrr = s.row()
                cols.append(f"{h1:>10.3f}{h3:>6.3f}{mrr:>6.3f}")
            lines.append(f"{group:<34}{n:>4}  " + "  ".join(cols))
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {g: {m: dict(zip(("hit@1", "hit@3", "mrr"), self.by[g][m].row()), n=self.by[g][m].n)
                    for m in MODES} for g in sorted(self.by)}


def evaluate(searcher: Searcher, questions: Iterable[Question], k: int = 5) -> Report:
    report = Report()
    for q in questions:
        if q.type == "out_of_scope" or not q.doc or not q.spans:
            continue
        qvec = searcher.embed_query(q.q)
        language = detect_language(q.q)
        for m in MODES:
            hits = searcher.search(q.q, q.gemeente, k=k, mode=m, qvec=qvec)
            r = rank_of(hits, q)
            for group in ("all", f"type={q.type}", f"gemeente={q.gemeente}", f"language={language}"):
                report.by[group][m].add(r)
            if m == "hybrid" and (r is None or r > 3):
                best = hits[0].chunk.chunk_id if hits else "-"
                report.misses.append((q.id, q.q, best))
    return report
