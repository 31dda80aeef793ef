#!/usr/bin/env bash
# The load generator of the endpoint benchmark (benchmarks/bench_endpoint.py): wrk, from Debian.
# `oxigraph serve`, the server it is compared with, comes with the dev dependencies (the
# `oxigraph` package on PyPI installs the binary in .venv/bin).
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
echo "Installing system packages: wrk"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk
