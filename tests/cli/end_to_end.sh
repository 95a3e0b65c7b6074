#!/usr/bin/env bash
# cli_end_to_end: the `ikrar` command as a user runs it: init, sign, verify, checkpoint,
# pubkey, audit; the exit statuses and messages of every kind of refusal; a receipt QR
# written as a PNG and read back with zbarimg; tampering found by `ikrar audit`.
set -u
IKRAR=${1:?usage: tests/cli/end_to_end.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" cli

D=$T/data
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"

# --- init ---
expect 2 "init without a PIN and no terminal" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi" --kiosk aula-1
has err "PIN" "asks for the PIN"
[ ! -e "$D" ] && ok || bad "a refused init leaves no folder"
expect 2 "init with a short PIN" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi" --kiosk aula-1 --pin 12
has err "6 sampai 64 angka" "says how long a PIN must be"
expect 2 "init with a bad event id" -- "$IKRAR" init --data "$D" --event "Pilkada 2024" --title T --kiosk aula-1 --pin 246810
expect 2 "init with missing options" -- "$IKRAR" init --data "$D"
expect 0 "init" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 --pin 246810
grep -qE '^ikrar/pilkada-2024/aula-1\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$' "$T/out" && ok || bad "init prints the verifier key: $(cat "$T/out")"
cp "$T/out" "$T/init-vkey"
[ "$(stat -c %a "$D/kiosk.key")" = 600 ] && ok || bad "kiosk.key is 0600"
if grep -q "PRIVATE" "$T/out" "$T/err"; then bad "init printed the private key"; else ok; fi
expect 4 "init again on the same folder" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title T --kiosk aula-1 --pin 246810
has err "sudah berisi kiosk" "says the folder holds a kiosk"

expect 0 "pubkey" -- "$IKRAR" pubkey --data "$D"
cmp -s "$T/out" "$T/init-vkey" && ok || bad "pubkey prints what init printed"
cmp -s "$T/out" "$D/verifier.key" && ok || bad "verifier.key holds the same line"

# --- sign ---
expect 0 "sign a PNS" -- "$IKRAR" sign --data "$D" --name "Siti Rahmawati, S.Pd." --status PNS \
    --nip "198503302010012003" --pos "Guru Ahli Pertama" --unit "Dinas Pendidikan" --ink "$T/ink.json" \
    --receipt-png "$T/r1.png"
has out "nomor 1" "says the record number"
R1=$(tail -n 1 "$T/out")
case "$R1" in IK1:*) ok ;; *) bad "last line is the receipt: $R1" ;; esac
if command -v zbarimg >/dev/null; then
    [ "$(zbarimg --raw -q "$T/r1.png" 2>/dev/null)" = "$R1" ] && ok || bad "the PNG QR reads back as the receipt"
else
    bad "zbarimg is not installed (scripts/setup-debian.sh installs it)"
fi
expect 0 "sign a PPPK" -- "$IKRAR" sign --data "$D" --name "Agus Salim" --status PPPK --nip 199001012022011001 --ink "$T/ink.json"
expect 0 "sign a non-ASN" -- "$IKRAR" sign --data "$D" --name "Rina" --status NON-ASN --ink "$T/ink.json"
R3=$(tail -n 1 "$T/out")

