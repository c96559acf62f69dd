#!/usr/bin/env bash
# Loads a running dashboard in headless Chromium and takes a PNG screenshot of it, or prints the
# DOM the page's JavaScript rendered:
#
#   rpc-dashboard/dashboard-screenshot.sh URL OUT_PNG [WIDTH,HEIGHT]
#   rpc-dashboard/dashboard-screenshot.sh --dump-dom URL
#
# e.g. rpc-dashboard/dashboard-screenshot.sh http://127.0.0.1:8088/ dashboard.png
# The window is 1280,900 unless given. The page is given BUDGET_MS (3000) of virtual time to fetch
# and draw its data. The browser is found and started by scripts/headless-chromium.sh
# (CHROMIUM=/path/to/chrome picks it; on Debian: apt-get install chromium); exit 3 means there is
# none. DashboardBrowserTest runs this script in `mvn test`.
set -euo pipefail

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
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

chromium="$(dirname "$0")/../scripts/headless-chromium.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/minirpc-dashboard.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The virtual time budget lets the page's fetches finish and its script draw them before the DOM
# or the pixels are taken.
status=0
if [ "$mode" = dom ]; then
  bash "$chromium" --virtual-time-budget="$budget" --dump-dom "$url" >"$work/dom" 2>"$work/log" \
    || status=$?
else
  rm -f "$out"
  bash "$chromium" --virtual-time-budget="$budget" --window-size="$size" \
    --screenshot="$work/shot.png" "$url" >"$work/log" 2>&1 || status=$?
fi
if [ "$status" = 3 ]; then
  echo "dashboard-screenshot.sh: $(cat "$work/log")" >&2
  exit 3
fi
if [ "$mode" = dom ]; then
  if [ "$status" != 0 ] || [ ! -s "$work/dom" ]; then
    echo "dashboard-screenshot.sh: Chromium printed no DOM of $url; its output:" >&2
    cat "$work/log" >&2
    exit 1
  fi
  cat "$work/dom"
  exit 0
fi
if [ "$status" != 0 ] || [ ! -s "$work/shot.png" ]; then
  # Chromium's own output is noise when it works; it is the only clue when it does not.
  echo "dashboard-screenshot.sh: Chromium wrote no screenshot of $url; its output:" >&2
  cat "$work/log" >&2
  exit 1
fi
mv "$work/shot.png" "$out"
