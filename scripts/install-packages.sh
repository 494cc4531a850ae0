#!/usr/bin/env bash
# Installs the Debian packages the harnesses need, and only those that are missing.
# Idempotent: with every binary present it changes nothing and needs no root; otherwise it runs
# apt-get update once and installs what is missing (root or sudo needed then).
#
# Used by the fault-injection harness (loadtest/README.md, "Faults"): it starts the machine's
# MariaDB and Redis binaries itself; and by the console's browser test (headless Chromium and its
# driver). Add a package by adding a "binary:package" line below; a binary may be a command on PATH
# or an absolute path.
set -euo pipefail

NEEDED=(
  "/usr/sbin/mariadbd:mariadb-server"
  "mariadb-install-db:mariadb-server"
  "redis-server:redis-server"
  "promtool:prometheus"
  "/usr/sbin/haproxy:haproxy"
  "redis-cli:redis-tools"
  # the per-request bench's native load generator beside Gatling (issue 11)
  "wrk:wrk"
  # the console's browser test (ConsoleBrowserIntegrationTest): Debian's Chromium and its matching driver
  "chromium:chromium"
  "chromedriver:chromium-driver"
)

present() {
  local binary=$1
  if [[ $binary == /* ]]; then
    [[ -x $binary ]]
  else
    command -v "$binary" >/dev/null 2>&1
  fi
}

missing=()
for pair in "${NEEDED[@]}"; do
  binary=${pair%%:*}
  package=${pair#*:}
  if present "$binary"; then
    echo "present: $binary ($package)"
  else
    echo "missing: $binary ($package)"
    # one package may provide several binaries: install it once
    if [[ " ${missing[*]-} " != *" $package "* ]]; then
      missing+=("$package")
    fi
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "nothing to install"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi

echo "apt-get update"
"${sudo[@]}" apt-get update
echo "apt-get install -y --no-install-recommends ${missing[*]}"
# No service start by the package's scripts matters here: the harness runs its own servers.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"

for pair in "${NEEDED[@]}"; do
  binary=${pair%%:*}
  if ! present "$binary"; then
    echo "still missing after the install: $binary" >&2
    exit 1
  fi
done
echo "installed: ${missing[*]}"
