#!/usr/bin/env bash
# cli_clock: a signed time can never be corrected, so a wrong clock stops signing.  With the
# clock (IKRAR_TEST_NOW, and real faketime) at 1970, at 2001, before the
# event's set-up, before the last record and 8 days after it, `ikrar sign` and the kiosk refuse
# with the reason, exit non-zero and write nothing; at a normal time they sign.  `init
# --max-gap 36h`: 37 h later refused, 35 h later signed.  Each refusal, a PIN lockout and a
# printer failure leave their line in the operational log on stderr, and a signer's NIP never
# appears there in full.
set -u
IKRAR=${1:?usage: tests/cli/clock.sh path/to/ikrar}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KS=$HERE/../kiosk/scripts
. "$HERE/../common/harness.sh" clock
export IKRAR_RENDERER=software

D=$T/data
NIP=198503152010012003
T0=1764900000 # 2025-12-05 09:00 WIB: the event is set up
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
records() { "$IKRAR" stats --data "$1" 2>/dev/null | awk '/^(Jumlah|Total) /{print $2}'; }
sign_at() { # sign_at TIME NAME [NIP] : ikrar sign with the clock at TIME
    local at=$1 name=$2 nip=${3:-}
    if [ -n "$nip" ]; then
        IKRAR_TEST_NOW=$at "$IKRAR" sign --data "$D" --name "$name" --status PNS --nip "$nip" --ink "$T/ink.json"
    else
        IKRAR_TEST_NOW=$at "$IKRAR" sign --data "$D" --name "$name" --status NON-ASN --ink "$T/ink.json"
    fi
}

expect 0 "init at T0" -- env IKRAR_TEST_NOW=$T0 "$IKRAR" init --data "$D" --event pilkada-2024 \
    --title "Deklarasi Netralitas ASN" --kiosk aula-1 --pin 246810
has err "ikrar: admin action=init by=cli event=pilkada-2024" "init leaves its admin line"
has err "max-gap=7d" "the default max gap is a week"

# --- before the set-up: 1970, 2001, a minute early ---
expect 4 "sign at 1970" -- sign_at 0 "Andi" $NIP
has err "Jam kiosk menunjukkan 1970-01-01 07:00 WIB, sebelum acara disiapkan (2025-12-05 09:00 WIB)" "1970: the reason"
has err "ikrar: clock-refused rule=before-init clock=1970-01-01T00:00:00Z limit=2025-12-05T02:00:00Z by=sign" "1970: the oplog line"
# At 2001 this NIP's appointment (2010) is in the future: the clock must be named, not the NIP.
expect 4 "sign at 2001" -- sign_at @978310800 "Andi" $NIP
has err "Jam kiosk menunjukkan 2001-01-01 08:00 WIB" "2001: the clock is named"
grep -q "pengangkatan\|NIP" "$T/err" && bad "2001: the NIP is blamed: $(cat "$T/err")" || ok
expect 4 "sign a minute before the set-up" -- sign_at $((T0 - 60)) "Andi"
has err "sebelum acara disiapkan" "a minute early: the reason"
expect 4 "English too" -- env IKRAR_TEST_NOW=$((T0 - 60)) "$IKRAR" sign --lang en --data "$D" --name Andi \
    --status NON-ASN --ink "$T/ink.json"
has err "The kiosk's clock says 2025-12-05 08:59 WIB, before the event was set up" "the English reason"
[ "$(records "$D")" = 0 ] && ok || bad "nothing was written before the set-up: $(records "$D")"
[ "$(sqlite3 "$D/ikrar.db" 'SELECT count(*) FROM ink')" = 0 ] && ok || bad "no ink was written"

# --- a normal time signs ---
expect 0 "sign an hour after the set-up" -- sign_at $((T0 + 3600)) "Andi" $NIP
has out "Tercatat sebagai nomor 1, 2025-12-05 10:00:00 WIB" "signed at the clock's time"

# --- before the last record ---
expect 4 "sign before the last record" -- sign_at $((T0 + 1800)) "Budi"
has err "sebelum tanda tangan terakhir (nomor 1, 2025-12-05 10:00 WIB)" "before the last: the reason"
has err "ikrar: clock-refused rule=before-last" "before the last: the oplog line"

# --- 8 days after the last record ---
expect 4 "sign 8 days later" -- sign_at $((T0 + 3600 + 8 * 86400)) "Budi"
has err "lebih dari 7d setelah tanda tangan terakhir" "8 days: the reason"
has err "rule=max-gap" "8 days: the oplog line"
[ "$(records "$D")" = 1 ] && ok || bad "still one record after the refusals: $(records "$D")"
expect 0 "the log audits" -- "$IKRAR" audit --data "$D"
has out "Catatan      1" "the audit counts one record"
grep -q "PERINGATAN" "$T/err" && bad "a log going forward warns: $(cat "$T/err")" || ok
expect 0 "6 days later signs" -- sign_at $((T0 + 3600 + 6 * 86400)) "Budi"

