#!/usr/bin/env bash
# kiosk_hub: two touchscreen kiosks of one event and a private PostgreSQL hub (issue 13), the
# kiosk played headless by `ikrar kiosk --script`.  A NIP signed at kiosk k1 is refused at
# kiosk k2's Konfirmasi with k1's name, nothing signed; with the hub stopped k2 signs it (it
# decides alone); once the hub is back, k2's own background push sends that record, the hub
# verifies it, the staff menu says "Tersinkron sampai nomor 1", the chart of the whole event
# counts both kiosks' signers, and the hub counts one NIP that signed more than once.  The staff menu with its sync line is kept as screenshots at 1280x800
# and 800x480 (in $IKRAR_SHOTS when set, for a person to look at).
set -u
IKRAR=${1:?usage: tests/hub/kiosk_hub.sh path/to/ikrar}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/../common/harness.sh" kiosk-hub
. "$HERE/../common/pg.sh"
verifier=
trap '[ -n "$verifier" ] && kill "$verifier" 2>/dev/null; pg_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
pg_require
export IKRAR_RENDERER=software SDL_VIDEODRIVER=dummy

pg_start "$T/pg"
pg_psql "ALTER ROLE postgres PASSWORD 'organiser-secret'" >/dev/null
ADMIN=$(pg_tcp_url postgres organiser-secret)
EV=pilkada-2026
NIP=198503302010012003

# ---- the organiser: the event's trust list with both kiosks, the hub, both joined ----
expect 0 "event init" -- "$IKRAR" event init --event "$EV" --out "$T/ev"
for k in k1 k2; do
    expect 0 "init $k" -- "$IKRAR" init --data "$T/$k" --event "$EV" --title "Deklarasi Netralitas ASN" \
        --kiosk "$k" --pin 246810
    expect 0 "list $k" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$T/$k"
done
for k in k1 k2; do
    expect 0 "install the list on $k" -- "$IKRAR" event install --data "$T/$k" "$T/ev/trust.txt"
done
expect 0 "hub init" -- "$IKRAR" hub init --hub "$ADMIN" --witness "$T/witness.key"
expect 0 "hub event" -- "$IKRAR" hub event --hub "$ADMIN" --data "$T/k1"
for k in k1 k2; do expect 0 "join $k" -- "$IKRAR" hub join --hub "$ADMIN" --data "$T/$k"; done

# ---- k1 signs the NIP; its record reaches the hub and is verified ----
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
expect 0 "k1 signs" -- "$IKRAR" sign --data "$T/k1" --name "Siti Rahmawati" --status PNS --nip "$NIP" \
    --pos Guru --unit "Dinas Pendidikan" --ink "$T/ink.json"
expect 0 "push k1" -- "$IKRAR" push --data "$T/k1"
expect 0 "hub verify" -- "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key"

# kiosk NAME SIZE SCRIPT: plays the script (joined with the signer's way to Review) on k2.
kiosk() {
    local name=$1 size=$2
    shift 2
    cat "$@" >"$T/play-$name.kiosk"
    "$IKRAR" kiosk --data "$T/k2" --window "$size" --script "$T/play-$name.kiosk" \
        --shots "$T/shots" >"$T/$name.out" 2>&1 </dev/null
}
# The signer with k1's NIP, through k2's screens to Review.
cat >"$T/to-review.kiosk" <<EOF
screen welcome
tap start
drag 0.5 0.8 0.5 0.1 20 300
drag 0.5 0.8 0.5 0.1 20 300
drag 0.5 0.8 0.5 0.1 20 300
drag 0.5 0.8 0.5 0.1 20 300
drag 0.5 0.8 0.5 0.1 20 300
drag 0.5 0.8 0.5 0.1 20 300
drag 0.5 0.8 0.5 0.1 20 300
drag 0.5 0.8 0.5 0.1 20 300
tap agree
type $NIP
expect NIP dapat diterima
tap next
tap status.pns
screen details
type Siti Rahmawati
tap field.pos
type Guru
tap field.unit
type Dinas Pendidikan
tap next
screen signature
stroke canvas 0.1,0.6 0.15,0.45 0.2,0.35 0.25,0.5 0.3,0.7 0.35,0.5 0.4,0.3 0.45,0.5 0.5,0.65
tap next
screen review
EOF
records() { sqlite3 "$T/$1/ikrar.db" "SELECT count(*) FROM record"; }

