#!/usr/bin/env bash
# crash-soak.sh: the crash harness (tests/cli/crash.sh) at length.
#   bash scripts/crash-soak.sh [--minutes N] [--ikrar PATH]
# SIGKILLs `ikrar sign`, `checkpoint` and `init` at random points for N minutes (default 30),
# then kills a signing at every invocation of every system call it makes (strace --inject),
# then damages copies of the log (WAL lost, cut or garbled, an older database put back).  The
# last line gives the figures; the exit status is 0 only when no acknowledged record was lost,
# no folder was left unusable and every damaged log was refused.
set -u
minutes=30
ikrar=
while [ $# -gt 0 ]; do
    case $1 in
    --minutes) minutes=${2:?--minutes N}; shift 2 ;;
    --ikrar) ikrar=${2:?--ikrar PATH}; shift 2 ;;
    -h | --help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "crash-soak.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case $minutes in '' | *[!0-9]*) echo "crash-soak.sh: --minutes takes a whole number" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
ikrar=${ikrar:-$here/build/ikrar}
[ -x "$ikrar" ] || { echo "crash-soak.sh: no ikrar at $ikrar (build first, or --ikrar PATH)" >&2; exit 2; }
command -v strace >/dev/null || echo "crash-soak.sh: strace is not installed: no walk over system calls" >&2
IKRAR_CRASH_SECONDS=$((minutes * 60)) IKRAR_CRASH_STRACE_STEP=1 exec bash "$here/tests/cli/crash.sh" "$ikrar"
