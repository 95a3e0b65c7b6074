#!/usr/bin/env bash
# cli_defaults: `ikrar --version` names the version and the formats, and a command given no
# --data works on $IKRAR_DATA, else on the folder compiled in (what `ikrar --help` names),
# while --data always wins.  The installed package's /var/lib/ikrar is tests/deploy/deb.sh's.
set -u
IKRAR=${1:?usage: tests/cli/defaults.sh path/to/ikrar}
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$SRC/tests/common/harness.sh" defaults
unset IKRAR_DATA

# --version: the project's version from CMakeLists.txt, then one line a format.
want=$(sed -n 's/^project(ikrar VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
expect 0 "--version" -- "$IKRAR" --version --lang en
[ "$(head -n 1 "$T/out")" = "ikrar $want" ] && ok || bad "--version first line: $(head -n 1 "$T/out")"
has out "record: COSE_Sign1 (Ed25519), v 1" "--version names the record format"
has out "receipt: IK1:" "--version names the receipt"
has out "checkpoint: C2SP tlog-checkpoint" "--version names the checkpoint"
has out "roster bundle: records.jsonl" "--version names the roster bundle"
schema=$(sed -n 's/^#define IKR_LOG_SCHEMA \([0-9]*\).*/\1/p' "$SRC/include/ikrar/log.h")
has out "SQLite schema: $schema" "--version names the database schema"
[ "$(wc -l <"$T/out")" -eq 6 ] && ok || bad "--version: $(wc -l <"$T/out") lines, wanted 6"
expect 0 "ikrar version" -- "$IKRAR" version --lang en
[ "$(head -n 1 "$T/out")" = "ikrar $want" ] && ok || bad "ikrar version: $(head -n 1 "$T/out")"
expect 0 "--version in Indonesian" -- env LANG=C "$IKRAR" --version
has out "skema SQLite: $schema" "--version in Indonesian"

# The compiled-in folder, as --help says it.
expect 0 "--help" -- "$IKRAR" --help --lang en
default=$(sed -n 's/^Without --data: the folder \$IKRAR_DATA, or \(.*\)\.$/\1/p' "$T/out")
[ -n "$default" ] && ok || bad "--help does not name the default data folder: $(cat "$T/out")"
if [ -e "$default/ikrar.db" ]; then
    echo "note: $default holds a kiosk; its refusal is not checked"
else
    expect 4 "pubkey with no --data and no IKRAR_DATA" -- "$IKRAR" pubkey --lang en
    has err "$default/ikrar.db" "the refusal names the compiled-in folder"
fi

# IKRAR_DATA: init, sign, audit, verify and pubkey without --data.
D=$T/kiosk
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
export IKRAR_DATA=$D
expect 0 "init with IKRAR_DATA" -- "$IKRAR" init --event pilkada-2024 --title "Deklarasi" \
    --kiosk aula-1 --pin 246810
[ -s "$D/ikrar.db" ] && ok || bad "init with IKRAR_DATA wrote no $D/ikrar.db"
cp "$T/out" "$T/vkey"
expect 0 "sign with IKRAR_DATA" -- "$IKRAR" sign --name "Rina" --status NON-ASN --ink "$T/ink.json"
receipt=$(tail -n 1 "$T/out")
expect 0 "audit with IKRAR_DATA" -- "$IKRAR" audit
expect 0 "verify with IKRAR_DATA" -- "$IKRAR" verify --text "$receipt"
expect 0 "pubkey with IKRAR_DATA" -- "$IKRAR" pubkey
cmp -s "$T/out" "$T/vkey" && ok || bad "pubkey with IKRAR_DATA is not the key init printed"
expect 0 "stats with IKRAR_DATA" -- "$IKRAR" stats --lang en
expect 0 "checkpoint with IKRAR_DATA" -- "$IKRAR" checkpoint
expect 0 "export with IKRAR_DATA" -- "$IKRAR" export --out "$T/bundle"
expect 0 "audit of a bundle ignores IKRAR_DATA" -- env IKRAR_DATA="$T/nowhere" "$IKRAR" audit "$T/bundle"
expect 0 "verify --key ignores IKRAR_DATA" -- env IKRAR_DATA="$T/nowhere" "$IKRAR" verify \
    --key "$T/vkey" --text "$receipt"

# --data wins over IKRAR_DATA.
expect 0 "--data over IKRAR_DATA" -- env IKRAR_DATA="$T/nowhere" "$IKRAR" audit --data "$D"
expect 4 "IKRAR_DATA naming no kiosk" -- env IKRAR_DATA="$T/nowhere" "$IKRAR" audit --lang en
has err "$T/nowhere/ikrar.db" "the refusal names IKRAR_DATA's folder"
expect 4 "an empty IKRAR_DATA is the compiled-in folder" -- env IKRAR_DATA= "$IKRAR" pubkey --lang en
has err "$default/ikrar.db" "an empty IKRAR_DATA falls back to the compiled-in folder"

# Usage: what is still required is said, --data no longer among it.
expect 2 "sign without --ink" -- "$IKRAR" sign --name X --status NON-ASN --lang en
has err "--name, --status and --ink are required." "sign's usage error"
expect 2 "audit with --data and a bundle" -- "$IKRAR" audit --data "$D" "$T/bundle" --lang en
has err "not both" "audit's usage error"
expect 2 "verify with two sources" -- "$IKRAR" verify --data "$D" --key "$T/vkey" --text x --lang en
has err "at most one of --data, --key or --trust" "verify's usage error"
expect 0 "sign --help shows --data as optional" -- "$IKRAR" sign --help --lang en
has out "ikrar sign [--data DIR]" "sign --help"

echo -n "cli_defaults: "
finish
