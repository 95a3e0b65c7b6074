#!/usr/bin/env bash
# hooks_off: the test hooks are compiled into test builds only.  The files that read one,
# compiled as a release has them (cmake -DIKRAR_TEST_HOOKS=OFF, what deploy/build-deb.sh
# does), must not hold the name of any hook, and that clock ignores IKRAR_TEST_NOW.
# (tests/deploy/deb.sh checks the packaged binary itself the same way.)
# Usage: hooks.sh path/to/test_hooks_off "obj1;obj2;..."
set -u
prog=${1:?usage: hooks.sh test_hooks_off OBJECTS}
objs=${2:?usage: hooks.sh test_hooks_off OBJECTS}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
hooks="IKRAR_TEST_NOW IKRAR_KIOSK_HITS IKRAR_KIOSK_RECEIPTS IKRAR_KIOSK_SPOKEN IKRAR_USB_ROOTS IKRAR_KIOSK_USER"
IFS=';' read -r -a files <<<"$objs"
[ "${#files[@]}" -eq 4 ] && ok || bad "wanted the 4 objects with hooks, got ${#files[@]}: $objs"
for f in "${files[@]}"; do
    [ -s "$f" ] || { bad "no object $f"; continue; }
    for h in $hooks; do
        if grep -aq "$h" "$f"; then bad "$(basename "$f") names $h without IKRAR_TEST_HOOKS"; else ok; fi
    done
done
"$prog" && ok || bad "test_hooks_off failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
