#!/usr/bin/env bash
# cli_fulldisk: `ikrar sign` on a small disk with 0 to 64 KiB left, 4 KiB at a time, so that
# the disk fills at every point of a signing in turn: SQLite's -shm file growing, the
# write-ahead file, the head beside the log.  Each signing either succeeds whole (its number,
# its receipt, the head moved) or is refused naming the full disk, with nothing committed,
# no receipt and nothing left behind; once space is freed the next signing goes through.
set -u
IKRAR=${1:?usage: tests/cli/fulldisk.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" fulldisk
MNT=$T/disk
if ! small_disk "$MNT" 1m; then
    if [ "${CI:-}" = true ]; then
        bad "could not mount a small tmpfs (CI runs as root)"
        finish
        exit
    fi
    echo "SKIP: the full disk needs root to mount a tmpfs"
    exit 77
fi
B=$T/base
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
"$IKRAR" init --data "$B" --event rapat-2026 --title "Deklarasi" --kiosk aula-1 --pin 246810 \
    >/dev/null 2>&1 || bad "init"
for i in 1 2 3; do
    "$IKRAR" sign --data "$B" --name "Penanda $i" --status PNS --nip "19850330201001100$i" \
        --pos Analis --unit Bappeda --ink "$T/ink.json" >/dev/null 2>&1 || bad "sign $i"
done
D=$MNT/d
# The records, write-ahead file included (read once the disk has room again).
count() { sqlite3 -readonly "$D/ikrar.db" "SELECT count(*) FROM record"; }
# leave KIB: fills the disk until exactly KIB KiB are free (tmpfs counts whole 4 KiB pages).
leave() {
    rm -f "$MNT/fill"
    local avail
    avail=$(df -B1 --output=avail "$MNT" | tail -n 1)
    [ "$avail" -gt $(($1 * 1024)) ] && head -c $((avail - $1 * 1024)) /dev/zero >"$MNT/fill"
    [ "$(df -B1 --output=avail "$MNT" | tail -n 1)" -eq $(($1 * 1024)) ] ||
        bad "could not leave $1 KiB free"
}

refused=0
signed=0
for kib in $(seq 0 4 64); do
    rm -rf "$D" "$MNT/fill" "$T/r.png"
    cp -a "$B" "$D"
    head_before=$(cat "$D/head.txt")
    leave "$kib"
    lang=en
    [ $((kib % 8)) -eq 4 ] && lang=id
    "$IKRAR" sign --data "$D" --name "Penanda 4" --status PNS --nip 198503302010011004 \
        --pos Analis --unit Bappeda --ink "$T/ink.json" --receipt-png "$T/r.png" --lang $lang \
        >"$T/out" 2>"$T/err" </dev/null
    got=$?
    rm -f "$MNT/fill"
    if grep -qi "I/O" "$T/err"; then bad "$kib KiB free: said I/O error: $(cat "$T/err")"; else ok; fi
    if [ "$got" -eq 0 ]; then
        signed=$((signed + 1))
        grep -q "^Recorded as number 4\|^Tercatat sebagai nomor 4" "$T/out" && grep -q "^IK1:" "$T/out" &&
            [ -s "$T/r.png" ] && ok || bad "$kib KiB free: signed without its receipt: $(cat "$T/out" "$T/err")"
        [ "$(count)" = 4 ] && [ "$(sed -n 2p "$D/head.txt")" = 4 ] && ok ||
            bad "$kib KiB free: signed, but the log holds $(count) and the head $(sed -n 2p "$D/head.txt")"
    else
        refused=$((refused + 1))
        [ "$got" -eq 4 ] && ok || bad "$kib KiB free: exit $got, wanted 4"
        if [ $lang = en ]; then
            grep -q "The disk is full\|The disk filled up" "$T/err" && ok ||
                bad "$kib KiB free: the refusal does not name the full disk: $(cat "$T/err")"
        else
            grep -q "Penyimpanan penuh" "$T/err" && ok ||
                bad "$kib KiB free: the refusal does not name the full disk: $(cat "$T/err")"
        fi
        [ ! -s "$T/out" ] && [ ! -e "$T/r.png" ] && ok ||
            bad "$kib KiB free: refused, yet told a number or gave a receipt: $(cat "$T/out")"
        [ "$(count)" = 3 ] && ok || bad "$kib KiB free: refused, yet the log holds $(count)"
        [ "$(cat "$D/head.txt")" = "$head_before" ] && ok || bad "$kib KiB free: the head moved"
        # With the space back, the same signer signs: nothing was half done.
        "$IKRAR" sign --data "$D" --name "Penanda 4" --status PNS --nip 198503302010011004 \
            --pos Analis --unit Bappeda --ink "$T/ink.json" --lang en >"$T/out" 2>"$T/err" </dev/null &&
            grep -q "^Recorded as number 4" "$T/out" && ok ||
            bad "$kib KiB free: after freeing space: $(cat "$T/out" "$T/err")"
    fi
    ls "$D" | grep -q '\.tmp$' && bad "$kib KiB free: a temporary file is left: $(ls "$D")" || ok
    "$IKRAR" audit --data "$D" --lang en >"$T/out" 2>&1 && ok || bad "$kib KiB free: audit: $(cat "$T/out")"
done
echo "of 17 signings, $signed went through and $refused were refused"
# The sweep crosses the line: the smallest disks refuse, the largest sign.
[ "$refused" -gt 0 ] && [ "$signed" -gt 0 ] && ok || bad "the sweep never crossed from refused to signed"
finish
