#!/usr/bin/env bash
# cli_bundle: `ikrar export` writes the roster bundle, and `ikrar verify --roster` checks
# receipts (text and photographed QR codes) against it, as an auditor with nothing but the
# bundle would.  A bundle that was cut, edited or re-keyed is refused with the reason; an
# export never overwrites a folder.  (The tamper matrix in depth is in test_bundle.c.)
set -u
IKRAR=${1:?usage: tests/cli/bundle.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" bundle

D=$T/data
B=$T/roster
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
expect 0 "init" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi" --kiosk aula-1 --pin 246810
expect 0 "sign 1" -- "$IKRAR" sign --data "$D" --name "Siti Rahmawati" --status PNS --nip 198503302010012003 \
    --pos "Analis" --unit "Bagian \"Umum\"" --ink "$T/ink.json" --receipt-png "$T/r1.png"
tail -n 1 "$T/out" >"$T/r1.txt"
expect 0 "sign 2: a name a spreadsheet would run" -- "$IKRAR" sign --data "$D" --name "=SUM(A1)" \
    --status NON-ASN --ink "$T/ink.json"
tail -n 1 "$T/out" >"$T/r2.txt"

expect 2 "export needs --out" -- "$IKRAR" export --data "$D"
# The staff list: three expected in the signer's unit, so the PDF's summary shows 1 of 3.
printf 'NIP,Nama,Jabatan,Unit Kerja,Status\n198503302010012003,Siti Rahmawati,Analis,"Bagian ""Umum""",PNS\n,Ani,Staf,"Bagian ""Umum""",NON-ASN\n,Ina,Staf,"Bagian ""Umum""",NON-ASN\n' >"$T/staff.csv"
expect 0 "import the staff list" -- "$IKRAR" roster import --data "$D" "$T/staff.csv"
expect 0 "export" -- "$IKRAR" export --data "$D" --out "$B"
has out "2" "says how many records"
[ "$(stat -c %a "$B")" = 700 ] && ok || bad "bundle folder not 0700"
[ "$(stat -c %a "$B/records.jsonl")" = 600 ] && ok || bad "records.jsonl not 0600"
[ "$(wc -l <"$B/records.jsonl")" -eq 2 ] && ok || bad "records.jsonl should have 2 lines"
cmp -s "$B/verifier.key" "$D/verifier.key" && ok || bad "bundle's verifier.key differs from the kiosk's"
has_b() { if grep -qF -- "$1" "$B/records.jsonl"; then ok; else bad "records.jsonl lacks $1"; fi; }
has_b '"seq":1,"cose":"'
has_b '"name":"Siti Rahmawati"'
has_b '"unit":"Bagian \"Umum\""'
has_b '"name":"=SUM(A1)"'
sed -n 2p "$B/checkpoint" >"$T/size"
has size "2" "the checkpoint holds 2 records"

# roster.csv: BOM, header, a neutralised formula cell, and the auditor's check of it.
head -c 3 "$B/roster.csv" | od -An -tx1 | grep -q "ef bb bf" && ok || bad "roster.csv has no BOM"
[ "$(tail -c +4 "$B/roster.csv" | head -n 1)" = $'No,Nama,NIP,Status,Jabatan,Unit Kerja,Waktu,Kiosk,Nomor Catatan\r' ] && ok ||
    bad "roster.csv header"
grep -qF "2,'=SUM(A1),,NON-ASN" "$B/roster.csv" && ok || bad "formula name not neutralised: $(cat "$B/roster.csv")"
grep -qF '"Bagian ""Umum"""' "$B/roster.csv" && ok || bad "quoted unit"
expect 0 "audit the bundle" -- "$IKRAR" audit "$B"
has out "UTUH" "intact"
expect 0 "audit with the key the auditor kept" -- "$IKRAR" audit "$B" --key "$D/verifier.key" --threads 2
expect 0 "export with ';' for Indonesian Excel" -- "$IKRAR" export --data "$D" --out "$T/semi" --csv-sep ';'
tail -c +4 "$T/semi/roster.csv" | head -n 1 | grep -q "^No;Nama;NIP;" && ok || bad "';' header"
expect 0 "the ';' bundle audits" -- "$IKRAR" audit "$T/semi"
expect 2 "--csv-sep other" -- "$IKRAR" export --data "$D" --out "$T/tab" --csv-sep x
cp -a "$B" "$T/csvedit" && sed -i '2s/Siti Rahmawati/Siti Rahmawaty/' "$T/csvedit/roster.csv"
expect 1 "an edited roster.csv row" -- "$IKRAR" audit "$T/csvedit"
has err "roster.csv tidak sesuai catatan nomor 1" "names the record"
has err "Nama" "names the column"

# The declaration as signers read it, the event, and the printable roster.
cmp -s "$B/declaration.txt" <(sqlite3 "$D/ikrar.db" "SELECT v FROM meta WHERE k='declaration'" | head -c -1) &&
    ok || bad "declaration.txt is not the kiosk's declaration"
grep -q '"event":"pilkada-2024"' "$B/event.json" && grep -q '"zone":"WIB"' "$B/event.json" && ok ||
    bad "event.json: $(cat "$B/event.json")"
[ "$(stat -c %a "$B/roster.pdf")" = 600 ] && ok || bad "roster.pdf not 0600"
if command -v pdftotext >/dev/null; then
    pdftotext -layout "$B/roster.pdf" "$T/roster.txt"
    has roster.txt "Siti Rahmawati" "the PDF lists the signer"
    has roster.txt "198503302010012003" "the PDF shows the NIP"
    has roster.txt "Halaman 1 dari" "the PDF numbers its pages"
    has roster.txt "Analis" "the PDF shows the position"
    has roster.txt "33,3%" "the PDF's summary has 1 of the 3 expected in the unit"
else
    bad "pdftotext missing (scripts/setup-debian.sh installs poppler-utils)"
fi

expect 4 "export refuses an existing folder" -- "$IKRAR" export --data "$D" --out "$B"
has err "sudah ada" "says the folder exists"
expect 4 "export into a folder that does not exist" -- "$IKRAR" export --data "$D" --out "$T/no/such/b" --lang en
has err "$T/no/such/b: the folder to put it in does not exist" "names the asked-for folder, not the hidden one"
[ ! -e "$T/no" ] && ok || bad "export made folders on its way"
expect 4 "audit of a bundle that is not there" -- "$IKRAR" audit "$T/no-bundle"
has err "$T/no-bundle" "names it"
: >"$T/a-file"
expect 4 "audit of a file, not a folder" -- "$IKRAR" audit "$T/a-file" --lang en
has err "not a folder" "says it is not a folder"

expect 0 "receipt 1 against the bundle" -- "$IKRAR" verify --roster "$B" --text "$(cat "$T/r1.txt")"
has out "SAH" "valid"
has out "Roster" "checked against the roster"
expect 0 "receipt 2, from standard input... as text" -- "$IKRAR" verify --lang en --roster "$B" --text "$(cat "$T/r2.txt")"
has out "the record is in the bundle" "says the bundle holds it"
expect 0 "a photographed receipt against the bundle" -- "$IKRAR" verify --roster "$B" "$T/r1.png"
has out "Siti Rahmawati" "shows the signer"
expect 2 "--roster with --data" -- "$IKRAR" verify --roster "$B" --data "$D" --text "$(cat "$T/r1.txt")"

# A receipt signed after the export is not in the bundle.
expect 0 "sign 3 after the export" -- "$IKRAR" sign --data "$D" --name "Rina" --status NON-ASN --ink "$T/ink.json"
tail -n 1 "$T/out" >"$T/r3.txt"
expect 1 "a later receipt is not in the bundle" -- "$IKRAR" verify --roster "$B" --text "$(cat "$T/r3.txt")"
has err "Catatan nomor 3 tidak ada" "names the record"

# Another kiosk's receipt: its key is not the bundle's.
expect 0 "another kiosk" -- "$IKRAR" init --data "$T/other" --event pilkada-2024 --title "D" --kiosk aula-2 --pin 246810
expect 0 "sign there" -- "$IKRAR" sign --data "$T/other" --name "Budi" --status NON-ASN --ink "$T/ink.json"
tail -n 1 "$T/out" >"$T/ro.txt"
expect 1 "another kiosk's receipt" -- "$IKRAR" verify --lang en --roster "$B" --text "$(cat "$T/ro.txt")"
has err "key" "says the key is unknown"

# Tampered bundles.
cp -a "$B" "$T/cut" && sed -i '$d' "$T/cut/records.jsonl"
expect 1 "a bundle missing its last record" -- "$IKRAR" verify --lang en --roster "$T/cut" --text "$(cat "$T/r1.txt")"
has err "differs from its checkpoint" "says the count is wrong"
cp -a "$B" "$T/edit" && sed -i '1s/"cose":"0/"cose":"1/' "$T/edit/records.jsonl"
expect 1 "an edited record" -- "$IKRAR" verify --roster "$T/edit" --text "$(cat "$T/r2.txt")"
has err "diubah" "says a record was changed"
cp -a "$B" "$T/rekey" && cp "$T/other/verifier.key" "$T/rekey/verifier.key"
expect 1 "another kiosk's key in the bundle" -- "$IKRAR" verify --roster "$T/rekey" --text "$(cat "$T/r1.txt")"
has err "Checkpoint" "says the checkpoint is not by that key"
expect 1 "audit with another kiosk's key" -- "$IKRAR" audit "$B" --key "$T/other/verifier.key"
has err "kunci lain" "says the key is another"
expect 1 "audit of a cut bundle" -- "$IKRAR" audit "$T/cut"
expect 1 "no bundle there" -- "$IKRAR" verify --roster "$T/nothing" --text "$(cat "$T/r1.txt")"
has err "tidak lengkap" "says the bundle is incomplete"

# A bundle's files must be regular files: a FIFO once made audit and verify wait forever for a
# writer, and /dev/zero was read until the line limit.  (timeout: a regression fails, not hangs.)
cp -a "$B" "$T/fifo" && rm "$T/fifo/records.jsonl" && mkfifo "$T/fifo/records.jsonl"
expect 1 "records.jsonl as a FIFO (audit)" -- timeout 20 "$IKRAR" audit "$T/fifo"
has err "not a regular file" "says it is not a file"
expect 1 "records.jsonl as a FIFO (verify)" -- timeout 20 "$IKRAR" verify --roster "$T/fifo" --text "$(cat "$T/r1.txt")"
cp -a "$B" "$T/fifock" && rm "$T/fifock/checkpoint" && mkfifo "$T/fifock/checkpoint"
expect 1 "checkpoint as a FIFO" -- timeout 20 "$IKRAR" verify --roster "$T/fifock" --text "$(cat "$T/r1.txt")"
cp -a "$B" "$T/fifocsv" && rm "$T/fifocsv/roster.csv" && mkfifo "$T/fifocsv/roster.csv"
expect 1 "roster.csv as a FIFO" -- timeout 20 "$IKRAR" audit "$T/fifocsv"
has err "roster.csv: not a regular file" "names roster.csv"
cp -a "$B" "$T/zero" && ln -sf /dev/zero "$T/zero/records.jsonl"
expect 1 "records.jsonl -> /dev/zero" -- timeout 20 "$IKRAR" audit "$T/zero" --lang en
has err "incomplete or cannot be read" "says so in English"
cp -a "$B" "$T/evfifo" && rm "$T/evfifo/event.json" && mkfifo "$T/evfifo/event.json"
expect 1 "event.json as a FIFO" -- timeout 20 "$IKRAR" audit "$T/evfifo"

# Once the ink's retention ends: the bundle still audits, receipts still check against it,
# and the PDF says the signatures were deleted instead of drawing them.
expect 0 "purge the ink" -- "$IKRAR" purge-ink --data "$D" --yes
expect 0 "export after the purge" -- "$IKRAR" export --data "$D" --out "$T/purged"
has out "0 dengan tinta" "says no ink was exported"
if grep -q '"ink"' "$T/purged/records.jsonl"; then bad "purged ink exported"; else ok; fi
expect 0 "the purged bundle audits" -- "$IKRAR" audit "$T/purged"
expect 0 "a receipt against the purged bundle" -- "$IKRAR" verify --roster "$T/purged" --text "$(cat "$T/r1.txt")"
pdftotext -layout "$T/purged/roster.pdf" "$T/purged.txt"
has purged.txt "tanda tangan dihapus" "the PDF says the signature was deleted"
has purged.txt "sesuai masa retensi" "...as its retention ended"

finish
