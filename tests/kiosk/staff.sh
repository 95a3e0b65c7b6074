#!/usr/bin/env bash
# kiosk_staff: the staff's tools of issue 12 played headless through `ikrar kiosk --script`:
# closing the event asks for the PIN again and a confirmation that names the consequence (a
# wrong PIN, Cancel and "Batal" leave it open, from any process); "Cetak ulang struk" finds any
# record by number or NIP and prints it on a file: printer (the receipt scans back and
# verifies, the record is marked printed, the NIP never reaches the log), and says when a
# number or a NIP is not there; a roster's unit opens who of it has not signed; "Panggil
# petugas" shows its badge until the PIN answers it, with one line in the log per call.
# Every script runs at 1280x800, 800x480 and 1080x1920; screenshots go to $IKRAR_SHOTS/staff
# when set, for a person to look at.
set -u
IKRAR=${1:?usage: tests/kiosk/staff.sh path/to/ikrar}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
S=$HERE/scripts
. "$HERE/../common/harness.sh" kiosk-staff
export IKRAR_RENDERER=software
OUT=${IKRAR_SHOTS:+$IKRAR_SHOTS/staff}
OUT=${OUT:-$T/shots}
SIZES="1280x800 800x480 1080x1920"
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print ($2*65536+$3*256+$4) "x" ($6*65536+$7*256+$8)}'; }
printf '{"w":100,"h":50,"s":[[1,2,0,30,40,16]]}' >"$T/ink.json"

new_folder() {
    "$IKRAR" init --data "$1" --event pilkada-2024 --title "Deklarasi Netralitas ASN" \
        --kiosk aula-1 --pin 246810 >/dev/null 2>&1 || bad "init $1"
}
sign() { # FOLDER NAME STATUS [NIP] [UNIT]
    local d=$1 name=$2 st=$3 nip=${4:-} unit=${5:-}
    "$IKRAR" sign --data "$d" --name "$name" --status "$st" ${nip:+--nip "$nip"} ${unit:+--unit "$unit"} \
        --ink "$T/ink.json" >/dev/null 2>&1 || bad "sign $name into $d"
}
# play NAME FOLDER SIZE SCRIPT [kiosk options...]: the script at that size; its output in $T/NAME.out.
play() {
    local name=$1 dir=$2 size=$3 script=$4
    shift 4
    if "$IKRAR" kiosk --data "$dir" --window "$size" --script "$script" --shots "$OUT/$size" "$@" \
        >"$T/$name.out" 2>&1; then
        ok
    else
        bad "$name at $size: $(tail -n 25 "$T/$name.out")"
    fi
}
shots() { # SIZE NAME...: each screenshot was written at its size
    local size=$1
    shift
    for shot in "$@"; do
        [ "$(png_size "$OUT/$size/$shot.png" 2>/dev/null)" = "$size" ] && ok || bad "no $shot.png at $size"
    done
}

for size in $SIZES; do
    # Closing: asked twice, and every way out but "Ya, tutup acara" leaves the event open.
    C=$T/close-$size
    new_folder "$C"
    sign "$C" "Siti Rahmawati, S.Pd." PNS 198503302010012003
    play close "$C" "$size" "$S/staff-close.kiosk"
    shots "$size" close-pin close-confirm
    [ -e "$C/checkpoint-final-1.txt" ] && bad "the event was closed without its confirmation" || ok
    grep -q 'action=close-event-cancelled by=kiosk' "$T/close.out" && ok || bad "the cancel is in the log"
    grep -q 'action=close-event by=kiosk' "$T/close.out" && bad "a close-event line without a close" || ok
    # Still open: another process can sign.
    expect 0 "after Batal the event is open" -- "$IKRAR" sign --data "$C" --name Budi --status NON-ASN \
        --ink "$T/ink.json"
    play close-yes "$C" "$size" "$S/staff-close-yes.kiosk"
    [ -e "$C/checkpoint-final-2.txt" ] && ok || bad "closing saved the final checkpoint: $(ls "$C")"
    expect 4 "after Ya, tutup acara nobody signs" -- "$IKRAR" sign --data "$C" --name Rudi --status NON-ASN \
        --ink "$T/ink.json"
    has err "ditutup" "signing into a closed event says why"

    # Reprint any record on a file: printer.
    P=$T/print-$size
    new_folder "$P"
    mkdir -p "$P/paper"
    sign "$P" "Siti Rahmawati, S.Pd." PNS 198503302010012003 "Dinas Pendidikan"
    sign "$P" "Rina Marlina" NON-ASN
    play reprint "$P" "$size" "$S/staff-reprint.kiosk" --printer "file:$P/paper"
    shots "$size" find-last find-printed find-qr find-unknown find-unsigned
    [ -s "$P/paper/receipt-1.png" ] && ok || bad "record 1 printed again: $(ls "$P/paper")"
    [ -e "$P/paper/receipt-2.png" ] && bad "record 2 printed, though only shown" || ok
    [ "$(sqlite3 "$P/ikrar.db" 'SELECT printed FROM record WHERE seq = 1')" = 1 ] && ok ||
        bad "record 1 is marked printed"
    if command -v zbarimg >/dev/null; then
        text=$(zbarimg --raw -q "$P/paper/receipt-1.png" 2>/dev/null)
        expect 0 "the reprinted receipt verifies against the log" -- "$IKRAR" verify --data "$P" --text "$text"
        has out "Siti Rahmawati, S.Pd." "the reprinted receipt is Siti's"
        has out "Nomor      1" "the reprinted receipt is record 1"
        zbarimg --raw -q "$OUT/$size/find-qr.png" 2>/dev/null | grep -qxF -- "$text" && ok ||
            bad "the QR shown full screen at $size is record 1's receipt"
    fi
    grep -q 'admin action=reprint-paper by=kiosk seq=1' "$T/reprint.out" && ok || bad "the reprint is in the log"
    grep -q 'admin action=find by=kiosk kind=nip seq=1' "$T/reprint.out" && ok || bad "the look-up by NIP is in the log"
    grep -q '198503302010012003\|198001012005011002' "$T/reprint.out" && bad "a NIP reached the log" || ok

    # Who of a unit has not signed, on the roster folder flows.sh makes.
    R=$T/roster-$size
    new_folder "$R"
    long="Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah Kabupaten Contoh Bidang Perekonomian, Sumber Daya Alam dan Infrastruktu"
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
    "$IKRAR" roster import --data "$R" "$T/roster.csv" >/dev/null 2>&1 || bad "roster import"
    for i in 10 22 34; do sign "$R" "Pegawai $i" PNS "1980010120050110$i"; done
    play missing "$R" "$size" "$S/staff-missing.kiosk"
    shots "$size" missing-chart missing-list missing-long

    # "Panggil petugas": the badge until the PIN answers it, one line in the log per call.
    K=$T/call-$size
    new_folder "$K"
    play call "$K" "$size" "$S/staff-call.kiosk"
    shots "$size" call-welcome call-declaration call-pin
    [ "$(grep -c 'ikrar: call-staff by=kiosk' "$T/call.out")" = 1 ] && ok ||
        bad "one call-staff line per call: $(grep call-staff "$T/call.out")"
    grep -q 'ikrar: call-staff-end by=kiosk how=pin' "$T/call.out" && ok || bad "the answer is in the log"
done
finish
