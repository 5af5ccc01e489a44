#!/usr/bin/env bash
# Installs the Debian packages Lắng Nghe needs, skipping any already present.
#   chromium        headless browser for the end-to-end dashboard test and screenshots
#   fonts-noto-core Vietnamese-capable fonts for the browser and PDF reports
#   poppler-utils   pdftotext / pdftoppm, used to check generated reports
set -euo pipefail
want=(chromium fonts-noto-core poppler-utils)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