expect 3 "duplicate NIP" -- "$IKRAR" sign --data "$D" --name "Siti" --status PNS --nip "19850330 201001 2 003" --ink "$T/ink.json"
has err "sudah menandatangani" "names the duplicate"
has err "nomor 1" "names the first record"
expect 3 "duplicate NIP, in English" -- "$IKRAR" sign --lang en --data "$D" --name "Siti" --status PNS --nip 198503302010012003 --ink "$T/ink.json"
has err "already signed" "English duplicate message"
expect 3 "gender digit 3" -- "$IKRAR" sign --data "$D" --name "X" --status PNS --nip 198503302010013003 --ink "$T/ink.json"
has err "jenis kelamin" "explains the gender digit"
expect 3 "NIP too short" -- "$IKRAR" sign --data "$D" --name "X" --status PNS --nip 1985033020100120 --ink "$T/ink.json"
has err "18 angka" "explains the length"
expect 3 "NON-ASN with a NIP" -- "$IKRAR" sign --data "$D" --name "X" --status NON-ASN --nip 198503302010012003 --ink "$T/ink.json"
expect 3 "2000-character name" -- "$IKRAR" sign --data "$D" --name "$(printf 'a%.0s' $(seq 2000))" --status NON-ASN --ink "$T/ink.json"
has err "terlalu panjang" "says the name is too long"
expect 3 "unknown status" -- "$IKRAR" sign --data "$D" --name "X" --status HONORER --ink "$T/ink.json"
printf '{"w":600,"h":300,"s":[]}' >"$T/empty.json"
expect 3 "empty ink" -- "$IKRAR" sign --data "$D" --name "X" --status NON-ASN --ink "$T/empty.json"
printf '{"w":600,"h":300,"s":[[1,2' >"$T/broken.json"
expect 3 "broken ink file" -- "$IKRAR" sign --data "$D" --name "X" --status NON-ASN --ink "$T/broken.json"
expect 4 "missing ink file" -- "$IKRAR" sign --data "$D" --name "X" --status NON-ASN --ink "$T/nothing.json"
expect 4 "missing data folder" -- "$IKRAR" sign --data "$T/nowhere" --name "X" --status NON-ASN --ink "$T/ink.json"
has err "belum berisi kiosk" "says there is no kiosk"
expect 2 "sign without --ink" -- "$IKRAR" sign --data "$D" --name "X" --status NON-ASN
expect 2 "unknown option" -- "$IKRAR" sign --data "$D" --bogus
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from record' 2>/dev/null)" = 3 ] && ok || bad "refusals wrote nothing"

# --- verify ---
expect 0 "verify with the data folder" -- "$IKRAR" verify --data "$D" --text "$R1"
has out "SAH" "says valid"
has out "**************2003" "shows the masked NIP"
has out "Siti Rahmawati, S.Pd." "shows the name"
expect 0 "verify with the verifier key file" -- "$IKRAR" verify --key "$D/verifier.key" --text "$R3"
has out "Rina" "shows the non-ASN signer"
echo "$R1" >"$T/r1.txt"
expect 0 "verify reading standard input" -- sh -c "\"$IKRAR\" verify --data \"$D\" --text - < \"$T/r1.txt\""
expect 0 "verify in English" -- "$IKRAR" verify --lang en --key "$D/verifier.key" --text "$R1"
has out "VALID" "English verdict"

