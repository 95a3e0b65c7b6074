#!/usr/bin/env bash
# cli_scan: `ikrar verify IMAGE...` reads receipt QR codes from pictures: the PNG that
# `sign --receipt-png` writes, the same as a JPEG (also turned a quarter), several files at
# once; and refuses a file that is not an image, a
# truncated one, a picture with no QR code.  (Distorted photos, a QR code that is not a
# receipt and broken files in depth are in test_scan.c.)
set -u
IKRAR=${1:?usage: tests/cli/scan.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" scan

D=$T/data
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
expect 0 "init" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi" --kiosk aula-1 --pin 246810
expect 0 "sign" -- "$IKRAR" sign --data "$D" --name "Siti Rahmawati" --status PNS --nip 198503302010012003 \
    --ink "$T/ink.json" --receipt-png "$T/r.png"
expect 0 "sign another" -- "$IKRAR" sign --data "$D" --name "Rina" --status NON-ASN --ink "$T/ink.json" \
    --receipt-png "$T/r2.png"

expect 0 "verify a receipt PNG with the data folder" -- "$IKRAR" verify --data "$D" "$T/r.png"
has out "SAH" "says valid"
has out "Siti Rahmawati" "shows the signer"
has out "cocok" "checks the log"
expect 0 "verify with the key file, two images" -- "$IKRAR" verify --key "$D/verifier.key" "$T/r.png" "$T/r2.png"
has out "Rina" "shows the second signer"

# A JPEG of the receipt, and the same turned a quarter; a white JPEG with no code.
if command -v cjpeg >/dev/null && command -v jpegtran >/dev/null && command -v pngtopnm >/dev/null; then
    pngtopnm "$T/r.png" >"$T/r.pgm" && cjpeg -quality 80 "$T/r.pgm" >"$T/r.jpg"
    expect 0 "verify a JPEG" -- "$IKRAR" verify --data "$D" "$T/r.jpg"
    has out "Siti Rahmawati" "the JPEG shows the signer"
    jpegtran -rotate 90 "$T/r.jpg" >"$T/r90.jpg"
    expect 0 "verify a JPEG turned a quarter" -- "$IKRAR" verify --lang en --data "$D" "$T/r90.jpg"
    has out "VALID" "the turned JPEG verifies"
    { printf 'P5\n320 240\n255\n'; head -c 76800 /dev/zero | tr '\0' '\377'; } | cjpeg >"$T/noqr.jpg"
else
    bad "cjpeg, jpegtran or pngtopnm missing (scripts/setup-debian.sh installs libjpeg-turbo-progs and netpbm)"
fi

printf 'just some text, not a picture\n' >"$T/notimage.png"
expect 1 "a file that is not an image" -- "$IKRAR" verify --data "$D" "$T/notimage.png"
has err "notimage.png" "names the file"
has err "Bukan gambar PNG atau JPEG" "says it is not an image"
expect 1 "not an image, in English" -- "$IKRAR" verify --lang en --data "$D" "$T/notimage.png"
has err "Not a readable PNG or JPEG" "English message"
head -c 300 "$T/r.png" >"$T/cut.png"
expect 1 "a truncated PNG" -- "$IKRAR" verify --data "$D" "$T/cut.png"
expect 4 "a missing file" -- "$IKRAR" verify --data "$D" "$T/nothing.png"
expect 1 "one good image and one bad: any bad fails" -- "$IKRAR" verify --data "$D" "$T/r.png" "$T/notimage.png"
has out "SAH" "the good one is still shown"

if [ -e "$T/noqr.jpg" ]; then
    expect 1 "a picture with no QR code" -- "$IKRAR" verify --data "$D" "$T/noqr.jpg"
    grep -qiF "tidak ada kode QR" "$T/err" && ok || bad "no-QR message: $(cat "$T/err")"
    expect 1 "no QR code, in English" -- "$IKRAR" verify --lang en --data "$D" "$T/noqr.jpg"
    grep -qF "No QR code found" "$T/err" && ok || bad "English no-QR message: $(cat "$T/err")"
fi

expect 2 "neither --text nor an image" -- "$IKRAR" verify --data "$D"
# No key, folder or bundle: the default data folder's key, here a folder with no kiosk.
expect 4 "no key" -- env IKRAR_DATA="$T/no-kiosk" "$IKRAR" verify "$T/r.png"

finish
