#!/usr/bin/env bash
# kiosk_access_flows: the large-text and high-contrast modes and reading aloud, played headless
# through `ikrar kiosk --script` with the test hook IKRAR_KIOSK_SPOKEN recording every request
# to speak or play a sound: Bacakan on the declaration asks for the declaration in Indonesian
# (also on an English screen), an English step is asked in English, a second tap stops it,
# Done plays the done sound, a refused NIP the error sound.  The whole signing in both modes
# at 800x480, 1280x800 and 1080x1920 leaves a screenshot of every screen (kept in
# $IKRAR_SHOTS/access when set, for a person to look at).  The scripted kiosk opens SDL's
# dummy audio, so the speaking thread and espeak-ng run as on a kiosk, heard by no one; with
# no audio driver at all it runs on silent, says so once, and the buttons still work.
set -u
IKRAR=${1:?usage: tests/kiosk/access_flows.sh path/to/ikrar}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
S=$HERE/scripts
T=$(mktemp -d /tmp/ikrar-access-XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
export IKRAR_RENDERER=software
OUT=${IKRAR_SHOTS:+$IKRAR_SHOTS/access}
OUT=${OUT:-$T/shots}

new_folder() {
    "$IKRAR" init --data "$1" --event pilkada-2024 --title "Deklarasi Netralitas ASN" \
        --kiosk aula-1 --pin 246810 >/dev/null 2>&1 || bad "init $1"
}
# play FOLDER SIZE SCRIPT SPOKEN [ENV...]: plays the script; passes when it exits 0.
play() {
    local dir=$1 size=$2 script=$3 spoken=$4
    shift 4
    : >"$spoken"
    if env IKRAR_KIOSK_SPOKEN="$spoken" "$@" "$IKRAR" kiosk --data "$dir" --window "$size" \
        --script "$script" --shots "$OUT/$size" >"$T/out" 2>&1; then
        ok
    else
        bad "$(basename "$script") at $size: $(tail -n 20 "$T/out")"
    fi
}
# has FILE LINE-PREFIX WHAT: some line of FILE starts with LINE-PREFIX.
has() {
    grep -qF -- "$2" <(cut -c1-${#2} "$1") && ok || bad "$3: no line '$2' in: $(cut -c1-100 "$1")"
}

png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print ($2*65536+$3*256+$4) "x" ($6*65536+$7*256+$8)}'; }

for size in 800x480 1280x800 1080x1920; do
    D=$T/event-$size
    new_folder "$D"
    play "$D" "$size" "$S/access.kiosk" "$T/spoken-$size"
    sp=$T/spoken-$size
    has "$sp" "speak id DEKLARASI NETRALITAS APARATUR SIPIL NEGARA" \
        "Bacakan on the declaration reads it in Indonesian"
    has "$sp" "speak stop" "a second tap on Bacakan stops the reading"
    has "$sp" "speak id NIP Anda tidak ada di daftar. Apa status Anda? PNS, Pegawai Negeri Sipil." \
        "Bacakan on the status step reads the question and the choices"
    has "$sp" "speak id Ketik NIP Anda (18 angka)." "the NIP step"
    has "$sp" "speak id Isi data diri Anda. Nama lengkap dan gelar." "the details step"
    has "$sp" "speak id Bubuhkan tanda tangan Anda." "the signature step"
    has "$sp" "speak id Periksa kembali data Anda." "the review"
    [ "$(tail -n 1 "$sp")" = "sound done" ] && ok || bad "Done plays the done sound last: $(tail -n 2 "$sp")"
    [ "$(grep -c '^sound' "$sp")" = 1 ] && ok || bad "one sound in a signing without refusals: $(grep '^sound' "$sp")"
    [ "$(sqlite3 "$D/ikrar.db" 'SELECT count(*) FROM record')" = 1 ] && ok ||
        bad "the signing in both modes is in the log at $size"
    n=0
    for png in "$OUT/$size"/access-*.png; do
        [ -f "$png" ] || continue
        n=$((n + 1))
        [ "$(png_size "$png")" = "$size" ] || bad "$png is $(png_size "$png"), not $size"
    done
    [ "$n" -ge 11 ] && ok || bad "only $n screenshots at $size"
done

# English: the declaration still in Indonesian, a step in English; the idle wipe stops it.
D=$T/event-en
new_folder "$D"
play "$D" 1280x800 "$S/access-en.kiosk" "$T/spoken-en"
has "$T/spoken-en" "speak id DEKLARASI NETRALITAS" "the declaration is read in Indonesian on an English screen"
has "$T/spoken-en" "speak en Type your NIP (18 digits). No NIP (non-ASN)." \
    "an English step is read in English"
has "$T/spoken-en" "speak en Your details. Full name and titles." "the details step in English"
[ "$(tail -n 1 "$T/spoken-en")" = "speak stop" ] && ok ||
    bad "the idle wipe stops the reading: $(tail -n 2 "$T/spoken-en")"

# A refused NIP plays the error sound, once; no audio driver at all: silent, said once.
printf '%s\n' 'screen welcome' 'tap start' 'drag 0.5 0.8 0.5 0.2 20 300' 'key ESCAPE' \
    'screen welcome' 'tap large' 'tap start' 'screen declaration' 'tap read' 'expect Berhenti' \
    'tap read' 'expect Bacakan' >"$T/silent.kiosk"
D=$T/event-silent
new_folder "$D"
: >"$T/spoken-silent"
if IKRAR_KIOSK_SPOKEN="$T/spoken-silent" SDL_AUDIODRIVER=no-such-driver "$IKRAR" kiosk \
    --data "$D" --script "$T/silent.kiosk" >"$T/silent.out" 2>&1; then
    ok
else
    bad "no audio: the kiosk still runs and its buttons work: $(tail -n 5 "$T/silent.out")"
fi
[ "$(grep -c 'audio sound=none' "$T/silent.out")" = 1 ] && ok ||
    bad "no audio is said once: $(cat "$T/silent.out")"
has "$T/spoken-silent" "speak id DEKLARASI" "without audio the request is still made"

printf '%s\n' 'screen welcome' 'tap start' 'drag 0.5 0.8 0.5 0.2 20 300' \
    'drag 0.5 0.8 0.5 0.2 20 300' 'drag 0.5 0.8 0.5 0.2 20 300' 'drag 0.5 0.8 0.5 0.2 20 300' \
    'drag 0.5 0.8 0.5 0.2 20 300' 'drag 0.5 0.8 0.5 0.2 20 300' 'drag 0.5 0.8 0.5 0.2 20 300' \
    'drag 0.5 0.8 0.5 0.2 20 300' 'tap agree' 'type 198513302010012003' \
    'expect tanggal' 'shot access-refused' >"$T/refuse.kiosk"
play "$D" 1280x800 "$T/refuse.kiosk" "$T/spoken-refuse"
[ "$(cat "$T/spoken-refuse")" = "sound error" ] && ok ||
    bad "a refused NIP plays the error sound once: $(cat "$T/spoken-refuse")"

echo "kiosk_access_flows: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
