#!/usr/bin/env bash
# Installs the system packages plangraph needs, only when they are missing.
# Java runs HermiT (OWL consistency, through owlready2); Chromium runs the browser tests;
# xmllint validates the GraphML and GEXF exports against their XML schemas in the tests.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
# Chromium drives the browser tests of the query page and the report (no browser download:
# Debian's package, used by Playwright through executable_path).
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
