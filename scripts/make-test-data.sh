#!/usr/bin/env bash
# make-test-data.sh: (re)makes the files in tests/data that tests read (see tests/data/README.md).
#
#   bash scripts/make-test-data.sh [BUILD_DIR]      (default build/)
#
# 1. tests/data/vectors/: the worked example of the format specification (VECTORS.md), copied
#    value by value out of its text, so the tests check the code against the spec's own bytes
#    and never against bytes our code made.  The spec is $IKRAR_SPEC/VECTORS.md, by default
#    ../shared/spec/ beside the repository.
# 2. tests/data/bundle/, receipts/ and forged/: written by `test_data --write`, which builds a
#    kiosk with the example's fixed key (RFC 8032 test 1) and fixed times, signs three people
#    with the very code `ikrar sign` runs, exports the bundle with the code `ikrar export` runs,
#    then makes each forgery from those files.  Ed25519, deterministic CBOR and the export
#    leave no freedom, so running this again gives the same bytes; test_data checks that it
#    does, so a change in what ikrar writes shows up as a failing test until this is rerun.
#
# Review the diff (git diff --stat tests/data) before committing what it wrote.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=${1:-$root/build}
spec=${IKRAR_SPEC:-$root/../shared/spec}
data=$root/tests/data
vectors=$spec/VECTORS.md
[ -f "$vectors" ] || { echo "make-test-data: $vectors not found (set IKRAR_SPEC to the spec folder)" >&2; exit 2; }

# --- 1. the worked example, out of VECTORS.md ---
# Its values are indented four spaces under a label line; the checkpoint takes several lines.
value() { # LABEL: the indented lines under the first line equal to LABEL (minus the indent)
    awk -v label="$1" '
        found && /^    / { print substr($0, 5); next }
        found { exit }
        $0 == label { found = 1 }
    ' "$vectors"
}
one() { # LABEL FILE: a one-line value into vectors/FILE, checked not empty
    local v
    v=$(value "$1")
    [ -n "$v" ] && [ "$(printf '%s\n' "$v" | wc -l)" -eq 1 ] || { echo "make-test-data: no '$1' in $vectors" >&2; exit 1; }
    printf '%s\n' "$v" >"$data/vectors/$2"
}
mkdir -p "$data/vectors"
one "public key" public.hex
one "verifier key" verifier.key
one "kid" kid.hex
one "decl" decl.hex
one "ink CBOR" ink.cbor.hex
one "inkh" inkh.hex
one "record claims CBOR" record-claims.cbor.hex
one "record COSE_Sign1" record.cose.hex
one "leaf hash" leaf.hex
one "root at size 1" root-1.hex
one "receipt claims CBOR" receipt-claims.cbor.hex
one "receipt COSE_Sign1" receipt.cose.hex
one "receipt text (zlib level 6)" receipt.txt
# The checkpoint: its lines up to the closing fence; the empty line before the signature is
# part of the note (VECTORS.md adds four spaces of indent, which are taken off again).
awk '
    found && /^```/ { exit }
    found { sub(/^    /, ""); print; next }
    /^checkpoint at size 1/ { found = 1 }
' "$vectors" | sed -e '${/^$/d}' >"$data/vectors/checkpoint"
grep -q '^— ikrar/' "$data/vectors/checkpoint" || { echo "make-test-data: no checkpoint in $vectors" >&2; exit 1; }
# The inputs, written in VECTORS.md's prose: the secret key, the declaration and the ink.
sed -n 's/^`\([0-9a-f]\{64\}\)`); origin$/\1/p' "$vectors" >"$data/vectors/seed.hex"
[ "$(wc -c <"$data/vectors/seed.hex")" -eq 65 ] || { echo "make-test-data: no secret key in $vectors" >&2; exit 1; }
printf 'Kami, Aparatur Sipil Negara, menyatakan netral.\n' >"$data/vectors/declaration.txt"
grep -qF "\`$(head -c -1 "$data/vectors/declaration.txt")\` followed by one newline" "$vectors" ||
    { echo "make-test-data: the declaration in $vectors changed" >&2; exit 1; }
grep -o '`{"w": [^`]*}`' "$vectors" | tr -d '`' >"$data/vectors/ink.json"
[ "$(wc -l <"$data/vectors/ink.json")" -eq 1 ] || { echo "make-test-data: no ink in $vectors" >&2; exit 1; }

# --- 2. the golden bundle, its receipts, the forgeries and the negative corpus ---
cmake --build "$build" --target test_data -j2 >/dev/null
tmp=$(mktemp -d /tmp/ikrar-make-test-data-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
IKRAR_TEST_DATA=$data "$build/test_data" --write "$tmp/out"
rm -rf "$data/bundle" "$data/receipts" "$data/forged" "$data/negative/encoding" "$data/negative/qr"
mkdir -p "$data/negative"
cp -r "$tmp/out/bundle" "$tmp/out/receipts" "$tmp/out/forged" "$data/"
cp -r "$tmp/out/negative/." "$data/negative/"
# --- 3. the event trust list's worked example and its negative corpus ---
cmake --build "$build" --target test_trust -j2 >/dev/null
rm -rf "$data/trust" "$data/negative/trust"
mkdir -p "$data/trust" "$data/negative/trust"
IKRAR_TEST_DATA=$data "$build/test_trust" --write "$data"
# --- 3. the negative corpus of the text rule (test_text_data) ---
cmake --build "$build" --target test_text_data -j2 >/dev/null
IKRAR_TEST_DATA=$data "$build/test_text_data" --write "$tmp/text"
rm -rf "$data/negative/text"
mkdir -p "$data/negative"
cp -r "$tmp/text/negative/text" "$data/negative/"
# git keeps no modes but the executable bit; the export's 0600/0700 are not the test data's.
chmod -R u=rwX,go=rX "$data"
echo "tests/data remade; now check: git status tests/data && git diff --stat tests/data"
