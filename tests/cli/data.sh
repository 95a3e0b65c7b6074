#!/usr/bin/env bash
# cli_data: `ikrar verify` and `ikrar audit` over the files of tests/data, as tests/data/README.md
# lists them: every golden receipt and bundle must pass (exit 0, its verdict line), every forged
# one must fail with the exit status and the message its row names; a forged file accepted fails
# this test.  The README's forged rows must be exactly the files in tests/data/forged, so a
# forgery can neither be added without saying what it must answer nor be left out unnoticed.
set -u
IKRAR=${1:?usage: tests/cli/data.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" data
DATA=${IKRAR_TEST_DATA:-$(dirname "${BASH_SOURCE[0]}")/../data}

# A copy, so that nothing run here can touch the committed files.
D=$T/d
cp -r "$DATA" "$D" || { bad "cannot copy $DATA"; finish; exit; }

# The README rows whose file starts with PREFIX, as "file<TAB>status<TAB>message":
#   | `file` | what | exit N, `message` |
rows() {
    awk -F'|' -v pre="$1" '
        index($2, " `" pre) == 1 {
            file = $2; gsub(/^ `|` *$/, "", file)
            st = $4; sub(/^ *exit /, "", st); sub(/,.*/, "", st)
            msg = $4; sub(/^[^`]*`/, "", msg); sub(/`[^`]*$/, "", msg)
            print file "\t" st "\t" msg
        }' "$D/README.md"
}

# Runs the verifier the README names for FILE (a receipt: verify with the example's key; a
# folder: audit with the bundle's key) and checks its exit status and message.
answer() {
    local file=$1 want=$2 msg=$3
    case $file in
    */) expect "$want" "$file" -- "$IKRAR" audit "$D/${file%/}" --key "$D/bundle/verifier.key" --lang en ;;
    *.txt) expect "$want" "$file" -- "$IKRAR" verify --key "$D/vectors/verifier.key" --text "$(cat "$D/$file")" --lang en ;;
    *) bad "README row for $file: neither a receipt (.txt) nor a bundle (ending in /)"; return ;;
    esac
    local said
    if [ "$want" -eq 0 ]; then said=$(head -n 1 "$T/out"); else said=$(cat "$T/err"); fi
    if [ "$said" = "$msg" ]; then ok; else bad "$file: said '$said', README says '$msg'"; fi
}

golden=$(rows vectors/; rows receipts/; rows bundle/)
forged=$(rows forged/)
[ "$(printf '%s\n' "$golden" | grep -c .)" -eq 5 ] && ok || bad "README: expected 5 golden rows, got: $golden"

while IFS=$'\t' read -r file want msg; do
    [ "$want" = 0 ] && ok || bad "golden $file: README wants exit $want"
    answer "$file" "$want" "$msg"
done <<<"$golden"

while IFS=$'\t' read -r file want msg; do
    [ "$want" = 1 ] && ok || bad "forged $file: README wants exit $want, not 1 (invalid)"
    answer "$file" "$want" "$msg"
    if grep -q '^VALID\|^INTACT\|^SAH\|^UTUH' "$T/out"; then bad "FORGED FILE ACCEPTED: $file"; fi
done <<<"$forged"

# The forged table lists exactly the files present, and no file twice.
listed=$(printf '%s\n' "$forged" | cut -f1 | sed 's#/$##' | sort)
present=$(cd "$D" && find forged -mindepth 2 -maxdepth 2 | sort)
if [ "$listed" = "$present" ]; then ok; else
    bad "README's forged rows and tests/data/forged differ (< README, > files):
$(diff <(printf '%s\n' "$listed") <(printf '%s\n' "$present"))"
fi
[ -z "$(printf '%s\n' "$listed" | uniq -d)" ] && ok || bad "a forged file has two rows"

# The golden receipts also match the golden bundle as an auditor holds it, the spec's own
# receipt included (the bundle's record 1 is the worked example's record).
for f in vectors/receipt.txt receipts/seq-1.txt receipts/seq-2.txt receipts/seq-3.txt; do
    expect 0 "$f against the bundle" -- "$IKRAR" verify --roster "$D/bundle" --text "$(cat "$D/$f")" --lang en
    grep -q "^  Roster *matches" "$T/out" && ok || bad "$f: no roster match: $(cat "$T/out")"
done
# The bundle passes without --key too (its own verifier.key), and says how much it holds.
expect 0 "the golden bundle audits with its own key" -- "$IKRAR" audit "$D/bundle" --lang en
grep -q "^  Records *3$" "$T/out" && ok || bad "the golden bundle should hold 3 records: $(cat "$T/out")"
# A receipt's text from standard input is the same check.
expect 1 "a forged receipt from standard input" -- \
    sh -c '"$0" verify --key "$1" --text - --lang en <"$2"' "$IKRAR" "$D/vectors/verifier.key" "$D/forged/receipts/sig-flipped.txt"

finish
