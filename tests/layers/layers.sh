#!/usr/bin/env bash
#
# layers.sh: the libraries' dependencies point down only, as CMakeLists.txt
# draws them:
#
#   util  <-  core  <-  print, export, scan, hub  <-  kiosk/ui  <-  kiosk/sdl  <-  bench  <-  cli
#
# CMake catches a library calling one it does not link, but not an include
# of a header whose library the final program happens to link anyway, nor a
# drawing library creeping into the programs that only verify.  An auditor
# must be able to build and trust the core without cairo, cups, zbar or SDL,
# so this checks both:
#
#   (a) ldd: the PROGRAMs given (the fuzz replays that link the core alone,
#       and core_only, which references what `ikrar audit` and `ikrar verify`
#       run) load no library that prints, scans or draws;
#   (b) includes: every file under src/, include/ikrar/ and fuzz/ includes
#       only headers of its own library and of those below it; sqlite3.h
#       only in the core, drawing and scanning headers nowhere in util or
#       core, SDL and espeak-ng nowhere in kiosk/ui.
#
# Usage: layers.sh SOURCE_DIR [PROGRAM...]
# Every violation is printed as FILE:LINE and the test fails.
set -u

src=${1:?usage: layers.sh SOURCE_DIR [PROGRAM...]}
shift
cd "$src" || exit 2
fail=0

bad() {
    echo "FAIL: $*"
    fail=1
}

# ---- (a) what the verifying programs load ----

# libasan and libubsan in a sanitizer build are fine: they draw nothing.
forbidden='^(libcairo|libcups|libzbar|libjpeg|libSDL2|libqrencode|libpng|libfontconfig|libfreetype|libv4l|libespeak)'
for prog in "$@"; do
    if ! libs=$(ldd "$prog" 2>&1); then
        bad "ldd $prog: $libs"
        continue
    fi
    while read -r lib _; do
        lib=${lib##*/}
        if [[ $lib =~ $forbidden ]]; then
            bad "${prog##*/} loads $lib"
        fi
    done <<<"$libs"
done

# ---- (b) includes ----

# The library each public header belongs to.  A header not listed belongs
# to the library whose folder holds the .c of its name; one with neither
# must be added here.
declare -A owner=()
for h in base45 base64 buf clock csv err file hash json limits notify oplog text zone; do owner[$h]=util; done
for h in audit backup bundle cbor cose decl event ink key log merged merkle nip nipset note pin receipt record roster \
         station trust; do owner[$h]=core; done
for h in printer qr ticket; do owner[$h]=print; done
for h in export merge roster_pdf; do owner[$h]=export; done
for h in camera image scan; do owner[$h]=scan; done

# What each folder may include: itself and the libraries below it.  The
# fuzz replays link the core alone, fuzz_image the scanner alone.
declare -A may=(
    [util]="util"
    [core]="util core"
    [print]="util core print"
    [export]="util core export"
    [scan]="util scan"
    [hub]="util core hub"
    [kiosk/ui]="util core print export scan hub kiosk/ui"
    [kiosk/sdl]="util core print export scan hub kiosk/ui kiosk/sdl"
    [bench]="util core print export scan hub kiosk/ui kiosk/sdl bench"
    [cli]="util core print export scan hub kiosk/ui kiosk/sdl bench cli"
    [fuzz]="util core"
    [fuzz_image]="util scan"
)

# System headers a folder must not include.
draws='^(cairo|cups/|qrencode|zbar|png|jpeglib|SDL|fontconfig/|ft2build|freetype|linux/videodev2|espeak-ng/)'
never_of() {
    case $1 in
        util) echo "^(sqlite3|zlib)\.h$|$draws" ;;
        core | fuzz) echo "$draws" ;;
        hub) echo "$draws|^sqlite3\.h$" ;;
        fuzz_image) echo '^sqlite3\.h$' ;;
        kiosk/ui) echo '^SDL|^espeak-ng/|^sqlite3\.h$' ;;
        *) echo '^sqlite3\.h$' ;;
    esac
}

# Which library a public header belongs to, or "" when none can be told.
public_owner() {
    local h=$1 c
    c=$(find src -name "$h.c" | head -n 1)
    if [[ -n ${owner[$h]:-} ]]; then
        # A listed header whose .c lives elsewhere is listed wrongly.
        if [[ -n $c && $c != src/${owner[$h]}/$h.c ]]; then
            echo "?"
            return
        fi
        echo "${owner[$h]}"
    elif [[ -n $c ]]; then
        c=${c#src/}
        echo "${c%/*}"
    fi
}

declare -A pub=()
for f in include/ikrar/*.h; do
    h=${f##*/}
    h=${h%.h}
    o=$(public_owner "$h")
    if [[ -z $o ]]; then
        bad "$f: belongs to no library; add it to the table in tests/layers/layers.sh"
    elif [[ $o == "?" ]]; then
        bad "$f: listed as ${owner[$h]}'s in tests/layers/layers.sh, but its .c is elsewhere"
    else
        pub[$h]=$o
    fi
done

# A folder's own headers: src/kiosk/ui/app.h is kiosk/ui's.
declare -A local_h=()
while read -r f; do
    d=${f#src/}
    d=${d%/*}
    local_h[${f##*/}]=$d
done < <(find src -name '*.h' | sort)
# Made at build time from assets/declarations (cmake/embed.cmake), for core/decl.c.
local_h[decl_text.h]=core

# Checks the includes of file f, which belongs to library lib.
check_file() {
    local f=$1 lib=$2 never n line inc to
    never=$(never_of "$lib")
    n=0
    while IFS= read -r line; do
        n=$((n + 1))
        [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([\"\<])([^\"\>]+)[\"\>] ]] || continue
        inc=${BASH_REMATCH[2]}
        to=
        if [[ $inc == ikrar/*.h ]]; then
            to=${pub[$(basename "$inc" .h)]:-}
            [[ -n $to ]] || { bad "$f:$n: includes $inc, which is not a header of include/ikrar"; continue; }
        elif [[ ${BASH_REMATCH[1]} == '"' ]]; then
            if [[ $f == include/ikrar/* && -n ${pub[${inc%.h}]:-} ]]; then
                to=${pub[${inc%.h}]}
            elif [[ -n ${local_h[$inc]:-} ]]; then
                to=${local_h[$inc]}
            else
                bad "$f:$n: includes \"$inc\", whose library cannot be told"
                continue
            fi
        elif [[ $inc =~ $never ]]; then
            bad "$f:$n: $lib includes <$inc>"
            continue
        fi
        if [[ -n $to && " ${may[$lib]} " != *" $to "* ]]; then
            bad "$f:$n: $lib includes $inc, which is $to's"
        fi
    done <"$f"
}

while read -r f; do
    d=${f#src/}
    d=${d%/*}
    if [[ -z ${may[$d]:-} ]]; then
        bad "$f: src/$d is no library of the layering; add it to tests/layers/layers.sh"
        continue
    fi
    check_file "$f" "$d"
done < <(find src -name '*.[ch]' | sort)

for f in include/ikrar/*.h; do
    h=${f##*/}
    [[ -n ${pub[${h%.h}]:-} ]] && check_file "$f" "${pub[${h%.h}]}"
done

for f in fuzz/*.c; do
    if [[ ${f##*/} == fuzz_image.c ]]; then
        check_file "$f" fuzz_image
    else
        check_file "$f" fuzz
    fi
done

if [[ $fail -ne 0 ]]; then
    echo "layers: the dependencies above point the wrong way (see CMakeLists.txt)"
    exit 1
fi
echo "layers: ok ($# programs, every include under src, include/ikrar and fuzz)"
