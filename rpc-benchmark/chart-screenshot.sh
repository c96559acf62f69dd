#!/usr/bin/env bash
# Takes a PNG screenshot of a benchmark chart page in headless Chromium:
#
#   rpc-benchmark/chart-screenshot.sh CHART_HTML OUT_PNG [WIDTH,HEIGHT]
#
# e.g. rpc-benchmark/chart-screenshot.sh rpc-benchmark/target/benchmark/chart.html chart.png
# The window is 1280,2400 unless given; only what fits in it is drawn. CHROMIUM=/path/to/chrome
# picks the browser; otherwise chromium, chromium-browser or google-chrome from the PATH
# (on Debian: apt-get install chromium). ChartScreenshotTest runs this script in `mvn verify`.
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

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      browser=$name
      break
    fi
  done
fi
if [ -z "$browser" ] || ! command -v "$browser" >/dev/null 2>&1; then
  echo "chart-screenshot.sh: no Chromium found${browser:+ (CHROMIUM=$browser)}; install it (Debian: apt-get install chromium)" \
    "or set CHROMIUM=/path/to/chrome" >&2
  exit 3
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/minirpc-chart.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -f "$out"
# A fresh profile each time, so that no earlier session's state or lock is reused. --no-sandbox:
# Chromium refuses to start as root with its sandbox (CI runs as root), and the page is our own
# file. The background services are off because this machine's network reaches nothing but the
# package registries: they would only fail and slow the start. A scale factor of 1 makes a CSS
# pixel one pixel of the PNG, which ChartScreenshotTest measures. timeout: never hang a build.
if ! timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1 \
  --window-size="$size" --screenshot="$work/shot.png" \
  "$(realpath "$html")" >"$work/log" 2>&1 || [ ! -s "$work/shot.png" ]; then
  # Chromium's own output is noise when it works; it is the only clue when it does not.
  echo "chart-screenshot.sh: $browser wrote no screenshot of $html; its output:" >&2
  cat "$work/log" >&2
  exit 1
fi
mv "$work/shot.png" "$out"
