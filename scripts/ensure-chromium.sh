#!/usr/bin/env bash
# Makes sure Debian's chromium is installed, for the test that opens _REPORT.html in a headless browser
# (ReportInChromiumTest calls this before its first run). Installs it with apt-get when /usr/bin/chromium is
# missing, as root or through sudo without a password; prints the browser's path on its last line.
set -euo pipefail

chromium=/usr/bin/chromium
if [ -x "$chromium" ]; then
  echo "$chromium"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "chromium is missing and apt-get needs root: install it with 'apt-get install chromium'" >&2
  exit 1
fi

echo "Installing chromium with apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >&2
# A font, so that the report's text renders in the screenshots of a minimal image.
"${as_root[@]}" apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends chromium fonts-dejavu-core >&2
if [ ! -x "$chromium" ]; then
  echo "apt-get installed chromium but $chromium is not there" >&2
  exit 1
fi
echo "$chromium"
