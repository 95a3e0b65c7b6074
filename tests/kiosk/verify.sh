#!/usr/bin/env bash
# cli_kiosk_verify: `ikrar kiosk --verify-station` headless, with picture files for a camera
# (--camera-frames): a valid receipt held up (green, the signer's details), a receipt of
# another kiosk (red, the reason), the verdict's timeout, the PIN on the way back to signing;
# the same in English; the staff menu's way in and out on a signing kiosk; a missing camera
# and a device that is no camera said on screen (exit 0), and usage errors (exit 2).
# Screenshots at three sizes go to $IKRAR_SHOTS/verify when set, for a person to look at.
set -u
IKRAR=${1:?usage: tests/kiosk/verify.sh path/to/ikrar}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../common/harness.sh" kiosk-verify
export IKRAR_RENDERER=software

D=$T/event
O=$T/other
for dir in "$D" "$O"; do
    "$IKRAR" init --data "$dir" --event pilkada-2024 --title "Deklarasi Netralitas ASN" \
        --kiosk "aula-$(basename "$dir")" --pin 246810 >/dev/null 2>&1 || bad "init $dir"
done
printf '{"w":100,"h":50,"s":[[1,2,0,30,40,16]]}' >"$T/ink.json"
F=$T/frames
mkdir -p "$F"
expect 0 "sign a valid receipt" -- "$IKRAR" sign --data "$D" --name "Siti Rahmawati, S.Pd." --status PNS \
    --nip 198503302010012003 --pos Guru --unit Dinas --ink "$T/ink.json" --receipt-png "$F/10-valid.png"
expect 0 "sign at another kiosk" -- "$IKRAR" sign --data "$O" --name "Budi" --status NON-ASN \
    --ink "$T/ink.json" --receipt-png "$F/20-other.png"
cp "$F/10-valid.png" "$F/11-valid.png"
cp "$F/10-valid.png" "$F/12-valid.png"
# Frames without a code: the kiosk's own Welcome screen.
printf 'shot blank\n' >"$T/blank.kiosk"
expect 0 "a frame without a code" -- "$IKRAR" kiosk --data "$D" --script "$T/blank.kiosk" --shots "$T"
cp "$T/blank.png" "$F/00-nothing.png"
cp "$T/blank.png" "$F/01-nothing.png"

OUT=${IKRAR_SHOTS:+$IKRAR_SHOTS/verify}
OUT=${OUT:-$T/shots}
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print ($2*65536+$3*256+$4) "x" ($6*65536+$7*256+$8)}'; }
for size in 1280x800 800x480 1080x1920; do
    expect 0 "the verify station at $size" -- "$IKRAR" kiosk --data "$D" --window "$size" --verify-station \
        --camera-frames "$F" --script "$HERE/scripts/verify.kiosk" --shots "$OUT/$size"
    for shot in verify-waiting verify-camera verify-valid verify-other verify-admin; do
        [ "$(png_size "$OUT/$size/$shot.png" 2>/dev/null)" = "$size" ] && ok || bad "$shot.png at $size"
    done
done
[ "$(sqlite3 "$D/ikrar.db" 'SELECT count(*) FROM record')" = 1 ] && ok || bad "verifying recorded nothing"

# English: the verdicts and the reason from the err module's English messages.
cat >"$T/en.kiosk" <<'EOS'
screen verify
expect Hold the receipt
wait 250
expect-not NOT VALID
expect VALID
expect Siti Rahmawati
wait 300
expect NOT VALID
expect unknown kiosk key
shot verify-other-en
EOS
expect 0 "in English" -- "$IKRAR" kiosk --data "$D" --lang en --verify-station --camera-frames "$F" \
    --script "$T/en.kiosk" --shots "$OUT/1280x800"
# Files given one by one, not as a folder: the order given.
printf 'wait 50\nexpect TIDAK SAH\nwait 100\nexpect-not TIDAK SAH\nexpect Siti Rahmawati\n' >"$T/files.kiosk"
expect 0 "frames as files" -- "$IKRAR" kiosk --data "$D" --verify-station --camera-frames "$F/20-other.png" \
    "$F/10-valid.png" --script "$T/files.kiosk"

