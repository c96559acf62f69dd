#!/usr/bin/env bash
# Loads a running dashboard in headless Chromium and takes a PNG screenshot of it, or prints the
# DOM the page's JavaScript rendered:
#
#   rpc-dashboard/dashboard-screenshot.sh URL OUT_PNG [WIDTH,HEIGHT]
#   rpc-dashboard/dashboard-screenshot.sh --dump-dom URL
#
# e.g. rpc-dashboard/dashboard-screenshot.sh http://127.0.0.1:8088/ dashboard.png
# The window is 1280,900 unless given. The page is given BUDGET_MS (3000) of virtual time to fetch
# and draw its data. CHROMIUM=/path/to/chrome picks the browser; otherwise chromium,
# chromium-browser or google-chrome from the PATH (on Debian: apt-get install chromium).
# DashboardBrowserTest runs this script in `mvn test`.
set -euo pipefail

usage() {
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

if [ $# -ge 1 ] && [ "$1" = "--dump-dom" ]; then
  [ $# -eq 2 ] || usage
  mode=dom
  url=$2
else
  { [ $# -ge 2 ] && [ $# -le 3 ]; } || usage
  mode=png
  url=$1
  out=$2
  size=${3:-1280,900}
fi
budget=${BUDGET_MS:-3000}

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
  echo "dashboard-screenshot.sh: no Chromium found${browser:+ (CHROMIUM=$browser)}; install it (Debian: apt-get install chromium)" \
    "or set CHROMIUM=/path/to/chrome" >&2
  exit 3
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/minirpc-dashboard.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A fresh profile each time, so that no earlier session's state or lock is reused. --no-sandbox:
# Chromium refuses to start as root with its sandbox (CI runs as root), and the page is our own.
# The background services are off because this machine's network reaches nothing but the package
# registries; --no-proxy-server: the dashboard is on this machine. The virtual time budget lets
# the page's fetches finish and its script draw them before the DOM or the pixels are taken.
# timeout: never hang a build.
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --no-proxy-server
  --user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1
  --virtual-time-budget="$budget")

if [ "$mode" = dom ]; then
  if ! timeout 60 "$browser" "${flags[@]}" --dump-dom "$url" >"$work/dom" 2>"$work/log" \
    || [ ! -s "$work/dom" ]; then
    echo "dashboard-screenshot.sh: $browser printed no DOM of $url; its output:" >&2
    cat "$work/log" >&2
    exit 1
  fi
  cat "$work/dom"
  exit 0
fi

rm -f "$out"
if ! timeout 60 "$browser" "${flags[@]}" --window-size="$size" --screenshot="$work/shot.png" \
  "$url" >"$work/log" 2>&1 || [ ! -s "$work/shot.png" ]; then
  # Chromium's own output is noise when it works; it is the only clue when it does not.
  echo "dashboard-screenshot.sh: $browser wrote no screenshot of $url; its output:" >&2
  cat "$work/log" >&2
  exit 1
fi
mv "$work/shot.png" "$out"
