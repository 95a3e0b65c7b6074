#!/usr/bin/env bash
# cli_readonly: an auditor's copy of a data folder that cannot be written (a write-protected
# stick or CD: a read-only mount; a folder of another user: an unprivileged reader) answers
# `audit`, `verify --data`, `stats`, `pubkey` and `checkpoint` exactly as the original does,
# whether it was copied after the kiosk stopped (no -wal/-shm), while it ran (ikrar.db-wal with
# newer records and its -shm), without the -shm, or with both files empty; nothing there is
# created or changed, and no temporary copy is left behind; `ikrar backup` copies each to a
# writable disk whole, and `ikrar export` makes a bundle of each that audits.
set -u
IKRAR=${1:?usage: tests/cli/readonly.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" readonly
MNT=$T/stick
# Temporary copies go under $T, so that a leftover is seen.
export TMPDIR=$T/tmp
mkdir -p "$TMPDIR"
chmod 1777 "$TMPDIR"
D=$T/data
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40],[220,110,60,260,150,80]]}\n' >"$T/ink.json"
sign() {
    "$IKRAR" sign --data "$D" --name "Penanda $1" --status PNS --nip "$(printf '198503302010011%03d' "$1")" \
        --pos Analis --unit Bappeda --ink "$T/ink.json" --lang en
}

"$IKRAR" init --data "$D" --event rapat-2026 --title "Deklarasi" --kiosk aula-1 --pin 246810 \
    >/dev/null 2>&1 || bad "init"
for i in 1 2 3; do sign "$i" | tail -n 1 >"$T/receipt$i" || bad "sign $i"; done
"$IKRAR" checkpoint --data "$D" >/dev/null || bad "checkpoint"
copies="clean wal noshm empty"
cp -a "$D" "$T/clean"
cp -a "$D" "$T/empty"
: >"$T/empty/ikrar.db-wal"
: >"$T/empty/ikrar.db-shm"
# A reader holds a snapshot, so the two records signed meanwhile stay in ikrar.db-wal: it
# reads from a FIFO kept open until the copy is made, and has answered before anyone signs.
mkfifo "$T/hold"
sqlite3 "$D/ikrar.db" <"$T/hold" >"$T/held" &
holder=$!
exec 3>"$T/hold"
echo "BEGIN; SELECT count(*) FROM record;" >&3
for _ in $(seq 1 500); do [ -s "$T/held" ] && break; sleep 0.02; done
[ "$(cat "$T/held")" = 3 ] && ok || bad "the reader did not start: $(cat "$T/held")"
for i in 4 5; do sign "$i" | tail -n 1 >"$T/receipt$i" || bad "sign $i"; done
cp -a "$D" "$T/wal"
exec 3>&-
wait "$holder"
[ -s "$T/wal/ikrar.db-wal" ] && [ -e "$T/wal/ikrar.db-shm" ] && ok ||
    bad "the copy taken while a reader held the log has no write-ahead file"
[ "$(sqlite3 "file:$T/wal/ikrar.db?immutable=1" 'SELECT count(*) FROM record')" = 3 ] && ok ||
    bad "records 4 and 5 should be only in the write-ahead file"
cp -a "$T/wal" "$T/noshm"
rm "$T/noshm/ikrar.db-shm"

R=$T        # where the receipts are
IKRAR_U=$IKRAR # the program as another user runs it
# answers DIR OUT: what the five commands print and exit with on the folder DIR, into OUT
# (the folder's path taken out, so that two folders can be compared).
answers() {
    local dir=$1 out=$2 i
    : >"$out"
    run() {
        "$IKRAR" "$@" --lang en >"$T/a.out" 2>"$T/a.err" </dev/null
        echo "== $* -> $?" | sed "s|$dir|DIR|g" >>"$out"
        sed "s|$dir|DIR|g" "$T/a.out" >>"$out"
    }
    run audit --data "$dir"
    for i in 1 5; do run verify --data "$dir" --text "$(cat "$R/receipt$i")"; done
    run stats --data "$dir"
    run stats --data "$dir" --missing
    run pubkey --data "$dir"
    run checkpoint --data "$dir"
}
# state DIR: every name, mode and content in DIR.
state() { (cd "$1" && ls -la --time-style=+ . && sha256sum -- * 2>/dev/null); }

# The original answers: each copy as a writable folder.
for c in $copies; do
    cp -a "$T/$c" "$T/$c.orig"
    answers "$T/$c.orig" "$T/$c.want"
done
grep -q "Records *5$" "$T/wal.want" && ok || bad "the running copy holds 5 records: $(cat "$T/wal.want")"
grep -q "Records *3$" "$T/clean.want" && ok || bad "the stopped copy holds 3: $(cat "$T/clean.want")"
cmp -s "$T/wal.want" "$T/noshm.want" && ok || bad "without -shm the original answers the same"

