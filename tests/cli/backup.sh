#!/usr/bin/env bash
# cli_backup: `ikrar backup` as staff use it: a copy that audits clean and counts the same,
# never overwriting, the kiosk key only when encrypted, a full or read-only destination
# refused with the source untouched, and a backup taken while two signers write holding
# every record whose `ikrar sign` had already returned.
set -u
IKRAR=${1:?usage: tests/cli/backup.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" backup
D=$T/data
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"

# A valid NIP: born 1985-03-30, TMT 2010-01, gender G, serial N (1..999).
nip() { printf '19850330201001%d%03d' "$1" "$2"; }
sign() { "$IKRAR" sign --data "$D" --name "Penanda $2 $3" --status PNS --nip "$(nip "$2" "$3")" --ink "$T/ink.json" --lang en; }
# "seq nip" of every record in a data folder, in seq order.
records() { sqlite3 -readonly "$1/ikrar.db" "SELECT seq || ' ' || nip FROM record ORDER BY seq"; }

expect 0 "init" -- "$IKRAR" init --data "$D" --event rapat-2026 --title "Deklarasi" --kiosk aula-1 --pin 246810
for i in 1 2 3 4 5; do sign "$D" 1 "$i" >/dev/null || bad "sign $i"; done
"$IKRAR" checkpoint --data "$D" >/dev/null || bad "checkpoint"
sum_before=$(cd "$D" && sha256sum ikrar.db kiosk.key verifier.key)

# --- a plain backup: audits clean, same counts, no private key ---
expect 2 "backup without --to" -- "$IKRAR" backup --data "$D" --lang en
expect 0 "backup" -- "$IKRAR" backup --data "$D" --to "$T/b1" --lang en
has out "INTACT: the copy passed the audit." "backup says the copy audited"
grep -qE '^  Records +5$' "$T/out" && ok || bad "backup reports 5 records: $(cat "$T/out")"
grep -qE '^  Checkpoint +1$' "$T/out" && ok || bad "backup reports the checkpoint: $(cat "$T/out")"
has out "kiosk.key NOT copied" "backup says the key stayed behind"
has err "ikrar: backup dest=" "backup writes its oplog line"
has err "records=5" "the oplog line counts the records"
[ -e "$T/b1/kiosk.key" ] && bad "kiosk.key copied without --passphrase-file" || ok
ls "$T" | grep -q partial && bad "a .partial folder was left: $(ls "$T")" || ok
expect 0 "audit of the copy" -- "$IKRAR" audit --data "$T/b1" --lang en
has out "INTACT: the log passed the audit." "the copy passes ikrar audit"
"$IKRAR" stats --data "$D" --lang en >"$T/stats-src" 2>&1
"$IKRAR" stats --data "$T/b1" --lang en >"$T/stats-copy" 2>&1
cmp -s "$T/stats-src" "$T/stats-copy" && ok || bad "stats differ: $(diff "$T/stats-src" "$T/stats-copy")"
[ "$(records "$D")" = "$(records "$T/b1")" ] && ok || bad "the copy holds other records"
# The copy is one self-contained file: a stick carries no -wal beside it.
[ -z "$(ls "$T/b1" | grep -e '-wal$' -e '-shm$' -e '-journal$')" ] && ok || bad "side files in copy: $(ls "$T/b1")"
# The copy can become a working data folder (restore): sign into a copy of the copy with the key.
cp -r "$T/b1" "$T/restored" && cp "$D/kiosk.key" "$T/restored/"
D_SAVE=$D; D=$T/restored
sign x 1 6 >/dev/null && ok || bad "signing into a restored copy"
D=$D_SAVE
[ "$(records "$T/restored" | tail -n 1)" = "6 $(nip 1 6)" ] && ok || bad "restored copy goes on at seq 6"

# --- never overwrite ---
mkdir "$T/exists" && echo keep >"$T/exists/f"
expect 4 "backup onto an existing folder" -- "$IKRAR" backup --data "$D" --to "$T/exists" --lang en
has err "already exists" "says the destination exists"
has err "never overwrites" "says nothing is overwritten"
[ "$(cat "$T/exists/f")" = keep ] && [ "$(ls "$T/exists")" = f ] && ok || bad "existing folder changed"
echo x >"$T/afile"
expect 4 "backup onto an existing file" -- "$IKRAR" backup --data "$D" --to "$T/afile" --lang en
[ "$(cat "$T/afile")" = x ] && ok || bad "existing file changed"
expect 4 "backup onto the last backup" -- "$IKRAR" backup --data "$D" --to "$T/b1" --lang en
expect 4 "backup of a folder that is no kiosk" -- "$IKRAR" backup --data "$T/exists" --to "$T/b-none" --lang en
[ ! -e "$T/b-none" ] && ok || bad "a refused backup left a folder"

# --- the key: only encrypted, and it loads only with the passphrase ---
printf 'kata sandi cadangan\n' >"$T/pass"
printf 'salah\n' >"$T/wrong"
expect 0 "backup with --passphrase-file" -- "$IKRAR" backup --data "$D" --to "$T/b2" --passphrase-file "$T/pass" --lang en
has out "kiosk.key copied, encrypted" "says the key was copied encrypted"
[ -f "$T/b2/kiosk.key" ] && ok || bad "no kiosk.key in the copy"
grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$T/b2/kiosk.key" && ok || bad "the copied key is not encrypted PKCS#8"
[ "$(stat -c %a "$T/b2/kiosk.key")" = 600 ] && ok || bad "the copied key is not 0600"
grep -q "BEGIN PRIVATE KEY" "$T/b2/kiosk.key" && bad "plain key in the copy" || ok
D_SAVE=$D; D=$T/b2
expect 4 "signing with the copied key and no passphrase" -- sign x 1 7
has err "passphrase" "says a passphrase is needed"
expect 4 "signing with the copied key and a wrong passphrase" -- "$IKRAR" sign --data "$D" --name N --status PNS --nip "$(nip 1 8)" --ink "$T/ink.json" --passphrase-file "$T/wrong" --lang en
expect 0 "signing with the copied key and its passphrase" -- "$IKRAR" sign --data "$D" --name N --status PNS --nip "$(nip 1 9)" --ink "$T/ink.json" --passphrase-file "$T/pass" --lang en
D=$D_SAVE
expect 0 "audit after signing into the copy" -- "$IKRAR" audit --data "$T/b2" --lang en
cmp -s <("$IKRAR" pubkey --data "$T/b2") <("$IKRAR" pubkey --data "$D") && ok || bad "the copy's verifier key differs"
# A source key that is itself encrypted: its passphrase is needed, or the backup is refused.
E=$T/enc
expect 0 "init with an encrypted key" -- "$IKRAR" init --data "$E" --event rapat-2026 --title T --kiosk aula-2 --pin 246810 --passphrase-file "$T/pass"
expect 4 "backup of an encrypted key under another passphrase, without its own" -- "$IKRAR" backup --data "$E" --to "$T/b3" --passphrase-file "$T/wrong" --lang en
has err "--key-passphrase-file" "says how to give the source key's passphrase"
[ ! -e "$T/b3" ] && ok || bad "a refused backup left a folder"
expect 0 "backup of an encrypted key with its passphrase" -- "$IKRAR" backup --data "$E" --to "$T/b3" --passphrase-file "$T/wrong" --key-passphrase-file "$T/pass" --lang en
expect 0 "the copied key opens with the new passphrase" -- "$IKRAR" checkpoint --data "$T/b3" --passphrase-file "$T/wrong" --lang en
expect 0 "backup of an encrypted key under the same passphrase" -- "$IKRAR" backup --data "$E" --to "$T/b4" --passphrase-file "$T/pass" --lang en

# --- unwritable, read-only and full destinations: clear words, source untouched ---
if [ "$(id -u)" -ne 0 ]; then
    mkdir "$T/ro" && chmod 555 "$T/ro"
    expect 4 "backup into a folder we cannot write" -- "$IKRAR" backup --data "$D" --to "$T/ro/b" --lang en
fi
expect 4 "backup into a missing parent" -- "$IKRAR" backup --data "$D" --to "$T/nowhere/b" --lang en
has err "No backup was written" "says nothing was written"
if [ "$(id -u)" -eq 0 ] && mkdir "$T/mnt" && mount -t tmpfs -o size=64k tmpfs "$T/mnt" 2>/dev/null; then
    trap 'umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
    # Enough records that the log is larger than the 64 KiB stick.
    for i in $(seq 10 40); do sign x 1 "$i" >/dev/null || bad "sign $i"; done
    expect 4 "backup onto a full stick" -- "$IKRAR" backup --data "$D" --to "$T/mnt/b" --lang en
    has err "The disk is full" "says the stick is full"
    [ -z "$(ls -A "$T/mnt")" ] && ok || bad "a full stick keeps a half backup: $(ls -A "$T/mnt")"
    mount -o remount,ro "$T/mnt"
    expect 4 "backup onto a read-only stick" -- "$IKRAR" backup --data "$D" --to "$T/mnt/b" --lang en
    has err "read-only" "says the stick is read-only"
    umount "$T/mnt"
else
    echo "SKIP: full and read-only stick (needs root to mount a tmpfs)"
fi
[ "$(cd "$D" && sha256sum kiosk.key verifier.key)" = "$(echo "$sum_before" | grep -v ikrar.db)" ] && ok || bad "source keys changed"
expect 0 "the source still audits" -- "$IKRAR" audit --data "$D" --lang en

# --- a backup while two signers write ---
W=$T/busy
D_SAVE=$D; D=$W
"$IKRAR" init --data "$W" --event rapat-2026 --title T --kiosk aula-3 --pin 246810 >/dev/null 2>&1 || bad "init busy"
# Each loop appends "seq nip" to its acks only after `ikrar sign` exited 0.
signer() {
    local g=$1 i seq
    for i in $(seq 1 150); do
        [ -e "$T/stop" ] && break
        if out=$(sign x "$g" "$i" 2>>"$T/signer$g.err"); then
            seq=$(printf '%s\n' "$out" | sed -n 's/^Recorded as number \([0-9]*\),.*/\1/p' | head -n 1)
            echo "$seq $(nip "$g" "$i")" >>"$T/acks$g"
        else
            echo "sign $g $i failed" >>"$T/signer$g.fail"
        fi
    done
}
: >"$T/acks1"; : >"$T/acks2"
signer 1 & p1=$!
signer 2 & p2=$!
# Wait until both have written some, then back up mid-way.
for _ in $(seq 1 300); do
    [ "$(wc -l <"$T/acks1")" -ge 15 ] && [ "$(wc -l <"$T/acks2")" -ge 15 ] && break
    sleep 0.1
done
cat "$T/acks1" "$T/acks2" | sort -n >"$T/acked-before"
expect 0 "backup while two signers write" -- "$IKRAR" backup --data "$W" --to "$T/b-busy" --lang en
has out "INTACT: the copy passed the audit." "the busy backup audits clean"
wait "$p1" "$p2"
D=$D_SAVE
[ -e "$T/signer1.fail" ] || [ -e "$T/signer2.fail" ] && bad "a signer failed while the other wrote or the backup ran: $(cat "$T"/signer*.fail "$T"/signer*.err 2>/dev/null | head -5)" || ok
records "$T/b-busy" >"$T/in-backup"
missing=$(comm -23 "$T/acked-before" <(sort -n "$T/in-backup"))
[ -z "$missing" ] && ok || bad "acknowledged records missing from the backup: $missing"
n_before=$(wc -l <"$T/acked-before") n_backup=$(wc -l <"$T/in-backup") n_all=$(records "$W" | wc -l)
echo "busy backup: $n_before acknowledged before it, $n_backup in it, $n_all in the end"
[ "$n_backup" -ge "$n_before" ] && [ "$n_backup" -lt "$n_all" ] && ok || bad "the backup was not taken mid-way: $n_before / $n_backup / $n_all"
# The backup is a prefix of the final log: the same seq carries the same NIP.
[ "$(records "$W" | head -n "$n_backup")" = "$(cat "$T/in-backup")" ] && ok || bad "the backup is not a prefix of the log"
expect 0 "audit of the finished busy log" -- "$IKRAR" audit --data "$W" --lang en

# An installed event trust list goes with the backup, so a restored verify station still knows
# the event's kiosks and the event key it pinned.
expect 0 "event init" -- "$IKRAR" event init --event rapat-2026 --out "$T/ev"
expect 0 "add the kiosk to the list" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$D"
expect 0 "install the list" -- "$IKRAR" event install --data "$D" "$T/ev/trust.txt"
expect 0 "backup with a trust list" -- "$IKRAR" backup --data "$D" --to "$T/b-trust" --lang en
cmp -s "$D/trust.txt" "$T/b-trust/trust.txt" && ok || bad "the backup lacks the installed trust list"
expect 0 "the copy audits against the list" -- "$IKRAR" audit --data "$T/b-trust" --trust "$T/ev/trust.txt" --lang en

finish
