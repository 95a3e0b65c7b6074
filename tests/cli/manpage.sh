#!/usr/bin/env bash
# cli_manpage: the man page and the bash completion keep up with the program.  docs/ikrar.1
# renders without a groff warning; every command `ikrar --help` lists has its section in the
# page, and every option its `--help` shows is in that page and offered by the completion.
set -u
IKRAR=${1:?usage: tests/cli/manpage.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" cli-manpage
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PAGE=$SRC/docs/ikrar.1
COMPLETION=$SRC/deploy/bash-completion/ikrar

# groff -ww: every warning; -z: no output, only the warnings.
if groff -man -Tutf8 -ww -z "$PAGE" >"$T/warn" 2>&1 && [ ! -s "$T/warn" ]; then ok; else
    bad "groff warns about docs/ikrar.1: $(head -n 5 "$T/warn")"
fi
# The page as a reader sees it, without bold and underline.
MANWIDTH=100 man -l "$PAGE" 2>/dev/null | sed "s/.\x08//g" >"$T/page"
[ -s "$T/page" ] && ok || bad "man -l docs/ikrar.1 shows nothing"
has page "$("$IKRAR" --version | head -n 1)" "the page's header names this version"

. "$COMPLETION"
"$IKRAR" --help --lang en >"$T/help"
commands=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$T/help")
[ -n "$commands" ] && ok || bad "ikrar --help lists no commands"
for cmd in $commands; do
    [ "$cmd" = roster ] && section="ikrar roster import" || section="ikrar $cmd"
    grep -qx "   $section" "$T/page" && ok || bad "the man page has no section '$section'"
    [ "$cmd" = version ] && continue
    [ "$cmd" = roster ] && args=(roster import) || args=("$cmd")
    "$IKRAR" "${args[@]}" --help --lang en >"$T/cmd-help" 2>&1
    offered=" $(_ikrar_options "$cmd" | tr '\n' ' ') "
    # The options in the usage lines (up to the first blank line), not those in prose.
    for opt in $(sed '/^$/q' "$T/cmd-help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        # The page may write an option once for several commands; the section must hold it.
        awk -v s="   $section" -v o="$opt" '$0 == s { on = 1; next } /^   ikrar / || /^[A-Z]/ { on = 0 }
            on && index($0, o) { found = 1 } END { exit !found }' "$T/page" && ok ||
            bad "man page section '$section' does not mention $opt"
        case $offered in *" $opt "*) ok ;; *) bad "bash completion does not offer $opt for $cmd" ;; esac
    done
done

# The completion completes: a command from its start, an option's values.
complete_at() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _ikrar
    echo "${COMPREPLY[*]}"
}
[ "$(complete_at ikrar pu)" = "pubkey purge-ink push" ] && ok || bad "ikrar pu<TAB>: $(complete_at ikrar pu)"
[ "$(complete_at ikrar sign --status "")" = "PNS PPPK NON-ASN" ] && ok || bad "sign --status <TAB>: $(complete_at ikrar sign --status "")"
[ "$(complete_at ikrar init --zone WI)" = "WIB WITA WIT" ] && ok || bad "init --zone WI<TAB>"
finish
