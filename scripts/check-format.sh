#!/usr/bin/env bash
# check-format.sh: every C file git knows is laid out as .clang-format says.
#
#   bash scripts/check-format.sh        list the files that differ; exit 1 if any
#   bash scripts/check-format.sh --fix  rewrite them in place
#
# The layout is clang-format 14's, Debian 12's (scripts/setup-debian.sh installs it); another
# version may lay a few lines out differently, so CI and developers use that one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

fix=0
case "${1:-}" in
--fix) fix=1 ;;
"") ;;
*)
    echo "check-format.sh: unknown option: $1" >&2
    exit 2
    ;;
esac
if ! command -v clang-format >/dev/null; then
    echo "check-format.sh: clang-format is not installed (scripts/setup-debian.sh installs it)" >&2
    exit 1
fi

mapfile -t files < <(git ls-files '*.c' '*.h')
if [ "$fix" -eq 1 ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
bad=0
for f in "${files[@]}"; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (bash scripts/check-format.sh --fix)"
        bad=1
    fi
done
[ "$bad" -eq 0 ] && echo "check-format.sh: ${#files[@]} files formatted as .clang-format says."
exit "$bad"
