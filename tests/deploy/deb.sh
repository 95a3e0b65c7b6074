#!/usr/bin/env bash
# deploy/deb: the Debian package as a newcomer meets it.  Builds the .deb with
# deploy/build-deb.sh, installs it with apt-get into a clean Debian 12 root (debootstrap
# --variant=minbase bookworm) and checks there what a user would: `ikrar --version`, the man
# page, the copyright, the user ikrar and its folder, the systemd units, bash completion,
# init/sign/audit with and without --data, the kiosk under a headless cage (screenshot with
# grim), and that a purge keeps the signed records.
#
#   bash tests/deploy/deb.sh SOURCE_DIR
#
# Needs root (chroot, mounts) and deb.debian.org; without either it skips (status 77).  The
# pristine root is cached as a tarball in /var/tmp/ikrar-test-cache (made by the first run,
# about a minute), and so are apt's lists and the packages it downloads, so later runs
# download little.  Each stage prints how long it took.
set -uo pipefail

SRC=$(cd "${1:?usage: tests/deploy/deb.sh SOURCE_DIR}" && pwd)
CACHE=${IKRAR_TEST_CACHE:-/var/tmp/ikrar-test-cache}
MIRROR=${IKRAR_TEST_MIRROR:-http://deb.debian.org/debian}

if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: deploy/deb needs root (chroot and bind mounts)"
    exit 77
fi
for tool in debootstrap chroot mount umount flock dpkg-deb dpkg-shlibdeps pngtopnm pnmfile ppmhist \
    python3 groff; do
    if ! command -v "$tool" >/dev/null; then
        echo "FAIL: $tool is missing (bash scripts/setup-debian.sh installs it)" >&2
        exit 1
    fi
done
host=${MIRROR#*://}
host=${host%%/*}
if ! timeout 10 bash -c "exec 3<>/dev/tcp/$host/80" 2>/dev/null; then
    echo "SKIP: deploy/deb needs the network ($host:80 does not answer)"
    exit 77
fi

W=$(mktemp -d /var/tmp/ikrar-deb-test-XXXXXX)
R=$W/root
mounted=() # mount points inside $R, in the order they were mounted

# Unmounts what we mounted, last first; a busy one lazily as a last resort.  Nothing is
# removed while /proc/self/mountinfo still lists a mount under $W.
cleanup() {
    local i m
    # The kiosk or cage may still run in the root if a check failed half-way.
    if [ -d "$R/proc" ]; then
        for p in /proc/[0-9]*; do
            [ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] && kill -9 "${p#/proc/}" 2>/dev/null
        done
    fi
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
        m=${mounted[i]}
        umount "$m" 2>/dev/null || umount -R "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
    if grep -qF " $W/" /proc/self/mountinfo; then
        echo "deploy/deb: mounts remain under $W; not removing it" >&2
        grep -F " $W/" /proc/self/mountinfo >&2
        return
    fi
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}
stage_start=$(date +%s)
stage() {
    local now
    now=$(date +%s)
    echo "   took $((now - stage_start)) s"
    stage_start=$now
    echo "== $*"
}
# in_root CMD...: a command in the root, with a plain environment and no terminal.
in_root() {
    chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@" </dev/null
}
bind() { # bind SOURCE TARGET_IN_ROOT
    mkdir -p "$R$2"
    mount --bind "$1" "$R$2" && mounted+=("$R$2")
}

echo "== building the package"
if ! deb=$(bash "$SRC/deploy/build-deb.sh" --build "$W/build" --out "$W" 2>"$W/build.err" |
    tail -n 1) || [ ! -f "$deb" ]; then
    tail -n 30 "$W/build.err" >&2
    bad "deploy/build-deb.sh failed"
    exit 1
fi
version=$(dpkg-deb -f "$deb" Version)
# The man page as written: groff finds nothing to warn about.
groff -man -Tutf8 -ww -z "$SRC/docs/ikrar.1" >"$W/groff.log" 2>&1 && [ ! -s "$W/groff.log" ] && ok ||
    bad "groff warns about docs/ikrar.1: $(cat "$W/groff.log")"
echo "   $(basename "$deb")"
# The test hooks are compiled into test builds only: the packaged program names none of them.
dpkg-deb -x "$deb" "$W/unpacked"
for hook in IKRAR_TEST_NOW IKRAR_KIOSK_HITS IKRAR_KIOSK_RECEIPTS IKRAR_KIOSK_SPOKEN IKRAR_USB_ROOTS IKRAR_KIOSK_USER; do
    if strings "$W/unpacked/usr/bin/ikrar" | grep -q "$hook"; then
        bad "the packaged ikrar holds the test hook $hook"
    else
        ok
    fi
done
# The units ship in the package: the kiosk's and the hub verifier's (issue 13).
for u in ikrar-kiosk.service ikrar-hub-verify.service; do
    [ -s "$W/unpacked/lib/systemd/system/$u" ] && ok || bad "the package does not hold /lib/systemd/system/$u"
done
for dep in cage xwayland adduser libsdl2 libespeak-ng1 espeak-ng-data; do
    dpkg-deb -f "$deb" Depends | grep -q "$dep" && ok || bad "the package does not depend on $dep"
done

stage "a clean Debian 12 root"
mkdir -p "$CACHE"
tarball=$CACHE/bookworm-minbase.tar
(
    flock 9
    if [ ! -s "$tarball" ]; then
        echo "   first run: debootstrap --variant=minbase bookworm (cached in $tarball)"
        fresh=$W/debootstrap
        if ! debootstrap --variant=minbase bookworm "$fresh" "$MIRROR" >"$W/debootstrap.log" 2>&1; then
            tail -n 20 "$W/debootstrap.log" >&2
            exit 1
        fi
        tar -C "$fresh" --numeric-owner -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
        # debootstrap mounts /proc and /sys in its target only while it runs.
        grep -qF " $fresh/" /proc/self/mountinfo || rm -rf "$fresh"
    fi
) 9>"$CACHE/.lock" || {
    bad "debootstrap failed"
    exit 1
}
mkdir -p "$R"
tar -C "$R" --numeric-owner -xf "$tarball" || {
    bad "the cached root $tarball does not unpack"
    exit 1
}
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null
mkdir -p "$CACHE/apt-archives/partial" "$CACHE/apt-lists/partial"
bind /proc /proc
bind /sys /sys
bind /dev /dev
bind /dev/pts /dev/pts
# wlroots (cage) shares its frames with grim through POSIX shared memory.
bind /dev/shm /dev/shm
bind "$CACHE/apt-archives" /var/cache/apt/archives
bind "$CACHE/apt-lists" /var/lib/apt/lists
cp "$deb" "$R/tmp/"

stage "apt-get install ./$(basename "$deb")"
# Recommends (cups) are left out: they are not what is checked here and would double the time.
if in_root sh -c "apt-get -q update >/dev/null && apt-get -q install -y --no-install-recommends \
        /tmp/$(basename "$deb")" >"$W/install.log" 2>&1; then
    ok
else
    tail -n 30 "$W/install.log" >&2
    bad "apt-get install of the package failed"
    exit 1
fi
grep -q "setup-kiosk" "$W/install.log" && ok || bad "postinst did not say how to enable the kiosk"
# Shipped, not enabled: no unit of the package is wanted by any target after the install.
enabled=$(find "$R/etc/systemd/system" -name 'ikrar*' 2>/dev/null)
[ -z "$enabled" ] && ok || bad "the install enabled a unit: $enabled"

stage "what the package installed"
in_root ikrar --version >"$W/version" 2>&1
[ "$(head -n 1 "$W/version")" = "ikrar $version" ] && ok ||
    bad "ikrar --version: '$(head -n 1 "$W/version")', wanted 'ikrar $version'"
grep -q "SQLite" "$W/version" || grep -q "skema SQLite" "$W/version" && ok ||
    bad "ikrar --version does not list the formats: $(cat "$W/version")"
[ -s "$R/usr/share/doc/ikrar/copyright" ] && ok || bad "no /usr/share/doc/ikrar/copyright"
grep -q "^License: Apache-2.0" "$R/usr/share/doc/ikrar/copyright" && ok ||
    bad "the copyright file names no Apache-2.0 licence"
[ -s "$R/usr/share/ikrar/fonts/DejaVuSans.ttf" ] && ok || bad "the assets are not in /usr/share/ikrar"
for f in lib/udev/rules.d/60-ikrar-printer.rules lib/udev/rules.d/61-ikrar-usb.rules \
    usr/share/polkit-1/rules.d/50-ikrar-clock.rules; do
    [ -s "$R/$f" ] && ok || bad "the package did not install /$f"
done
in_root getent passwd ikrar >"$W/passwd" && ok || bad "no user ikrar"
owner=$(in_root stat -c '%U:%G %a' /var/lib/ikrar 2>&1)
[ "$owner" = "ikrar:ikrar 750" ] && ok || bad "/var/lib/ikrar is '$owner', wanted 'ikrar:ikrar 750'"

stage "man page, bash completion, systemd units"
if in_root apt-get -q install -y --no-install-recommends man-db bash-completion systemd \
    >"$W/tools.log" 2>&1; then
    page=$(in_root man -w ikrar 2>&1)
    [ "$page" = /usr/share/man/man1/ikrar.1.gz ] && ok || bad "man -w ikrar: '$page'"
    in_root sh -c 'MANWIDTH=80 man ikrar 2>&1' >"$W/man.txt"
    for cmd in init sign verify checkpoint pubkey audit kiosk reprint export merge "roster import" \
        stats purge-ink backup setup-kiosk bench; do
        grep -q "ikrar $cmd" "$W/man.txt" && ok || bad "the man page does not show 'ikrar $cmd'"
    done
    in_root bash -c '. /usr/share/bash-completion/bash_completion
        . /usr/share/bash-completion/completions/ikrar
        COMP_WORDS=(ikrar sign --status ""); COMP_CWORD=3; COMP_LINE="ikrar sign --status "
        COMP_POINT=${#COMP_LINE}; _ikrar; echo "${COMPREPLY[*]}"' >"$W/complete" 2>&1
    [ "$(cat "$W/complete")" = "PNS PPPK NON-ASN" ] && ok ||
        bad "bash completion of 'ikrar sign --status ': '$(cat "$W/complete")'"
    units=$(cd "$R" && ls lib/systemd/system/ikrar*.service lib/systemd/system/ikrar*.mount \
        lib/systemd/system/ikrar*.automount 2>/dev/null)
    if [ -z "$units" ]; then
        echo "   NOTE: no ikrar systemd unit is installed yet; systemd-analyze verify skipped"
    else
        for u in $units; do
            if in_root systemd-analyze verify "/$u" >"$W/verify.log" 2>&1; then
                ok
            else
                bad "systemd-analyze verify /$u: $(cat "$W/verify.log")"
            fi
        done
        echo "   verified: $units"
    fi
else
    tail -n 20 "$W/tools.log" >&2
    bad "could not install man-db, bash-completion and systemd in the root"
fi

stage "init, sign and audit"
ink='{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}'
printf '%s\n' "$ink" >"$R/tmp/ink.json"
chmod 0644 "$R/tmp/ink.json"
# As the service runs it: the user ikrar, no --data, so /var/lib/ikrar.
as_ikrar() { in_root runuser -u ikrar -- "$@"; }
if as_ikrar ikrar init --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 \
    --pin 246810 >"$W/vkey" 2>"$W/init.err"; then
    ok
else
    bad "ikrar init into /var/lib/ikrar as ikrar: $(cat "$W/init.err")"
fi
[ -s "$R/var/lib/ikrar/ikrar.db" ] && ok || bad "init without --data wrote no /var/lib/ikrar/ikrar.db"
as_ikrar ikrar sign --name "Siti Rahmawati" --status PNS --nip 198503302010012003 \
    --ink /tmp/ink.json --printer none >"$W/sign.out" 2>"$W/sign.err" && ok ||
    bad "ikrar sign as ikrar: $(cat "$W/sign.err")"
receipt=$(tail -n 1 "$W/sign.out")
[[ "$receipt" == IK1:* ]] && ok || bad "sign printed no receipt: $(cat "$W/sign.out")"
as_ikrar ikrar audit >"$W/audit.out" 2>&1 && ok || bad "ikrar audit: $(cat "$W/audit.out")"
as_ikrar ikrar verify --text "$receipt" >"$W/verify.out" 2>&1 && ok ||
    bad "ikrar verify (default folder): $(cat "$W/verify.out")"
# A released kiosk signs by the real clock: IKRAR_TEST_NOW (2001) changes nothing.
as_ikrar env IKRAR_TEST_NOW=978310800 ikrar sign --name "Budi Santoso" --status NON-ASN \
    --ink /tmp/ink.json --printer none >"$W/sign2.out" 2>"$W/sign2.err" && ok ||
    bad "ikrar sign with IKRAR_TEST_NOW set was refused: $(cat "$W/sign2.err")"
[ "$(as_ikrar ikrar pubkey 2>&1)" = "$(tail -n 1 "$W/vkey")" ] && ok ||
    bad "ikrar pubkey without --data is not the key init printed"
# IKRAR_DATA names another folder; --data still wins over it.
in_root sh -c 'IKRAR_DATA=/tmp/k2 ikrar init --event e2 --title T --kiosk k2 --pin 135790' \
    >/dev/null 2>"$W/init2.err" && [ -s "$R/tmp/k2/ikrar.db" ] && ok ||
    bad "init with IKRAR_DATA: $(cat "$W/init2.err")"
in_root sh -c 'IKRAR_DATA=/nowhere ikrar audit --data /tmp/k2' >"$W/audit2.out" 2>&1 && ok ||
    bad "--data does not win over IKRAR_DATA: $(cat "$W/audit2.out")"
# Root's own audit of the service's folder is fine too, and nobody else can read it.
in_root runuser -u nobody -- ikrar audit >"$W/audit3.out" 2>&1 &&
    bad "user nobody could audit /var/lib/ikrar" || ok

stage "the kiosk under a headless cage"
# kiosk_shot NAME ENV...: runs the installed kiosk under cage as the user ikrar, takes a grim
# screenshot of its headless output into $W/NAME.png; the kiosk's and cage's words in
# $W/NAME.log.  cage runs as the package's unit runs it (deploy/systemd/ikrar-kiosk.service):
# with -d, so the kiosk is told to draw no decorations of its own.  And with -r -r, turned
# 180 degrees so that cage composites every frame: unturned, wlroots 0.15's headless output
# scans the client's first buffer out and grim sees it stale, as tests/kiosk/cage.sh
# explains; grim turns the picture back.
kiosk_shot() {
    local name=$1 rt=/tmp/xdg-$1 i
    shift
    in_root sh -c "mkdir -p $rt && chown ikrar:ikrar $rt && chmod 0700 $rt"
    in_root runuser -u ikrar -- env XDG_RUNTIME_DIR="$rt" WLR_BACKENDS=headless \
        WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 "$@" timeout 60 \
        cage -d -r -r -- ikrar kiosk --fullscreen >"$W/$name.log" 2>&1 &
    local pid=$!
    # The kiosk has drawn once its first frame is on the output: wait for the socket, then
    # for a screenshot that is not one colour (up to 45 s: Xwayland starts slowly on a
    # loaded machine).
    for ((i = 0; i < 90; i++)); do
        sleep 0.5
        kill -0 "$pid" 2>/dev/null || break
        [ -S "$R$rt/wayland-0" ] || continue
        rm -f "$R/tmp/$name.png"
        in_root runuser -u ikrar -- env XDG_RUNTIME_DIR="$rt" WAYLAND_DISPLAY=wayland-0 \
            grim "/tmp/$name.png" >/dev/null 2>&1 || continue
        colours=$(pngtopnm "$R/tmp/$name.png" 2>/dev/null | ppmhist -noheader 2>/dev/null | wc -l)
        [ "$colours" -gt 1 ] && break
    done
    # Still running after its first frame: the kiosk did not fall over.
    local alive=0
    kill -0 "$pid" 2>/dev/null && alive=1
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/root" 2>/dev/null)" = "$R" ] || continue
        kill "${p#/proc/}" 2>/dev/null
    done
    wait "$pid" 2>/dev/null
    [ "$alive" -eq 1 ] && [ -s "$R/tmp/$name.png" ] && [ "${colours:-0}" -gt 1 ]
}
# same_as_ref PNG: how many percent of PNG's pixels are the reference frame's.
same_as_ref() {
    python3 - "$1" "$R/tmp/ref/welcome.png" <<'PY'
import subprocess, sys
def pixels(path):
    ppm = subprocess.run(["pngtopnm", path], capture_output=True, check=True).stdout
    # P6 header: magic, width, height, maxval, each ended by white space
    fields, i = [], 0
    while len(fields) < 4:
        while ppm[i:i + 1].isspace():
            i += 1
        j = i
        while not ppm[j:j + 1].isspace():
            j += 1
        fields.append(ppm[i:j])
        i = j
    return (int(fields[1]), int(fields[2])), ppm[i + 1:]
(sa, a), (sb, b) = pixels(sys.argv[1]), pixels(sys.argv[2])
if sa != sb:
    print(0)
else:
    n = sa[0] * sa[1]
    same = sum(1 for k in range(0, 3 * n, 3) if a[k:k + 3] == b[k:k + 3])
    print(100 * same // n)
PY
}
if in_root apt-get -q install -y --no-install-recommends grim >"$W/grim.log" 2>&1 &&
    in_root dpkg -s cage >/dev/null 2>&1; then
    # The kiosk's own Welcome frame at the output's size, drawn headless by its script player,
    # is what cage must show, natively on Wayland and through Xwayland alike.
    printf 'screen welcome\nshot welcome\nquit\n' >"$R/tmp/welcome.kiosk"
    chmod 0644 "$R/tmp/welcome.kiosk"
    as_ikrar ikrar kiosk --window 1280x720 --script /tmp/welcome.kiosk --shots /tmp/ref \
        >"$W/ref.log" 2>&1 || bad "the kiosk's script player could not draw Welcome: $(cat "$W/ref.log")"
    for mode in wayland x11; do
        if ! kiosk_shot "$mode" SDL_VIDEODRIVER="$mode"; then
            bad "the kiosk did not draw under cage with SDL_VIDEODRIVER=$mode: $(grep -v "output test failed" "$W/$mode.log" | tail -n 15)"; ls -l "$R/tmp/$mode.png" 2>&1; echo "colours=${colours:-?}"
            continue
        fi
        size=$(pngtopnm "$R/tmp/$mode.png" | pnmfile)
        # wlroots' headless backend makes one 1280x720 output.
        [[ "$size" == *"1280 by 720"* ]] && ok || bad "$mode: screenshot is $size, wanted the output's 1280 by 720"
        same=$(same_as_ref "$R/tmp/$mode.png")
        echo "   $mode: the screenshot is ${same}% the kiosk's own Welcome frame"
        [ "${same:-0}" -ge 98 ] && ok || bad "$mode: the screenshot is not the Welcome screen (${same}% alike)"
        cp "$R/tmp/$mode.png" "${TMPDIR:-/tmp}/ikrar-deb-kiosk-$mode.png" 2>/dev/null &&
            echo "   screenshot kept in ${TMPDIR:-/tmp}/ikrar-deb-kiosk-$mode.png"
    done
else
    bad "cage or grim is not installed in the root: $(tail -n 5 "$W/grim.log")"
fi

stage "purge keeps the signed records"
in_root dpkg --purge ikrar >"$W/purge.log" 2>&1 && ok || bad "dpkg --purge ikrar: $(cat "$W/purge.log")"
[ ! -e "$R/usr/bin/ikrar" ] && ok || bad "purge left /usr/bin/ikrar"
[ -s "$R/var/lib/ikrar/ikrar.db" ] && ok || bad "purge removed the signed records in /var/lib/ikrar"
grep -q "/var/lib/ikrar" "$W/purge.log" && ok || bad "purge did not say /var/lib/ikrar was kept"

stage "done"
echo "deploy_deb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
