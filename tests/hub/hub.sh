#!/usr/bin/env bash
# hub: three kiosks of one event and a private PostgreSQL hub (issue 13), as an organiser runs
# them.  The kiosks keep signing while the network comes and goes: the hub stopped (a push says
# so, signing goes on), a connection cut mid-push (by the database itself, while the push waits
# on a lock), the hub restarted between pushes.  Then every record is at the hub exactly once and
# verified, each kiosk's log is unchanged by pushing, the hub's cosigned checkpoints are kept by
# the kiosks, and `export --hub` gives a merged bundle that audits.  A NIP that signed at one
# kiosk is refused at another while the hub answers, and signs (and is reported as a duplicate)
# when it does not.  A kiosk whose log forks, and one whose log is rolled back, are flagged and
# merged no further.  A kiosk's role may insert its own rows and nothing else.
set -u
IKRAR=${1:?usage: tests/hub/hub.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" hub
. "$(dirname "${BASH_SOURCE[0]}")/../common/pg.sh"
trap 'pg_cleanup; rm -rf "$T"' EXIT
pg_require
export IKRAR_LANG=en

pg_start "$T/pg"
pg_psql "ALTER ROLE postgres PASSWORD 'organiser-secret'" >/dev/null
ADMIN=$(pg_tcp_url postgres organiser-secret)
EV=pemilu-2026

printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
nip() { printf '19710101199003%d%03d' "$((1 + $1 / 999))" "$((1 + $1 % 999))"; } # valid, distinct
sign() { # sign KIOSK N NAME: a PNS with NIP number N
    expect "${EXPECT:-0}" "sign $3 at $1" -- "$IKRAR" sign --data "$T/$1" --name "$3" --status PNS \
        --nip "$(nip "$2")" --pos Analis --unit "Bagian Umum" --ink "$T/ink.json"
}
sign_many() { # sign_many KIOSK FROM TO
    local i
    for ((i = $2; i <= $3; i++)); do
        "$IKRAR" sign --data "$T/$1" --name "Pegawai $i" --status PNS --nip "$(nip "$i")" \
            --unit "Unit $((i % 4))" --ink "$T/ink.json" >/dev/null 2>"$T/err" </dev/null ||
            { bad "sign $i at $1: $(cat "$T/err")"; return; }
    done
    ok
}
records_of() { sqlite3 "$T/$1/ikrar.db" "SELECT seq, hex(cose) FROM record ORDER BY seq" | sha256sum; }
kurl() { sed -n 's/^url //p' "$T/$1/hub.conf"; }
kpsql() { # kpsql KIOSK SQL: as that kiosk's own role, over TCP with its password
    psql -X -A -t -v ON_ERROR_STOP=1 "$(kurl "$1")" -c "$2" >"$T/out" 2>"$T/err" </dev/null
}

# ---- the organiser: event key, three kiosks on its trust list, the hub ----
expect 0 "event init" -- "$IKRAR" event init --event "$EV" --out "$T/ev"
for k in k1 k2 k3; do
    expect 0 "init $k" -- "$IKRAR" init --data "$T/$k" --event "$EV" --title "Deklarasi Netralitas ASN" \
        --kiosk "$k" --pin 246810
    expect 0 "list $k" -- "$IKRAR" event add-kiosk --event-dir "$T/ev" "$T/$k"
done
for k in k1 k2 k3; do
    expect 0 "install the list on $k" -- "$IKRAR" event install --data "$T/$k" "$T/ev/trust.txt"
done
# The roster: Ani (who signs at k1), Budi and Citra (who never sign), and Made, non-ASN, who
# signs at k2 with the unit in other letters.
printf 'NIP,Nama,Status,Jabatan,Unit Kerja\n%s,Ani,PNS,Analis,Bagian Umum\n%s,Budi,PNS,Analis,Bagian Umum\n%s,Citra,PNS,Analis,Bagian Hukum\n,Made,NON-ASN,,Bagian Umum\n' \
    "$(nip 1)" "$(nip 900)" "$(nip 901)" >"$T/roster.csv"

expect 4 "a hub that is not made yet" -- "$IKRAR" hub event --hub "$ADMIN" --data "$T/k1"
has err "not an ikrar hub" "says to run hub init"
expect 0 "hub init" -- "$IKRAR" hub init --hub "$ADMIN" --witness "$T/witness.key"
has out "ikrar-hub/hub+" "prints the witness key"
[ "$(stat -c %a "$T/witness.key")" = 600 ] && ok || bad "witness.key is not 0600"
expect 0 "hub init again changes nothing" -- "$IKRAR" hub init --hub "$ADMIN" --witness "$T/witness.key"
expect 0 "hub event with its roster" -- "$IKRAR" hub event --hub "$ADMIN" --data "$T/k1" --roster "$T/roster.csv"
has out "roster of 4 rows" "counts the roster"
for k in k1 k2 k3; do
    expect 0 "join $k" -- "$IKRAR" hub join --hub "$ADMIN" --data "$T/$k"
    [ "$(stat -c %a "$T/$k/hub.conf")" = 600 ] && ok || bad "$k/hub.conf is not 0600"
done
grep -q "organiser-secret" "$T/k1/hub.conf" && bad "the organiser's password is in a kiosk's hub.conf" || ok

# ---- the hub unreachable: signing goes on, push says so ----
pg_stop
sign k1 1 "Ani"
sign_many k1 2 6
expect 4 "push while the hub is down" -- "$IKRAR" push --data "$T/k1"
has err "cannot be reached" "says the hub cannot be reached"
expect 0 "the log audits" -- "$IKRAR" audit --data "$T/k1"
pg_restart

# ---- a connection cut mid-push: records sent, the checkpoint's insert waiting on a lock ----
sign_many k2 10 219
expect 0 "a non-ASN signer on the roster" -- "$IKRAR" sign --data "$T/k2" --name "Made" --status NON-ASN \
    --unit "bagian umum" --ink "$T/ink.json"
tail -n 1 "$T/out" >"$T/made.txt"
before_k2=$(records_of k2)
pg_psql "SELECT 1" >/dev/null
(pg_psql "BEGIN; LOCK TABLE ikrar.inbox_checkpoint IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(20); COMMIT" >/dev/null 2>&1) &
locker=$!
sleep 0.5
"$IKRAR" push --data "$T/k2" >"$T/push.out" 2>"$T/push.err" </dev/null &
pusher=$!
for _ in $(seq 100); do # until the push waits on the lock
    [ "$(pg_psql "SELECT count(*) FROM pg_stat_activity WHERE usename LIKE 'ikrar_k_%' AND wait_event_type = 'Lock'")" = 1 ] && break
    sleep 0.1
done
cut=$(pg_kill_conns 'ikrar_k_%')
[ "$cut" -ge 1 ] && ok || bad "no kiosk connection was cut"
wait "$pusher" && bad "the cut push said it was done" || ok
grep -q "cannot be reached\|terminat" "$T/push.err" && ok || bad "the cut push says why: $(cat "$T/push.err")"
pg_psql "SELECT pg_cancel_backend($(pg_psql "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()"))" >/dev/null 2>&1
wait "$locker" 2>/dev/null
[ "$(pg_psql "SELECT count(*) FROM ikrar.inbox")" = 211 ] && ok || bad "the records before the cut are not all in the inbox"
[ "$(pg_psql "SELECT count(*) FROM ikrar.inbox_checkpoint")" = 0 ] && ok || bad "a checkpoint got in before the cut"
expect 0 "push again resumes" -- "$IKRAR" push --data "$T/k2"
has out "Sent 0 records" "sends nothing twice"


# ---- the hub restarted between pushes ----
sign_many k3 300 304
expect 0 "push k3" -- "$IKRAR" push --data "$T/k3"
pg_restart
sign_many k3 305 309
expect 0 "push k3 after the restart" -- "$IKRAR" push --data "$T/k3"
has out "Sent 5 records" "sends only the new ones"
expect 0 "push k1 now the hub is back" -- "$IKRAR" push --data "$T/k1"
has out "Sent 6 records" "sends what was signed offline"

# ---- the verifier ----
expect 0 "hub verify" -- "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key"
has out "Accepted: 227 records" "accepts every record"
for k in k1 k2 k3; do
    expect 0 "push $k fetches its cosigned checkpoint" -- "$IKRAR" push --data "$T/$k"
    grep -q "^— ikrar-hub/hub " "$T/$k/hub-cosig.txt" && ok || bad "$k keeps no cosigned checkpoint"
done
has out "the hub has verified 10" "k3's push names what the hub verified"
expect 0 "a receipt checked against k2's folder" -- "$IKRAR" verify --data "$T/k2" --text "$(cat "$T/made.txt")"
has out "the hub's witness saw this log up to number 211" "says the hub saw the log it is in"
expect 0 "a record after the last push" -- "$IKRAR" sign --data "$T/k3" --name "Baru" --status NON-ASN --ink "$T/ink.json"
tail -n 1 "$T/out" >"$T/baru.txt"
expect 0 "its receipt checked against k3's folder" -- "$IKRAR" verify --data "$T/k3" --text "$(cat "$T/baru.txt")"
has out "has not seen this number yet" "says the hub has not seen it yet"
[ "$(records_of k2)" = "$before_k2" ] && ok || bad "pushing changed k2's log"
[ "$(pg_psql "SELECT count(*), count(DISTINCT (origin, seq)) FROM ikrar.record")" = "227|227" ] && ok ||
    bad "the hub does not hold every record exactly once"
[ "$(pg_psql "SELECT string_agg(origin || '=' || size, ' ' ORDER BY origin) FROM ikrar.kiosk")" = \
    "ikrar/$EV/k1=6 ikrar/$EV/k2=211 ikrar/$EV/k3=10" ] && ok || bad "the hub's sizes are not the kiosks' logs"
[ "$(pg_psql "SELECT count(*) FROM ikrar.inbox")" = 0 ] && ok || bad "the inbox still holds records"
for k in k1 k2 k3; do expect 0 "$k audits after pushing" -- "$IKRAR" audit --data "$T/$k"; done

# ---- reading the hub ----
expect 0 "stats --hub" -- "$IKRAR" stats --hub "$ADMIN" --event "$EV"
has out "Records verified at the hub: 227 (226 distinct NIPs, 1 without NIP)" "counts every verified record"
grep -Eq '^Bagian Umum +2 +3$' "$T/out" && ok || bad "Bagian Umum: Ani and Made of 3: $(cat "$T/out")"
grep -Eq '^Bagian Hukum +0 +1$' "$T/out" && ok || bad "Bagian Hukum: none of 1"
grep -Eq '^Total +2 +4$' "$T/out" && ok || bad "the roster's total"
has out "NIPs that signed more than once: 0" "no duplicate yet"
cp "$T/out" "$T/stats-before"
expect 0 "the roster loaded again, after the records" -- "$IKRAR" hub event --hub "$ADMIN" --data "$T/k1" --roster "$T/roster.csv"
expect 0 "stats --hub" -- "$IKRAR" stats --hub "$ADMIN" --event "$EV"
cmp -s "$T/out" "$T/stats-before" && ok || bad "a roster loaded after the records counts otherwise: $(diff "$T/stats-before" "$T/out")"
expect 0 "export --hub" -- "$IKRAR" export --hub "$ADMIN" --event "$EV" --out "$T/merged"
has out "3 kiosks, 227 records" "merges the three kiosks"
expect 0 "the merged bundle audits against the trust list" -- "$IKRAR" audit "$T/merged" --trust "$T/ev/trust.txt"

# ---- one event across kiosks: a NIP refused elsewhere while the hub answers ----
sign k1 500 "Siti"
EXPECT=3 sign k2 500 "Siti"
has err "already signed at kiosk k1" "names the kiosk it signed at"
pg_stop
sign k3 500 "Siti" # the hub cannot answer: the kiosk decides alone
has err "decided alone" "says it decided without the hub"
pg_restart
for k in k1 k2 k3; do expect 0 "push $k" -- "$IKRAR" push --data "$T/$k"; done
expect 0 "hub verify" -- "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key"
expect 0 "stats --hub" -- "$IKRAR" stats --hub "$ADMIN" --event "$EV"
has out "NIPs that signed more than once: 1" "reports the duplicate signed offline"
expect 0 "export --hub again" -- "$IKRAR" export --hub "$ADMIN" --event "$EV" --out "$T/merged2"
grep -q "$(nip 500)" "$T/merged2/duplicates.csv" && ok || bad "duplicates.csv does not name the NIP"

# ---- a kiosk role may insert its own rows and nothing else ----
kpsql k1 "UPDATE ikrar.inbox SET seq = seq + 1" && bad "a kiosk role updated the inbox" || ok
grep -q "permission denied" "$T/err" && ok || bad "update: $(cat "$T/err")"
kpsql k1 "DELETE FROM ikrar.inbox_checkpoint" && bad "a kiosk role deleted checkpoints" || ok
grep -q "permission denied" "$T/err" && ok || bad "delete: $(cat "$T/err")"
kpsql k1 "SELECT count(*) FROM ikrar.record" && bad "a kiosk role read the records" || ok
kpsql k1 "DELETE FROM ikrar.record" && bad "a kiosk role deleted records" || ok
kpsql k1 "INSERT INTO ikrar.inbox (role, seq, cose) VALUES ('$(pg_psql "SELECT role FROM ikrar.kiosk WHERE origin = 'ikrar/$EV/k2'")', 999, '\\x00')" &&
    bad "a kiosk role inserted another kiosk's row" || ok
grep -q "row-level security" "$T/err" && ok || bad "insert as another: $(cat "$T/err")"
kpsql k1 "SELECT ikrar.claim_nip('$(nip 777)', 1, 1)" && ok || bad "a kiosk cannot claim: $(cat "$T/err")"

# ---- a forked log and a rolled-back log are flagged, never merged ----
cp -a "$T/k1" "$T/k1fork"
sign_many k1 600 601
expect 0 "push k1" -- "$IKRAR" push --data "$T/k1"
expect 0 "verify" -- "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key"
sign_many k1fork 610 612 # the same key and numbers, other records
expect 4 "the fork pushes, and is told the hub saw another log" -- "$IKRAR" push --data "$T/k1fork"
has err "its root at 9 is not this log's" "says the hub's cosigned log is not its own"
expect 1 "verify flags it" -- "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key"
has out "1 kiosks flagged" "says a kiosk was flagged"
expect 1 "stats --hub shows the flag" -- "$IKRAR" stats --hub "$ADMIN" --event "$EV"
has out "FLAGGED: " "marks the kiosk"
has out "forked" "says why"
[ "$(pg_psql "SELECT size FROM ikrar.kiosk WHERE origin = 'ikrar/$EV/k1'")" = 9 ] && ok || bad "the fork was merged"
expect 4 "the flagged kiosk's push says so" -- "$IKRAR" push --data "$T/k1"
has err "flagged" "names the flag"

cp -a "$T/k3" "$T/k3old"
sign_many k3 700 702
for k in k3; do expect 0 "push $k" -- "$IKRAR" push --data "$T/$k"; done
expect 0 "verify" -- "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key"
rm -rf "$T/k3" && mv "$T/k3old" "$T/k3" # restored from an older copy
sign_many k3 703 703                     # one record under a number the hub holds another for
"$IKRAR" push --data "$T/k3" >/dev/null 2>&1
expect 1 "verify flags the rolled-back kiosk" -- "$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key"
expect 1 "stats --hub" -- "$IKRAR" stats --hub "$ADMIN" --event "$EV"
has out "rolled back" "says why"

# ---- the verifier as a service: woken by a push, stopped by SIGTERM ----
"$IKRAR" hub verify --hub "$ADMIN" --witness "$T/witness.key" --follow >"$T/follow.out" 2>&1 &
follower=$!
sign_many k2 800 802
expect 0 "push k2 to the following verifier" -- "$IKRAR" push --data "$T/k2"
want=$(sqlite3 "$T/k2/ikrar.db" "SELECT count(*) FROM record")
for _ in $(seq 100); do
    [ "$(pg_psql "SELECT size FROM ikrar.kiosk WHERE origin = 'ikrar/$EV/k2'")" = "$want" ] && break
    sleep 0.1
done
[ "$(pg_psql "SELECT size FROM ikrar.kiosk WHERE origin = 'ikrar/$EV/k2'")" = "$want" ] && ok ||
    bad "verify --follow did not take k2's push: $(cat "$T/follow.out")"
kill -TERM "$follower"
for _ in $(seq 50); do kill -0 "$follower" 2>/dev/null || break; sleep 0.1; done
kill -0 "$follower" 2>/dev/null && { bad "verify --follow still runs 5 s after SIGTERM"; kill -9 "$follower"; } || ok
wait "$follower" 2>/dev/null

finish
