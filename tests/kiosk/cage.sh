#!/usr/bin/env bash
# kiosk_cage: the real `ikrar kiosk --fullscreen` under cage, the Wayland kiosk compositor the
# service runs it in (deploy/systemd/ikrar-kiosk.service), headless: wlroots' headless backend
# (a 1280x720 output) drawn with pixman, no GPU, no input devices, no DRI node.
#
# For native Wayland (SDL_VIDEODRIVER=wayland), landscape and portrait (cage -r), with SDL's
# software renderer (the kiosk's choice with no GPU) and with software GL (IKRAR_RENDERER=gpu:
# Mesa's llvmpipe, where the frame was drawn 11 % too tall), and for X11 through Xwayland when
# cage can start it; and native Wayland once more without cage's -d (cage then asks the kiosk
# to draw its own decorations, which under SDL 2.26 and libdecor left the screen black):
#   - the kiosk says READY=1 on $NOTIFY_SOCKET once its first frame is up (the test waits
#     for that, never a blind sleep), and logs "start" with the output's size;
#   - grim's screenshot of the output is the output's size, and is the Welcome screen as the
#     kiosk itself draws it at that size (its scripted `shot`), pixel for pixel but for a few
#     (under 0.5 % of the bytes may differ by more than 24 of 255; SDL's software renderer
#     matches exactly, software GL rounds its blending by up to 16): a frame laid out for
#     another size (the old 1280x800-on-1280x720 frame, 11 % too tall) fails;
#   - with WATCHDOG_USEC set, WATCHDOG=1 keeps coming while the kiosk idles on Welcome;
#   - SIGTERM to the group (as systemd stops the service) ends it, on Wayland with STOPPING=1
#     and a "stop" line.
#
# cage 0.1.4 hands a fullscreen client's buffer straight to the output (direct scan-out)
# when the output is not rotated; on the headless backend the output then keeps showing a
# stale buffer (on a real screen, DRM cannot scan out shm buffers and cage composites).  So
# "landscape" is cage -r -r (180 degrees: cage composites, grim turns the picture back).
# cage refuses to run as root; as root the test runs it as user nobody (setpriv).
# Skipped (exit 0) when cage, grim or pngtopnm is missing, except under CI, where that fails.
set -u
IKRAR=${1:?usage: tests/kiosk/cage.sh path/to/ikrar}
IKRAR=$(realpath "$IKRAR")
ASSETS=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../../assets")
LISTEN=$(realpath "${IKRAR_NOTIFY_LISTEN:-$(dirname "$IKRAR")/notify_listen}")
for tool in cage grim pngtopnm; do
    if ! command -v "$tool" >/dev/null; then
        if [ -n "${CI:-}" ]; then
            echo "FAIL: $tool is needed under CI (scripts/setup-debian.sh installs it)" >&2
            exit 1
        fi
        echo "SKIP: $tool not installed"
        exit 0
    fi
done
[ -x "$LISTEN" ] || {
    echo "FAIL: no notify_listen helper at $LISTEN" >&2
    exit 1
}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" kiosk_cage
# Open to the user nobody, who runs cage and the kiosk below when this runs as root.
chmod 755 "$T"
# Xwayland is started with -core: a crash of it must not leave a core file where the test ran.
ulimit -c 0
cd "$T" || exit 1
cage_pid=
listen_pid=
# stop_case: ends a case's cage and everything it started (its own session, from setsid), and
# the notify listener; KILL after 5 s for a compositor or kiosk that ignores TERM, so that a
# failed case never leaves them running into the next one or past the test.
stop_case() {
    if [ -n "$cage_pid" ]; then
        kill -TERM -- "-$cage_pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 -- "-$cage_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$cage_pid" 2>/dev/null
        wait "$cage_pid" 2>/dev/null
        cage_pid=
    fi
    if [ -n "$listen_pid" ]; then
        kill "$listen_pid" 2>/dev/null
        wait "$listen_pid" 2>/dev/null
        listen_pid=
    fi
}
cleanup() {
    stop_case
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT # in place of harness.sh's: the cases' processes go before the folder

# As root: as user nobody (setpriv), or else in a user namespace, where cage's "drop root"
# check passes (Xwayland's keymap compiler fails there, so X11 is then skipped).
AS=()
OWNER=
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null; then
        AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        OWNER=65534:65534
    elif unshare -U true 2>/dev/null; then
        AS=(unshare -U)
    else
        echo "SKIP: running as root with neither setpriv nor user namespaces for cage"
        exit 0
    fi
fi

# The build may sit where nobody cannot go (a clone under /root): then nobody runs a copy of
# the program from $T, with the shipped assets beside it (ikr_asset_path looks in <exe>/assets).
if [ -n "$OWNER" ] && ! "${AS[@]}" test -x "$IKRAR" 2>/dev/null; then
    mkdir -p "$T/bin"
    cp "$IKRAR" "$T/bin/ikrar" && cp -rL "$ASSETS" "$T/bin/assets" || {
        echo "FAIL: could not copy the program for user nobody" >&2
        exit 1
    }
    chmod -R a+rX "$T/bin"
    IKRAR=$T/bin/ikrar
fi

D=$T/data
"$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 \
    --pin 246810 >/dev/null 2>&1 || {
    echo "FAIL: init" >&2
    exit 1
}
[ -n "$OWNER" ] && chown -R "$OWNER" "$D"