# --- real faketime: the system clock itself at 2001 ---
# Under ASan, libfaketime's LD_PRELOAD comes before the ASan runtime, which ASan refuses unless
# told not to check the order.
fake=(env)
if ldd "$IKRAR" 2>/dev/null | grep -q libasan; then
    fake=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
fi
if ! command -v faketime >/dev/null; then
    bad "faketime is not installed (scripts/setup-debian.sh installs it)"
else
    expect 4 "faketime 2001: sign refused" -- "${fake[@]}" faketime "2001-01-01 10:00:00" "$IKRAR" sign --data "$D" \
        --name Citra --status PNS --nip 199001012015031002 --ink "$T/ink.json"
    has err "Jam kiosk menunjukkan 2001-01-01 17:00 WIB" "faketime 2001: the clock is named"
    has err "clock=2001-01-01T10:00:" "faketime 2001: the oplog line has the faked time"
    expect 0 "faketime 2001: audit still passes, nothing written" -- "${fake[@]}" faketime "2001-01-01 10:00:00" "$IKRAR" audit --data "$D"
    has out "Catatan      2" "faketime 2001: two records"
fi

# --- init --max-gap 36h ---
G=$T/gap
expect 2 "--max-gap below an hour" -- "$IKRAR" init --data "$G" --event e --title T --kiosk k --pin 246810 --max-gap 30m
has err "1h dan 366d" "the range is said"
expect 2 "--max-gap malformed" -- "$IKRAR" init --data "$G" --event e --title T --kiosk k --pin 246810 --max-gap 7x
expect 2 "--max-gap too long" -- "$IKRAR" init --data "$G" --event e --title T --kiosk k --pin 246810 --max-gap 400d
[ ! -e "$G" ] && ok || bad "a refused --max-gap leaves no folder"
expect 0 "init --max-gap 36h" -- env IKRAR_TEST_NOW=$T0 "$IKRAR" init --data "$G" --event e --title T --kiosk k \
    --pin 246810 --max-gap 36h
has err "max-gap=36h" "the gap is logged"
D=$G
expect 0 "36h: first signer" -- sign_at $((T0 + 60)) "Dewi"
expect 4 "36h: 37 hours later refused" -- sign_at $((T0 + 60 + 37 * 3600)) "Eka"
has err "lebih dari 36h" "36h: the reason"
expect 0 "36h: 35 hours later signs" -- sign_at $((T0 + 60 + 35 * 3600)) "Eka"
[ "$(records "$G")" = 2 ] && ok || bad "36h: two records: $(records "$G")"

# --- the kiosk: the clock named on the NIP screen and on the details screen ---
K=$T/kiosk
IKRAR_TEST_NOW=$T0 "$IKRAR" init --data "$K" --event e --title "Deklarasi Netralitas ASN" --kiosk k --pin 246810 >/dev/null 2>&1
cat "$KS/clock-nip.kiosk" >"$T/k1.kiosk"
expect 0 "kiosk at 2001: the NIP screen names the clock" -- env IKRAR_TEST_NOW=978310800 "$IKRAR" kiosk \
    --data "$K" --window 1280x800 --script "$T/k1.kiosk" --shots "$T/shots"
has err "rule=before-init" "kiosk: the oplog line"
has err "by=kiosk" "kiosk: said by the kiosk"
# Checked on the 18th digit and again on Next: still one line in the journal for this signer.
n=$(grep -c "ikrar: clock-refused" "$T/err")
[ "$n" = 1 ] && ok || bad "the NIP screen: one clock-refused line per signer, not $n"
cat "$KS/to-details.kiosk" "$KS/clock-details.kiosk" >"$T/k2.kiosk"
expect 0 "kiosk before the set-up: the details screen names the clock" -- env IKRAR_TEST_NOW=$((T0 - 3600)) "$IKRAR" \
    kiosk --data "$K" --window 1280x800 --script "$T/k2.kiosk" --shots "$T/shots"
[ "$(records "$K")" = 0 ] && ok || bad "the kiosk wrote nothing: $(records "$K")"
# The kiosk checks the clock as the signer types and taps; the journal gets one line for it.
n=$(grep -c "ikrar: clock-refused" "$T/err")
[ "$n" = 1 ] && ok || bad "one signer refused for the clock leaves one clock-refused line, not $n"

