#!/usr/bin/env bash
# The deadline overview (first page of open deadlines in a two-month
# window) with 10 000 and 100 000 cases in the diarium on both databases,
# and the growth factor from 10x more cases, measured in the same run; then
# the planner itself (one plan from a year's meeting calendar). Needs
# PostgreSQL as for the tests.
#   bench/deadlines.sh [benchtime]   (default 500x)
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime="${1:-500x}"
out=$(go test ./internal/store/ -run '^$' -bench 'BenchmarkDeadlineOverview' -benchtime "$benchtime" -count 1 | grep -E '^Benchmark')
echo "$out"
echo
printf "%-10s %14s %14s %8s\n" database "10k cases µs" "100k cases µs" growth
echo "$out" | awk '
  { name = $1; sub(/-[0-9]+$/, "", name); split(name, p, "/"); db = p[2]; n = p[3]; t[db, n] = $3 / 1000; dbs[db] = 1 }
  END { for (db in dbs) printf "%-10s %14.0f %14.0f %8.2f\n", db, t[db, "cases=10000"], t[db, "cases=100000"], t[db, "cases=100000"] / t[db, "cases=10000"] }' | sort
echo
go test ./workflow/ -run '^$' -bench 'BenchmarkComputePlan' -count 1 | grep -E '^Benchmark'
