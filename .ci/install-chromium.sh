#!/usr/bin/env bash
# Debian's Chromium for the dashboard browser test (test/e2e/dashboard.e2e.ts drives
# /usr/bin/chromium with playwright-core). Skipped when it is already installed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
