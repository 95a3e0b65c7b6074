#!/usr/bin/env bash
# demo.sh: set up Debian 12, build ikrar, and run a demo event: signings from the command
# line, then the touchscreen kiosk on the same folder.
#
#   bash scripts/demo.sh           keep ./demo-data from an earlier run and add to its log
#   bash scripts/demo.sh --fresh   delete ./demo-data first and start a new demo event
#
# The data folder is ./demo-data at the top of the repository. A second run keeps it: the log
# grows, the signers who already signed are refused (exit status 3, "already signed"), the
# NON-ASN signer (who has no NIP to check) signs again, and every receipt kept from earlier
# runs is verified again against the grown log (the demo event allows a year between
# signings, `init --max-gap 366d`, so it can be picked up again much later). Messages from ikrar are in Indonesian unless
# IKRAR_LANG=en (or LANG=en_...) is set. No kiosk hardware is needed: with a display (DISPLAY
# or WAYLAND_DISPLAY set) the kiosk opens in a 1280x800 window; without one, a signer's tour is
# played headless and its screenshots are written to ./demo-data/screens.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"

# A build folder copied or moved from another checkout confuses CMake; start it afresh.
forget_foreign_build() {
    local cache=$1/CMakeCache.txt
    if [ -f "$cache" ] && ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$root" "$cache"; then
        echo "($1 was configured for another source folder; removing it)"
        rm -rf -- "$1"
    fi
}

data=demo-data
work=$data/demo            # the demo's own files: ink JSON, receipt text and PNG
demo_pin=246810            # DEMO ONLY: a real event gets its own PIN, typed at init
fresh=0
for arg in "$@"; do
    case "$arg" in
    --fresh) fresh=1 ;;
    -h | --help)
        sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "demo.sh: unknown option: $arg" >&2
        exit 2
        ;;
    esac
done

say() { printf '\n--- %s\n' "$*"; }
die() {
    echo "demo.sh: $*" >&2
    exit 1
}

say "Installing what ikrar needs (skipped when already there)"
bash scripts/setup-debian.sh

say "Building ikrar in build/release"
forget_foreign_build build/release
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "${IKRAR_JOBS:-2}" --target ikrar
ikrar=$root/build/release/ikrar

if [ "$fresh" -eq 1 ] && [ -e "$data" ]; then
    say "--fresh: removing $data"
    rm -rf -- "$data"
fi

if [ -e "$data/ikrar.db" ]; then
    say "Reusing the demo event in $data (run with --fresh to start over)"
else
    say "Creating the demo event in $data"
    "$ikrar" init --data "$data" --event demo-pilkada-2024 \
        --title "Deklarasi Netralitas ASN - Pilkada Serentak 2024 (DEMO)" \
        --kiosk kiosk-demo-1 --pin "$demo_pin" --max-gap 366d \
        --organizer "Pemerintah Kabupaten Contoh (DEMO)" --place "Aula Kantor Bupati" \
        --printer "file:$root/$data/receipts"
    cat <<EOF

    +--------------------------------------------------------------+
    |  Admin PIN of this demo event: $demo_pin                        |
    |  A DEMO PIN, printed here on purpose. Never use it for a     |
    |  real event: there, leave out --pin and type a PIN at init.  |
    +--------------------------------------------------------------+
EOF
fi
mkdir -p "$work"

say "The staff list: who is expected to sign (ikrar roster import)"
# As an organiser's spreadsheet saves it: Excel in Indonesian, ';' separated, with a BOM,
# CRLF, and one NIP stored as a formula ="..." that ikrar repairs and says so.
"$ikrar" roster import --data "$data" "$root/assets/demo/roster.csv"

# First the command line signs (the kiosk's "confirm" button calls the same code as
# `ikrar sign`); at the end the kiosk itself runs on the same folder.

