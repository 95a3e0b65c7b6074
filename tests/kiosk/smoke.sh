#!/usr/bin/env bash
# cli_kiosk_smoke: `ikrar kiosk --script` headless on a fresh data folder: Welcome drawn and
# saved as PNG at 800x480, 1280x800 and 1080x1920 (each of the right size); a whole signing
# played through the same event path as a touchscreen, whose receipt `ikrar verify` accepts,
# whose record `ikrar audit` finds, and whose QR code on screen scans back as the receipt; a
# failed expectation names its line and exits non-zero.
set -u
IKRAR=${1:?usage: tests/kiosk/smoke.sh path/to/ikrar}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d /tmp/ikrar-kiosk-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# png_size FILE: prints "W H" from the PNG header (IHDR), or nothing for a non-PNG.
png_size() {
    [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || return 0
    local hex
    hex=$(od -An -tx1 -j16 -N8 "$1" | tr -d ' \n')
    echo "$((16#${hex:0:8})) $((16#${hex:8:8}))"
}

D=$T/data
"$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 \
    --pin 246810 >/dev/null 2>&1 || bad "init"

cat >"$T/welcome.kiosk" <<'SCRIPT'
# Welcome at the three sizes the kiosk must fit.
screen welcome
expect Sentuh untuk mulai
size 800 480
shot welcome-800x480
size 1280 800
shot welcome-1280x800
size 1080 1920
screen welcome
shot welcome-1080x1920
SCRIPT
if "$IKRAR" kiosk --data "$D" --script "$T/welcome.kiosk" --shots "$T/shots" >"$T/out" 2>"$T/err"; then
    ok
else
    bad "welcome script: $(cat "$T/err")"
fi
for s in 800x480 1280x800 1080x1920; do
    f=$T/shots/welcome-$s.png
    if [ -f "$f" ]; then ok; else bad "no screenshot $f"; continue; fi
    [ "$(png_size "$f")" = "${s/x/ }" ] && ok || bad "$f is $(png_size "$f"), wanted $s"
done
[ -z "$(ls "$T/shots" | grep '\.tmp$')" ] && ok || bad "a screenshot's temporary file was left"

# A whole signing, with the receipt shown on Done written out for checking.
if IKRAR_KIOSK_RECEIPTS=$T/receipts "$IKRAR" kiosk --data "$D" --window 1280x800 \
    --script "$HERE/scripts/signing.kiosk" --shots "$T/shots" >"$T/out" 2>"$T/err"; then
    ok
else
    bad "signing script: $(cat "$T/err")"
fi
[ "$(wc -l <"$T/receipts" 2>/dev/null)" = 1 ] && ok || bad "one receipt shown: $(cat "$T/receipts" 2>&1)"
R=$(head -n 1 "$T/receipts" 2>/dev/null)
"$IKRAR" verify --data "$D" --text "$R" >"$T/out" 2>&1 && ok || bad "verify the kiosk's receipt: $(cat "$T/out")"
"$IKRAR" audit --data "$D" >"$T/out" 2>&1 && ok || bad "audit after a kiosk signing: $(cat "$T/out")"
# The QR code drawn on the Done screen scans back as that receipt.
if command -v zbarimg >/dev/null; then
    [ "$(zbarimg --raw -q "$T/shots/signing-done.png" 2>/dev/null)" = "$R" ] && ok ||
        bad "the QR on screen does not read back as the receipt"
else
    bad "zbarimg is not installed (scripts/setup-debian.sh installs it)"
fi
grep -Eq "^ +(Catatan|Records) +1$" "$T/out" && ok || bad "audit counts one record: $(cat "$T/out")"

# A failed expectation: the line is named, the frame's texts are listed, the exit is not 0.
printf 'screen welcome\n# a comment\nexpect Tidak ada teks ini\n' >"$T/bad.kiosk"
if "$IKRAR" kiosk --data "$D" --script "$T/bad.kiosk" >"$T/out" 2>"$T/err"; then
    bad "a failed expectation exits 0"
else
    ok
fi
grep -q "^script:3: expected 'Tidak ada teks ini'" "$T/err" && ok || bad "names line 3: $(cat "$T/err")"
grep -q "Sentuh untuk mulai" "$T/err" && ok || bad "lists what the screen shows: $(cat "$T/err")"
printf 'tap no-such-button\n' >"$T/bad2.kiosk"
"$IKRAR" kiosk --data "$D" --script "$T/bad2.kiosk" >"$T/out" 2>"$T/err" && bad "tap on nothing exits 0" || ok
grep -q "^script:1: .*no-such-button" "$T/err" && ok || bad "tap on nothing names the id: $(cat "$T/err")"

# Usage errors.
"$IKRAR" kiosk --data "$D" --window 10x10 >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--window 10x10 is a usage error"
# No --data: the default folder ($IKRAR_DATA), here one without a kiosk.
IKRAR_DATA="$T/none" "$IKRAR" kiosk --script "$T/bad.kiosk" >/dev/null 2>"$T/err"
[ $? -eq 4 ] && grep -qF "$T/none" "$T/err" && ok || bad "no --data opens \$IKRAR_DATA: $(cat "$T/err")"
"$IKRAR" kiosk --data "$T/none" --script "$T/welcome.kiosk" >/dev/null 2>"$T/err"
[ $? -eq 4 ] && ok || bad "a missing folder exits 4: $(cat "$T/err")"

echo "cli_kiosk_smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
