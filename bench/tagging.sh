#!/usr/bin/env bash
# What tagging (the structure tree of an accessible PDF) costs: the
# three-page yttrande rendered tagged, as every document is, and untagged,
# measured in the same run, and their ratio.
#   bench/tagging.sh [benchtime] [count]   (defaults 40x and 5)
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime="${1:-40x}"
count="${2:-5}"
out=$(go test ./internal/pdf/ -run '^$' -bench 'BenchmarkRender3Pages' -benchtime "$benchtime" -count "$count" | grep -E '^Benchmark')
echo "$out"
echo
echo "$out" | awk '
  /\/tagged/   { t[++nt] = $3 }
  /\/untagged/ { u[++nu] = $3 }
  function median(a, n,    i, j, x) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    mt = median(t, nt); mu = median(u, nu)
    printf "tagged:   %.1f ms (median of %d)\n", mt / 1e6, nt
    printf "untagged: %.1f ms (median of %d)\n", mu / 1e6, nu
    printf "ratio:    %.3f\n", mt / mu
  }'
