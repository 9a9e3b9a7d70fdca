#!/usr/bin/env bash
# Registrations per second on both databases, printed as a ratio of a bare
# single-row INSERT measured on the same database in the same run, so the
# numbers compare across machines. Needs PostgreSQL as for the tests.
#   bench/registrations.sh [benchtime]   (default 3s)
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime="${1:-3s}"
out=$(go test ./internal/store/ -run '^$' -bench 'BenchmarkRegisterCase|BenchmarkBaselineInsert' -benchtime "$benchtime" -count 1 | grep -E '^Benchmark')
echo "$out"
echo
echo "$out" | awk '
  /BenchmarkRegisterCase/   { split($1, a, "/"); db=a[2]; sub(/-[0-9]+$/, "", db); reg[db]=$(NF-1) }
  /BenchmarkBaselineInsert/ { split($1, a, "/"); db=a[2]; sub(/-[0-9]+$/, "", db); base[db]=$(NF-1) }
  END {
    printf "%-10s %16s %16s %8s\n", "database", "registrations/s", "baseline ins/s", "ratio"
    for (db in reg) printf "%-10s %16.0f %16.0f %8.3f\n", db, reg[db], base[db], reg[db] / base[db]
  }'