expect 1 "not a receipt" -- "$IKRAR" verify --data "$D" --text "https://example.org/"
has err "bukan struk" "says it is not a receipt"
expect 1 "damaged base45" -- "$IKRAR" verify --data "$D" --text "IK1:abc"
has err "rusak" "says damaged"
# One character changed in the middle of a real receipt.
mid=$(( ${#R1} / 2 ))
c=${R1:$mid:1}; [ "$c" = "A" ] && n=B || n=A
F="${R1:0:$mid}$n${R1:$((mid + 1))}"
expect 1 "altered receipt" -- "$IKRAR" verify --data "$D" --text "$F"
O=$T/other
"$IKRAR" init --data "$O" --event pilkada-2024 --title T --kiosk aula-2 --pin 246810 >/dev/null 2>&1
R_OTHER=$("$IKRAR" sign --data "$O" --name "Orang Lain" --status NON-ASN --ink "$T/ink.json" 2>/dev/null | tail -n 1)
expect 1 "receipt of another kiosk" -- "$IKRAR" verify --data "$D" --text "$R_OTHER"
has err "tidak dikenal" "says the kiosk key is unknown"
cat "$D/verifier.key" "$O/verifier.key" >"$T/both.keys"
expect 0 "a key file with both kiosks verifies either" -- "$IKRAR" verify --key "$T/both.keys" --text "$R_OTHER"
has out "aula-2" "names the kiosk that signed"
printf 'not a key\n' >"$T/bad.keys"
expect 2 "a broken key file" -- "$IKRAR" verify --key "$T/bad.keys" --text "$R1"
expect 2 "verify without --text" -- "$IKRAR" verify --data "$D"
expect 2 "verify with both --data and --key" -- "$IKRAR" verify --data "$D" --key "$T/both.keys" --text "$R1"

# --- checkpoint and audit ---
expect 0 "checkpoint" -- "$IKRAR" checkpoint --data "$D"
[ "$(sed -n 1p "$T/out")" = "ikrar/pilkada-2024/aula-1" ] && [ "$(sed -n 2p "$T/out")" = 3 ] && ok || bad "checkpoint names origin and size 3"
grep -q "^— ikrar/pilkada-2024/aula-1 " "$T/out" && ok || bad "checkpoint carries a signature line"
expect 0 "audit" -- "$IKRAR" audit --data "$D"
has out "UTUH" "says intact"

expect 0 "audit against the key kept since init" -- "$IKRAR" audit --data "$D" --key "$T/init-vkey"
has out "ikrar/pilkada-2024/aula-1+" "audit shows the key it checked with"
expect 1 "audit against another kiosk's key" -- "$IKRAR" audit --data "$D" --key "$O/verifier.key"
has err "kunci lain" "says the log is signed with another key"

cp -a "$D" "$T/t1"
sqlite3 "$T/t1/ikrar.db" "UPDATE record SET cose = substr(cose, 1, 60) || x'41' || substr(cose, 62) WHERE seq = 2"
expect 1 "audit of a changed record" -- "$IKRAR" audit --data "$T/t1"
has err "nomor 2" "names record 2"
cp -a "$D" "$T/t2"
sqlite3 "$T/t2/ikrar.db" "DELETE FROM record WHERE seq = 2"
expect 1 "audit of a deleted record" -- "$IKRAR" audit --lang en --data "$T/t2"
has err "Record 2 is missing" "names the missing record"
expect 1 "receipt 3 against a log missing record 2" -- "$IKRAR" verify --data "$T/t2" --text "$R3"

# --- time zones ---
Z=$T/wita
expect 2 "an unknown zone" -- "$IKRAR" init --data "$Z" --event ev --title T --kiosk k --pin 246810 --zone EST
expect 0 "a kiosk in WITA" -- "$IKRAR" init --data "$Z" --event ev --title T --kiosk k --pin 246810 --zone WITA
expect 0 "sign there" -- "$IKRAR" sign --data "$Z" --name "Made" --status PNS --nip 198503302010012003 --ink "$T/ink.json"
has out "WITA" "the time is shown in WITA"
expect 3 "the duplicate there" -- "$IKRAR" sign --data "$Z" --name "Made" --status PNS --nip 198503302010012003 --ink "$T/ink.json"
has err "WITA" "the duplicate's time in WITA too"

# --- passphrase ---
P=$T/enc
printf 'kata sandi yang panjang\n' >"$T/pass"
expect 0 "init with a passphrase" -- "$IKRAR" init --data "$P" --event ev --title T --kiosk k --pin 246810 --passphrase-file "$T/pass"
head -n 1 "$P/kiosk.key" | grep -q "ENCRYPTED PRIVATE KEY" && ok || bad "key stored as encrypted PKCS#8"
expect 4 "sign without the passphrase" -- "$IKRAR" sign --data "$P" --name X --status NON-ASN --ink "$T/ink.json"
has err "rasa sandi" "says the passphrase is missing"
expect 0 "sign with the passphrase" -- "$IKRAR" sign --data "$P" --name X --status NON-ASN --ink "$T/ink.json" --passphrase-file "$T/pass"
expect 0 "verify needs no passphrase" -- "$IKRAR" verify --data "$P" --text "$(tail -n 1 "$T/out")"

# --- help ---
expect 0 "help" -- "$IKRAR" --help
has out "verify" "lists the commands"
for cmd in init sign verify checkpoint pubkey audit bench; do
    expect 0 "$cmd --help" -- "$IKRAR" "$cmd" --help
    has out "ikrar $cmd" "$cmd --help shows its usage"
done
expect 2 "unknown command" -- "$IKRAR" frobnicate
expect 2 "a stray argument" -- "$IKRAR" pubkey --data "$D" extra

finish
