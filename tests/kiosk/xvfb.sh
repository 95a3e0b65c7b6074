#!/usr/bin/env bash
# cli_kiosk_xvfb: the real `ikrar kiosk` in a real X window (Xvfb, 1280x800), touched with
# xdotool as a mouse would: a whole signing from Welcome to Done.  Then the record is in the
# log (`ikrar audit`), the receipt shown on screen verifies (`ikrar verify`), and SIGTERM
# ends the kiosk with status 0.  The kiosk writes its hit regions after every frame
# (IKRAR_KIOSK_HITS), so the test touches buttons by id, wherever the layout puts them.
# Skipped (exit 0) when Xvfb or xdotool is missing, except under CI, where that fails.
set -u
IKRAR=${1:?usage: tests/kiosk/xvfb.sh path/to/ikrar}
if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null; then
    if [ -n "${CI:-}" ]; then
        echo "FAIL: Xvfb and xdotool are needed under CI (scripts/setup-debian.sh installs them)" >&2
        exit 1
    fi
    echo "SKIP: Xvfb or xdotool not installed"
    exit 0
fi
T=$(mktemp -d /tmp/ikrar-xvfb-XXXXXX)
xvfb=
kiosk=
cleanup() {
    [ -n "$kiosk" ] && kill "$kiosk" 2>/dev/null
    [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
die() {
    bad "$*"
    echo "cli_kiosk_xvfb: $pass passed, $fail failed"
    exit 1
}

# Xvfb picks a free display itself and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$T/display" 2>"$T/xvfb.log" &
xvfb=$!
for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.05; done
[ -s "$T/display" ] || die "Xvfb did not start: $(cat "$T/xvfb.log")"
export DISPLAY=:$(head -n 1 "$T/display")

D=$T/data
"$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 \
    --pin 246810 >/dev/null 2>&1 || die "init"

HITS=$T/hits
IKRAR_KIOSK_HITS=$HITS IKRAR_KIOSK_RECEIPTS=$T/receipts "$IKRAR" kiosk --data "$D" --window 1280x800 \
    >"$T/kiosk.out" 2>"$T/kiosk.err" &
kiosk=$!

# on SCREEN [TRIES]: waits (TRIES x 50 ms, 10 s by default) until the kiosk shows SCREEN.
on() {
    for _ in $(seq "${2:-200}"); do
        [ "$(head -n 1 "$HITS" 2>/dev/null | cut -d' ' -f2)" = "$1" ] && return 0
        kill -0 "$kiosk" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
# centre ID: prints "X Y", the centre of hit region ID in window coordinates.
centre() {
    awk -v id="$1" '$1 == id { printf "%d %d\n", $2 + $4 / 2, $3 + $5 / 2; found = 1 } END { exit !found }' "$HITS"
}
# point ID FX FY: prints "X Y" at fractions FX, FY inside hit region ID.
point() {
    awk -v id="$1" -v fx="$2" -v fy="$3" \
        '$1 == id { printf "%d %d\n", $2 + $4 * fx, $3 + $5 * fy; found = 1 } END { exit !found }' "$HITS"
}
WIN=
# tap ID: clicks the centre of ID (the window's own coordinates).
tap() {
    local xy
    xy=$(centre "$1") || { bad "no '$1' on screen $(head -n 1 "$HITS")"; return 1; }
    # shellcheck disable=SC2086
    xdotool mousemove --window "$WIN" $xy click 1
    sleep 0.05
}
# stroke ID FX,FY ...: presses, moves through the points (fractions of ID), releases.
stroke() {
    local id=$1 xy
    shift
    xy=$(point "$id" "${1%,*}" "${1#*,}") || { bad "no '$id' to draw in"; return 1; }
    # shellcheck disable=SC2086
    xdotool mousemove --window "$WIN" $xy mousedown 1
    shift
    for p in "$@"; do
        xy=$(point "$id" "${p%,*}" "${p#*,}")
        # shellcheck disable=SC2086
        xdotool sleep 0.016 mousemove --window "$WIN" $xy
    done
    xdotool mouseup 1
    sleep 0.05
}

on welcome || die "the kiosk did not show Welcome: $(cat "$T/kiosk.err")"
ok
WIN=$(xdotool search --sync --name '^ikrar$' | head -n 1)
[ -n "$WIN" ] || die "no window named ikrar"
[ "$(head -n 1 "$HITS" | cut -d' ' -f3-)" = "1280 800" ] && ok || bad "frame size: $(head -n 1 "$HITS")"

tap start
on declaration && ok || die "start leads to the declaration"
# Read to the end: drag the text up until "agree" works.
for _ in $(seq 40); do
    stroke decl.text 0.5,0.9 0.5,0.7 0.5,0.5 0.5,0.3 0.5,0.1
    tap agree
    on nip 6 && break
done
on nip && ok || die "agree after reading leads to the NIP keypad"
for d in 1 9 8 5 0 3 3 0 2 0 1 0 0 1 2 0 0 3; do tap "key.$d"; done
tap next
on status && ok || die "a NIP not on a roster asks the status"
tap status.pns
on details && ok || die "status PNS leads to the details"
# The physical keyboard types into the focused field (SDL text input through X).
xdotool type --delay 20 "Dr. Hj. Nur'aini, S.Pd."
tap field.pos
xdotool type --delay 20 "Guru Ahli Pertama"
tap field.unit
xdotool type --delay 20 "Dinas Pendidikan"
tap next
on signature && ok || die "details lead to the signature"
stroke canvas 0.1,0.6 0.15,0.45 0.2,0.35 0.25,0.5 0.3,0.7 0.35,0.5 0.4,0.3 0.45,0.5 0.5,0.65 0.6,0.45 0.7,0.6
stroke canvas 0.55,0.75 0.65,0.74 0.8,0.7 0.9,0.72
tap next
on review && ok || die "a signature leads to the review"
tap confirm
on done && ok || die "confirm leads to Done: $(cat "$T/kiosk.err")"

[ "$(wc -l <"$T/receipts" 2>/dev/null)" = 1 ] && ok || bad "one receipt shown"
R=$(head -n 1 "$T/receipts" 2>/dev/null)
"$IKRAR" verify --data "$D" --text "$R" >"$T/out" 2>&1 && ok || bad "the receipt verifies: $(cat "$T/out")"
grep -q "Dr. Hj. Nur'aini, S.Pd." "$T/out" && ok || bad "the receipt names the signer typed: $(cat "$T/out")"

kill -TERM "$kiosk"
wait "$kiosk"
st=$?
kiosk=
[ "$st" -eq 0 ] && ok || bad "SIGTERM ends the kiosk with 0, not $st: $(cat "$T/kiosk.err")"
"$IKRAR" audit --data "$D" >"$T/out" 2>&1 && ok || bad "audit: $(cat "$T/out")"
grep -Eq "^ +(Catatan|Records) +1$" "$T/out" && ok || bad "one record in the log: $(cat "$T/out")"

echo "cli_kiosk_xvfb: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
