#!/usr/bin/env bash
# cli_cups: receipts through CUPS, end to end, on a private cupsd this script starts itself.
# The queue's backend is cups-pdf, so the printed page comes back as a PDF file: ghostscript
# renders it, zbarimg reads its QR, and `ikrar verify` must call that picture valid.  Then the
# ways a print fails: an unknown queue, a queue that rejects jobs, is stopped or wants a
# password (never asked on the terminal), a cupsd that hangs (SIGSTOP) and one that is gone.  Each fails within a few seconds (measured), keeps the
# record, marks it unprinted, and `ikrar reprint` prints it once the queue is back.
#
# Nothing of the machine's own CUPS is used: cupsd gets its own ServerRoot, spool, cache, state,
# logs and a unix socket under the test's folder, and every client (ikrar, lpadmin, lpstat)
# reaches it through CUPS_SERVER.  The one file outside the folder: cups-pdf reads its settings
# only from /etc/cups (compiled in), from cups-pdf-NAME.conf for a device URI cups-pdf:/NAME,
# so the queue gets a unique NAME and that file (its output folder is ours) is removed on exit.
# No other queue reads it.
#
# Needs root (cupsd runs backends as root only when started by root; cups-pdf insists), cupsd,
# lpadmin, cups-pdf, ghostscript and zbarimg.  Without them it skips (exit 0) outside CI and
# fails under CI=true, so a CI machine that lost a package cannot pass by skipping.
set -u
IKRAR=${1:?usage: tests/cli/cups.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" cups
PATH=$PATH:/usr/sbin:/sbin   # cupsd, lpadmin and cupsenable live there

cupsd_bin=$(command -v cupsd || echo cupsd)
lpadmin_bin=$(command -v lpadmin || echo lpadmin)
ppd=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
missing=
[ "$(id -u)" -eq 0 ] || missing="$missing root"
for f in "$cupsd_bin" "$lpadmin_bin" /usr/lib/cups/backend/cups-pdf; do
    [ -x "$f" ] || missing="$missing $f"
done
[ -r "$ppd" ] || missing="$missing $ppd"
[ -d /etc/cups ] && [ -w /etc/cups ] || missing="$missing writable-/etc/cups"
for c in gs zbarimg lpstat cupsenable cupsdisable cupsaccept cupsreject sqlite3 python3 script timeout; do
    command -v "$c" >/dev/null || missing="$missing $c"
done
if [ -n "$missing" ]; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL: cli_cups needs:$missing (scripts/setup-debian.sh installs the packages; run as root)" >&2
        exit 1
    fi
    echo "SKIP: cli_cups needs:$missing"
    exit 0
fi

# The folder holds cupsd's spool: its filters run as user lp and must get through to it.
chmod 711 "$T"
Q=ikrar-test-${T##*-}
pdfconf=/etc/cups/cups-pdf-$Q.conf
S=$T/cups
sock=$S/cups.sock
export CUPS_SERVER=$sock
unset CUPS_USER CUPS_ENCRYPTION IPP_PORT
cupsd_pid=
cleanup() {
    if [ -n "$cupsd_pid" ]; then
        kill -CONT "$cupsd_pid" 2>/dev/null
        kill "$cupsd_pid" 2>/dev/null
        wait "$cupsd_pid" 2>/dev/null
    fi
    rm -f "$pdfconf"
    rm -rf "$T"
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap still stops cupsd and removes the file.
trap 'exit 1' INT TERM HUP PIPE

mkdir -p "$S/etc" "$S/spool" "$S/cache" "$S/state" "$S/log" "$T/pdf" "$T/pdf-tmp" "$T/shots"
# cupsd will not make its TempDir; filters (user lp) write there: the mode cupsd gives its own.
install -d -m 1770 -g lp "$S/tmp"
# A TCP port too: on the unix socket cupsd knows root by its credentials and never asks a password.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat >"$S/etc/cupsd.conf" <<EOF
LogLevel debug
Listen $sock
Listen 127.0.0.1:$port
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
<Policy ikrar-auth>
  <Limit Create-Job Print-Job Send-Document>
    AuthType Basic
    Require user nobody-here
    Order deny,allow
  </Limit>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
cat >"$S/etc/cups-files.conf" <<EOF
ServerRoot $S/etc
RequestRoot $S/spool
CacheDir $S/cache
StateDir $S/state
TempDir $S/tmp
ErrorLog $S/log/error_log
AccessLog $S/log/access_log
PageLog $S/log/page_log
User lp
Group lp
SystemGroup root
EOF
# cups-pdf's ghostscript needs GSTmp to exist; without it gs fails and cups-pdf still says done.
cat >"$pdfconf" <<EOF
Out $T/pdf
AnonDirName $T/pdf
Spool $T/cups-pdf-spool
Log $S/log
GSTmp $T/pdf-tmp
Grp lp
Label 1
EOF

# start_cupsd: in the background, ready once lpstat gets an answer (10 s at most).
start_cupsd() {
    "$cupsd_bin" -f -c "$S/etc/cupsd.conf" -s "$S/etc/cups-files.conf" >>"$S/log/cupsd.out" 2>&1 &
    cupsd_pid=$!
    for _ in $(seq 100); do
        # lpstat -r says "not running" with status 0, so its words are checked.
        [ -S "$sock" ] && lpstat -r 2>/dev/null | grep -q "is running" && return 0
        sleep 0.1
    done
    echo "FAIL: the private cupsd did not start: $(tail -n 20 "$S/log/error_log" "$S/log/cupsd.out" 2>&1)" >&2
    exit 1
}
stop_cupsd() {
    kill "$cupsd_pid" 2>/dev/null
    wait "$cupsd_pid" 2>/dev/null
    cupsd_pid=
}
ms() { echo $(($(date +%s%N) / 1000000)); }
printed() { sqlite3 "$D/ikrar.db" "SELECT printed FROM record WHERE seq = $1"; }
# wait_pdf TEXT NAME: waits (20 s at most) for a PDF from the queue whose QR reads TEXT and
# leaves its picture in $T/shots/NAME.png.  A page that does not scan yet may still be written.
wait_pdf() {
    local f png=$T/shots/$2.png
    # Up to a minute: on a loaded CI machine cups-pdf (itself running Ghostscript) can be slow.
    # Each page is read at 200 dpi and, should zbar miss the code there, at 300 dpi.
    for _ in $(seq 240); do
        for f in "$T"/pdf/*.pdf; do
            [ -s "$f" ] || continue
            for dpi in 200 300; do
                gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pnggray -r"$dpi" -sOutputFile="$png" "$f" \
                    >/dev/null 2>&1 || continue 2
                if [ "$(zbarimg --raw -q "$png" 2>/dev/null | tr -d '\r\n')" = "$1" ]; then
                    rm -f "$f"
                    return 0
                fi
            done
        done
        sleep 0.25
    done
    echo "no page with that QR in $T/pdf: $(ls "$T/pdf"); cupsd says: $(grep -E '^E ' "$S/log/error_log" | tail -n 5)" >&2
    return 1
}

start_cupsd
"$lpadmin_bin" -p "$Q" -E -v "cups-pdf:/$Q" -P "$ppd" 2>/dev/null &&
    lpstat -p "$Q" >/dev/null 2>&1 && ok || bad "a cups-pdf queue on the private cupsd"

D=$T/data
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
expect 0 "init" -- "$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 --pin 246810

# --- a receipt printed through CUPS reads back and verifies ---
t0=$(ms)
expect 0 "sign to cups:" -- "$IKRAR" sign --data "$D" --name "Raden Ajeng Kartini" --status PNS \
    --nip 198503152010012003 --pos "Analis Kebijakan" --unit "Diskominfo" --ink "$T/ink.json" \
    --printer "cups:$Q" --lang en
echo "sign + print to cups:$Q: $(($(ms) - t0)) ms"
has err "Receipt printed to cups:$Q" "the print is said"
text1=$(tail -n 1 "$T/out")
wait_pdf "$text1" one && ok || bad "the page cups-pdf wrote holds the receipt's QR"
expect 0 "the printed page verifies" -- "$IKRAR" verify --data "$D" "$T/shots/one.png" --lang en
has out "VALID" "verify says valid"
[ "$(printed 1)" = 1 ] && ok || bad "record 1 is marked printed"

# --- an unknown queue: recorded all the same, unprinted, reprinted once the queue is right ---
expect 0 "sign to an unknown queue still records" -- "$IKRAR" sign --data "$D" --name "Budi Santoso" \
    --status NON-ASN --ink "$T/ink.json" --printer "cups:no-such-queue" --lang en
text2=$(tail -n 1 "$T/out")
has out "Recorded as number 2" "the record is stored"
has err "could not be printed" "the failure is said"
has err "no such queue" "the reason is said"
has err "reprint --seq 2" "how to reprint is said"
[ "$(printed 2)" = 0 ] && ok || bad "record 2 is left for reprint"
expect 4 "reprint to an unknown queue" -- "$IKRAR" reprint --data "$D" --seq 2 --printer "cups:no-such-queue" --lang en
has err "no such queue" "reprint says why"
expect 0 "reprint to the queue" -- "$IKRAR" reprint --data "$D" --seq 2 --printer "cups:$Q" --lang en
[ "$(printed 2)" = 1 ] && ok || bad "record 2 is marked printed after the reprint"
wait_pdf "$text2" two && ok || bad "the reprinted page holds record 2's QR"
expect 0 "the reprinted page verifies" -- "$IKRAR" verify --data "$D" "$T/shots/two.png"

# --- malformed queue names are usage errors, before anything is recorded ---
long=$(printf 'q%.0s' $(seq 128))
for q in "a b" "a/b" "a#b" "$long" ""; do
    expect 2 "queue name '${q:0:20}' is refused" -- "$IKRAR" sign --data "$D" --name "Cici" --status NON-ASN \
        --ink "$T/ink.json" --printer "cups:$q"
done
expect 4 "a 127-byte name is well formed (and unknown here)" -- "$IKRAR" reprint --data "$D" --seq 1 \
    --printer "cups:${long:1}" --lang en
has err "no such queue" "...and CUPS is asked"
[ "$(sqlite3 "$D/ikrar.db" 'SELECT count(*) FROM record')" = 2 ] && ok || bad "refused signers add no record"

# --- a queue that rejects jobs, a stopped queue ---
cupsreject "$Q"
expect 4 "a queue rejecting jobs" -- "$IKRAR" reprint --data "$D" --seq 1 --printer "cups:$Q" --lang en
has err "not accepting jobs" "says the queue rejects jobs"
[ "$(printed 1)" = 0 ] && ok || bad "a refused job marks the record for reprint"
cupsaccept "$Q"
cupsdisable "$Q"
expect 4 "a stopped queue" -- "$IKRAR" reprint --data "$D" --seq 1 --printer "cups:$Q" --lang en
has err "stopped" "says the queue is stopped"
cupsenable "$Q"

# --- a queue that wants a password: refused at once, nobody is asked on the terminal ---
# libcups's default is to prompt on the terminal; a kiosk started from one would wait there
# for ever.  script(1) gives the command a terminal, so a prompt would show as a hang.
"$lpadmin_bin" -p "$Q-auth" -E -v file:///dev/null -o printer-op-policy=ikrar-auth &&
    ok || bad "a queue that needs a password"
t0=$(ms)
expect 4 "a queue that wants a password" -- timeout 10 script -qec "CUPS_SERVER=127.0.0.1:$port '$IKRAR' reprint \
    --data '$D' --seq 1 --printer 'cups:$Q-auth' --lang en" /dev/null
took=$(($(ms) - t0))
echo "password-protected queue: failed in $took ms"
[ "$took" -le 3000 ] && ok || bad "a queue that wants a password held the signer up for $took ms"
has out "Unauthorized" "says the job was not authorised"
if grep -q "Password" "$T/out"; then bad "a password was asked on the terminal"; else ok; fi

expect 0 "the queue back" -- "$IKRAR" reprint --data "$D" --seq 1 --printer "cups:$Q" --lang en
[ "$(printed 1)" = 1 ] && ok || bad "record 1 printed again"
wait_pdf "$text1" one-again && ok || bad "the reprint of record 1 comes out"

# --- a cupsd that hangs: bounded by the job's timeout (4 s) ---
kill -STOP "$cupsd_pid"
t0=$(ms)
expect 0 "sign while cupsd hangs still records" -- "$IKRAR" sign --data "$D" --name "Dewi Lestari" \
    --status NON-ASN --ink "$T/ink.json" --printer "cups:$Q" --lang en
took=$(($(ms) - t0))
kill -CONT "$cupsd_pid"
echo "hung cupsd: sign failed the print in $took ms"
[ "$took" -le 6000 ] && ok || bad "a hung cupsd held the signer up for $took ms"
has err "no answer" "says the server did not answer"
text3=$(tail -n 1 "$T/out")
[ "$(printed 3)" = 0 ] && ok || bad "record 3 is left for reprint"

# --- no cupsd at all ---
stop_cupsd
t0=$(ms)
expect 0 "sign with cupsd stopped still records" -- "$IKRAR" sign --data "$D" --name "Eka Putri" \
    --status NON-ASN --ink "$T/ink.json" --printer "cups:$Q" --lang en
took=$(($(ms) - t0))
echo "stopped cupsd: sign failed the print in $took ms"
[ "$took" -le 3000 ] && ok || bad "a stopped cupsd held the signer up for $took ms"
has err "cannot connect" "says CUPS cannot be reached"
text4=$(tail -n 1 "$T/out")
[ "$(printed 4)" = 0 ] && ok || bad "record 4 is left for reprint"
expect 0 "record 4 is in the log" -- "$IKRAR" verify --data "$D" --text "$text4"
expect 4 "reprint with cupsd stopped" -- "$IKRAR" reprint --data "$D" --seq 4 --printer "cups:$Q"

# --- cupsd back (the queue kept in its ServerRoot): both waiting records print ---
start_cupsd
# A job the hung cupsd took before the deadline may still come out; only reprints are counted.
rm -f "$T"/pdf/*.pdf
for n in 3 4; do
    expect 0 "reprint $n after cupsd is back" -- "$IKRAR" reprint --data "$D" --seq "$n" --printer "cups:$Q"
    [ "$(printed "$n")" = 1 ] && ok || bad "record $n is marked printed"
done
wait_pdf "$text3" three && ok || bad "record 3's page comes out"
wait_pdf "$text4" four && ok || bad "record 4's page comes out"
expect 0 "the whole log still audits" -- "$IKRAR" audit --data "$D"

finish
