#!/usr/bin/env bash
# Persisted workflow transitions per second through the engine, at 1 and 16
# concurrent clients on both databases, printed beside a bare transaction
# doing the same UPDATE and INSERT, measured in the same run, and their
# ratio. Needs PostgreSQL as for the tests.
#   bench/transitions.sh [benchtime]   (default 3s)
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime="${1:-3s}"
out=$(go test ./internal/store/ -run '^$' -bench 'BenchmarkTransition' -benchtime "$benchtime" -count 1 | grep -E '^Benchmark')
echo "$out"
echo
table=$(echo "$out" | awk '
  { name = $1; sub(/-[0-9]+$/, "", name); split(name, p, "/"); key = p[2] " " p[3] }
  p[1] == "BenchmarkTransition"         { engine[key] = $(NF-1) }
  p[1] == "BenchmarkTransitionBaseline" { bare[key] = $(NF-1) }
  END {
    for (key in engine) {
      split(key, k, " ")
      printf "%-10s %-11s %14.0f %14.0f %7.3f\n", k[1], k[2], engine[key], bare[key], engine[key] / bare[key]
    }
  }' | sort)
printf "%-10s %-11s %14s %14s %7s\n" database clients engine/s "bare tx/s" ratio
echo "$table"
