#!/usr/bin/env bash
# Runs compare_eigsh.py (ntk spectrum against scipy's eigsh, side by side); skips without python3.
set -euo pipefail
if ! command -v python3 >/dev/null; then
  echo "compare_eigsh: skipped: python3 is not installed"
  exit 0
fi
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 "$(dirname "$0")/compare_eigsh.py" "$@"
