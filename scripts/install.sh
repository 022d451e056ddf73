#!/usr/bin/env bash
# Sets up Regelwijs from scratch in ./.venv (Python 3.11): the package with every backend
# and the test tools. Torch is pinned to the CPU build (2.13.0) *before* anything that
# depends on it, so that pip never pulls the multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 nodig, gevonden {sys.version}"'
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -c constraints.txt -e ".[st,dev]"
# Debian's Chromium for the web page's browser test (Playwright drives it; it never downloads a browser).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium kon niet worden geïnstalleerd; de browsertest wordt overgeslagen" >&2
fi
