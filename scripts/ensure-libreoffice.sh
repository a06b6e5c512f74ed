#!/usr/bin/env bash
# LibreOffice for the PDF reports (ODT templates converted by `soffice
# --headless`), from Debian's packages: Writer without the GUI and a font,
# without the recommended packages (the smallest set that converts ODT to PDF).
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then
    exit 0
fi
packages=(libreoffice-writer-nogui fonts-dejavu-core)
if [ "$(id -u)" = 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "soffice is missing: install the Debian packages ${packages[*]}" \
        "(PDF reports)" >&2
    exit 1
fi
echo "Installing ${packages[*]} (Debian packages, for the PDF reports)..."
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${packages[@]}" >/dev/null
