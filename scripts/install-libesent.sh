#!/usr/bin/env bash
# Installs libesent for C programs under a prefix: lib/libesent.so,
# lib/libesent.a, include/esent.h and lib/pkgconfig/esent.pc.
#
#   scripts/install-libesent.sh [PREFIX]        (default: /usr/local)
#
# It builds the library in release first; LIBESENT_BUILD_DIR=DIR takes the
# libraries already built in DIR instead (the tests use it). Afterwards:
#
#   cc prog.c $(pkg-config --cflags --libs esent)
#
# (with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig when PREFIX is not one
# pkg-config searches, and LD_LIBRARY_PATH=PREFIX/lib, or -Wl,-rpath, to
# run the program against the shared library).
set -euo pipefail

# Paths given relative to where the command was run, made absolute before
# moving to the repository.
absolute() {
    case "$1" in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s\n' "$(pwd)/$1" ;;
    esac
}
prefix="$(absolute "${1:-/usr/local}")"
case "$prefix" in
    *[[:space:]\\\|\&]*)
        echo "install-libesent: a prefix with spaces, '\\', '|' or '&' is not supported: $prefix" >&2
        exit 1
        ;;
esac
build=""
if [ -n "${LIBESENT_BUILD_DIR:-}" ]; then
    build="$(absolute "$LIBESENT_BUILD_DIR")"
fi
cd "$(dirname "$0")/.."

if [ -z "$build" ]; then
    cargo build --release -p esent
    # Where cargo put it (CARGO_TARGET_DIR or build.target-dir move it).
    target="$(cargo metadata --format-version 1 --no-deps |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
    build="${target:-target}/release"
fi
for library in libesent.so libesent.a; do
    if [ ! -f "$build/$library" ]; then
        echo "install-libesent: $build/$library is missing" >&2
        exit 1
    fi
done

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 0755 "$build/libesent.so" "$prefix/lib/libesent.so"
install -m 0644 "$build/libesent.a" "$prefix/lib/libesent.a"
install -m 0644 include/esent.h "$prefix/include/esent.h"
sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" \
    crates/esent/esent.pc.in > "$prefix/lib/pkgconfig/esent.pc"
echo "installed libesent $version under $prefix"
