"""What the benchmarks share: percentiles and the printed table of measures."""
from __future__ import annotations


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values``."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def print_table(rows: list[tuple[str, str, str]], value_width: int = 14) -> None:
    """One line per (measure, value, detail), aligned."""
    w = max(len(r[0]) for r in rows)
    print(f"{'measure':<{w}}  {'value':<{value_width}}  detail")
    print("-" * (w + 60))
    for name, val, detail in rows:
        print(f"{name:<{w}}  {val:<{value_width}}  {detail}")
