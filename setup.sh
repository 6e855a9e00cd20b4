#!/usr/bin/env bash
# Set up Justerat on a fresh machine: system packages (Debian), a virtual environment in .venv
# and the Python packages at the exact versions and hashes of the lock files in requirements/.
# `./setup.sh` is enough to build the site; `./setup.sh --dev` adds everything the test suite
# needs; `./setup.sh --token` adds python-pkcs11, for a seal's key on a PKCS#11 token. Safe to
# run again: it installs only what is missing or not at its locked version.
# `./setup.sh --upgrade` moves the locks to the newest releases that pyproject.toml allows
# (requirements/compile.sh --upgrade), rebuilds .venv from the new dev lock and runs the tests:
# commit requirements/ if they pass; if not, `git checkout requirements/ && ./setup.sh --dev`
# goes back (or hold the release that broke them in requirements/constraints.in).
set -euo pipefail
cd "$(dirname "$0")"

dev=0
token=0
upgrade=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    --token) token=1 ;;
    --upgrade) dev=1; upgrade=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

# System packages, by purpose. Only the missing ones are installed.
# PDFs: WeasyPrint's Pango, HarfBuzz's subsetter (deterministic font subsets) and a free font
# with full Swedish coverage (Noto Sans); `import` reads PDFs' text with poppler's pdftotext
system_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core poppler-utils)
# the favicon made from an SVG logo: CairoSVG draws it with cairo
system_packages+=(libcairo2)
"${PYTHON:-python3}" -m venv --help >/dev/null 2>&1 || system_packages+=(python3-venv)
if [ "$dev" = 1 ]; then
  # the browser tests drive Debian's Chromium with Playwright (no browser download); the
  # validators come from npm (axe-core) and run with Java (the Nu Html Checker, vnu-jar; and
  # commons-ip, the E-ARK validator of the e-arkiv packages, which needs Java 17: Debian 12's)
  system_packages+=(chromium)
  # the deploy test serves the built site with deploy/nginx.conf in Debian's nginx, the .br
  # copies with its brotli_static module
  system_packages+=(nginx libnginx-mod-http-brotli-static)
  # and with deploy/Caddyfile in Debian's Caddy
  system_packages+=(caddy)
  # the e-sigill tests keep a seal's key on a real PKCS#11 token: SoftHSM
  system_packages+=(softhsm2)
  # deploy/publish-remote.sh copies a site to another server with rsync (tests/test_deploy.py)
  system_packages+=(rsync)
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
if [ "$upgrade" = 1 ]; then
  requirements/compile.sh --upgrade
  # a new .venv, so that nothing the old lock installed is left for the tests to lean on
  "$python" -m venv --clear .venv
elif [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# pip and setuptools first, then the lock: every file must match a hash in it (requirements/
# compile.sh explains the lock files); a package that comes only as source is built with the
# locked setuptools, as pip would otherwise fetch the newest to build it
lock=requirements/base.txt
extras=""
if [ "$dev" = 1 ]; then
  lock=requirements/dev.txt
  extras="[dev]"
elif [ "$token" = 1 ]; then
  lock=requirements/token.txt
  extras="[token]"
fi
.venv/bin/python -m pip install --quiet --require-hashes -r requirements/build.txt
.venv/bin/python -m pip install --quiet --require-hashes --no-build-isolation -r "$lock"
# Justerat itself, built with the locked setuptools; with no index, so a dependency of
# pyproject.toml that the lock lacks (or holds at a version out of its range) stops here. Quiet
# about setuptools' warning that a folder named as the package may shadow it: it is the package
if ! PYTHONWARNINGS="${PYTHONWARNINGS:+$PYTHONWARNINGS,}ignore:Editable installation" \
  .venv/bin/python -m pip install --quiet --no-build-isolation --no-index -e ".$extras"; then
  echo "setup.sh: pyproject.toml's dependencies are not what $lock locks:" \
    "run requirements/compile.sh (it keeps the other locked versions) and commit requirements/" >&2
  exit 1
fi
# Byte-compile Justerat as pip does an installed package, also where the environment says
# not to write bytecode (PYTHONDONTWRITEBYTECODE): compiling its modules anew on every run
# would cost each rebuild 0.2 s
.venv/bin/python -m compileall -q justerat >/dev/null
if [ "$dev" = 1 ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup.sh: ready (.venv)"
if [ "$upgrade" = 1 ]; then
  echo "setup.sh: the locks in requirements/ are upgraded; running the test suite on them"
  exec .venv/bin/python -m pytest
fi
