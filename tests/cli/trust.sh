#!/usr/bin/env bash
# cli_trust: the event trust list end to end.  The organiser makes an event key and lists two
# kiosks; an attacker makes a kiosk of the same name with its own key and a forged receipt.
# Without a trust list verify --roster and merge take the forgery (with a loud warning); with
# --trust every verifying command refuses it, and refuses a revoked kiosk's receipts and
# records from its revocation on.  Then the example of docs/formats.md and every file of
# tests/data/negative/trust through the command, each refused by the check it is named after.
set -u
IKRAR=${1:?usage: tests/cli/trust.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" trust
D=${IKRAR_TEST_DATA:?IKRAR_TEST_DATA is not set (ctest sets it to tests/data)}
export IKRAR_LANG=en

T0=1760000000 # 2025-10-09 15:53:20 WIB
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
at() { # at SECONDS-AFTER-T0 COMMAND...
    local s=$1
    shift
    env IKRAR_TEST_NOW=$((T0 + s)) "$@"
}
kiosk() { # kiosk DIR NAME
    expect 0 "init $1" -- at 0 "$IKRAR" init --data "$T/$1" --event rapat-2025 --title Deklarasi --kiosk "$2" --pin 246810
}
sign() { # sign DIR SECONDS NAME: the receipt text into $T/DIR-NAME.txt
    expect 0 "sign $3 on $1" -- at "$2" "$IKRAR" sign --data "$T/$1" --name "$3" --status NON-ASN --ink "$T/ink.json"
    tail -n 1 "$T/out" >"$T/$1-$3.txt"
}

# ---- the organiser's event key and list ----
expect 2 "init needs --event and --out" -- "$IKRAR" event init --out "$T/ev"
expect 0 "event init" -- "$IKRAR" event init --event rapat-2025 --out "$T/ev"
has out "ikrar-event/rapat-2025+" "prints the event's verifier key"
[ "$(stat -c %a "$T/ev/event.key")" = 600 ] && ok || bad "event.key is not 0600"
cp "$T/ev/event.key" "$T/event.key.before"
expect 4 "init again refuses to overwrite the key" -- "$IKRAR" event init --event rapat-2025 --out "$T/ev"
has err "never overwritten" "says why"
cmp -s "$T/ev/event.key" "$T/event.key.before" && ok || bad "event.key changed"
expect 0 "show the empty list" -- "$IKRAR" event show "$T/ev/trust.txt"
has out "Serial       1" "serial 1"
has out "$(cat "$T/ev/event.pub")" "the event key in full"

kiosk aula aula
kiosk lobi lobi
kiosk fake aula # the attacker's: same event, same kiosk name, its own key
sign aula 60 Siti
sign lobi 120 Budi
sign lobi 600 Made
sign fake 60 Palsu
for k in aula lobi fake; do
    expect 0 "export $k" -- at 700 "$IKRAR" export --data "$T/$k" --out "$T/$k.b"
done

expect 0 "add a kiosk from its data folder" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$T/aula"
has out "Added: ikrar/rapat-2025/aula" "names it"
has out "serial 2" "serial 2"
expect 0 "add a kiosk from its bundle" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$T/lobi.b"
has out "serial 3" "serial 3"
expect 0 "the same key again changes nothing" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$T/lobi/verifier.key"
has out "already on the trust list" "says so"
expect 1 "another key under a listed kiosk's name" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$T/fake"
has err "already listed with another key" "says why"
kiosk other x
expect 0 "init a kiosk of another event" -- "$IKRAR" init --data "$T/other2" --event lain --title X --kiosk x --pin 246810
expect 1 "a kiosk of another event" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$T/other2"
has err "not named ikrar/rapat-2025/<kiosk>" "says why"
expect 0 "show the list" -- "$IKRAR" event show "$T/ev/trust.txt"
has out "Serial       3" "serial 3"
has out "$(cat "$T/aula/verifier.key")" "aula's key in full"
has out "$(cat "$T/lobi/verifier.key")" "lobi's key in full"
TL=$T/ev/trust.txt

# ---- verify ----
expect 0 "a genuine receipt against the list" -- "$IKRAR" verify --trust "$TL" --text "$(cat "$T/aula-Siti.txt")"
has out "VALID" "valid"
has out "on the trust list of event rapat-2025" "says what vouched for it"
expect 0 "the kiosk next door's receipt too" -- "$IKRAR" verify --trust "$TL" --text "$(cat "$T/lobi-Budi.txt")"
expect 1 "the forged receipt against the list" -- "$IKRAR" verify --trust "$TL" --text "$(cat "$T/fake-Palsu.txt")"
has err "unknown kiosk key" "refused as an unknown key"

expect 0 "verify --roster without a list takes the forgery (today's behaviour)..." -- \
    "$IKRAR" verify --roster "$T/fake.b" --text "$(cat "$T/fake-Palsu.txt")"
has err "PERINGATAN: tanpa --trust atau --key" "...with a loud warning in Indonesian"
has err "WARNING: without --trust or --key" "...and in English"
expect 1 "verify --roster --trust refuses the forged bundle" -- \
    "$IKRAR" verify --roster "$T/fake.b" --trust "$TL" --text "$(cat "$T/fake-Palsu.txt")"
has err "NOT on the event trust list" "says the key is not on the list"
has err "ikrar/rapat-2025/aula" "names the kiosk the bundle claims"
expect 0 "verify --roster --trust with the real bundle" -- \
    "$IKRAR" verify --roster "$T/aula.b" --trust "$TL" --text "$(cat "$T/aula-Siti.txt")"
[ ! -s "$T/err" ] && ok || bad "no warning with --trust: $(cat "$T/err")"
expect 1 "verify --roster --key refuses a bundle of another key" -- \
    "$IKRAR" verify --roster "$T/fake.b" --key "$T/aula/verifier.key" --text "$(cat "$T/fake-Palsu.txt")"
expect 0 "verify --roster --key with the real bundle" -- \
    "$IKRAR" verify --roster "$T/aula.b" --key "$T/aula/verifier.key" --text "$(cat "$T/aula-Siti.txt")"
expect 2 "--trust and --key together" -- "$IKRAR" verify --trust "$TL" --key "$T/aula/verifier.key" --text x

# ---- merge ----
expect 0 "merge without a list takes the forgery..." -- "$IKRAR" merge --out "$T/m0" "$T/fake.b" "$T/lobi.b"
has err "WARNING: without --trust or --key" "...with a loud warning"
expect 1 "merge --trust refuses the forged kiosk" -- "$IKRAR" merge --trust "$TL" --out "$T/m1" "$T/fake.b" "$T/lobi.b"
has err "NOT on the event trust list" "says why"
has err "fake.b" "names the bundle"
[ ! -e "$T/m1" ] && ok || bad "a refused merge left $T/m1"
expect 0 "merge --trust of the real kiosks" -- "$IKRAR" merge --trust "$TL" --out "$T/m2" "$T/aula.b" "$T/lobi.b"
[ ! -s "$T/err" ] && ok || bad "no warning with --trust: $(cat "$T/err")"
expect 1 "merge --key refuses a kiosk not in the file" -- "$IKRAR" merge --key "$T/lobi/verifier.key" --out "$T/m3" "$T/aula.b" "$T/lobi.b"

# ---- audit ----
expect 0 "audit a bundle prints its key in full" -- "$IKRAR" audit "$T/aula.b"
has out "$(cat "$T/aula/verifier.key")" "the full verifier key line"
expect 0 "audit a bundle against the list" -- "$IKRAR" audit "$T/aula.b" --trust "$TL"
has out "$(cat "$T/ev/event.pub")" "prints the list's event key"
has out "serial 3" "and its serial"
expect 1 "audit the forged bundle against the list" -- "$IKRAR" audit "$T/fake.b" --trust "$TL"
has err "NOT on the event trust list" "says why"
expect 0 "audit the merged bundle against the list" -- "$IKRAR" audit "$T/m2" --trust "$TL"
has out "$(cat "$T/lobi/verifier.key")" "prints every kiosk's key"
expect 1 "audit the merged forgery against the list" -- "$IKRAR" audit "$T/m0" --trust "$TL"
expect 0 "audit a data folder against the list" -- "$IKRAR" audit --data "$T/aula" --trust "$TL"
has out "$(cat "$T/ev/event.pub")" "prints the list's event key"
expect 1 "audit the attacker's folder against the list" -- "$IKRAR" audit --data "$T/fake" --trust "$TL"

# ---- revocation: lobi is lost at T0+300, after Budi (120) and before Made (600) ----
expect 2 "revoke needs a time it can read" -- "$IKRAR" event revoke-kiosk --event-dir "$T/ev" lobi --from yesterday
expect 1 "revoke an unlisted kiosk" -- "$IKRAR" event revoke-kiosk --event-dir "$T/ev" dapur --from now
expect 0 "revoke lobi" -- "$IKRAR" event revoke-kiosk --event-dir "$T/ev" lobi --from "2025-10-09 15:58:20 WIB"
has out "from 2025-10-09 15:58:20 WIB ($((T0 + 300)))" "the time as given, in seconds too"
has out "serial 4" "serial 4"
expect 0 "show the revocation" -- "$IKRAR" event show "$TL"
has out "REVOKED from 2025-10-09 15:58:20 WIB" "shows it"
expect 0 "a receipt from before the revocation" -- "$IKRAR" verify --trust "$TL" --text "$(cat "$T/lobi-Budi.txt")"
expect 1 "a receipt from after the revocation" -- "$IKRAR" verify --trust "$TL" --text "$(cat "$T/lobi-Made.txt")"
has err "Kiosk ikrar/rapat-2025/lobi was revoked on the trust list from 2025-10-09 15:58 WIB" "names the kiosk and since when"
expect 1 "verify --roster refuses it too" -- \
    "$IKRAR" verify --roster "$T/lobi.b" --trust "$TL" --text "$(cat "$T/lobi-Made.txt")"
has err "was revoked" "revoked"
expect 1 "audit of the revoked kiosk's bundle" -- "$IKRAR" audit "$T/lobi.b" --trust "$TL"
has err "lobi (record 2) was revoked" "names the record"
expect 1 "audit of the revoked kiosk's folder" -- "$IKRAR" audit --data "$T/lobi" --trust "$TL"
expect 1 "merge of the revoked kiosk" -- "$IKRAR" merge --trust "$TL" --out "$T/m4" "$T/aula.b" "$T/lobi.b"
has err "was revoked" "revoked"

# ---- install on a kiosk ----
expect 1 "a kiosk not on the list cannot install it" -- "$IKRAR" event install --data "$T/fake" "$TL"
has err "own key" "says why"
cp "$TL" "$T/serial4.txt"
expect 0 "install on aula" -- "$IKRAR" event install --data "$T/aula" "$TL"
cmp -s "$T/aula/trust.txt" "$TL" && ok || bad "the list is not in the data folder"
expect 0 "the same list again" -- "$IKRAR" event install --data "$T/aula" "$TL"
expect 0 "add a kiosk: serial 5" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$T/other"
expect 0 "install serial 5" -- "$IKRAR" event install --data "$T/aula" "$TL"
expect 1 "serial 4 cannot come back" -- "$IKRAR" event install --data "$T/aula" "$T/serial4.txt"
has err "serial 4 is not higher than the installed list's 5" "says why"
cmp -s "$T/aula/trust.txt" "$TL" && ok || bad "the refused list replaced the installed one"
expect 0 "a second event key" -- "$IKRAR" event init --event rapat-2025 --out "$T/ev2"
expect 0 "lists aula too" -- "$IKRAR" event add-kiosk --event-dir "$T/ev2" "$T/aula"
for i in 1 2 3 4 5; do "$IKRAR" event revoke-kiosk --event-dir "$T/ev2" aula --from $i >/dev/null; done
expect 1 "a list of another event key" -- "$IKRAR" event install --data "$T/aula" "$T/ev2/trust.txt"
has err "another event key" "says why"

# ---- an event key under a passphrase; times in other zones ----
printf 'rahasia acara\n' >"$T/pass"
expect 0 "event init with a passphrase" -- "$IKRAR" event init --event rapat-2025 --out "$T/ev3" --passphrase-file "$T/pass"
grep -q "ENCRYPTED PRIVATE KEY" "$T/ev3/event.key" && ok || bad "event.key is not encrypted"
cp "$T/ev3/trust.txt" "$T/ev3.before"
expect 4 "add-kiosk without the passphrase" -- "$IKRAR" event add-kiosk --event-dir "$T/ev3" "$T/aula"
cmp -s "$T/ev3/trust.txt" "$T/ev3.before" && ok || bad "a refused add-kiosk changed the list"
expect 0 "add-kiosk with it" -- "$IKRAR" event add-kiosk --event-dir "$T/ev3" --passphrase-file "$T/pass" "$T/aula"
expect 0 "revoke in WITA" -- "$IKRAR" event revoke-kiosk --event-dir "$T/ev3" --passphrase-file "$T/pass" aula \
    --from "2025-10-09 16:58:20 WITA"
has out "($((T0 + 300)))" "16:58:20 WITA is 15:58:20 WIB"
expect 0 "revoke in Unix seconds" -- "$IKRAR" event revoke-kiosk --event-dir "$T/ev3" --passphrase-file "$T/pass" \
    ikrar/rapat-2025/aula --from $((T0 + 60))
has out "serial 4" "each change raises the serial"
expect 2 "a time without a date" -- "$IKRAR" event revoke-kiosk --event-dir "$T/ev3" --passphrase-file "$T/pass" aula --from "15:58"
cp "$T/ev/trust.txt" "$T/ev3/trust.txt"
expect 1 "a list the event key did not sign is refused" -- "$IKRAR" event add-kiosk --event-dir "$T/ev3" --passphrase-file "$T/pass" "$T/lobi"
has err "is not signed by" "says why"

# ---- the worked example and the negative corpus ----
expect 0 "the example list" -- "$IKRAR" event show "$D/trust/trust.txt"
has out "$(cat "$D/trust/event.pub")" "its event key"
has out "$(cat "$D/trust/kiosk-2.pub")" "kiosk-2's key"
has out "REVOKED from 2024-09-30 17:03:20 WIB (1727690600)" "kiosk-2's revocation"
expect 0 "the example's receipt from kiosk-2 before its revocation" -- \
    "$IKRAR" verify --trust "$D/trust/trust.txt" --text "$(cat "$D/trust/receipt-kiosk-2.txt")"
expect 0 "the worked example's kiosk-1 receipt" -- \
    "$IKRAR" verify --trust "$D/trust/trust.txt" --text "$(cat "$D/vectors/receipt.txt")"
expect 0 "the golden bundle against the example list" -- "$IKRAR" audit "$D/bundle" --trust "$D/trust/trust.txt"

# A kiosk that pinned the example's event key: its event folder made from the example's key.
mkdir -p "$T/exev" && cp "$D/trust/event.key" "$D/trust/trust.txt" "$T/exev/" && chmod 600 "$T/exev/event.key"
expect 0 "init kiosk-1 of contoh" -- "$IKRAR" init --data "$T/k1" --event contoh --title X --kiosk kiosk-9 --pin 246810
expect 0 "the example's event key adds it" -- "$IKRAR" event add-kiosk --event-dir "$T/exev" "$T/k1"
expect 0 "install it" -- "$IKRAR" event install --data "$T/k1" "$T/exev/trust.txt"

n=0
for f in "$D"/negative/trust/*; do
    b=$(basename "$f")
    n=$((n + 1))
    grep -qF "\`$b\`" "$D/README.md" && ok || bad "$b has no row in tests/data/README.md"
    case $b in
    list-*)
        expect 1 "$b" -- "$IKRAR" event show "$f"
        has err "The event trust list is not valid" "$b: refused as a list"
        expect 1 "$b as --trust" -- "$IKRAR" verify --trust "$f" --text "$(cat "$D/vectors/receipt.txt")"
        ;;
    install-*)
        expect 0 "$b is a valid list on its own" -- "$IKRAR" event show "$f"
        expect 1 "$b" -- "$IKRAR" event install --data "$T/k1" "$f"
        has err "may not replace the installed one" "$b: refused by the pin"
        ;;
    receipt-*)
        expect 1 "$b" -- "$IKRAR" verify --trust "$D/trust/trust.txt" --text "$(cat "$f")"
        ;;
    *) bad "$b: no check named" ;;
    esac
    case $b in
    list-not-signed-by-its-event-key.txt) has err "not signed by its event key" "$b" ;;
    list-duplicate-kiosk.txt) has err "one kiosk twice" "$b" ;;
    list-kiosk-of-another-event.txt) has err "not a kiosk of this event" "$b" ;;
    list-kiosks-out-of-order.txt) has err "out of order" "$b" ;;
    list-revokes-unlisted-kiosk.txt) has err "revokes a kiosk that is not listed" "$b" ;;
    list-serial-leading-zero.txt) has err "serial" "$b" ;;
    install-another-event-key.txt) has err "another event key" "$b" ;;
    install-lower-serial.txt) has err "serial 2 is not higher than the installed list's 5" "$b" ;;
    receipt-foreign-key.txt) has err "unknown kiosk key" "$b" ;;
    receipt-revoked-kiosk.txt) has err "Kiosk ikrar/contoh/kiosk-2 was revoked on the trust list from 2024-09-30 17:03 WIB" "$b" ;;
    esac
done
[ "$n" -ge 10 ] && ok || bad "only $n files in negative/trust"
finish
