#!/usr/bin/env bash
# Finds or installs the system tools the tests and benchmarks need: Chromium (report rendering test) and wrk
# (benchmarks). Installs them with apt-get when run as root on Debian; otherwise says how.
set -euo pipefail
missing=()
chromium_bin="${EVKIT_CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium_bin" ] || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "evkit: installing ${missing[*]} (Debian packages) ..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
else
  echo "evkit: missing ${missing[*]}. Install them (Debian: sudo apt-get install -y ${missing[*]}) or set EVKIT_CHROMIUM to a Chromium binary." >&2
  exit 1
fi
