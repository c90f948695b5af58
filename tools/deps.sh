#!/usr/bin/env bash
# Installs the Debian packages xjlink needs, only those missing.
#   tools/deps.sh build   - to build the library and the program
#   tools/deps.sh python  - also what the Python binding needs (the quick start)
#   tools/deps.sh test    - also what the tests and bindings need (chromium and a
#                           CJK font: the --report page opened in a headless browser)
#   tools/deps.sh fuzz    - also clang and libFuzzer (tools/fuzz.sh)
set -euo pipefail

build_pkgs=(gcc g++ pkg-config meson ninja-build libicu-dev libxxhash-dev libsqlite3-dev
            unicode-data libbz2-dev
            libminizip-dev libexpat1-dev libxlsxwriter-dev)
python_pkgs=(swig python3 python3-dev)
test_pkgs=(libcmocka-dev python3-pytest python3-openpyxl python3-pandas
           python3-dask python3-distributed openjdk-17-jdk-headless sqlite3
           python3-mesonpy python3-venv python3-pip python3-mypy patchelf clang-format
           chromium fonts-wqy-microhei)

fuzz_pkgs=(clang libclang-rt-14-dev libcmocka-dev)

want=("${build_pkgs[@]}")
case "${1:-build}" in
    python) want+=("${python_pkgs[@]}") ;;
    test) want+=("${python_pkgs[@]}" "${test_pkgs[@]}") ;;
    fuzz) want+=("${fuzz_pkgs[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "xjlink: installing missing Debian packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
