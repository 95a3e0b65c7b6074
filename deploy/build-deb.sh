#!/usr/bin/env bash
# build-deb.sh: build ikrar in release and write its Debian package.
#
#   bash deploy/build-deb.sh [--build DIR] [--out DIR]
#
# Configures a release build (without the tests' environment hooks) with prefix /usr in DIR (default build/deb-release), installs it
# into a staging folder with DESTDIR, adds the control file and maintainer scripts from
# deploy/debian/, and writes ikrar_<version>_<arch>.deb into --out (default build/).  The
# runtime Depends are what dpkg-shlibdeps finds the program linked against, plus adduser
# (postinst makes the user ikrar), cage (the kiosk's session) and xwayland: Debian 12's cage
# refuses to start at all without the Xwayland binary, yet does not depend on it; and
# espeak-ng-data, the voices the kiosk reads aloud with (libespeak-ng1, which dpkg-shlibdeps
# finds, brings them too, but the kiosk needs them by name).  Needs dpkg-dev (dpkg-shlibdeps) and the build dependencies
# (scripts/setup-debian.sh).  Runs without root, sudo, fakeroot or a terminal.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$SRC/build/deb-release
OUT=$SRC/build
while [ $# -gt 0 ]; do
    case "$1" in
    --build) BUILD=${2:?--build needs a folder}; shift 2 ;;
    --out) OUT=${2:?--out needs a folder}; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb.sh: unknown option: $1" >&2; exit 2 ;;
    esac
done
for tool in cmake dpkg-deb dpkg-shlibdeps dpkg-architecture; do
    command -v "$tool" >/dev/null || {
        echo "build-deb.sh: $tool is missing (bash scripts/setup-debian.sh installs it)" >&2
        exit 1
    }
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DIKRAR_SANITIZE=OFF -DIKRAR_FUZZ=OFF -DIKRAR_TEST_HOOKS=OFF >/dev/null
# Only what is installed; the tests are built by the ordinary build.
cmake --build "$BUILD" -j"$jobs" --target ikrar ikrar_docs

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
[ -n "$version" ] || { echo "build-deb.sh: no project version in $BUILD" >&2; exit 1; }

# The staging folder is ours alone: made fresh, removed on exit (it never holds a mount).
work=$(mktemp -d "${TMPDIR:-/tmp}/ikrar-deb-XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/root
DESTDIR=$stage cmake --install "$BUILD" --prefix /usr >/dev/null
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/ikrar"

# Debian wants files 0644 and folders 0755, whatever the umask of who built it.
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f ! -path "$stage/usr/bin/*" -exec chmod 0644 {} +
chmod 0755 "$stage/usr/bin/ikrar"

# dpkg-shlibdeps reads the package's name from a debian/control beside it.
mkdir -p "$work/src/debian"
printf 'Source: ikrar\n\nPackage: ikrar\nArchitecture: any\n' >"$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O -e"$stage/usr/bin/ikrar" 2>"$work/shlibdeps.err" |
    sed -n 's/^shlibs:Depends=//p') || true
if [ -z "$shlibs" ]; then
    echo "build-deb.sh: dpkg-shlibdeps found no dependencies:" >&2
    cat "$work/shlibdeps.err" >&2
    exit 1
fi

size=$(du -sk --apparent-size "$stage" | cut -f1)
mkdir -p "$stage/DEBIAN"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
    -e "s/@SHLIBS@/$shlibs/" "$SRC/deploy/debian/control.in" >"$stage/DEBIAN/control"
for script in postinst prerm postrm; do
    install -m 0755 "$SRC/deploy/debian/$script" "$stage/DEBIAN/$script"
done
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
    xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums" "$stage/DEBIAN/control"

deb=$OUT/ikrar_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
