#!/usr/bin/env bash
# Takes a PNG screenshot of a benchmark chart page in headless Chromium:
#
#   rpc-benchmark/chart-screenshot.sh CHART_HTML OUT_PNG [WIDTH,HEIGHT]
#
# e.g. rpc-benchmark/chart-screenshot.sh rpc-benchmark/target/benchmark/chart.html chart.png
# The window is 1280,2400 unless given; only what fits in it is drawn. The browser is found and
# started by scripts/headless-chromium.sh (CHROMIUM=/path/to/chrome picks it; on Debian: apt-get
# install chromium); exit 3 means there is none. ChartScreenshotTest runs this in `mvn verify`.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
html=$1
out=$2
size=${3:-1280,2400}
if [ ! -f "$html" ]; then
  echo "chart-screenshot.sh: no such file: $html" >&2
  exit 2
fi

chromium="$(dirname "$0")/../scripts/headless-chromium.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/minirpc-chart.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -f "$out"
status=0
bash "$chromium" --window-size="$size" --screenshot="$work/shot.png" "$(realpath "$html")" \
  >"$work/log" 2>&1 || status=$?
if [ "$status" = 3 ]; then
  echo "chart-screenshot.sh: $(cat "$work/log")" >&2
  exit 3
fi
if [ "$status" != 0 ] || [ ! -s "$work/shot.png" ]; then
  # Chromium's own output is noise when it works; it is the only clue when it does not.
  echo "chart-screenshot.sh: Chromium wrote no screenshot of $html; its output:" >&2
  cat "$work/log" >&2
  exit 1
fi
mv "$work/shot.png" "$out"
