#!/usr/bin/env bash
# The browser end-to-end tests drive Debian's chromium package (/usr/bin/chromium);
# a test tool's own browser download does not work on machines without open internet.
# Installs it when missing and this user may (root, or sudo without a password), so
# `npm test` stays one command on a fresh machine; otherwise says what to run.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "svcmap: /usr/bin/chromium is missing and there is no apt-get here; install Chromium at /usr/bin/chromium for the browser tests" >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then run=""; elif sudo -n true 2>/dev/null; then run="sudo"; else
  echo "svcmap: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium (the browser tests need it)" >&2
  exit 0
fi
echo "svcmap: installing Debian's chromium for the browser tests (once)"
$run apt-get update -qq
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
