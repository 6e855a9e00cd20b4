#!/usr/bin/env bash
# Compile the lock files in requirements/ from pyproject.toml's ranges: every package at one exact
# version, with the hashes of its files, for CPython 3.11 on Linux x86_64.
#   requirements/compile.sh            after a change to pyproject.toml's dependencies: keeps every
#                                      locked version that still fits and resolves only the rest
#   requirements/compile.sh --upgrade  every package to its newest release within the ranges
#                                      (and requirements/constraints.in)
# `./setup.sh --upgrade` runs the second, rebuilds .venv from the new dev lock and runs the tests.
#
# dev.txt         pyproject's dependencies with the extra `dev` (which includes `token`)
# token.txt       the same with the extra `token` only,  } held to dev.txt's versions, so the
# base.txt        the dependencies alone                 } site builds with what the tests ran on
# build.txt       pip and setuptools, which setup.sh installs first (build.in says why)
# constraints.in  releases held back on purpose, each with its reason (dev.txt, and so all)
# uv.txt          uv, the compiler, at the version uv.in names: installed here with its hashes
#                 into a throwaway virtual environment
set -euo pipefail
cd "$(dirname "$0")/.."

upgrade=()
for arg in "$@"; do
  case "$arg" in
    --upgrade) upgrade=(--upgrade) ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "compile.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-python3}
# build.in holds the [build-system]'s requires, which pip can't be told to read from pyproject.toml
"$python" - <<'EOF'
import sys, tomllib
with open("pyproject.toml", "rb") as f:
    wanted = tomllib.load(f)["build-system"]["requires"]
with open("requirements/build.in") as f:
    listed = [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]
missing = [r for r in wanted if r not in listed]
if missing:
    sys.exit(f"compile.sh: pyproject.toml's [build-system] requires {missing}, "
             f"which requirements/build.in does not list (as written there)")
EOF

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
"$python" -m venv "$tools"
"$tools/bin/python" -m pip install --quiet --require-hashes --no-deps -r requirements/uv.txt

# dev.txt first: the other locks take its versions (and so its held-back ones) as constraints
compile() {
  local out=$1
  shift
  "$tools/bin/uv" pip compile --quiet --generate-hashes \
    --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
    --custom-compile-command "requirements/compile.sh" \
    "${upgrade[@]+"${upgrade[@]}"}" --output-file "requirements/$out" "$@"
}
compile uv.txt requirements/uv.in
compile dev.txt pyproject.toml --extra dev --constraint requirements/constraints.in
compile token.txt pyproject.toml --extra token --constraint requirements/dev.txt
compile base.txt pyproject.toml --constraint requirements/dev.txt
compile build.txt requirements/build.in --constraint requirements/dev.txt
echo "compile.sh: locked $(grep -c '^[a-z0-9]' requirements/dev.txt) packages for dev," \
  "$(grep -c '^[a-z0-9]' requirements/base.txt) for the base install"
