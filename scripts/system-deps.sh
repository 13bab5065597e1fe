#!/usr/bin/env bash
# Install the system packages kg needs: Graphviz (drawings) and, for the test suite,
# Virtuoso Open Source (the SPARQL server of the endpoint tests), tmux (the shell's terminal
# tests) and Chromium with its WebDriver (the browser tests of kg serve's workbench).
# As root it installs them with apt-get; otherwise it prints what to install and fails.
#   scripts/system-deps.sh            Graphviz only
#   scripts/system-deps.sh --test     Graphviz, Virtuoso, tmux, Chromium and chromium-driver
set -euo pipefail
need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if [ "${1:-}" = "--test" ]; then
  command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
  command -v tmux >/dev/null 2>&1 || need+=(tmux)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "kg needs these system packages: ${need[*]}" >&2
  echo "install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
