#!/usr/bin/env bash
# cli_print: paper receipts from the command line.  `ikrar sign --printer file:DIR` writes a
# receipt image that zbarimg reads back and `ikrar verify --text` accepts; a printer that
# refuses the connection still records the signer (exit 0, a warning on stderr, the record
# left unprinted); `ikrar reprint` makes the same receipt again; `init --printer` sets the
# default; bad printer URIs are usage errors.
set -u
IKRAR=${1:?usage: tests/cli/print.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" print
zbar() { zbarimg --raw -q "$1" 2>/dev/null | tr -d '\r\n'; }

D=$T/data
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"

expect 2 "init with a bad printer" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title T --kiosk aula-1 --pin 246810 --printer lpt1
[ ! -e "$D" ] && ok || bad "a refused init leaves no folder"
expect 0 "init" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 --pin 246810

# --- sign --printer file:DIR ---
expect 0 "sign to file:" -- "$IKRAR" sign --data "$D" --name "Raden Ajeng Kartini Sosroningrat Wijayakusuma" --status PNS \
    --nip 198503152010012003 --pos "Analis Kebijakan" --unit "Diskominfo" --ink "$T/ink.json" --printer "file:$T/p"
text=$(tail -n 1 "$T/out")
[ -s "$T/p/receipt-1.png" ] && [ -s "$T/p/receipt-1.pdf" ] && ok || bad "file: writes receipt-1.png and .pdf"
[ "$(zbar "$T/p/receipt-1.png")" = "$text" ] && ok || bad "zbarimg reads the printed receipt's text"
expect 0 "the printed receipt verifies" -- "$IKRAR" verify --data "$D" --text "$(zbar "$T/p/receipt-1.png")"

# --- a printer that refuses: the signer is recorded all the same ---
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
start=$(date +%s)
expect 0 "sign with a refusing printer still records" -- "$IKRAR" sign --data "$D" --name "Budi Santoso" --status NON-ASN \
    --ink "$T/ink.json" --printer "escpos+tcp://127.0.0.1:$port" --lang en
[ $(($(date +%s) - start)) -le 5 ] && ok || bad "a refusing printer holds the signer up"
has out "Recorded as number 2" "the record is stored"
has err "could not be printed" "the print failure is said"
has err "reprint --seq 2" "how to reprint is said"
grep -q '^IK1:' "$T/out" && ok || bad "the receipt text is still printed"
expect 2 "sign with a malformed printer" -- "$IKRAR" sign --data "$D" --name "Cici" --status NON-ASN --ink "$T/ink.json" --printer "tcp:x"
expect 2 "sign with a bad paper" -- "$IKRAR" sign --data "$D" --name "Cici" --status NON-ASN --ink "$T/ink.json" --paper 70

# --- reprint ---
cp "$T/p/receipt-1.png" "$T/first.png"
expect 0 "reprint 1" -- "$IKRAR" reprint --data "$D" --seq 1 --printer "file:$T/p"
cmp -s "$T/first.png" "$T/p/receipt-1.png" && ok || bad "a reprint is the same receipt"
expect 0 "reprint 2, the one that failed" -- "$IKRAR" reprint --data "$D" --seq 2 --printer "file:$T/p"
expect 0 "its text verifies" -- "$IKRAR" verify --data "$D" --text "$(zbar "$T/p/receipt-2.png")"
expect 0 "reprint on 80 mm paper" -- "$IKRAR" reprint --data "$D" --seq 2 --printer "file:$T/p80" --paper 80
[ "$(zbar "$T/p80/receipt-2.png")" = "$(zbar "$T/p/receipt-2.png")" ] && ok || bad "80 mm reads back the same"
expect 1 "reprint a record that does not exist" -- "$IKRAR" reprint --data "$D" --seq 9 --printer "file:$T/p"
expect 2 "reprint without --seq" -- "$IKRAR" reprint --data "$D"
expect 2 "reprint with a bad printer" -- "$IKRAR" reprint --data "$D" --seq 1 --printer "lp"
expect 4 "reprint to a refusing printer" -- "$IKRAR" reprint --data "$D" --seq 1 --printer "escpos+tcp://127.0.0.1:$port"
# cups: with no print server there (a real cupsd is tests/cli/cups.sh): a printer failure.
expect 4 "reprint to cups with no server" -- env CUPS_SERVER="$T/no-cupsd.sock" "$IKRAR" reprint --data "$D" \
    --seq 1 --printer "cups:Thermal" --lang en
has err "cannot connect" "says CUPS cannot be reached"
expect 2 "reprint to a malformed cups queue" -- "$IKRAR" reprint --data "$D" --seq 1 --printer "cups:Aula 1"

# --- init --printer: the default ---
D2=$T/data2
expect 0 "init with a printer" -- "$IKRAR" init --data "$D2" --event e2 --title "Acara" --kiosk k2 --pin 246810 --printer "file:$T/q"
expect 0 "sign prints to it" -- "$IKRAR" sign --data "$D2" --name "Dewi" --status NON-ASN --ink "$T/ink.json"
[ -s "$T/q/receipt-1.png" ] && ok || bad "the default printer is used"
expect 0 "--printer none overrides it" -- "$IKRAR" sign --data "$D2" --name "Eka" --status NON-ASN --ink "$T/ink.json" --printer none
[ ! -e "$T/q/receipt-2.png" ] && ok || bad "none prints nothing"

finish