# The event trust list (issue 11): once installed, the kiosk next door's receipt is genuine; once
# that kiosk is revoked from before it signed, its receipt is refused, naming the revocation.
printf 'screen verify\nwait 100\nexpect TIDAK SAH\nexpect kunci kiosk yang tidak\n' >"$T/no-list.kiosk"
expect 0 "no list: the kiosk next door is unknown" -- "$IKRAR" kiosk --data "$D" --verify-station \
    --camera-frames "$F/20-other.png" --script "$T/no-list.kiosk"
expect 0 "event key" -- "$IKRAR" event init --event pilkada-2024 --out "$T/ev"
expect 0 "list this kiosk" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$D"
expect 0 "list the kiosk next door" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$O"
expect 0 "install the list" -- "$IKRAR" event install --data "$D" "$T/ev/trust.txt"
cat >"$T/listed.kiosk" <<'EOS'
screen verify
wait 100
expect-not TIDAK SAH
expect SAH
expect kiosk lain acara ini
expect Budi
expect aula-other
shot verify-listed
EOS
expect 0 "listed: the kiosk next door's receipt is genuine" -- "$IKRAR" kiosk --data "$D" --verify-station \
    --camera-frames "$F/20-other.png" --script "$T/listed.kiosk" --shots "$OUT/1280x800"
printf 'screen verify\nwait 250\nexpect-not TIDAK SAH\nexpect Siti Rahmawati\nexpect pilkada-2024\n' >"$T/own.kiosk"
expect 0 "listed: this kiosk's own receipt still checks its log" -- "$IKRAR" kiosk --data "$D" \
    --verify-station --camera-frames "$F/10-valid.png" --script "$T/own.kiosk"
expect 0 "revoke the kiosk next door" -- "$IKRAR" event revoke-kiosk --event-dir "$T/ev" aula-other --from 1000
expect 0 "install the newer list" -- "$IKRAR" event install --data "$D" "$T/ev/trust.txt"
cat >"$T/revoked.kiosk" <<'EOS'
screen verify
wait 100
expect TIDAK SAH
expect aula-other dicabut dari
expect sejak 1970-01-01 07:16 WIB
expect Budi
shot verify-revoked
EOS
expect 0 "revoked: its receipt is refused, naming the revocation" -- "$IKRAR" kiosk --data "$D" \
    --verify-station --camera-frames "$F/20-other.png" --script "$T/revoked.kiosk" --shots "$OUT/1280x800"

# A signing kiosk: the staff menu's "Verifikasi struk", and Back to the staff menu.
cat >"$T/from-admin.kiosk" <<'EOS'
screen welcome
press logo 3200
type 246810
tap pin.ok
screen admin
tap admin.verify
screen verify
expect Kembali
wait 250
expect Siti Rahmawati
tap back
screen admin
tap back
screen welcome
EOS
expect 0 "Verify from the staff menu" -- "$IKRAR" kiosk --data "$D" --camera-frames "$F" --script "$T/from-admin.kiosk"

# No camera: said on the screen, in the kiosk's language; the kiosk runs on and exits 0.
printf 'screen verify\nwait 100\nexpect Kamera tidak tersedia\nexpect /dev/ikrar-no-camera\nshot no-camera\n' >"$T/nocam.kiosk"
expect 0 "a missing camera" -- "$IKRAR" kiosk --data "$D" --verify-station --camera /dev/ikrar-no-camera \
    --script "$T/nocam.kiosk" --shots "$OUT/1280x800"
printf 'screen verify\nwait 100\nexpect No camera available\nexpect not a V4L2 camera\nwait 5000\nscreen verify\n' >"$T/null.kiosk"
expect 0 "a device that is no camera" -- "$IKRAR" kiosk --data "$D" --lang en --verify-station --camera /dev/null \
    --script "$T/null.kiosk"
[ ! -s "$T/err" ] && ok || bad "nothing on stderr for a device that is no camera: $(cat "$T/err")"

# Usage errors.
printf 'screen verify\n' >"$T/v.kiosk"
expect 2 "--camera and --camera-frames together" -- "$IKRAR" kiosk --data "$D" --verify-station \
    --camera /dev/video0 --camera-frames "$F" --script "$T/v.kiosk"
expect 2 "frames that are not there" -- "$IKRAR" kiosk --data "$D" --verify-station \
    --camera-frames "$T/nowhere" --script "$T/v.kiosk"
expect 2 "stray arguments" -- "$IKRAR" kiosk --data "$D" "$F/10-valid.png" --script "$T/v.kiosk"
finish
