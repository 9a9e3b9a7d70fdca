#!/usr/bin/env bash
# Milliseconds and memory per rendered document: our renderer (internal/pdf,
# gofpdf) beside LibreOffice converting the same content to PDF, measured in
# the same run, for (a) a yttrande of three pages and (b) the whole of SOU
# 2022:59 (internal/pdf/testdata, justified), and their ratios. The benchmark writes
# each layout as HTML (same text, headings, emphasis, lists, fonts and sizes)
# and LibreOffice converts that. LibreOffice is timed cold, one soffice process
# per document as a server shelling out to it would, and warm: the marginal
# cost of one more document when one process converts several copies. Memory:
# bytes allocated per render for ours (-benchmem; the peak heap is lower), the
# peak resident size of the soffice process for LibreOffice (/usr/bin/time).
# Installs Debian's libreoffice-writer-nogui when soffice is missing. Not run
# by CI.
# Run it on an idle machine: the two are measured one after the other.
#   bench/documents.sh [copies] [benchtime]   (defaults 8 and 2s)
set -euo pipefail
cd "$(dirname "$0")/.."
copies="${1:-8}"
benchtime="${2:-2s}"

need=()
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdfinfo >/dev/null || need+=(poppler-utils) # page counts
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
timer=()
if [ -x /usr/bin/time ]; then
  timer=(/usr/bin/time -f '%e %M' -o)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
profile="file://$work/profile"

# Three runs of each benchmark; the fastest counts, as for LibreOffice below.
out=$(go test ./internal/pdf/ -run '^$' -bench '^BenchmarkRender(3Pages|Report)$' -benchmem -benchtime "$benchtime" -count 3 \
  -args -html "$work" | grep -E '^Benchmark')
echo "$out"
echo

# soffice_run runs soffice converting the named HTML files into $work/out and
# prints the wall time in ms and the peak resident size in MB ("-" without
# /usr/bin/time).
soffice_run() {
  local start end mem=-
  start=$(date +%s%N)
  if [ ${#timer[@]} -gt 0 ]; then
    "${timer[@]}" "$work/time" soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$work/out" "$@" >/dev/null 2>&1
    mem=$(awk '{ printf "%.0f", $2 / 1024 }' "$work/time")
  else
    soffice -env:UserInstallation="$profile" --headless --convert-to pdf --outdir "$work/out" "$@" >/dev/null 2>&1
  fi
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 )) $mem"
}

# The first start creates LibreOffice's profile, which no later start pays.
soffice_run "$work/yttrande.html" >/dev/null

printf "%-9s %6s %6s %9s %9s %9s %9s %9s %10s %10s\n" document pages "LO pp" "ours ms" "LO cold" "LO warm" "cold x" "warm x" "alloc MB/op" "LO RSS MB"
for doc in yttrande report; do
  case $doc in yttrande) bench=BenchmarkRender3Pages/tagged ;; report) bench=BenchmarkRenderReport ;; esac
  ours_ms=$(echo "$out" | awk -v b="$bench" '$1 ~ "^"b"(-[0-9]+)?$" && (m == "" || $3 < m) { m = $3 } END { printf "%.2f", m / 1e6 }')
  ours_mb=$(echo "$out" | awk -v b="$bench" '$1 ~ "^"b"(-[0-9]+)?$" && (m == "" || $5 < m) { m = $5 } END { printf "%.1f", m / 1048576 }')
  # Cold: the fastest of three single conversions.
  cold=999999 rss=-
  for _ in 1 2 3; do
    read -r ms mem < <(soffice_run "$work/$doc.html")
    if [ "$ms" -lt "$cold" ]; then cold=$ms rss=$mem; fi
  done
  files=()
  for i in $(seq 1 "$copies"); do
    cp "$work/$doc.html" "$work/$doc-$i.html"
    files+=("$work/$doc-$i.html")
  done
  read -r many _ < <(soffice_run "${files[@]}")
  warm=$(awk -v n="$copies" -v one="$cold" -v all="$many" 'BEGIN { printf "%.0f", (all - one) / (n - 1) }')
  pages=$(pdfinfo "$work/$doc-remiss.pdf" | awk '/^Pages:/ { print $2 }')
  lo_pages=$(pdfinfo "$work/out/$doc.pdf" | awk '/^Pages:/ { print $2 }')
  awk -v d="$doc" -v p="$pages" -v lp="$lo_pages" -v o="$ours_ms" -v c="$cold" -v w="$warm" -v om="$ours_mb" -v r="$rss" 'BEGIN {
    printf "%-9s %6s %6s %9.2f %9d %9d %9.0f %9.1f %10.1f %10s\n", d, p, lp, o, c, w, c / o, w / o, om, r }'
done
echo
echo "pages: ours, LO pp: LibreOffice's; ms per document; cold x, warm x: LibreOffice's time over ours."
echo "Target: the three-page yttrande at least 100x faster than LibreOffice (cold x >= 100)."
if [ ${#timer[@]} -eq 0 ]; then
  echo "LO RSS MB not measured: /usr/bin/time is missing (Debian package time)."
fi
