#!/usr/bin/env bash
# Make sure the Debian packages olay builds and tests with are installed.
# As root (or with passwordless sudo) it installs what is missing and prints the command it
# ran; otherwise it prints the command to run and exits 2.
set -euo pipefail
PACKAGES=(cmake make gcc pkg-config libcsv-dev libjansson-dev libpcre2-dev libutf8proc-dev
          libcmocka-dev python3)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo "
else
  echo "olay: missing Debian packages: ${missing[*]}" >&2
  echo "olay: run as root:  apt-get update && $cmd" >&2
  exit 2
fi
echo "olay: installing missing Debian packages: ${missing[*]}" >&2
echo "olay: running: ${sudo}apt-get update -qq && ${sudo}$cmd" >&2
${sudo}apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive ${sudo}$cmd >&2
