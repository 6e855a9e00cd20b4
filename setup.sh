#!/usr/bin/env bash
# Set up Justerat on a fresh machine: system packages (Debian), a virtual environment in .venv
# and the Python packages. `./setup.sh` is enough to build the site; `./setup.sh --dev` adds
# everything the test suite needs. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")"

dev=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

# System packages, by purpose. Only the missing ones are installed.
# PDFs: WeasyPrint's Pango, HarfBuzz's subsetter (deterministic font subsets) and a free font
# with full Swedish coverage (Noto Sans); `import` reads PDFs' text with poppler's pdftotext
system_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core poppler-utils)
"${PYTHON:-python3}" -m venv --help >/dev/null 2>&1 || system_packages+=(python3-venv)
if [ "$dev" = 1 ]; then
  # the browser tests drive Debian's Chromium with Playwright (no browser download); the
  # validators come from npm (axe-core) and run with Java (the Nu Html Checker, vnu-jar)
  system_packages+=(chromium)
  # the e-sigill tests keep a seal's key on a real PKCS#11 token: SoftHSM
  system_packages+=(softhsm2)
  command -v java >/dev/null 2>&1 || system_packages+=(default-jre-headless)
  command -v npm >/dev/null 2>&1 || system_packages+=(nodejs npm)
fi

missing=()
for package in "${system_packages[@]+"${system_packages[@]}"}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup.sh: installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$dev" = 1 ]; then
  .venv/bin/python -m pip install --quiet -e ".[dev]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
# Byte-compile Justerat as pip does an installed package, also where the environment says
# not to write bytecode (PYTHONDONTWRITEBYTECODE): compiling its modules anew on every run
# would cost each rebuild 0.2 s
.venv/bin/python -m compileall -q justerat >/dev/null
if [ "$dev" = 1 ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup.sh: ready (.venv)"
