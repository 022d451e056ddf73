#!/usr/bin/env bash
# Writes constraints.txt from the current .venv after an intended upgrade (then run the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  head -3 constraints.txt
  .venv/bin/python -m pip freeze --exclude-editable | grep -v -E '^(torch==|-e )'
} > constraints.txt.new
mv constraints.txt.new constraints.txt
