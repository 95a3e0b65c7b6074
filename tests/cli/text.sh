#!/usr/bin/env bash
# cli_text: one text rule for what people type and files bring, and nothing from outside printed
# raw.  `ikrar sign` removes invisible and direction characters (saying so on stderr, naming the
# field) and composes to NFC; a name of invisible characters only is an empty name; roster import
# counts the rows the rule changed, after which the plain names match the roster.  Receipts from
# tests/data/negative/text (genuine signatures over ESC, BEL, CR/LF with a fake "Kiosk" line, RLO,
# C1, DEL and bytes that are not UTF-8) are verified alone and against a bundle, and a roster with
# an escape sequence in a NIP and a database holding one in a unit are printed: no control byte
# reaches stdout or stderr, and no line starts with a forged label.
set -u
IKRAR=${1:?usage: tests/cli/text.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" text

NEG=$IKRAR_TEST_DATA/negative/text
VEC=$IKRAR_TEST_DATA/vectors
D=$T/data
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"

ZWSP=$'\xe2\x80\x8b'
RLO=$'\xe2\x80\xae'
PDF=$'\xe2\x80\xac'
ACUTE=$'\xcc\x81'   # combining acute: "Jose" + ACUTE is José decomposed
E_ACUTE=$'\xc3\xa9' # é composed

# No raw control byte (C0 other than tab and newline, DEL), no UTF-8 C1, no bidi override or
# isolate, and nothing that is not UTF-8 in FILE.
clean_bytes() { # FILE DESC
    if LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$T/$1"; then
        bad "$2: a raw control byte in $1: $(od -c "$T/$1" | head -20)"
    elif ! iconv -f UTF-8 -t UTF-8 "$T/$1" >/dev/null 2>&1; then
        bad "$2: bytes that are not UTF-8 in $1: $(od -c "$T/$1" | head -20)"
    else
        ok
    fi
}
# Exactly N lines of FILE start with LABEL (after the verdict's indent).
label_lines() { # FILE LABEL N DESC
    local n
    n=$(grep -c -- "^  $2 " "$T/$1")
    [ "$n" = "$3" ] && ok || bad "$4: $n lines start with '$2' in $1, not $3: $(cat "$T/$1")"
}

expect 0 "init" -- "$IKRAR" init --data "$D" --event teks-2024 --title "Deklarasi" --kiosk aula-1 --pin 246810

# --- sign: invisible characters removed with a note naming the field, NFC ---
expect 0 "sign a name holding U+200B" -- "$IKRAR" sign --data "$D" --name "Budi${ZWSP} Santoso" \
    --status NON-ASN --unit "Dinas${RLO} Kesehatan${PDF}" --ink "$T/ink.json"
has err "dihapus dari --name" "the note names the name"
has err "dihapus dari --unit" "the note names the unit"
has err "\"Budi Santoso\"" "the note shows what is signed"
clean_bytes err "the note itself"
expect 0 "verify it" -- "$IKRAR" verify --data "$D" --lang en --text "$(tail -n 1 "$T/out")"
has out "Name       Budi Santoso" "the receipt holds the clean name"
[ "$(sqlite3 "$D/ikrar.db" 'select name || "|" || unit from record where seq = 1')" = "Budi Santoso|Dinas Kesehatan" ] &&
    ok || bad "the record holds the clean name and unit"
expect 0 "in English" -- "$IKRAR" sign --lang en --data "$D" --name "Rina${ZWSP}" --status NON-ASN --ink "$T/ink.json"
has err "Note: invisible or text-direction characters were removed from --name; what is signed: \"Rina\"." "English note"

expect 0 "a decomposed name" -- "$IKRAR" sign --data "$D" --name "Jose${ACUTE} Ramos" --status NON-ASN \
    --unit "Dinas Kesehatan" --ink "$T/ink.json"
[ -s "$T/err" ] && bad "composing alone needs no note: $(cat "$T/err")" || ok
[ "$(sqlite3 "$D/ikrar.db" 'select hex(name) from record where seq = 3')" = "$(printf 'Jos%s Ramos' "$E_ACUTE" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" ] &&
    ok || bad "the record holds the composed é (NFC)"

expect 3 "a name of invisible characters only" -- "$IKRAR" sign --data "$D" --name "${ZWSP}${RLO}"$'\xef\xbb\xbf' \
    --status NON-ASN --ink "$T/ink.json"
has err "Nama" "refused as an empty name"
[ "$(sqlite3 "$D/ikrar.db" 'select count(*) from record')" = 3 ] && ok || bad "nothing recorded for it"

# --- roster import: rows changed are counted, then plain names match ---
expect 0 "import a roster with invisible and decomposed names" -- \
    "$IKRAR" roster import --data "$D" "$NEG/text_clean.roster-names.csv"
has out "Roster diimpor: 3 orang" "all three imported"
has out "2 baris diubah: karakter tak terlihat" "counts the rows that lost invisible characters"
has out "1 baris diubah: huruf dan tanda diakritiknya disatukan" "counts the row composed"
expect 0 "sign the last one with the plain name" -- "$IKRAR" sign --data "$D" --name "Rina" --status NON-ASN \
    --unit "Dinas Kesehatan" --ink "$T/ink.json"
expect 0 "stats" -- "$IKRAR" stats --data "$D" --lang en
has out "Dinas Kesehatan" "the roster's unit"
grep -qE '^Dinas Kesehatan +3 +3 +0 +100\.0' "$T/out" && ok || bad "all 3 on the roster have signed: $(cat "$T/out")"
expect 0 "nobody missing" -- "$IKRAR" stats --data "$D" --missing
[ "$(wc -l <"$T/out")" = 1 ] && ok || bad "--missing lists only its header: $(cat "$T/out")"

expect 3 "a roster whose only name is invisible" -- "$IKRAR" roster import --data "$D" --lang en \
    "$NEG/text_clean.roster-only-invisible.csv"
has err "line 2: Please enter a name." "refused as an empty name with its line"

# --- outside text is never printed raw ---
expect 3 "a NIP cell holding an escape sequence" -- "$IKRAR" roster import --data "$D" "$NEG/escape_term.roster-nip-esc.csv"
has err 'baris 2' "the refusal names the line"
clean_bytes err "the refusal of the ESC NIP"
[ "$(grep -c '^Kiosk' "$T/err")" = 0 ] && ok || bad "no line starts with a forged Kiosk"

for f in "$NEG"/escape_term.*.txt; do
    name=$(basename "$f")
    # A stricter decoder may refuse such a receipt (exit 1); either way nothing is raw.
    expect_any() {
        "$IKRAR" verify "$@" >"$T/out" 2>"$T/err" </dev/null
        status=$?
        [ "$status" = 0 ] || [ "$status" = 1 ] && ok || bad "$name: exit $status"
    }
    expect_any --lang en --key "$VEC/verifier.key" --text "$(cat "$f")"
    clean_bytes out "$name: verify's stdout"
    clean_bytes err "$name: verify's stderr"
    if [ "$status" = 0 ]; then
        label_lines out Kiosk 1 "$name: one Kiosk line"
        label_lines out Log 0 "$name: no forged Log line"
        label_lines out Name 1 "$name: one Name line"
    fi
    expect_any --lang en --roster "$IKRAR_TEST_DATA/bundle" --text "$(cat "$f")"
    clean_bytes out "$name: verify --roster's stdout"
    clean_bytes err "$name: verify --roster's stderr"
    # (The bundle's record 1 has this receipt's leaf: the receipt's own name is not compared with
    # the record's, so it is VALID; what matters here is that it cannot add a line.)
    label_lines out Kiosk $((status == 0 ? 1 : 0)) "$name: one Kiosk line at most, never a forged one"
    label_lines out Log 0 "$name: no forged Log line with --roster"
done
# Control characters in a receipt's name are outside what a writer produces: the strict decoder
# refuses the receipt, naming the claim, and nothing of the name reaches the terminal.
expect 1 "the ESC name refused" -- "$IKRAR" verify --lang en --key "$VEC/verifier.key" \
    --text "$(cat "$NEG/escape_term.name-csi-bel.txt")"
has err 'a claim is outside what ikrar writes (name: control character' "ESC and BEL refused as control characters"
expect 1 "the forged Kiosk line refused" -- "$IKRAR" verify --lang en --key "$VEC/verifier.key" \
    --text "$(cat "$NEG/escape_term.name-newline-fake-kiosk.txt")"
has err 'a claim is outside what ikrar writes (name: control character' "a newline refused as a control character"
expect 0 "RLO shown" -- "$IKRAR" verify --lang en --key "$VEC/verifier.key" --text "$(cat "$NEG/escape_term.name-rlo.txt")"
has out 'Name       \u202eotnaS iduB' "RLO as \\u202e"

# A unit already in a database with an escape sequence and RLO (written before this rule, or by
# hand): stats shows it escaped.
cp -r "$D" "$T/old"
sqlite3 "$T/old/ikrar.db" "update roster set unit = 'Setda' || char(27) || '[2J' || char(8238) || char(10) || 'Kiosk' where name = 'Rina'" ||
    bad "could not edit the copy"
expect 0 "stats of a unit holding ESC, RLO and a newline" -- "$IKRAR" stats --data "$T/old"
clean_bytes out "stats' table"
has out 'Setda\x1b[2J\u202e\x0aKiosk' "the unit escaped"

finish
