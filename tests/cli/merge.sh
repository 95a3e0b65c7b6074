#!/usr/bin/env bash
# cli_merge: three kiosks of one event, one NIP signing on two of them; `ikrar merge` joins
# their bundles (each audited first), `ikrar audit` checks the merged bundle, and receipts
# verify against it.  Another event's bundle, one kiosk twice, a broken bundle and an
# existing folder are refused; an edited merged roster.csv or duplicates.csv is caught.
set -u
IKRAR=${1:?usage: tests/cli/merge.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" merge

printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
kiosk() { # kiosk NAME EVENT: a data folder with its first signers, exported to $T/NAME.b
    expect 0 "init $1" -- "$IKRAR" init --data "$T/$1" --event "$2" --title "Deklarasi" --kiosk "$1" --pin 246810
}
sign() { # sign KIOSK NAME [--nip N --status S]
    local k=$1 n=$2
    shift 2
    expect 0 "sign $n on $k" -- "$IKRAR" sign --data "$T/$k" --name "$n" --ink "$T/ink.json" "$@"
}
kiosk aula-1 pilkada-2024
kiosk aula-2 pilkada-2024
kiosk lobi pilkada-2024
sign aula-1 "Siti Rahmawati" --status PNS --nip 198503302010012003
sign aula-1 "Rina" --status NON-ASN
sign aula-2 "Budi Santoso" --status PNS --nip 197101011990031001
tail -n 1 "$T/out" >"$T/budi.txt"
sign lobi "Siti Rahmawati" --status PNS --nip 198503302010012003
sign lobi "Made" --status NON-ASN
for k in aula-1 aula-2 lobi; do
    expect 0 "export $k" -- "$IKRAR" export --data "$T/$k" --out "$T/$k.b"
done

expect 0 "merge three kiosks" -- "$IKRAR" merge --out "$T/all" "$T/lobi.b" "$T/aula-1.b" "$T/aula-2.b"
has out "3 kiosk" "says three kiosks"
has out "5 catatan" "says five records"
has out "1 NIP" "says one NIP signed twice"
for k in aula-1 aula-2 lobi; do
    cmp -s "$T/$k.b/records.jsonl" "$T/all/kiosks/$k/records.jsonl" && ok || bad "kiosks/$k is not the whole bundle"
done
[ "$(stat -c %a "$T/all/roster.csv")" = 600 ] && ok || bad "merged roster.csv not 0600"
tail -c +4 "$T/all/roster.csv" | tr -d '\r' >"$T/roster.txt"
[ "$(sed -n 2p "$T/roster.txt")" = "1,Siti Rahmawati,198503302010012003,PNS,,,$(sed -n 2p "$T/aula-1.b/roster.csv" | tr -d '\r' | cut -d, -f7),aula-1,1" ] &&
    ok || bad "merged row 1: $(sed -n 2p "$T/roster.txt")"
[ "$(cut -d, -f1,8,9 "$T/roster.txt" | tail -n +2 | tr '\n' ' ')" = "1,aula-1,1 2,aula-1,2 3,aula-2,1 4,lobi,1 5,lobi,2 " ] &&
    ok || bad "merged order: $(cut -d, -f1,8,9 "$T/roster.txt" | tr '\n' ' ')"
tail -c +4 "$T/all/duplicates.csv" | tr -d '\r' >"$T/dups.txt"
[ "$(wc -l <"$T/dups.txt")" -eq 2 ] && ok || bad "duplicates.csv should have a header and one row: $(cat "$T/dups.txt")"
grep -q "^198503302010012003,Siti Rahmawati,2,aula-1 #1 .* WIB; lobi #1 .* WIB$" "$T/dups.txt" && ok ||
    bad "duplicates.csv row: $(cat "$T/dups.txt")"

expect 0 "audit the merged bundle" -- "$IKRAR" audit "$T/all"
has out "UTUH" "intact"
has out "5" "five records"
cat "$T"/{aula-1,aula-2,lobi}/verifier.key >"$T/keys"
expect 0 "audit with the auditor's keys" -- "$IKRAR" audit "$T/all" --key "$T/keys"
expect 1 "audit with one kiosk's key missing" -- "$IKRAR" audit "$T/all" --key "$T/aula-1/verifier.key"
expect 0 "a receipt against the merged bundle" -- "$IKRAR" verify --roster "$T/all" --text "$(cat "$T/budi.txt")"
has out "Budi Santoso" "shows the signer"

pdftotext -layout "$T/all/roster.pdf" "$T/all.txt" && ok || bad "merged roster.pdf unreadable"
for who in "Siti Rahmawati" "Rina" "Budi Santoso" "Made" "aula-1" "lobi"; do
    has all.txt "$who" "the merged PDF shows $who"
done

# Refusals: nothing is written.
kiosk other pilkada-2029
sign other "Ani" --status NON-ASN
expect 0 "export other" -- "$IKRAR" export --data "$T/other" --out "$T/other.b"
expect 1 "another event's bundle" -- "$IKRAR" merge --out "$T/m1" "$T/aula-1.b" "$T/other.b"
has err "acara lain" "says another event"
[ ! -e "$T/m1" ] && ok || bad "a refused merge left a folder"
expect 1 "one kiosk twice" -- "$IKRAR" merge --out "$T/m2" "$T/aula-1.b" "$T/aula-1.b"
cp -a "$T/aula-2.b" "$T/broken.b" && sed -i '1s/Budi Santoso/Budi Santosa/' "$T/broken.b/records.jsonl"
expect 1 "a broken bundle" -- "$IKRAR" merge --lang en --out "$T/m3" "$T/aula-1.b" "$T/broken.b"
has err "broken.b" "names the bundle"
has err "record 1" "names the record"
printf 'Saya berjanji netral.\n' >"$T/decl.txt"
expect 0 "a kiosk of this event with another declaration" -- "$IKRAR" init --data "$T/odd" --event pilkada-2024 \
    --title "D" --kiosk odd --pin 246810 --declaration "$T/decl.txt"
sign odd "Ani" --status NON-ASN
expect 0 "export odd" -- "$IKRAR" export --data "$T/odd" --out "$T/odd.b"
expect 1 "a kiosk whose signers read another declaration" -- "$IKRAR" merge --out "$T/m4" "$T/aula-1.b" "$T/odd.b"
has err "odd.b" "names the bundle"
expect 4 "an existing folder" -- "$IKRAR" merge --out "$T/all" "$T/aula-1.b"
[ -z "$(ls -d "$T"/*.partial-* 2>/dev/null)" ] && ok || bad "a partial folder was left"

# A hostile bundle cannot make merge hang or fill the disk: a FIFO blocked the copy forever,
# and records.jsonl -> /dev/zero was copied until the disk was full.  Nothing is left behind.
cp -a "$T/aula-1.b" "$T/fifo.b" && rm "$T/fifo.b/records.jsonl" && mkfifo "$T/fifo.b/records.jsonl"
expect 1 "a bundle whose records.jsonl is a FIFO" -- timeout 20 "$IKRAR" merge --out "$T/m5" "$T/fifo.b"
has err "not a regular file" "says it is not a file"
cp -a "$T/aula-1.b" "$T/zero.b" && ln -sf /dev/zero "$T/zero.b/records.jsonl"
expect 1 "a bundle whose records.jsonl is /dev/zero" -- timeout 20 "$IKRAR" merge --out "$T/m6" "$T/zero.b"
cp -a "$T/aula-1.b" "$T/sparse.b" && truncate -s 4G "$T/sparse.b/roster.pdf"
expect 1 "a bundle with a 4 GiB sparse roster.pdf" -- timeout 20 "$IKRAR" merge --out "$T/m7" "$T/sparse.b"
has err "larger than" "says it is too large"
rm -rf "$T/sparse.b"
# A symlink in a bundle would copy whatever it points at into a merged bundle that is handed on.
printf 'secret\n' >"$T/secret"
cp -a "$T/aula-1.b" "$T/link.b" && ln -sf "$T/secret" "$T/link.b/roster.pdf"
expect 1 "a bundle whose roster.pdf is a symlink" -- "$IKRAR" merge --out "$T/m10" "$T/link.b" --lang en
has err "a symbolic link" "says so"
[ ! -e "$T/m10" ] && ok || bad "merged a symlinked file"
[ -z "$(ls -d "$T"/m5* "$T"/m6* "$T"/m7* 2>/dev/null)" ] && ok || bad "a partial merge was left"
expect 4 "merge into a folder that does not exist" -- "$IKRAR" merge --out "$T/no/such/m" "$T/aula-1.b" --lang en
has err "$T/no/such/m: the folder to put it in does not exist" "names the asked-for folder"
expect 2 "merge of no bundle" -- "$IKRAR" merge --out "$T/m8"
many=(); for i in $(seq 65); do many+=("$T/aula-1.b"); done
expect 2 "merge of 65 bundles" -- "$IKRAR" merge --out "$T/m9" "${many[@]}"
[ -z "$(ls -d "$T"/m8* "$T"/m9* 2>/dev/null)" ] && ok || bad "a refused merge left a folder"

# Tampering with the merged bundle.
cp -a "$T/all" "$T/t1" && sed -i '4s/Budi Santoso/Budi Santosa/' "$T/t1/roster.csv"
expect 1 "an edited merged roster.csv" -- "$IKRAR" audit "$T/t1"
has err "roster.csv" "names the file"
cp -a "$T/all" "$T/t2" && sed -i '2s/,2,/,3,/' "$T/t2/duplicates.csv"
expect 1 "an edited duplicates.csv" -- "$IKRAR" audit "$T/t2"
has err "duplicates.csv" "names the file"
cp -a "$T/all" "$T/t3" && sed -i '$d' "$T/t3/roster.csv"
expect 1 "a merged roster.csv missing its last row" -- "$IKRAR" audit "$T/t3"
cp -a "$T/all" "$T/t5" && mv "$T/t5/kiosks/aula-2" "$T/t5/kiosks/aula"$'\n'"ikrar: UTUH"
expect 1 "a kiosk folder renamed with a newline" -- "$IKRAR" audit "$T/t5" --lang en
has err "kiosks/aula?ikrar: UTUH is not named as a kiosk" "says so, the newline shown as ?"
[ "$(wc -l <"$T/err")" -eq 1 ] && ok || bad "the folder's name forged a line: $(cat "$T/err")"
expect 1 "verify against it" -- "$IKRAR" verify --roster "$T/t5" --text "$(cat "$T/budi.txt")"
[ "$(wc -l <"$T/err")" -eq 1 ] && ok || bad "verify printed the folder's name: $(cat "$T/err")"
cp -a "$T/all" "$T/t6" && sed -i '1s/Nama/Name/' "$T/t6/roster.csv"
expect 1 "a merged roster.csv without its header" -- "$IKRAR" audit "$T/t6"
if grep -q "nomor 0" "$T/err"; then bad "names record 0: $(cat "$T/err")"; else ok; fi
cp -a "$T/all" "$T/blank" && printf '\r\n' >>"$T/blank/roster.csv"
expect 0 "a blank line an editor left after the merged roster.csv's last row" -- "$IKRAR" audit "$T/blank"
cp -a "$T/all" "$T/t4" && rm -r "$T/t4/kiosks/aula-2"
expect 1 "a kiosk removed from the merged bundle" -- "$IKRAR" audit "$T/t4"

finish
