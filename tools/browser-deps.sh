#!/bin/sh
# What the browser tests need: Debian's chromium, node and npm (installed
# only when the command is missing: a node from elsewhere is kept), then
# playwright-core from the npm registry, as locked in tests/browser.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
need=""
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need="$need chromium"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
[ -z "$need" ] || "$here/tools/deps.sh" $need
if [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
	(cd "$here/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
