#!/usr/bin/env bash
# setup-debian.sh: install what building and testing ikrar needs on Debian 12 (bookworm).
#
#   bash scripts/setup-debian.sh          build and test dependencies
#   bash scripts/setup-debian.sh --fuzz   the same, plus clang and its runtimes for libFuzzer
#
# Safe to run again and again: it asks dpkg what is already installed and only calls apt
# (update, then install) when something is missing. Runs as root directly, or as a normal
# user through sudo. Never asks a question, so it also runs in CI with no terminal.
set -euo pipefail

# No font package: ikrar ships the fonts it draws with (assets/fonts) and never uses the
# host's, so fonts-dejavu-core matters only as what fontconfig itself depends on.
packages=(
    build-essential  # gcc, make, libc headers; gcc also brings ASan/UBSan runtimes
    cmake            # the build; ships ctest too
    clang-format     # scripts/check-format.sh: the layout CI checks
    pkg-config       # CMake finds the libraries below through it
    libssl-dev       # OpenSSL 3: Ed25519, SHA-256, PBKDF2, encrypted PKCS#8
    libsqlite3-dev   # the signed log
    libqrencode-dev  # receipt QR codes
    zlib1g-dev       # receipts are zlib-compressed
    libutf8proc-dev  # typed names composed to Unicode NFC (util/text.c)
    libpng-dev       # receipt QR as PNG
    zbar-tools       # zbarimg: tests read the QR codes back
    libzbar-dev      # verify reads receipt QR codes from photos
    libjpeg-dev      # ...which are mostly JPEG
    libjpeg-turbo-progs  # cjpeg, jpegtran: tests make JPEG photos of receipts
    netpbm               # pngtopnm: the scan test turns a receipt PNG into a JPEG with cjpeg
    sqlite3          # sqlite3 shell: inspect a data folder, damage copies in tamper tests; `.backup`
                     # is ikrar bench's baseline for `ikrar backup`
    strace           # tests/cli/crash.sh kills a signing at every system call; rollback.sh fails a sync
    openssl          # openssl speed: ikrar bench's baseline; checking checkpoints by hand
    libsdl2-dev      # the kiosk's window, input and renderer
    libsdl2-ttf-dev  # the kiosk's text
    libespeak-ng-dev # the kiosk reads aloud ("Bacakan") with espeak-ng; brings its voices, espeak-ng-data
    libfontconfig-dev  # receipts and roster PDF name ikrar's own font files to cairo in an FcPattern
    libcairo2-dev    # paper receipts: text (cairo-ft, FreeType), PNG and the A6 PDF; the roster PDF
    ghostscript      # tests render the receipt PDF to read its QR back
    poppler-utils    # pdftotext, pdftoppm, pdfinfo: tests read the roster PDF back
    libcups2-dev     # cups:QUEUE printers: the receipt PDF goes to CUPS through libcups
    cups             # cupsd and its filters: tests/cli/cups.sh starts a private one
    cups-client      # lpadmin, lpstat, cupsenable...: that test makes and stops its queue
    printer-driver-cups-pdf  # that queue's backend: the printed page comes back as a PDF
    xvfb             # tests run the real kiosk in a virtual X display
    xdotool          # ...and touch it there
    dpkg-dev         # deploy/build-deb.sh: dpkg-shlibdeps computes the package's Depends
    debootstrap      # tests/deploy/deb.sh installs the package into a clean Debian 12 root
    groff-base       # tests/deploy/deb.sh checks the man page for roff warnings
    man-db           # tests/cli/manpage.sh reads docs/ikrar.1 with man -l as a user would
    python3          # tests/deploy/deb.sh compares the kiosk's screenshot pixel by pixel
    cage             # tests/kiosk/cage.sh: the Wayland kiosk compositor the service runs the kiosk in, headless
    grim             # ...and its screenshots of cage's output
    xwayland         # ...and the kiosk as an X11 client under cage (skipped when it cannot start)
    systemd          # systemd-analyze verify: tests/deploy/units.sh checks the kiosk's unit
    faketime         # tests/cli/clock.sh: sign with the system clock itself at 2001 (LD_PRELOAD)
    libpq-dev        # the hub (issue 13): kiosks push to and the verifier reads PostgreSQL through libpq
    postgresql-15    # initdb, pg_ctl, postgres: tests/common/pg.sh starts a private server per hub test
)

for arg in "$@"; do
    case "$arg" in
    --fuzz) packages+=(clang libclang-rt-dev) ;; # libclang-rt: the sanitizer and libFuzzer runtimes
    -h | --help)
        sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "setup-debian.sh: unknown option: $arg" >&2
        exit 2
        ;;
    esac
done

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    echo "setup-debian.sh: this needs Debian (dpkg and apt-get); install by hand:" >&2
    echo "  ${packages[*]}" >&2
    exit 1
fi
if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    . /etc/os-release
    if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
        echo "setup-debian.sh: note: written for Debian 12, this is ${PRETTY_NAME:-unknown}; trying anyway" >&2
    fi
fi

missing=()
for p in "${packages[@]}"; do
    state=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$state" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-debian.sh: all ${#packages[@]} packages already installed."
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "setup-debian.sh: not root and no sudo; as root, run:" >&2
    echo "  apt-get update && apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "setup-debian.sh: installing ${missing[*]}"
# sudo drops most of the environment, so the variable goes through env.
apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y
     -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
# A fresh machine has no package lists yet; an old list may name versions the mirror dropped.
"${apt[@]}" update
"${apt[@]}" install --no-install-recommends "${missing[@]}"
echo "setup-debian.sh: done."
