#!/usr/bin/env bash
# The web application's overview with 1 000 open cases (each with its
# plan), rendered server-side through the whole stack, beside the JSON API
# listing the same cases (five pages of 200) measured in the same run; the
# page's size and the ratio of the two times.
#   bench/overview.sh [benchtime]   (default 20x)
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime="${1:-20x}"
out=$(go test ./internal/web/ -run '^$' -bench 'BenchmarkOverview' -benchtime "$benchtime" -count 1 | grep -E '^Benchmark')
echo "$out"
echo
echo "$out" | awk '
  /\/html/     { html = $3; size = $5 }
  /\/json_api/ { api = $3 }
  END {
    printf "overview of 1000 cases: %.1f ms, %.0f KiB of HTML\n", html / 1e6, size / 1024
    printf "JSON API, same cases:   %.1f ms\n", api / 1e6
    printf "ratio (page / API):     %.2f\n", html / api
  }'
