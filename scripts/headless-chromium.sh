#!/usr/bin/env bash
# Runs headless Chromium once, as the project's screenshot scripts need it, with the given extra
# arguments (a --screenshot=, --dump-dom, --window-size=, a URL or file):
#
#   scripts/headless-chromium.sh [CHROMIUM ARGUMENTS...]
#
# CHROMIUM=/path/to/chrome picks the browser; otherwise chromium, chromium-browser or google-chrome
# from the PATH (on Debian: apt-get install chromium). Exits 3 when there is none, so that callers
# can say so; otherwise with the browser's exit status, or 124 if it ran over 60 seconds.
# Used by rpc-benchmark/chart-screenshot.sh and rpc-dashboard/dashboard-screenshot.sh.
set -euo pipefail

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
  echo "no Chromium found${browser:+ (CHROMIUM=$browser)}; install it (Debian: apt-get install chromium)" \
    "or set CHROMIUM=/path/to/chrome" >&2
  exit 3
fi

profile=$(mktemp -d "${TMPDIR:-/tmp}/minirpc-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
# A fresh profile each time, so that no earlier session's state or lock is reused. --no-sandbox:
# Chromium refuses to start as root with its sandbox (CI runs as root), and the pages are our own.
# The background services are off because this machine's network reaches nothing but the package
# registries: they would only fail and slow the start; --no-proxy-server: the pages are on this
# machine. A scale factor of 1 makes a CSS pixel one pixel of a screenshot, which the tests
# measure. timeout: never hang a build.
timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --no-proxy-server \
  --user-data-dir="$profile" --hide-scrollbars --force-device-scale-factor=1 "$@"