# --- the staff menu: the time large, "Atur jam" through timedatectl ---
# A stand-in timedatectl first on PATH: the test never sets this machine's clock.  It records
# what it was asked and fails the first time, as one without the polkit rule would.
mkdir -p "$T/bin"
cat >"$T/bin/timedatectl" <<EOS
#!/bin/sh
echo "\$*" >>"$T/timedatectl.calls"
[ -e "$T/timedatectl.ok" ] && exit 0
touch "$T/timedatectl.ok"
echo "Failed to set time: Interactive authentication required." >&2
exit 1
EOS
chmod +x "$T/bin/timedatectl"
SHOTS=${IKRAR_SHOTS:-$T/shots}
cat "$KS/clock-admin.kiosk" >"$T/k3.kiosk"
# the first Save is refused: the screen says how to set it as root, in both languages
sed -i 's/^tap clock.set$/tap clock.set\nscreen clock\nexpect Sebagai root, jalankan:\nexpect As root, run:\nshot clock-failed\ntap clock.set/' "$T/k3.kiosk"
expect 0 "kiosk: the staff menu's clock and Atur jam" -- env PATH="$T/bin:$PATH" TZ=UTC IKRAR_TEST_NOW=$T0 \
    "$IKRAR" kiosk --data "$K" --window 1280x800 --script "$T/k3.kiosk" --shots "$SHOTS"
[ "$(cat "$T/timedatectl.calls" 2>/dev/null)" = "set-time 2025-12-06 04:59:00
set-time 2025-12-06 04:59:00" ] && ok || bad "timedatectl was asked: $(cat "$T/timedatectl.calls" 2>/dev/null)"
has err "ikrar: admin action=set-clock by=kiosk from=2025-12-05T02:00:00Z to=2025-12-06T04:59:00Z ok=0" "the refused setting is logged"
has err "to=2025-12-06T04:59:00Z ok=1" "the clock setting is logged"
has err "ikrar: admin action=open-menu by=kiosk" "opening the staff menu is logged"
for shot in admin-clock-menu clock-edit clock-failed clock-set; do
    [ -s "$SHOTS/$shot.png" ] && ok || bad "no screenshot $shot"
done

# --- the operational log: a PIN lockout and a printer failure leave their lines ---
printf 'screen welcome\npress logo 3200\nscreen admin-pin\n' >"$T/pin.kiosk"
for _ in 1 2 3 4 5; do printf 'type 111111\ntap pin.ok\n' >>"$T/pin.kiosk"; done
printf 'expect Terlalu banyak\n' >>"$T/pin.kiosk"
expect 0 "kiosk: five wrong PINs" -- env IKRAR_TEST_NOW=$((T0 + 60)) "$IKRAR" kiosk --data "$K" \
    --window 800x480 --script "$T/pin.kiosk"
has err "ikrar: pin-fail by=kiosk attempt=1 of=5" "the first PIN failure is logged"
has err "ikrar: pin-fail by=kiosk attempt=5 of=5" "the fifth PIN failure is logged"
has err "ikrar: pin-lock by=kiosk until=2025-12-05T02:02:00Z" "the lockout is logged, until when"
grep -q "111111" "$T/err" && bad "a tried PIN is in the log" || ok

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
D=$T/data
expect 0 "sign with a refusing printer" -- env IKRAR_TEST_NOW=$((T0 + 3600 + 6 * 86400 + 60)) "$IKRAR" sign --data "$D" \
    --name "Fajar" --status PNS --nip 199202292019031001 --ink "$T/ink.json" --printer "escpos+tcp://127.0.0.1:$port"
has err "ikrar: printer-fail by=sign printer=escpos+tcp://127.0.0.1:$port seq=3" "the printer failure is logged"
cp "$T/err" "$T/session.err"
expect 0 "reprint to a printer that works" -- "$IKRAR" reprint --data "$D" --seq 3 --printer "file:$T/paper"
has err "ikrar: printer-ok by=reprint printer=file:$T/paper seq=3" "the recovery is logged"
cat "$T/err" >>"$T/session.err"

# A whole signing session on the kiosk, with a printer that fails: no full NIP in its stderr.
cat "$KS/signing.kiosk" >"$T/s.kiosk"
IKRAR_TEST_NOW=$((T0 + 3600 + 6 * 86400 + 120)) "$IKRAR" kiosk --data "$D" --window 1280x800 \
    --printer "escpos+tcp://127.0.0.1:$port" --script "$T/s.kiosk" --shots "$T/shots" >"$T/out" 2>>"$T/session.err" &&
    ok || bad "a kiosk signing session: $(tail -n 5 "$T/session.err")"
grep -q "printer-fail by=kiosk" "$T/session.err" && ok || bad "the kiosk's printer failure is logged: $(cat "$T/session.err")"
for n in $NIP 199202292019031001 198503302010012001; do
    grep -q "$n" "$T/session.err" && bad "NIP $n in full on stderr: $(grep "$n" "$T/session.err")" || ok
done
finish
