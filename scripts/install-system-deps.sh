#!/usr/bin/env bash
# Installs the Debian packages Lắng Nghe needs, skipping any already present.
#   chromium        headless browser for the end-to-end dashboard test and screenshots
#   fonts-noto-core Vietnamese-capable fonts for the browser and PDF reports
#   fonts-liberation2  Liberation Serif 2 (Times New Roman metrics, Vietnamese) embedded in PDF reports
#   fonts-dejavu-core  DejaVu Serif, the last fallback font for PDF reports
#   poppler-utils   pdftotext / pdftoppm, used to check generated reports
#   libpango-1.0-0 libpangoft2-1.0-0  text layout for WeasyPrint, the PDF fallback without a browser
#   python3-venv    `python3 -m venv`, which `make` uses to create .venv (not in a minimal Debian)
set -euo pipefail
want=(chromium fonts-noto-core fonts-liberation2 fonts-dejavu-core poppler-utils libpango-1.0-0 libpangoft2-1.0-0
      python3-venv)
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
