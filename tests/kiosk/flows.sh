#!/usr/bin/env bash
# cli_kiosk_flows: the kiosk's screens played headless through `ikrar kiosk --script`, the
# same event loop a touchscreen feeds: a signing, every kind of refusal a signer can meet,
# the duplicate NIP, the idle countdown and wipe, the language switch, the organiser's PIN
# (wrong, locked, right) and menu, and a full disk.  Then screenshots of every screen at
# 800x480, 1280x800 and 1080x1920 (kept in $IKRAR_SHOTS when set, for a person to look
# at), each of the right size, and the Done screen's QR read back by zbarimg; and a roster
# imported with `ikrar roster import`: details filled in, "Bukan saya?", the progress chart.
set -u
IKRAR=${1:?usage: tests/kiosk/flows.sh path/to/ikrar}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
S=$HERE/scripts
T=$(mktemp -d /tmp/ikrar-flows-XXXXXX)
MNT=$T/small-disk
cleanup() {
    mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"
    rm -rf "$T"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
export IKRAR_RENDERER=software

new_folder() {
    "$IKRAR" init --data "$1" --event pilkada-2024 --title "Deklarasi Netralitas ASN" \
        --kiosk aula-1 --pin 246810 >/dev/null 2>&1 || bad "init $1"
}
# play NAME FOLDER SCRIPT... : runs the scripts (joined) on the folder; passes when it exits 0.
play() {
    local name=$1 dir=$2
    shift 2
    cat "$@" >"$T/$name.kiosk"
    if "$IKRAR" kiosk --data "$dir" --window 1280x800 --script "$T/$name.kiosk" \
        --shots "$T/shots-$name" >"$T/$name.out" 2>&1; then
        ok
    else
        bad "$name: $(cat "$T/$name.out")"
    fi
}
records() { sqlite3 "$1/ikrar.db" "SELECT count(*) FROM record"; }

D=$T/event
new_folder "$D"
play signing "$D" "$S/signing.kiosk"
[ "$(records "$D")" = 1 ] && ok || bad "the signing is in the log"
play validation "$D" "$S/validation.kiosk"
play duplicate "$D" "$S/duplicate.kiosk"
play idle "$D" "$S/to-details.kiosk" "$S/idle.kiosk"
play language "$D" "$S/language.kiosk"
play admin "$D" "$S/admin.kiosk"
# In kiosk mode the window's close button and Alt+F4 do not quit; in a window they do.
printf 'screen welcome\nkey QUIT\nkey ESCAPE\nscreen welcome\n' >"$T/quit.kiosk"
"$IKRAR" kiosk --data "$D" --fullscreen --script "$T/quit.kiosk" >"$T/quit.out" 2>&1 &&
    ok || bad "kiosk mode ignores Alt+F4: $(cat "$T/quit.out")"
"$IKRAR" kiosk --data "$D" --script "$T/quit.kiosk" >"$T/quit.out" 2>&1 &&
    bad "in a window Alt+F4 should quit before the script's end" || ok
[ -f "$D/checkpoint-final-1.txt" ] && ok || bad "closing the event saved a final checkpoint"
[ "$(records "$D")" = 1 ] && ok || bad "no refused signer was recorded"
"$IKRAR" audit --data "$D" >/dev/null 2>&1 && ok || bad "the log audits after the flows"

# A full disk: a small filesystem, filled up once the kiosk's folder is in it.
if mkdir -p "$MNT" && mount -t tmpfs -o size=1m tmpfs "$MNT" 2>/dev/null; then
    new_folder "$MNT/d"
    avail=$(df -B1 --output=avail "$MNT" | tail -n 1)
    # Leave room for SQLite's shared-memory file only: the first write of a record must fail.
    dd if=/dev/zero of="$MNT/fill" bs=4096 count=$(((avail - 36864) / 4096)) 2>/dev/null
    play fulldisk "$MNT/d" "$S/to-details.kiosk" "$S/fulldisk.kiosk"
    [ "$(records "$MNT/d")" = 0 ] && ok || bad "nothing was recorded on the full disk"
    rm -f "$MNT/fill"
    "$IKRAR" audit --data "$MNT/d" >/dev/null 2>&1 && ok || bad "the log is intact after the full disk"
    # Then the disk filling at each point of a signing: 0 to 64 KiB left, 8 KiB at a time (every
    # 4 KiB is swept by tests/cli/fulldisk.sh, on the same code; a kiosk run costs more).
    new_folder "$T/sweep"
    refused=0
    signed=0
    unstarted=0
    for kib in $(seq 0 8 64); do
        rm -rf "$MNT/d" "$MNT/fill"
        cp -a "$T/sweep" "$MNT/d"
        avail=$(df -B1 --output=avail "$MNT" | tail -n 1)
        [ "$avail" -gt $((kib * 1024)) ] && head -c $((avail - kib * 1024)) /dev/zero >"$MNT/fill"
        cat "$S/to-details.kiosk" "$S/fulldisk-sweep.kiosk" >"$T/sweep.kiosk"
        "$IKRAR" kiosk --data "$MNT/d" --window 1280x800 --script "$T/sweep.kiosk" \
            --shots "$T/shots-sweep-$kib" >"$T/sweep.out" 2>&1
        got=$?
        rm -f "$MNT/fill"
        n=$(sqlite3 -readonly "$MNT/d/ikrar.db" "SELECT count(*) FROM record")
        if [ "$got" -ne 0 ]; then
            # Too full to open the log at all: the kiosk does not start, and says why (its
            # service tries again every 2 s).
            unstarted=$((unstarted + 1))
            grep -q "^ikrar: Penyimpanan penuh" "$T/sweep.out" && ! grep -q "^screen" "$T/sweep.out" &&
                [ "$n" = 0 ] && ok || bad "$kib KiB free: exit $got: $(cat "$T/sweep.out")"
        elif grep -q "^screen error" "$T/sweep.out"; then
            refused=$((refused + 1))
            [ "$n" = 0 ] && ok || bad "$kib KiB free: the signer was refused, yet the log holds $n"
        elif grep -q "^screen done" "$T/sweep.out"; then
            signed=$((signed + 1))
            [ "$n" = 1 ] && [ "$(sed -n 2p "$MNT/d/head.txt")" = 1 ] && ok ||
                bad "$kib KiB free: the signer was thanked, yet the log holds $n"
        else
            bad "$kib KiB free: neither done nor refused: $(cat "$T/sweep.out")"
        fi
        "$IKRAR" audit --data "$MNT/d" >/dev/null 2>&1 && ok || bad "$kib KiB free: the log does not audit"
    done
    # Refused on a full disk, then "Coba lagi" once room is made: the same signer is signed.
    # The script comes through a FIFO, so that the room is made while the kiosk waits.
    rm -rf "$MNT/d" "$MNT/fill" "$T/retry.fifo"
    cp -a "$T/sweep" "$MNT/d"
    avail=$(df -B1 --output=avail "$MNT" | tail -n 1)
    head -c $((avail - 40 * 1024)) /dev/zero >"$MNT/fill"
    mkfifo "$T/retry.fifo"
    "$IKRAR" kiosk --data "$MNT/d" --window 1280x800 --script - <"$T/retry.fifo" >"$T/retry.out" 2>&1 &
    kpid=$!
    exec 4>"$T/retry.fifo"
    { cat "$S/to-details.kiosk"; sed -n '/^screen details/,/^print-screen/p' "$S/fulldisk-sweep.kiosk"; } >&4
    for _ in $(seq 1 500); do grep -q "^screen" "$T/retry.out" && break; sleep 0.02; done
    grep -q "^screen error" "$T/retry.out" && ok || bad "40 KiB free should refuse: $(cat "$T/retry.out")"
    rm -f "$MNT/fill"
    printf 'tap retry\nscreen done\nexpect Terima kasih\n' >&4
    exec 4>&-
    wait "$kpid" && ok || bad "Coba lagi after making room: $(cat "$T/retry.out")"
    [ "$(sqlite3 -readonly "$MNT/d/ikrar.db" "SELECT count(*) FROM record")" = 1 ] && ok ||
        bad "Coba lagi should have stored the one signing"
    echo "full disk: of 9 kiosks, $unstarted did not start, $refused refused the signer, $signed signed"
    [ "$refused" -gt 0 ] && [ "$signed" -gt 0 ] && ok ||
        bad "the full-disk sweep never crossed from refused ($refused) to signed ($signed)"
elif [ "${CI:-}" = true ]; then
    bad "could not mount a small tmpfs for the full-disk flow (CI runs as root)"
else
    echo "SKIP: full-disk flow (mounting a tmpfs needs root)"
fi

# The event's logo: any PNG in the data folder as logo.png; a broken one is left out, not fatal.
L=$T/logo
new_folder "$L"
printf '{"w":100,"h":50,"s":[[1,2,0,30,40,16]]}' >"$T/ink.json"
"$IKRAR" sign --data "$L" --name Logo --status NON-ASN --ink "$T/ink.json" --receipt-png "$L/logo.png" >/dev/null 2>&1
printf 'screen welcome\nshot logo\ntap start\nscreen declaration\n' >"$T/logo.kiosk"
"$IKRAR" kiosk --data "$L" --script "$T/logo.kiosk" --shots "$T/logo-shots" >"$T/logo.out" 2>&1 &&
    [ -f "$T/logo-shots/logo.png" ] && ok || bad "a kiosk with a logo: $(cat "$T/logo.out")"
head -c 300 /dev/urandom >"$L/logo.png"
"$IKRAR" kiosk --data "$L" --script "$T/logo.kiosk" --shots "$T/logo-shots" >"$T/logo.out" 2>&1 &&
    ok || bad "a broken logo stopped the kiosk: $(cat "$T/logo.out")"

printf 'screen welcome\n' >"$T/w.kiosk"

# A printer: the paper receipt goes out after the record is durable and scans back.
P=$T/printed
new_folder "$P"
mkdir -p "$P/paper"
"$IKRAR" kiosk --data "$P" --printer "file:$P/paper" --script "$S/signing.kiosk" --shots "$T/print-shots" \
    >"$T/print.out" 2>&1 &&
    grep -q . "$P/paper/receipt-1.png" && ok || bad "a kiosk with a file: printer: $(cat "$T/print.out")"
if command -v zbarimg >/dev/null; then
    zbarimg --raw -q "$P/paper/receipt-1.png" 2>/dev/null | grep -q '^IK1:' && ok || bad "the printed receipt does not scan"
fi
[ "$(sqlite3 "$P/ikrar.db" 'SELECT printed FROM record WHERE seq = 1')" = 1 ] && ok || bad "the record is marked printed"
"$IKRAR" kiosk --data "$P" --printer "bogus:thing" --script "$T/w.kiosk" >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "a malformed printer URI is a usage error"

# An encrypted key and no terminal to ask on: refused before any window opens.
printf 'kata sandi panjang\n' >"$T/pass"
"$IKRAR" init --data "$T/enc" --event e --title T --kiosk k --pin 246810 --passphrase-file "$T/pass" >/dev/null 2>&1
"$IKRAR" kiosk --data "$T/enc" --script "$T/w.kiosk" </dev/null >/dev/null 2>"$T/enc.err"
[ $? -eq 2 ] && grep -q "passphrase-file" "$T/enc.err" && ok || bad "encrypted key without a terminal: $(cat "$T/enc.err")"
"$IKRAR" kiosk --data "$T/enc" --script "$T/w.kiosk" --passphrase-file "$T/pass" >/dev/null 2>&1 &&
    ok || bad "encrypted key with its passphrase file"

# Every screen at three sizes.
# A PNG's width and height, from its IHDR chunk.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print ($2*65536+$3*256+$4) "x" ($6*65536+$7*256+$8)}'; }
OUT=${IKRAR_SHOTS:-$T/screens}
for size in 800x480 1280x800 1080x1920; do
    F=$T/shots-$size
    new_folder "$F"
    mkdir -p "$OUT/$size"
    printf 'tap finish\n' >"$T/glue1.kiosk"
    # then the signer walks away: the countdown, and Welcome again
    printf 'wait 61000\nexpect Masih di sana?\nshot idle-countdown\nwait 10000\nscreen welcome\n' >"$T/glue2.kiosk"
    cat "$S/signing.kiosk" "$T/glue1.kiosk" "$S/duplicate.kiosk" "$T/glue2.kiosk" "$S/admin.kiosk" \
        >"$T/all.kiosk"
    if "$IKRAR" kiosk --data "$F" --window "$size" --script "$T/all.kiosk" --shots "$OUT/$size" \
        >"$T/all.out" 2>&1; then
        ok
    else
        bad "all screens at $size: $(tail -n 5 "$T/all.out")"
    fi
    n=0
    for png in "$OUT/$size"/*.png; do
        [ -f "$png" ] || continue
        n=$((n + 1))
        [ "$(png_size "$png")" = "$size" ] || bad "$png is $(png_size "$png"), not $size"
    done
    [ "$n" -ge 14 ] && ok || bad "only $n screenshots at $size"
    if command -v zbarimg >/dev/null; then
        zbarimg --raw -q "$OUT/$size/signing-done.png" 2>/dev/null | grep -q '^IK1:' && ok ||
            bad "the Done screen's QR does not scan at $size"
        zbarimg --raw -q "$OUT/$size/admin-reprint.png" 2>/dev/null | grep -q '^IK1:' && ok ||
            bad "the staff menu's receipt QR does not scan at $size"
        zbarimg --raw -q "$OUT/$size/admin-closed.png" 2>/dev/null | grep -q '^ikrar/pilkada-2024/aula-1$' && ok ||
            bad "the final checkpoint's QR does not scan at $size"
    fi
done

# A roster imported with the CLI: a known NIP fills in the details, "Bukan saya?", an unknown
# NIP, a status the roster disagrees with, and the staff's progress chart, at three sizes.
roster_folder() {
    new_folder "$1"
    # 128 bytes, the longest unit kerja there is
    local long="Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah Kabupaten Contoh Bidang Perekonomian, Sumber Daya Alam dan Infrastruktu"
    {
        echo 'NIP;Nama;Jabatan;Unit Kerja;Status'
        echo '198503302010012003;Siti Rahmawati, S.Pd.;Guru Ahli Pertama;Dinas Pendidikan;PNS'
        echo '198001012005011002;Budi Santoso, S.H.;Kepala Seksi Kurikulum;Dinas Pendidikan;PNS'
        echo '199001012022011001;Agus Salim;Penata Kelola Sistem;Dinas Kesehatan;PNS'
        echo ';Rina Marlina;Staf;Dinas Kesehatan;NON-ASN'
        for i in $(seq 10 39); do
            case $((i % 12)) in 0) u=$long ;; *) u="Kecamatan Nomor $((i % 12))" ;; esac
            echo "1980010120050110$i;Pegawai $i;Staf;$u;PNS"
        done
    } >"$T/roster.csv"
    "$IKRAR" roster import --data "$1" "$T/roster.csv" >/dev/null 2>&1 || bad "roster import into $1"
    printf '{"w":100,"h":50,"s":[[1,2,0,30,40,16]]}' >"$T/ink.json"
    # the three of Kecamatan Nomor 10, and a guest the roster does not know
    for i in 10 22 34; do
        "$IKRAR" sign --data "$1" --name "Pegawai $i" --status PNS --nip "1980010120050110$i" \
            --ink "$T/ink.json" >/dev/null 2>&1 || bad "sign Pegawai $i"
    done
    "$IKRAR" sign --data "$1" --name Tamu --status NON-ASN --unit Setda --ink "$T/ink.json" >/dev/null 2>&1 ||
        bad "sign a guest"
}
for size in 1280x800 800x480 1080x1920; do
    R=$T/roster-$size
    roster_folder "$R"
    mkdir -p "$OUT/$size"
    if "$IKRAR" kiosk --data "$R" --window "$size" --script "$S/roster.kiosk" --shots "$OUT/$size" \
        >"$T/roster.out" 2>&1; then
        ok
    else
        bad "the roster flow at $size: $(tail -n 20 "$T/roster.out")"
    fi
    for shot in roster-found roster-notme roster-letters roster-progress roster-progress-end; do
        [ "$(png_size "$OUT/$size/$shot.png" 2>/dev/null)" = "$size" ] && ok || bad "no $shot.png at $size"
    done
    [ "$(sqlite3 "$R/ikrar.db" "SELECT count(*) FROM record WHERE name = 'Budi Santoso, S.H.' AND pos = 'Kepala Seksi Bidang'")" = 1 ] &&
        ok || bad "Budi signed with the roster's name and his correction at $size"
done
# Without a roster the chart says how to import one.
printf 'press logo 3200\ntype 246810\ntap pin.ok\ntap admin.progress\nscreen progress\nexpect Belum ada daftar pegawai; impor dengan ikrar roster import\nexpect Sudah menandatangani: 1\nshot roster-none\n' >"$T/none.kiosk"
"$IKRAR" kiosk --data "$L" --window 1280x800 --script "$T/none.kiosk" --shots "$OUT/1280x800" >"$T/none.out" 2>&1 &&
    ok || bad "the chart without a roster: $(cat "$T/none.out")"

# "Salin ke USB": the backup and the signed roster bundle onto a stick (a folder named by
# IKRAR_USB_ROOTS, the tests' stand-in for /media/ikrar), both audited; none, several, gone.
UD=$T/usb-event
new_folder "$UD"
mkdir -p "$T/sticks/FLASHDISK" "$T/sticks/KINGSTON"
for size in 1280x800 800x480; do
    rm -rf "$T/sticks/FLASHDISK"/*
    # One signer first (once: the same NIP cannot sign again), then the copy.
    if [ "$size" = 1280x800 ]; then
        cat "$S/signing.kiosk" "$T/glue1.kiosk" "$S/usb.kiosk" >"$T/usb.kiosk"
    else
        cp "$S/usb.kiosk" "$T/usb.kiosk"
    fi
    if IKRAR_USB_ROOTS="$T/sticks/FLASHDISK" "$IKRAR" kiosk --data "$UD" --window "$size" --script "$T/usb.kiosk" \
        --shots "$OUT/$size" >"$T/usb.out" 2>&1; then ok; else bad "copy to USB at $size: $(tail -n 20 "$T/usb.out")"; fi
    for shot in usb-menu usb-progress usb-done; do
        [ "$(png_size "$OUT/$size/$shot.png" 2>/dev/null)" = "$size" ] && ok || bad "no $shot.png at $size"
    done
    copy=$(ls -d "$T/sticks/FLASHDISK"/ikrar-pilkada-2024-* 2>/dev/null)
    [ "$(printf '%s\n' "$copy" | grep -c .)" = 1 ] && ok || bad "one folder on the stick at $size: $copy"
    "$IKRAR" audit --data "$copy/backup" >"$T/usb-audit.out" 2>&1 && ok || bad "the backup on the stick audits: $(cat "$T/usb-audit.out")"
    [ "$(records "$copy/backup")" = "$(records "$UD")" ] && ok || bad "the backup holds every record"
    "$IKRAR" audit "$copy/bundle" >"$T/usb-audit.out" 2>&1 && ok || bad "the bundle on the stick audits: $(cat "$T/usb-audit.out")"
    [ -e "$copy/backup/kiosk.key" ] && bad "the kiosk copied its private key to the stick" || ok
    ls "$T/sticks/FLASHDISK" | grep -q partial && bad "a partial folder stayed on the stick" || ok
done
grep -q 'ikrar: admin action=usb-copy' "$T/usb.out" && ok || bad "the copy is in the operational log"
# No stick: says to plug one in.  Several: staff choose.  A stick gone: a clear failure, data untouched.
printf 'press logo 3200\ntype 246810\ntap pin.ok\ntap admin.usb\nscreen usb\nexpect Colokkan flashdisk\nshot usb-none\n' >"$T/usb-none.kiosk"
IKRAR_USB_ROOTS="" "$IKRAR" kiosk --data "$UD" --window 1280x800 --script "$T/usb-none.kiosk" --shots "$OUT/1280x800" >"$T/usb.out" 2>&1 &&
    ok || bad "no stick: $(tail -n 20 "$T/usb.out")"
printf 'press logo 3200\ntype 246810\ntap pin.ok\ntap admin.usb\nexpect Pilih tujuan\nexpect KINGSTON\nshot usb-pick\ntap usb.1\nawait Flashdisk aman dicabut\n' >"$T/usb-pick.kiosk"
IKRAR_USB_ROOTS="$T/sticks/FLASHDISK:$T/sticks/KINGSTON" "$IKRAR" kiosk --data "$UD" --window 1280x800 --script "$T/usb-pick.kiosk" --shots "$OUT/1280x800" >"$T/usb.out" 2>&1 &&
    ok || bad "two sticks: $(tail -n 20 "$T/usb.out")"
[ -n "$(ls -d "$T/sticks/KINGSTON"/ikrar-pilkada-2024-* 2>/dev/null)" ] && ok || bad "the chosen stick got the copy"
before=$(sha256sum "$UD/ikrar.db")
printf 'press logo 3200\ntype 246810\ntap pin.ok\ntap admin.usb\nawait gagal\nexpect data kiosk tidak berubah\nshot usb-failed\n' >"$T/usb-gone.kiosk"
IKRAR_USB_ROOTS="$T/sticks/PULLED" "$IKRAR" kiosk --data "$UD" --window 1280x800 --script "$T/usb-gone.kiosk" --shots "$OUT/1280x800" >"$T/usb.out" 2>&1 &&
    ok || bad "a stick gone: $(tail -n 20 "$T/usb.out")"
[ "$(sha256sum "$UD/ikrar.db")" = "$before" ] && ok || bad "a failed copy changed the kiosk's data"

# Issue 12: the quickest real ways, on an event read aloud together with the demo roster; each
# ends on Done with a receipt that verifies, in the touches docs/kiosk.md states.
F=$T/fast
"$IKRAR" init --data "$F" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 \
    --pin 246810 --read-together >/dev/null 2>&1 || bad "init --read-together"
"$IKRAR" roster import --data "$F" "$HERE/../../assets/demo/roster.csv" >/dev/null 2>&1 ||
    bad "the demo roster imports"
for run in "fast-roster 10" "fast-new 19"; do
    set -- $run
    for size in 1280x800 800x480 1080x1920; do
        G=$T/fast-$1-$size
        cp -a "$F" "$G"
        rm -f "$T/receipts"
        if IKRAR_KIOSK_RECEIPTS=$T/receipts "$IKRAR" kiosk --data "$G" --window "$size" \
            --script "$S/$1.kiosk" --shots "$OUT/$size" >"$T/$1.out" 2>&1; then
            ok
        else
            bad "$1 at $size: $(tail -n 20 "$T/$1.out")"
        fi
        grep -q "^script: $2 touches and keys" "$T/$1.out" && ok ||
            bad "$1 at $size took other than $2 touches: $(grep '^script:' "$T/$1.out")"
        "$IKRAR" verify --data "$G" --text "$(head -n 1 "$T/receipts" 2>/dev/null)" >/dev/null 2>&1 &&
            ok || bad "$1 at $size: the receipt on Done verifies"
    done
done
# Without --read-together the declaration is paged: agree says why until its end.
printf 'tap start\ntap agree\nscreen declaration\nexpect Tombol setuju aktif setelah\n' >"$T/why.kiosk"
new_folder "$T/why"
"$IKRAR" kiosk --data "$T/why" --window 1280x800 --script "$T/why.kiosk" >"$T/why.out" 2>&1 &&
    ok || bad "agree touched early: $(cat "$T/why.out")"

# The demo's headless tour (scripts/demo.sh) on a folder like the demo's: the demo roster in it.
new_folder "$T/tour"
"$IKRAR" roster import --data "$T/tour" "$HERE/../../assets/demo/roster.csv" >/dev/null 2>&1 ||
    bad "the demo roster imports for the tour"
"$IKRAR" kiosk --data "$T/tour" --window 1280x800 --script "$HERE/../../assets/demo/tour.kiosk" \
    --shots "$T/tour-shots" >"$T/tour.out" 2>&1 && ok || bad "the demo tour: $(tail -n 20 "$T/tour.out")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