# ---- the hub answers: k2 refuses the NIP, naming k1 ----
cat >"$T/refused-tail.kiosk" <<'EOF'
tap confirm
screen review
expect sudah menandatangani di kiosk k1
expect (nomor 1)
expect hari ini pukul
shot hub-refused
EOF
kiosk refused 1280x800 "$T/to-review.kiosk" "$T/refused-tail.kiosk" && ok ||
    bad "k2 refuses k1's NIP: $(cat "$T/refused.out")"
[ "$(records k2)" = 0 ] && ok || bad "the refused signer was recorded at k2"
grep -q "hub-claim result=elsewhere kiosk=k1 seq=1" "$T/refused.out" && ok ||
    bad "the refusal is in the operational log: $(cat "$T/refused.out")"

# ---- the hub stopped: k2 decides alone and signs ----
pg_stop
cat >"$T/alone-tail.kiosk" <<'EOF'
tap confirm
screen done
expect Terima kasih
EOF
kiosk alone 1280x800 "$T/to-review.kiosk" "$T/alone-tail.kiosk" && ok ||
    bad "k2 signs alone while the hub is down: $(cat "$T/alone.out")"
[ "$(records k2)" = 1 ] && ok || bad "k2 did not record the signer"
grep -q "hub-claim result=alone" "$T/alone.out" && ok ||
    bad "deciding alone is in the operational log: $(cat "$T/alone.out")"
grep -q "hub-sync state=offline" "$T/alone.out" && ok ||
    bad "going offline is in the operational log: $(cat "$T/alone.out")"
[ "$(grep -c "hub-sync state=offline" "$T/alone.out")" = 1 ] && ok ||
    bad "offline is logged once, not at every push: $(cat "$T/alone.out")"

# ---- the hub back: k2's own thread pushes, the hub verifies, the staff menu says so ----
pg_restart
(for _ in $(seq 60); do
    "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key" >/dev/null 2>&1
    sleep 1
done) &
verifier=$!
cat >"$T/synced.kiosk" <<'EOF'
screen welcome
press logo 3200
type 246810
tap pin.ok
screen admin
await Tersinkron sampai nomor 1
shot staff-synced-1280x800
tap admin.progress
screen progress
expect Kiosk ini
tap progress.event
expect menurut pusat per
expect Sudah menandatangani: 2
shot progress-event-1280x800
tap progress.here
expect Sudah menandatangani: 1
EOF
kiosk synced 1280x800 "$T/synced.kiosk" && ok ||
    bad "k2's staff menu says it is synced up to 1: $(cat "$T/synced.out")"
kill "$verifier" 2>/dev/null
wait "$verifier" 2>/dev/null
verifier=
grep -q "^— ikrar-hub/" "$T/k2/hub-cosig.txt" 2>/dev/null && ok ||
    bad "k2's thread kept the hub's cosigned checkpoint"
[ "$(pg_psql "SELECT size FROM ikrar.kiosk WHERE origin = 'ikrar/$EV/k2'")" = 1 ] && ok ||
    bad "the hub has not verified k2's record"
# The kept checkpoint is read at start: the line is there before any push, at 800x480 too.
sed 's/^shot staff.*/shot staff-synced-800x480/; s/^shot progress.*/shot progress-event-800x480/; s/^await /expect /' \
    "$T/synced.kiosk" >"$T/synced-small.kiosk"
kiosk synced-small 800x480 "$T/synced-small.kiosk" && ok ||
    bad "the sync line at 800x480: $(cat "$T/synced-small.out")"
for s in staff-synced-1280x800 staff-synced-800x480 progress-event-1280x800 progress-event-800x480 hub-refused; do
    [ -s "$T/shots/$s.png" ] && ok || bad "no screenshot $s"
done
if [ -n "${IKRAR_SHOTS:-}" ]; then
    mkdir -p "$IKRAR_SHOTS" && cp "$T"/shots/*.png "$IKRAR_SHOTS"/
fi

# ---- the whole event: one NIP signed twice ----
expect 0 "push k1" -- "$IKRAR" push --data "$T/k1"
expect 0 "hub verify" -- "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key"
IKRAR_LANG=en expect 0 "stats --hub" -- "$IKRAR" stats --hub "$ADMIN" --event "$EV"
has out "NIPs that signed more than once: 1" "reports the NIP k2 signed alone"
finish