# ppm_of PNG: the picture as binary PPM (RGB, no alpha) on stdout.
ppm_of() { pngtopnm "$1" 2>/dev/null; }
# size_of PNG: "W H".
size_of() { ppm_of "$1" | head -c 20 | tr '\n' ' ' | awk '{ print $2, $3 }'; }

# wait_for FILE TEXT [TRIES]: until FILE has a line holding TEXT (TRIES x 0.1 s, 30 s by default).
wait_for() {
    for _ in $(seq "${3:-300}"); do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        kill -0 "$cage_pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# run_case NAME VIDEO ROTATE RENDERER [csd]: the kiosk under cage with SDL_VIDEODRIVER=VIDEO,
# cage's -r given ROTATE times, IKRAR_RENDERER=RENDERER (empty: the kiosk's own choice), and
# cage's -d as the unit runs it unless "csd" (then cage tells the kiosk to draw its own
# decorations); screenshot, compare, watchdog, stop.
run_case() {
    local name=$1 video=$2 rot=$3 renderer=$4 rflags=(-d) i
    [ "${5:-}" = csd ] && rflags=()
    for ((i = 0; i < rot; i++)); do rflags+=(-r); done
    local run=$T/$name
    mkdir -m 700 "$run"
    [ -n "$OWNER" ] && chown "$OWNER" "$run"
    : >"$run/notify"
    "$LISTEN" "$run/notify.sock" "$run/notify" &
    listen_pid=$!
    for _ in $(seq 50); do [ -S "$run/notify.sock" ] && break; sleep 0.05; done
    chmod 777 "$run/notify.sock" 2>/dev/null
    env -u DISPLAY -u WAYLAND_DISPLAY XDG_RUNTIME_DIR="$run" WLR_BACKENDS=headless \
        WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 SDL_VIDEODRIVER="$video" \
        NOTIFY_SOCKET="$run/notify.sock" WATCHDOG_USEC=1000000 IKRAR_RENDERER="$renderer" \
        setsid "${AS[@]}" cage "${rflags[@]}" -- "$IKRAR" kiosk --fullscreen --data "$D" \
        >"$run/out" 2>"$run/err" &
    cage_pid=$!
    if ! wait_for "$run/notify" "READY=1"; then
        if [ "$video" = x11 ] && grep -q "Xwayland startup failed\|x11 not available" "$run/err"; then
            echo "SKIP: $name: cage could not start Xwayland here"
            stop_case
            return
        fi
        bad "$name: no READY=1 from the kiosk; its stderr: $(grep -v 'output test' "$run/err" | tail -5)"
        stop_case
        return
    fi
    ok
    local start size
    start=$(grep '^ikrar: start ' "$run/err")
    size=$(sed -n 's/.* size=\([0-9]*x[0-9]*\).*/\1/p' <<<"$start")
    [ -n "$start" ] && ok || bad "$name: no 'start' line"
    case "$start" in *"video=$video"*) ok ;; *) bad "$name: start line names another driver: $start" ;; esac
    # The kiosk is up: the output's picture.  A frame is drawn and presented before READY=1;
    # the compositor shows it on its next repaint, so a picture still cage's black is retried.
    local shot=$run/screen.png tries
    for tries in $(seq 20); do
        if WAYLAND_DISPLAY=wayland-0 XDG_RUNTIME_DIR="$run" "${AS[@]}" grim "$shot" 2>"$run/grim.err" &&
            [ "$(ppm_of "$shot" | tail -c +20 | tr -d '\0' | head -c 1 | wc -c)" -gt 0 ]; then
            break
        fi
        sleep 0.1
    done
    [ -s "$shot" ] || {
        bad "$name: grim took no picture: $(cat "$run/grim.err")"
        stop_case
        return
    }
    local w h
    read -r w h < <(size_of "$shot")
    local want_w=1280 want_h=720
    if [ $((rot % 2)) -eq 1 ]; then want_w=720 want_h=1280; fi
    [ "$w" = "$want_w" ] && [ "$h" = "$want_h" ] && ok || bad "$name: screenshot is ${w}x$h, output ${want_w}x$want_h"
    [ "$size" = "${want_w}x$want_h" ] && ok || bad "$name: the kiosk drew at $size on a ${want_w}x$want_h output"
    # What the kiosk draws at that size by itself, offscreen.
    printf 'screen welcome\nshot welcome\nquit\n' >"$run/shot.kiosk"
    if "$IKRAR" kiosk --data "$D" --script "$run/shot.kiosk" --shots "$run/ref" \
        --window "${want_w}x$want_h" >/dev/null 2>"$run/ref.err"; then ok; else bad "$name: reference: $(cat "$run/ref.err")"; fi
    ppm_of "$shot" >"$run/a.ppm"
    ppm_of "$run/ref/welcome.png" >"$run/b.ppm"
    local bytes diff
    bytes=$(stat -c %s "$run/b.ppm")
    if [ "$(stat -c %s "$run/a.ppm")" != "$bytes" ]; then
        bad "$name: screenshot and reference differ in size"
    else
        # cmp -l lists each differing byte's two values in octal; a GL renderer rounds its
        # blending a little differently (by up to 16 of 255), a misplaced frame by far more.
        diff=$(cmp -l "$run/a.ppm" "$run/b.ppm" | awk -v tol=24 '
            function oct(s,  v, i) { v = 0; for (i = 1; i <= length(s); i++) v = v * 8 + substr(s, i, 1); return v }
            { d = oct($2) - oct($3); if (d < 0) d = -d; if (d > tol) n++ } END { print n + 0 }')
        echo "$name: ${w}x$h, $diff of $bytes bytes differ by more than 24/255 from the kiosk's own picture"
        if [ "$diff" -le $((bytes / 200)) ]; then ok; else
            bad "$name: the screen is not the kiosk's Welcome at ${w}x$h ($diff of $bytes bytes differ)"
            cp "$shot" "/tmp/ikrar-cage-$name-screen.png"
            cp "$run/ref/welcome.png" "/tmp/ikrar-cage-$name-reference.png"
        fi
    fi
    # Idle on Welcome, the loop still turns: WATCHDOG=1 at least every 0.5 s (WATCHDOG_USEC/2).
    local n0 n1
    n0=$(grep -c '^WATCHDOG=1' "$run/notify")
    for _ in $(seq 40); do
        n1=$(grep -c '^WATCHDOG=1' "$run/notify")
        [ $((n1 - n0)) -ge 3 ] && break
        sleep 0.1
    done
    [ $((n1 - n0)) -ge 3 ] && ok || bad "$name: only $((n1 - n0)) WATCHDOG=1 in 4 s of idling (WATCHDOG_USEC=1 s)"
    # SIGTERM to cage (as systemd stops the service): it ends its client, which says STOPPING=1
    # and logs "stop".
    # SIGTERM to cage's whole process group (cage, Xwayland, the kiosk), as systemd stops the
    # service's control group.
    kill -TERM -- "-$cage_pid"
    wait "$cage_pid" 2>/dev/null
    cage_pid=
    for _ in $(seq 100); do pgrep -f -- "--data $D" >/dev/null || break; sleep 0.1; done
    if pgrep -f -- "kiosk --fullscreen --data $D" >/dev/null; then bad "$name: the kiosk outlived cage"; else ok; fi
    if [ "$video" = wayland ]; then
        grep -q '^STOPPING=1' "$run/notify" && ok || bad "$name: no STOPPING=1: $(cat "$run/notify")"
        grep -q '^ikrar: stop reason=signal' "$run/err" && ok || bad "$name: no 'stop' line: $(grep '^ikrar' "$run/err")"
    fi
    # Built with -DIKRAR_SANITIZE=ON: no memory error or undefined behaviour on the way.  (Leaks
    # at exit are not counted here: SDL's Wayland backend and the GL libraries it loads and
    # unloads leave a few KB that LeakSanitizer cannot trace to a caller.)
    if grep -q 'ERROR: AddressSanitizer\|runtime error:' "$run/err"; then
        bad "$name: sanitizer: $(grep -A5 'ERROR: AddressSanitizer\|runtime error:' "$run/err" | head -8)"
    else ok; fi
    # Under X11 the kiosk may instead be ended by Xlib when Xwayland's connection drops first
    # (Xlib's fatal I/O error exits the process): gone, but without its goodbye.
    kill "$listen_pid" 2>/dev/null
    wait "$listen_pid" 2>/dev/null
    listen_pid=
}

run_case wayland-landscape wayland 2 ""
run_case wayland-portrait wayland 1 ""
# Software GL (Mesa's llvmpipe through SDL's OpenGL renderer): where the frame was 11 % too tall.
run_case wayland-gl wayland 2 gpu
run_case wayland-gl-portrait wayland 1 gpu
# cage without -d answers xdg-decoration with "client-side": SDL 2.26 then hands the window to
# libdecor, which left it unmapped and the screen black; the fullscreen kiosk turns libdecor off.
run_case wayland-csd wayland 2 "" csd
if command -v Xwayland >/dev/null; then
    run_case x11-landscape x11 2 ""
    run_case x11-portrait x11 1 ""
else
    echo "SKIP: x11 through Xwayland: Xwayland not installed"
fi
echo -n "kiosk_cage: "
finish