# check WHERE DIR WANT [as-user...]: the answers on DIR are WANT, and DIR is unchanged.
check() {
    local where=$1 dir=$2 want=$3
    shift 3
    local before
    before=$(state "$dir")
    if [ $# -gt 0 ]; then
        "$@" bash -c "$(declare -f answers); IKRAR=$IKRAR_U T=$T/u R=$T TMPDIR=$TMPDIR; answers '$dir' '$T/u/got'"
        cp "$T/u/got" "$T/got"
    else
        answers "$dir" "$T/got"
    fi
    if cmp -s "$want" "$T/got"; then ok; else bad "$where: answers differ: $(diff "$want" "$T/got")"; fi
    [ "$(state "$dir")" = "$before" ] && ok || bad "$where: the folder changed"
    [ -z "$(ls -A "$TMPDIR")" ] && ok || bad "$where: a temporary copy is left: $(ls -A "$TMPDIR")"
}

if small_disk "$MNT" 4m; then
    for c in $copies; do cp -a "$T/$c" "$MNT/$c"; done
    # A folder name SQLite's URIs would misread unless escaped.
    cp -a "$T/clean" "$MNT/odd ?#%&=name"
    cp -a "$T/noshm" "$MNT/odd ?#%&=noshm"
    mount -o remount,ro "$MNT"
    expect 0 "audit of a read-only folder named with ?#%&=" -- "$IKRAR" audit --data "$MNT/odd ?#%&=name" --lang en
    has out "Records      3" "reads it whole"
    expect 0 "audit of such a folder read through a copy" -- "$IKRAR" audit --data "$MNT/odd ?#%&=noshm" --lang en
    has out "Records      5" "reads it whole, write-ahead file included"
    for c in $copies; do check "read-only mount, $c" "$MNT/$c" "$T/$c.want"; done
    # The note names the write-ahead file read through a copy, and how to copy properly.
    expect 0 "audit without -shm" -- "$IKRAR" audit --data "$MNT/noshm" --lang en
    has err "ikrar.db-wal" "says the write-ahead file was read through a copy"
    has err "ikrar backup" "says how to copy a folder so that it reads directly"
    expect 0 "audit without -shm, Indonesian" -- "$IKRAR" audit --data "$MNT/noshm"
    has err "salinan sementara" "says it in Indonesian"
    expect 0 "audit of a stopped copy" -- "$IKRAR" audit --data "$MNT/clean" --lang en
    [ ! -s "$T/err" ] && ok || bad "a stopped copy needs no note: $(cat "$T/err")"
    expect 0 "checkpoint" -- "$IKRAR" checkpoint --data "$MNT/wal" --lang en
    has err "read-only" "checkpoint says it was not kept"
    # `ikrar backup` makes a working copy of each onto a writable disk, every record in it.
    for c in $copies; do
        expect 0 "backup of the read-only $c copy" -- "$IKRAR" backup --data "$MNT/$c" --to "$T/bk-$c" --lang en
        want=$(sed -n 's/^ *Records *\([0-9]*\)$/\1/p' "$T/$c.want")
        [ "$(sqlite3 "$T/bk-$c/ikrar.db" 'SELECT count(*) FROM record')" = "$want" ] && ok ||
            bad "the backup of the $c copy should hold $want records"
        # And a roster bundle for auditors, from the copy alone.
        expect 0 "export from the read-only $c copy" -- "$IKRAR" export --data "$MNT/$c" --out "$T/ex-$c" --lang en
        expect 0 "audit of that bundle" -- "$IKRAR" audit "$T/ex-$c" --lang en
        grep -q "Records *$want$" "$T/out" && ok || bad "the bundle of the $c copy should hold $want: $(cat "$T/out")"
    done
    # Signing is refused at once, in words, and nothing is lost.
    expect 4 "sign on a read-only copy" -- "$IKRAR" sign --data "$MNT/wal" --name "Penanda 6" \
        --status NON-ASN --ink "$T/ink.json" --lang en
    has err "read-only" "sign says the storage is read-only"
    umount "$MNT"
elif [ "${CI:-}" = true ]; then
    bad "could not mount a read-only tmpfs (CI runs as root)"
else
    echo "SKIP: read-only mount (needs root)"
fi

# A folder of another user, readable but not writable: root reads it as nobody.
U=$T/u
mkdir -p "$U"
if [ "$(id -u)" -eq 0 ]; then
    as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    chmod 755 "$T"
    chown nobody "$U"
    # nobody may not reach the build (a checkout under /root): it runs a copy of the program,
    # and of the sanitizer's suppressions when they are set.
    mkdir -p "$T/bin"
    cp "$IKRAR" "$T/bin/ikrar"
    chmod 755 "$T/bin" "$T/bin/ikrar"
    IKRAR_U=$T/bin/ikrar
    supp=${LSAN_OPTIONS:-}
    supp=${supp#*suppressions=}
    supp=${supp%%:*}
    if [ -n "${LSAN_OPTIONS:-}" ] && [ -f "$supp" ]; then
        cp "$supp" "$T/bin/lsan.supp"
        chmod 644 "$T/bin/lsan.supp"
        export LSAN_OPTIONS=${LSAN_OPTIONS/"$supp"/$T/bin/lsan.supp}
    fi
else
    as=()
fi
for c in $copies; do
    cp -a "$T/$c" "$U/$c"
    [ ${#as[@]} -gt 0 ] && chown -R nobody "$U/$c"
    chmod -R a-w "$U/$c"
    if [ ${#as[@]} -gt 0 ]; then
        check "another user's folder, $c" "$U/$c" "$T/$c.want" "${as[@]}"
    else
        check "a folder without write permission, $c" "$U/$c" "$T/$c.want"
    fi
done
chmod -R u+w "$U"
finish