# write_ink FILE SEED: a made-up handwritten signature (a looped cursive line, an underline
# flourish, a final dot) in ikrar's ink JSON: canvas size and strokes of x, y, t triples.
write_ink() {
    awk -v seed="$2" 'BEGIN {
        pi = 3.14159265; t = 0
        printf "{\"w\":600,\"h\":240,\"s\":[["
        n = 70
        for (i = 0; i < n; i++) {
            u = i / (n - 1)
            x = 40 + 400 * u + 14 * sin(u * pi * 12 + seed)
            y = 120 - 48 * sin(u * pi * (5 + seed % 3) + seed) * (1 - 0.5 * u) + 12 * cos(u * pi * 2)
            printf "%s%d,%d,%d", (i ? "," : ""), x, y, t
            t += 8 + (i * seed) % 5
        }
        printf "],["
        t += 240
        n = 30
        for (i = 0; i < n; i++) {
            u = i / (n - 1)
            x = 70 + 440 * u
            y = 195 - 16 * sin(u * pi) + 4 * sin(u * pi * 4 + seed)
            printf "%s%d,%d,%d", (i ? "," : ""), x, y, t
            t += 6
        }
        t += 180
        printf "],[%d,%d,%d,%d,%d,%d]]}\n", 520, 150 - 10 * seed, t, 522, 152 - 10 * seed, t + 20
    }' >"$1"
}

# sign_one LABEL SIGN-ARGS...: signs one demo signer. Keeps the receipt text in
# $work/LABEL.txt and its QR as $work/LABEL.png. On a terminal, ikrar draws the QR itself;
# `script` gives it one while this script still reads the output. Returns ikrar's exit status.
sign_one() {
    local label=$1 out rc
    shift
    out=$(mktemp)
    set +e
    if [ -t 1 ] && command -v script >/dev/null; then
        script -qec "$(printf '%q ' "$ikrar" sign "$@" --receipt-png "$work/$label.png")" \
            /dev/null </dev/null | tee "$out"
        rc=${PIPESTATUS[0]}
    else
        "$ikrar" sign "$@" --receipt-png "$work/$label.png" | tee "$out"
        rc=${PIPESTATUS[0]}
    fi
    set -e
    if [ "$rc" -eq 0 ]; then
        tail -n 1 "$out" | tr -d '\r' >"$work/$label.txt"
        grep -q '^IK1:' "$work/$label.txt" || die "no receipt text from ikrar sign for $label"
    fi
    rm -f "$out"
    return "$rc"
}

signers=(
    "pns|Siti Rahmawati, S.Pd.|PNS|198503302010012003|Guru Ahli Pertama|Dinas Pendidikan"
    "pppk|Rina Kartika, S.Kom.|PPPK|199207152022032005|Pranata Komputer|Badan Kepegawaian Daerah"
    "non-asn|Budi Santoso|NON-ASN||Tenaga Pendukung|Sekretariat Daerah"
)

seed=0
for s in "${signers[@]}"; do
    IFS='|' read -r label name status nip pos unit <<<"$s"
    seed=$((seed + 1))
    write_ink "$work/$label-ink.json" "$seed"
    args=(--data "$data" --name "$name" --status "$status" --pos "$pos" --unit "$unit"
          --ink "$work/$label-ink.json")
    [ -n "$nip" ] && args+=(--nip "$nip")
    say "Signing: $name ($status${nip:+, NIP $nip})"
    rc=0
    sign_one "$label" "${args[@]}" || rc=$?
    case "$rc" in
    0) ;;
    3) echo "(refused with exit status 3: this NIP already signed in an earlier run of the demo)" ;;
    4) die "ikrar sign refused for $label (exit status 4; the reason is above). When it names the
    clock because this demo event is older than its max gap, start a new one: bash scripts/demo.sh --fresh" ;;
    *) die "ikrar sign failed for $label with exit status $rc" ;;
    esac
done

say "The same NIP again: ikrar must refuse it (exit status 3)"
write_ink "$work/again-ink.json" 7
rc=0
"$ikrar" sign --data "$data" --name "Siti Rahmawati" --status PNS --nip 198503302010012003 \
    --ink "$work/again-ink.json" || rc=$?
[ "$rc" -eq 3 ] || die "expected exit status 3 for a second signature with one NIP, got $rc"
echo "(refused, exit status 3, as it should be)"

