#!/usr/bin/env bash
# cli_harden: the hardening list of issue 11, as a user meets it.  A kiosk name starting with
# a dot is refused at init; the file: printer refuses a symbolic link planted at a receipt's
# name (the file it points at is untouched) and writes receipts 0600.  A data folder or
# kiosk.key others may write is refused (naming the path and the chmod that fixes it), a key
# others may read is used with a warning, and a FIFO or a symlink as kiosk.key is refused at
# once instead of hanging `sign`.  purge-ink also takes the ink out of the kiosk's own
# exports (records.jsonl and roster.pdf written again; they still audit), and names and
# leaves (status 4) what in exports/ is not its bundle.
set -u
IKRAR=${1:?usage: tests/cli/harden.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" harden
umask 022
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"

# --- kiosk names starting with a dot ---
for name in ... .hidden . ..; do
    expect 2 "init --kiosk '$name'" -- "$IKRAR" init --data "$T/dot" --event pilkada-2024 --title T --kiosk "$name" --pin 246810 --lang en
    has err "not starting with a dot" "init --kiosk '$name' says why"
    [ ! -e "$T/dot" ] && ok || bad "a refused kiosk name '$name' left a folder"
done
expect 0 "a dot inside a name is fine" -- "$IKRAR" init --data "$T/dot" --event pilkada-2024 --title T --kiosk aula.1 --pin 246810

D=$T/data
expect 0 "init" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi" --kiosk aula-1 --pin 246810

# --- file: printer: no symbolic links followed, receipts 0600 ---
echo "not a receipt" >"$T/outside"
mkdir "$T/p"
ln -s "$T/outside" "$T/p/receipt-1.png"
expect 0 "sign with a symlink at the receipt's name still records" -- "$IKRAR" sign --data "$D" --name "Budi Santoso" \
    --status NON-ASN --ink "$T/ink.json" --printer "file:$T/p" --lang en
has err "symbolic link" "the refused symlink is named"
has err "reprint --seq 1" "how to reprint is said"
[ "$(cat "$T/outside")" = "not a receipt" ] && ok || bad "the file the symlink points at was changed"
[ -L "$T/p/receipt-1.png" ] && ok || bad "the planted symlink was replaced, not refused"
[ ! -e "$T/p/receipt-1.pdf" ] && ok || bad "half a receipt was written"
rm "$T/p/receipt-1.png"
expect 0 "reprint once the link is gone" -- "$IKRAR" reprint --data "$D" --seq 1 --printer "file:$T/p"
for f in receipt-1.png receipt-1.pdf; do
    [ "$(stat -c %a "$T/p/$f")" = 600 ] && ok || bad "$f is $(stat -c %a "$T/p/$f"), wanted 600"
done
expect 0 "sign to a new file: folder" -- "$IKRAR" sign --data "$D" --name "Siti" --status NON-ASN --ink "$T/ink.json" \
    --printer "file:$T/p2"
[ "$(stat -c %a "$T/p2")" = 700 ] && ok || bad "a new receipts folder is $(stat -c %a "$T/p2"), wanted 700"
[ "$(stat -c %a "$T/p2/receipt-2.png")" = 600 ] && ok || bad "receipt-2.png is not 0600"

# --- merge: a sparse 2 GiB file is refused quickly and nothing of it is written ---
expect 0 "export" -- "$IKRAR" export --data "$D" --out "$T/b"
cp -a "$T/b" "$T/sparse.b"
truncate -s 2G "$T/sparse.b/roster.pdf"
before=$(du -sk "$T" | cut -f1)
start=$(date +%s)
expect 1 "merge a bundle with a sparse 2 GiB roster.pdf" -- "$IKRAR" merge --lang en --out "$T/m" "$T/sparse.b"
[ $(($(date +%s) - start)) -le 2 ] && ok || bad "the sparse roster.pdf took $(($(date +%s) - start)) s to refuse"
has err "larger than" "says the file is too large"
has err "sparse.b/roster.pdf" "names the file"
[ ! -e "$T/m" ] && ! ls -d "$T"/m.partial-* >/dev/null 2>&1 && ok || bad "a refused merge left a folder"
[ $(($(du -sk "$T" | cut -f1) - before)) -lt 1024 ] && ok || bad "the refused merge used the disk"
expect 0 "the same bundle whole merges" -- "$IKRAR" merge --out "$T/m" "$T/b"

# --- permissions of the data folder and the key ---
mkdir -m 0777 "$T/open"
expect 4 "init into an existing 0777 folder" -- "$IKRAR" init --data "$T/open" --event pilkada-2024 --title T --kiosk k --pin 246810 --lang en
has err "chmod go-w $T/open" "says how to fix it"
[ -z "$(ls -A "$T/open")" ] && ok || bad "a refused init wrote into the folder"
chmod 0755 "$T/open"
expect 0 "init into it once it is 0755" -- "$IKRAR" init --data "$T/open" --event pilkada-2024 --title T --kiosk k --pin 246810
[ "$(stat -c %a "$D")" = 700 ] && ok || bad "init made the folder $(stat -c %a "$D"), wanted 700"
[ "$(stat -c %a "$D/kiosk.key")" = 600 ] && ok || bad "init made kiosk.key $(stat -c %a "$D/kiosk.key"), wanted 600"
cp "$D/ikrar.db" "$T/db.before"
chmod 0777 "$D"
expect 4 "sign in a 0777 data folder" -- "$IKRAR" sign --data "$D" --name "Ani" --status NON-ASN --ink "$T/ink.json" --lang en
has err "$D is writable by its group or by others" "names the folder"
has err "chmod go-w $D" "says how to fix it"
expect 4 "purge-ink (admin) in a 0777 data folder" -- "$IKRAR" purge-ink --data "$D" --yes --lang en
has err "writable by its group or by others" "admin commands refuse it too"
expect 0 "audit still reads a 0777 folder (a copy on a FAT stick)" -- "$IKRAR" audit --data "$D"
chmod 0770 "$D"
expect 4 "sign in a 0770 data folder" -- "$IKRAR" sign --data "$D" --name "Ani" --status NON-ASN --ink "$T/ink.json"
chmod 0700 "$D"
cmp -s "$D/ikrar.db" "$T/db.before" && ok || bad "a refused sign changed the log"

chmod 0666 "$D/kiosk.key"
expect 4 "sign with a 0666 kiosk.key" -- "$IKRAR" sign --data "$D" --name "Ani" --status NON-ASN --ink "$T/ink.json" --lang en
has err "$D/kiosk.key is writable by its group or by others" "names the key"
has err "chmod 600 $D/kiosk.key" "says how to fix it"
chmod 0620 "$D/kiosk.key"
expect 4 "sign with a group-writable kiosk.key" -- "$IKRAR" sign --data "$D" --name "Ani" --status NON-ASN --ink "$T/ink.json"
chmod 0644 "$D/kiosk.key"
expect 0 "sign with a 0644 kiosk.key works" -- "$IKRAR" sign --data "$D" --name "Ani" --status NON-ASN --ink "$T/ink.json" --lang en
has err "readable-by-others" "but warns that others can read the key"
has err "chmod_600" "and says how to fix it"
chmod 0600 "$D/kiosk.key"
expect 0 "sign with a 0600 kiosk.key" -- "$IKRAR" sign --data "$D" --name "Ana" --status NON-ASN --ink "$T/ink.json"
grep -q "readable-by-others" "$T/err" && bad "a 0600 key is warned about" || ok

mv "$D/kiosk.key" "$T/kiosk.key"
mkfifo "$D/kiosk.key"
start=$(date +%s)
expect 4 "a FIFO as kiosk.key" -- timeout 20 "$IKRAR" sign --data "$D" --name "Ani" --status NON-ASN --ink "$T/ink.json" --lang en
[ $(($(date +%s) - start)) -le 5 ] && ok || bad "a FIFO as kiosk.key held sign up"
has err "not a regular file" "says the key is not a regular file"
rm "$D/kiosk.key"
ln -s "$T/kiosk.key" "$D/kiosk.key"
expect 4 "a symlink as kiosk.key" -- "$IKRAR" sign --data "$D" --name "Ani" --status NON-ASN --ink "$T/ink.json" --lang en
has err "symbolic link" "says the key is a symbolic link"
rm "$D/kiosk.key"
mv "$T/kiosk.key" "$D/kiosk.key"
expect 0 "the key back in place signs" -- "$IKRAR" sign --data "$D" --name "Ani" --status NON-ASN --ink "$T/ink.json"

# --- purge-ink and the kiosk's own exports ---
P=$T/purge
expect 0 "init" -- "$IKRAR" init --data "$P" --event pilkada-2024 --title "Deklarasi" --kiosk aula-1 --pin 246810
expect 0 "sign 1" -- "$IKRAR" sign --data "$P" --name "Siti Rahmawati" --status NON-ASN --ink "$T/ink.json"
tail -n 1 "$T/out" >"$T/siti.txt"
expect 0 "sign 2" -- "$IKRAR" sign --data "$P" --name "Budi Santoso" --status NON-ASN --ink "$T/ink.json"
mkdir -m 700 "$P/exports"
expect 0 "export into exports/ (as the staff menu does)" -- "$IKRAR" export --data "$P" --out "$P/exports/roster-1"
expect 0 "sign 3" -- "$IKRAR" sign --data "$P" --name "Made" --status NON-ASN --ink "$T/ink.json"
expect 0 "a second export" -- "$IKRAR" export --data "$P" --out "$P/exports/roster-2"
cp "$P/exports/roster-1/roster.csv" "$T/roster-1.csv"
pdftotext "$P/exports/roster-2/roster.pdf" - 2>/dev/null | grep -q "tanda tangan dihapus" &&
    bad "roster.pdf should draw the signatures before the purge" || ok
grep -rlq '"ink"' "$P" && ok || bad "the exports should hold ink before the purge"
expect 0 "purge-ink" -- "$IKRAR" purge-ink --data "$P" --yes --lang en
has out "Exports in $P/exports written again without the ink: 2" "says the exports were cleared"
if grep -rl '"ink"' "$P" >"$T/inked"; then bad "ink left in the data folder: $(cat "$T/inked")"; else ok; fi
[ "$(pdftotext "$P/exports/roster-2/roster.pdf" - 2>/dev/null | grep -c "tanda tangan dihapus")" -eq 3 ] && ok ||
    bad "roster.pdf was not drawn again without the signatures"
pdftotext "$P/exports/roster-2/roster.pdf" - 2>/dev/null | grep -q "Made" && ok || bad "the new roster.pdf lists no signer"
cmp -s "$T/roster-1.csv" "$P/exports/roster-1/roster.csv" && ok || bad "roster.csv should be left as it was"
[ "$(wc -l <"$P/exports/roster-1/records.jsonl")" -eq 2 ] && ok || bad "roster-1 should keep its 2 records"
for b in roster-1 roster-2; do
    expect 0 "$b still audits" -- "$IKRAR" audit "$P/exports/$b" --key "$P/verifier.key"
done
expect 0 "a receipt verifies against the cleared export" -- "$IKRAR" verify --roster "$P/exports/roster-1" --text "$(cat "$T/siti.txt")"
[ "$(stat -c %a "$P/exports/roster-1/records.jsonl")" = 600 ] && ok || bad "the new records.jsonl is not 0600"
ls -d "$P"/exports/*.purge-* >/dev/null 2>&1 && bad "a temporary folder was left" || ok

# Something in exports/ that is not this kiosk's bundle: named, left, status 4.
expect 0 "sign 4" -- "$IKRAR" sign --data "$P" --name "Ani" --status NON-ASN --ink "$T/ink.json"
cp -a "$T/b" "$P/exports/other-kiosk"
expect 4 "purge-ink with another kiosk's bundle in exports/" -- "$IKRAR" purge-ink --data "$P" --yes --lang en
has err "still holds it" "says ink may remain"
has err "other-kiosk" "names the folder"
grep -q '"ink"' "$P/exports/other-kiosk/records.jsonl" && ok || bad "a folder not ours was changed"

finish
