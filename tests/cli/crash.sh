#!/usr/bin/env bash
# cli_crash: the crash harness.  SIGKILL at random points of `ikrar sign`, `ikrar checkpoint`,
# `ikrar init` and the kiosk (its script mode, headless), and at every system call of a signing (strace --inject=SYSCALL:signal=SIGKILL
# :when=N, walking N), each followed by the checks: every record whose receipt was printed is
# still there under its number with the same leaf, and its receipt verifies against the folder;
# the folder signs on (a crash alone never leaves a folder refused); `audit` agrees.  Then
# deliberate damage (the WAL lost or cut while it held acknowledged records, an older database
# put back) must each be refused before anything is signed.
#
# Brief by default (CI, well under a minute).  At length:
#   bash scripts/crash-soak.sh --minutes 30
# which runs this script with IKRAR_CRASH_SECONDS=1800 IKRAR_CRASH_STRACE_STEP=1.
# The last line gives the figures: kills, acknowledged records, lost (must be 0), unusable
# folders (must be 0), damaged logs refused (must be all).
set -u
IKRAR=${1:?usage: tests/cli/crash.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" crash
SECONDS_FOR=${IKRAR_CRASH_SECONDS:-14} # spread over the random kills of sign, checkpoint, init, kiosk
STEP=${IKRAR_CRASH_STRACE_STEP:-8}     # strace walk: every STEP-th invocation of each syscall
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"

kills=0 kill_sign=0 kill_ckpt=0 kill_init=0 kill_kiosk=0 kill_strace=0 acked=0 lost=0 unusable=0
damaged=0 damaged_refused=0 n=0
: >"$T/acked" # "seq leafhex" of every record whose receipt was printed
: >"$T/receipts"

init() { "$IKRAR" init --data "$1" --event rapat-2026 --title "Deklarasi" --kiosk aula-1 --pin 246810 --lang en; }
rand_sleep() { sleep "$(printf '0.%03d' $((RANDOM % $1)))"; }
leaf_of() { sqlite3 -readonly "$1/ikrar.db" "SELECT hex(leaf) FROM record WHERE seq=$2"; }

# note_ack DIR OUT: the run that wrote OUT printed a receipt: remember its record.
note_ack() {
    local seq
    grep -q '^IK1:' "$2" || return 0
    seq=$(sed -n 's/^Recorded as number \([0-9]*\),.*/\1/p' "$2")
    [ -n "$seq" ] || { bad "a receipt without its number: $(cat "$2")"; return 0; }
    acked=$((acked + 1))
    echo "$seq $(leaf_of "$1" "$seq")" >>"$T/acked"
    grep '^IK1:' "$2" >>"$T/receipts"
}
# check_acked DIR: every acknowledged record is still there with the same leaf (one query).
check_acked() {
    local missing
    sqlite3 -readonly "$1/ikrar.db" "SELECT seq || ' ' || hex(leaf) FROM record" 2>/dev/null | sort >"$T/now"
    sort "$T/acked" >"$T/acked.sorted"
    missing=$(comm -23 "$T/acked.sorted" "$T/now")
    if [ -n "$missing" ]; then
        lost=$((lost + $(echo "$missing" | wc -l)))
        bad "acknowledged records gone or changed (seq leaf): $missing"
        # count each loss once
        comm -12 "$T/acked.sorted" "$T/now" >"$T/acked"
    fi
}
# sign_ok DIR: the folder is usable: a plain signing succeeds (and is acknowledged).
sign_ok() {
    n=$((n + 1))
    if "$IKRAR" sign --data "$1" --name "Penanda $n" --status NON-ASN --ink "$T/ink.json" --lang en >"$T/s.out" 2>"$T/s.err"; then
        note_ack "$1" "$T/s.out"
        ok
    else
        unusable=$((unusable + 1))
        bad "the folder is not usable after a crash: $(cat "$T/s.err")"
    fi
}
# after_kill DIR OUT: the checks after one kill.
after_kill() {
    kills=$((kills + 1))
    note_ack "$1" "$2"
    check_acked "$1"
    sign_ok "$1"
}

D=$T/d
expect 0 "init" -- init "$D"
end=$((SECONDS + SECONDS_FOR * 3 / 10))

# --- random SIGKILLs of sign ---
while [ "$SECONDS" -lt "$end" ]; do
    n=$((n + 1))
    "$IKRAR" sign --data "$D" --name "Penanda $n" --status NON-ASN --ink "$T/ink.json" --lang en >"$T/k.out" 2>"$T/k.err" &
    pid=$!
    rand_sleep 40
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    kill_sign=$((kill_sign + 1))
    after_kill "$D" "$T/k.out"
done

# --- random SIGKILLs of checkpoint ---
end=$((SECONDS + SECONDS_FOR * 2 / 10))
while [ "$SECONDS" -lt "$end" ]; do
    "$IKRAR" checkpoint --data "$D" --lang en >"$T/k.out" 2>"$T/k.err" &
    pid=$!
    rand_sleep 30
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    kill_ckpt=$((kill_ckpt + 1))
    : >"$T/k.out" # a checkpoint prints no receipt
    after_kill "$D" "$T/k.out"
done

# --- random SIGKILLs of init: the target is absent (init again) or complete ---
end=$((SECONDS + SECONDS_FOR * 3 / 10))
i=0
while [ "$SECONDS" -lt "$end" ]; do
    i=$((i + 1))
    I=$T/init-$i
    # Every other one into an existing empty folder (a mount point, /var/lib/ikrar).
    [ $((i % 2)) -eq 0 ] && mkdir "$I"
    "$IKRAR" init --data "$I" --event rapat-2026 --title "Deklarasi" --kiosk aula-1 --pin 246810 >/dev/null 2>&1 &
    pid=$! # ikrar itself, not a shell around it
    rand_sleep 400
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    kill_init=$((kill_init + 1))
    kills=$((kills + 1))
    if [ -f "$I/head.txt" ]; then
        # complete: it signs, and a second init is refused
        if init "$I" >/dev/null 2>&1; then bad "init over a complete folder $I"; else ok; fi
    elif init "$I" >/dev/null 2>"$T/i.err"; then
        ok # absent or unfinished: init could run again
    else
        unusable=$((unusable + 1))
        bad "after a killed init, $I is neither complete nor re-initialisable: $(cat "$T/i.err"); $(ls -A "$I")"
        continue
    fi
    "$IKRAR" sign --data "$I" --name "Penanda" --status NON-ASN --ink "$T/ink.json" --lang en >/dev/null 2>"$T/i.err" &&
        ok || {
        unusable=$((unusable + 1))
        bad "$I does not sign: $(cat "$T/i.err")"
    }
    rm -rf "$I"
done
ls -A "$T" | grep -q '^\.init-.*init-' && bad "stages left beside: $(ls -A "$T")" || ok

# --- random SIGKILLs of the kiosk signing through its script mode (headless) ---
# tests/kiosk/scripts/signing.kiosk with the NIP's serial (its last three digits) made k, so each
# run is a new signer; every receipt the Done screen showed (IKRAR_KIOSK_RECEIPTS) is acknowledged.
KS=$(dirname "${BASH_SOURCE[0]}")/../kiosk/scripts/signing.kiosk
end=$((SECONDS + SECONDS_FOR * 2 / 10))
k=0
while [ "$SECONDS" -lt "$end" ] && [ "$k" -lt 999 ]; do
    k=$((k + 1))
    awk -v serial="$(printf '%03d' "$k")" '/^tap key\./ { n++; if (n >= 16) sub(/key\.[0-9]/, "key." substr(serial, n - 15, 1)) } { print }' \
        "$KS" >"$T/k.kiosk"
    : >"$T/kr"
    IKRAR_KIOSK_RECEIPTS=$T/kr "$IKRAR" kiosk --data "$D" --window 1280x800 --script "$T/k.kiosk" --shots "$T/shots" >/dev/null 2>&1 &
    pid=$!
    rand_sleep 999
    sleep "$((RANDOM % 2))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    kill_kiosk=$((kill_kiosk + 1))
    kills=$((kills + 1))
    while read -r r; do
        acked=$((acked + 1))
        echo "$r" >>"$T/receipts"
        "$IKRAR" verify --data "$D" --text "$r" --lang en >/dev/null 2>"$T/v.err" && ok || {
            lost=$((lost + 1))
            bad "a receipt the kiosk showed does not verify after its kill: $(cat "$T/v.err")"
        }
    done <"$T/kr"
    check_acked "$D"
    sign_ok "$D"
done

# --- SIGKILL at every STEP-th invocation of every system call a signing makes ---
if command -v strace >/dev/null; then
    n=$((n + 1))
    strace -f -qq -c -o "$T/census" "$IKRAR" sign --data "$D" --name "Penanda $n" --status NON-ASN --ink "$T/ink.json" --lang en >"$T/k.out" 2>/dev/null
    note_ack "$D" "$T/k.out"
    # "calls syscall" for each syscall the signing made
    awk '$NF ~ /^[a-z_0-9]+$/ && $(NF-1) ~ /^[0-9]+$/ && $NF != "total" { print $(NF-1), $NF }
         $NF ~ /^[a-z_0-9]+$/ && $(NF-2) ~ /^[0-9]+$/ && $(NF-1) ~ /^[0-9]+$/ && $NF != "total" { print $(NF-2), $NF }' \
        "$T/census" | sort -u -k2,2 >"$T/calls"
    while read -r calls sc; do
        for ((w = 1; w <= calls; w += STEP)); do
            n=$((n + 1))
            # In a subshell that outlives it: strace dies of the tracee's SIGKILL, and the shell
            # that waits for it says so.
            (strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc":signal=SIGKILL:when=$w \
                "$IKRAR" sign --data "$D" --name "Penanda $n" --status NON-ASN --ink "$T/ink.json" --lang en >"$T/k.out" 2>/dev/null
                :) 2>/dev/null
            kill_strace=$((kill_strace + 1))
            after_kill "$D" "$T/k.out"
        done
    done <"$T/calls"
else
    echo "SKIP: no strace, no walk over system calls"
fi

# --- every printed receipt verifies against the folder; audit agrees ---
while read -r r; do
    "$IKRAR" verify --data "$D" --text "$r" --lang en >/dev/null 2>"$T/v.err" && ok || {
        lost=$((lost + 1))
        bad "a printed receipt no longer verifies: $(cat "$T/v.err")"
    }
done <"$T/receipts"
expect 0 "audit after the crashes" -- "$IKRAR" audit --data "$D" --lang en
has out "INTACT" "the crashed-into folder audits clean"

# --- deliberate damage after acknowledged signings: each is refused before it signs ---
# damage_round KIND: a copy of D, records acknowledged while a connection keeps them in the WAL,
# that connection killed, then the damage.
damage_round() {
    local kind=$1 C=$T/dmg-$1 before
    rm -rf "$C" && cp -a "$D" "$C"
    cp "$C/ikrar.db" "$T/older.db"
    mkfifo "$T/fifo"
    sqlite3 "$C/ikrar.db" <"$T/fifo" >/dev/null 2>&1 &
    local hold=$!
    exec 3>"$T/fifo"
    echo "SELECT count(*) FROM record;" >&3
    sleep 0.2
    for k in 1 2; do
        "$IKRAR" sign --data "$C" --name "Damage $kind $k" --status NON-ASN --ink "$T/ink.json" --lang en >/dev/null 2>&1 ||
            bad "sign before damage $kind"
    done
    kill -9 "$hold"
    wait "$hold" 2>/dev/null
    exec 3>&-
    rm -f "$T/fifo"
    case $kind in
    wal-deleted) rm -f "$C/ikrar.db-wal" "$C/ikrar.db-shm" ;;
    wal-truncated) truncate -s $(($(stat -c %s "$C/ikrar.db-wal") / 2)) "$C/ikrar.db-wal" ;;
    wal-garbled) python3 -c "
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[-200] ^= 0xff; open(p, 'wb').write(b)" "$C/ikrar.db-wal" ;;
    older-db) rm -f "$C/ikrar.db-wal" "$C/ikrar.db-shm" && cp "$T/older.db" "$C/ikrar.db" ;;
    esac
    damaged=$((damaged + 1))
    before=$(sqlite3 -readonly "$C/ikrar.db" "SELECT count(*) FROM record" 2>/dev/null)
    if "$IKRAR" sign --data "$C" --name "After $kind" --status NON-ASN --ink "$T/ink.json" --lang en >"$T/d.out" 2>"$T/d.err"; then
        bad "damage $kind was not refused: $(cat "$T/d.out")"
    elif grep -q "Restore the log from a backup" "$T/d.err" && ! grep -q IK1: "$T/d.out" &&
        [ "$(sqlite3 -readonly "$C/ikrar.db" "SELECT count(*) FROM record" 2>/dev/null)" = "$before" ]; then
        damaged_refused=$((damaged_refused + 1))
        ok
    else
        bad "damage $kind refused without the restore advice: $(cat "$T/d.err")"
    fi
    "$IKRAR" audit --data "$C" --lang en >"$T/d.out" 2>&1 && bad "audit passes damage $kind" || ok
    rm -rf "$C"
}
for kind in wal-deleted wal-truncated wal-garbled older-db; do damage_round "$kind"; done

echo "crash figures: kills=$kills (sign $kill_sign, checkpoint $kill_ckpt, init $kill_init, kiosk $kill_kiosk, strace $kill_strace)" \
    "acknowledged=$acked lost=$lost unusable=$unusable damaged_refused=$damaged_refused/$damaged"
[ "$lost" -eq 0 ] && [ "$unusable" -eq 0 ] && [ "$damaged_refused" -eq "$damaged" ] && ok || bad "the figures"
finish