for f in "$work"/*.txt; do
    label=$(basename "$f" .txt)
    receipt=$(cat "$f")
    say "Receipt of '$label': $receipt"
    echo "Its QR code, read back from $work/$label.png with zbarimg:"
    scanned=$(zbarimg -q --raw "$work/$label.png" 2>/dev/null | tr -d '\r' | head -n 1 || true)
    if [ "$scanned" = "$receipt" ]; then
        echo "  same text as the receipt"
    else
        die "the QR code in $work/$label.png does not read back as the receipt"
    fi
    echo "Checked with the kiosk's data folder (signature, record and log root):"
    "$ikrar" verify --data "$data" --text "$receipt"
    echo "Checked with only the published verifier key ($data/verifier.key):"
    "$ikrar" verify --key "$data/verifier.key" --text "$receipt"
done

say "A receipt with one character changed must not verify (exit status 1)"
# Swap one character in the middle of the last receipt for another Base45 character.
mid=$((${#receipt} / 2))
c=${receipt:mid:1}
[ "$c" = A ] && r=B || r=A
forged=${receipt:0:mid}$r${receipt:mid+1}
rc=0
"$ikrar" verify --key "$data/verifier.key" --text "$forged" || rc=$?
[ "$rc" -eq 1 ] || die "a changed receipt gave exit status $rc, not 1"
echo "(refused, exit status 1, as it should be)"

say "Verifier key (publish it so anyone can check receipts): ikrar pubkey"
"$ikrar" pubkey --data "$data"

say "Signed checkpoint of the log now: ikrar checkpoint"
"$ikrar" checkpoint --data "$data"

say "Audit of the whole log: ikrar audit"
"$ikrar" audit --data "$data"

say "Who has signed, per unit, and who has not yet: ikrar stats"
"$ikrar" stats --data "$data"
"$ikrar" stats --data "$data" --missing --csv-sep ';' >"$work/belum-tanda-tangan.csv"
echo "(the staff who have not signed yet, for Excel: $work/belum-tanda-tangan.csv)"

say "The signed roster for auditors: ikrar export, then an auditor's checks"
bundle=$data/exports/roster-$(date +%Y%m%d-%H%M%S)
mkdir -p "$data/exports"
"$ikrar" export --data "$data" --out "$bundle" --csv-sep ';'
ls "$bundle"
echo "An auditor checks the bundle with only the verifier key they were given:"
"$ikrar" audit "$bundle" --key "$data/verifier.key"
echo "And a photographed receipt against the bundle:"
"$ikrar" verify --roster "$bundle" "$work/pns.png"

say "The touchscreen kiosk: ikrar kiosk"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${CI:-}" != true ]; then
    echo "Opening the kiosk in a window. Sign as a visitor would; to leave, close the window,"
    echo "or hold the 'ik' logo for 3 seconds, type the demo PIN $demo_pin and choose"
    echo "'Keluar dari mode kiosk'."
    "$ikrar" kiosk --data "$data" --window 1280x800 || die "the kiosk stopped with an error"
else
    echo "No display here: playing a signer's tour headless, with a screenshot of each screen."
    rm -rf "$data/screens"
    "$ikrar" kiosk --data "$data" --window 1280x800 --script assets/demo/tour.kiosk \
        --shots "$data/screens" || die "the kiosk tour failed"
    ls "$data/screens"
    echo "(On a machine with a display: $ikrar kiosk --data $root/$data)"
fi

cat <<EOF

--- Demo done.
    Data folder:  $root/$data (ikrar.db, kiosk.key, verifier.key)
    Demo files:   $root/$work (ink JSON, receipt text and PNG per signer)
    Receipts:     $root/$data/receipts (the paper receipts, as PNG and PDF: the demo's printer)
    Roster:       $root/$bundle (roster.pdf to print; roster.csv; records.jsonl for auditors)
    Kiosk:        $ikrar kiosk --data $root/$data   (add --fullscreen on a real kiosk)
    Admin PIN:    $demo_pin (demo only)
    Try:          $ikrar verify --key $root/$data/verifier.key --text "\$(cat $root/$work/pns.txt)"
    Start over:   bash scripts/demo.sh --fresh
EOF
