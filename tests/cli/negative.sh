#!/usr/bin/env bash
# cli_negative: `ikrar verify` and `ikrar audit` over tests/data/negative/encoding, as the
# README's "Negative corpus" table lists it: every receipt and bundle there is signed by the
# worked example's key but not encoded as ikrar writes it, and must be refused with the exit
# status and message its row names (the one "accepted-" file must pass).  The table must list
# exactly the files present.  The refusals hold on every path that reads a receipt: --key,
# --roster, --data and the kiosk's verify station (negative/qr/ holds two of the receipts as
# QR pictures for its camera); and the golden worked example still passes.
set -u
IKRAR=${1:?usage: tests/cli/negative.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" negative
DATA=${IKRAR_TEST_DATA:-$(dirname "${BASH_SOURCE[0]}")/../data}

# A copy, so that nothing run here can touch the committed files.
D=$T/d
cp -r "$DATA" "$D" || { bad "cannot copy $DATA"; finish; exit; }

# The README rows of the negative corpus, as "file<TAB>status<TAB>message".
rows=$(awk -F'|' '
    index($2, " `negative/encoding/") == 1 {
        file = $2; gsub(/^ `|` *$/, "", file)
        st = $4; sub(/^ *exit /, "", st); sub(/,.*/, "", st)
        msg = $4; sub(/^[^`]*`/, "", msg); sub(/`[^`]*$/, "", msg)
        print file "\t" st "\t" msg
    }' "$D/README.md")
[ "$(printf '%s\n' "$rows" | grep -c .)" -ge 30 ] && ok || bad "README: too few negative rows: $rows"

while IFS=$'\t' read -r file want msg; do
    case $file in
    */) expect "$want" "$file" -- "$IKRAR" audit "$D/${file%/}" --key "$D/bundle/verifier.key" --lang en ;;
    *.txt) expect "$want" "$file" -- "$IKRAR" verify --key "$D/vectors/verifier.key" --text "$(cat "$D/$file")" --lang en ;;
    *) bad "README row for $file: neither a receipt (.txt) nor a bundle (ending in /)"; continue ;;
    esac
    if [ "$want" -eq 0 ]; then said=$(head -n 1 "$T/out"); else said=$(cat "$T/err"); fi
    if [ "$said" = "$msg" ]; then ok; else bad "$file: said '$said', README says '$msg'"; fi
    case $file in
    */accepted-*) ;;
    *) if grep -q '^VALID\|^INTACT\|^SAH\|^UTUH' "$T/out"; then bad "NON-CANONICAL FILE ACCEPTED: $file"; fi ;;
    esac
done <<<"$rows"

# The table lists exactly the files present.
listed=$(printf '%s\n' "$rows" | cut -f1 | sed 's#/$##' | sort)
present=$(cd "$D" && find negative/encoding -mindepth 2 -maxdepth 2 | sort)
if [ "$listed" = "$present" ]; then ok; else
    bad "README's negative rows and tests/data/negative differ (< README, > files):
$(diff <(printf '%s\n' "$listed") <(printf '%s\n' "$present"))"
fi

# Every path that reads a receipt refuses the same way: with the bundle as the key (--roster)...
R=$D/negative/encoding/receipts
expect 1 "--roster refuses a non-canonical receipt" -- \
    "$IKRAR" verify --roster "$D/bundle" --text "$(cat "$R/claims-keys-out-of-order.txt")" --lang en
has err "(claims: map keys out of order)" "--roster names the check"
expect 1 "--roster refuses a receipt with a control character" -- \
    "$IKRAR" verify --roster "$D/bundle" --text "$(cat "$R/name-control-character.txt")" --lang en
has err "(name: control character or invalid UTF-8)" "--roster names the claim"
# ...with a kiosk's data folder (--data): refused before any key is looked at...
K=$T/kiosk
expect 0 "init" -- "$IKRAR" init --data "$K" --event contoh --title T --kiosk kiosk-1 --pin 246810
expect 1 "--data refuses a non-shortest tag" -- \
    "$IKRAR" verify --data "$K" --text "$(cat "$R/tag-not-one-byte.txt")" --lang en
has err "(COSE_Sign1: non-shortest head)" "--data names the check"
# ...in Indonesian first...
expect 1 "the refusal in Indonesian" -- \
    "$IKRAR" verify --key "$D/vectors/verifier.key" --text "$(cat "$R/v-2.txt")"
has err "Struk ditolak: isinya di luar batas yang dapat ditulis ikrar (v: a version other than 1)." "Indonesian words"
# ...and from standard input.
expect 1 "a non-canonical receipt from standard input" -- \
    sh -c '"$0" verify --key "$1" --text - --lang en <"$2"' "$IKRAR" "$D/vectors/verifier.key" "$R/unprotected-header-not-empty.txt"
has err "(unprotected header: not the empty map)" "standard input names the check"

# ...and at the kiosk's verify station, the receipt held up to its camera as a QR picture.
export IKRAR_RENDERER=software
printf 'screen verify\nwait 150\nexpect TIDAK SAH\nexpect Struk ditolak\nexpect map keys out of order\n' >"$T/k1.kiosk"
expect 0 "the verify station refuses keys out of order" -- "$IKRAR" kiosk --data "$K" --verify-station \
    --camera-frames "$D/negative/qr/claims-keys-out-of-order.png" --script "$T/k1.kiosk"
printf 'screen verify\nwait 150\nexpect NOT VALID\nexpect The receipt is refused\nexpect a claim is outside\nexpect-not Rahmawati\n' >"$T/k2.kiosk"
expect 0 "the verify station refuses a control character, in English, showing no name" -- \
    "$IKRAR" kiosk --data "$K" --lang en --verify-station \
    --camera-frames "$D/negative/qr/name-control-character.png" --script "$T/k2.kiosk"

# A receipt signed with the kiosk's key and naming record 1's leaf, but with another name: the
# signature and the log agree, the receipt's own claims do not. Only a misused kiosk key makes
# one, and verify --roster says so instead of showing the wrong name as VALID.
expect 1 "a signed receipt telling another name than its record" -- "$IKRAR" verify --lang en \
    --roster "$D/bundle" --text "$(cat "$D/negative/text/escape_term.name-rlo.txt")"
has err "The receipt does not match its record: its name differs from record 1's" "the claim that differs is named"
grep -q '^VALID' "$T/out" && bad "a receipt that differs from its record shown VALID" || ok

# The worked example and the golden files still pass.
expect 0 "the worked example's receipt" -- "$IKRAR" verify --key "$D/vectors/verifier.key" --text "$(cat "$D/vectors/receipt.txt")" --lang en
has out "VALID: this receipt is genuine." "the worked example is valid"
expect 0 "the golden bundle" -- "$IKRAR" audit "$D/bundle" --key "$D/bundle/verifier.key" --lang en
has out "INTACT" "the golden bundle is intact"

finish
