# harness.sh: what the tests/cli/*.sh scripts share, sourced by each:
#   T          a fresh folder, removed on exit
#   ok, bad    count a pass or a failure (bad prints why)
#   expect STATUS DESC -- COMMAND...   run it (no stdin), keep stdout in $T/out and stderr in
#                                      $T/err, and check its exit status
#   has FILE TEXT DESC                 check that $T/FILE holds TEXT
#   small_disk DIR SIZE                mount a tmpfs of SIZE at DIR (root only; else returns
#                                      1), unmounted on exit before $T goes
#   finish     print "N passed, N failed" and exit with the verdict
# Usage: IKRAR=${1:?...}; . "$(dirname "${BASH_SOURCE[0]}")/harness.sh" NAME
T=$(mktemp -d "/tmp/ikrar-${1:-test}-XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect() {
    local want=$1 desc=$2
    shift 3
    "$@" >"$T/out" 2>"$T/err" </dev/null
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$desc: exit $got, wanted $want; stderr: $(cat "$T/err")"; fi
}
has() { if grep -qF -- "$2" "$T/$1"; then ok; else bad "$3: '$2' not in $1: $(cat "$T/$1")"; fi; }
small_disk() {
    [ "$(id -u)" -eq 0 ] && mkdir -p "$1" && mount -t tmpfs -o size="$2" tmpfs "$1" 2>/dev/null ||
        return 1
    # The host's mounts are never deleted through: unmount first, then remove.
    trap 'mountpoint -q "'"$1"'" && umount "'"$1"'"; rm -rf "$T"' EXIT
}
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
