#!/usr/bin/env bash
# deploy_units: the files in deploy/ that systemd and udev read are valid.
#   - ikrar-kiosk.service passes `systemd-analyze verify` (with ExecStart's /usr/bin/ikrar
#     pointed at the built program when none is installed), and holds what the kiosk's
#     service needs: Type=notify with NotifyAccess=all, the watchdog, Restart=always,
#     the seat on tty1, ProtectSystem=strict with /var/lib/ikrar writable.
#   - ikrar-hub-verify.service (the hub's verifier) passes it too, runs as ikrar-hub and is
#     hardened as a network client with no devices, capabilities or W^X memory.
#   - 60-ikrar-printer.rules is udev syntax line by line (udev 252 has no `udevadm verify`):
#     every rule is KEY[{ATTR}]OP"VALUE" pairs joined by commas, with keys udev knows and
#     match operators only on match keys; GOTO labels exist; and it names the printer
#     /dev/ikrar-printer, group lp, mode 0660, for USB printer class 07 only.
# Skipped (exit 0) without systemd-analyze or cage, except under CI, where that fails.
set -u
IKRAR=${1:?usage: tests/deploy/units.sh path/to/ikrar}
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$SRC/tests/common/harness.sh" deploy-units
UNIT=$SRC/deploy/systemd/ikrar-kiosk.service
RULES=$SRC/deploy/udev/60-ikrar-printer.rules

if command -v systemd-analyze >/dev/null && [ -x /usr/bin/cage ]; then
    # The unit as shipped, with only the ikrar path changed when ikrar is not installed.
    mkdir -p "$T/units"
    if [ -x /usr/bin/ikrar ]; then
        cp "$UNIT" "$T/units/"
    else
        sed "s|/usr/bin/ikrar |$(realpath "$IKRAR") |" "$UNIT" >"$T/units/ikrar-kiosk.service"
    fi
    expect 0 "systemd-analyze verify ikrar-kiosk.service" -- systemd-analyze verify "$T/units/ikrar-kiosk.service"
    # verify also succeeds with warnings on stderr: a warning is a failure here.
    if [ -s "$T/err" ]; then bad "systemd-analyze verify warned: $(cat "$T/err")"; else ok; fi
    # A unit with a mistake in it is caught: the check is not vacuous.
    sed 's/^Type=notify/Type=notfy/' "$T/units/ikrar-kiosk.service" >"$T/bad.service"
    systemd-analyze verify "$T/bad.service" >"$T/out" 2>"$T/err"
    if grep -qi "service type" "$T/err"; then ok; else bad "a bad Type= passed verify: $(cat "$T/err")"; fi
elif [ -n "${CI:-}" ]; then
    bad "systemd-analyze and cage are needed under CI (scripts/setup-debian.sh installs cage)"
else
    echo "SKIP: systemd-analyze or /usr/bin/cage missing: verify not run"
fi
for want in 'Type=notify' 'NotifyAccess=all' 'WatchdogSec=30' 'Restart=always' 'RestartSec=2' \
    'User=ikrar' 'PAMName=login' 'TTYPath=/dev/tty1' 'StandardInput=tty' \
    'Conflicts=getty@tty1.service' 'After=systemd-user-sessions.service' \
    'ProtectSystem=strict' 'ReadWritePaths=/var/lib/ikrar' 'NoNewPrivileges=yes' \
    'PrivateTmp=yes' 'ProtectHome=tmpfs' 'BindPaths=/run/user' 'ReadWritePaths=-/media/ikrar' 'UMask=0077' 'WantedBy=graphical.target' \
    'ExecStart=/usr/bin/cage -d -- /usr/bin/ikrar kiosk --fullscreen --data /var/lib/ikrar'; do
    if grep -qxF -- "$want" "$UNIT"; then ok; else bad "ikrar-kiosk.service lacks '$want'"; fi
done
if grep -q '^MemoryDenyWriteExecute=yes' "$UNIT"; then bad "W^X breaks software GL"; else ok; fi

# ikrar-hub-verify.service: the hub's verifier, as its own user, hardened, never the kiosk's.
HUB_UNIT=$SRC/deploy/systemd/ikrar-hub-verify.service
if command -v systemd-analyze >/dev/null; then
    if [ -x /usr/bin/ikrar ]; then
        cp "$HUB_UNIT" "$T/units/"
    else
        sed "s|/usr/bin/ikrar |$(realpath "$IKRAR") |" "$HUB_UNIT" >"$T/units/ikrar-hub-verify.service"
    fi
    expect 0 "systemd-analyze verify ikrar-hub-verify.service" -- \
        systemd-analyze verify "$T/units/ikrar-hub-verify.service"
    if [ -s "$T/err" ]; then bad "systemd-analyze verify warned on the hub unit: $(cat "$T/err")"; else ok; fi
fi
for want in 'User=ikrar-hub' 'Restart=on-failure' 'StateDirectory=ikrar-hub' 'ProtectSystem=strict' \
    'ReadWritePaths=/var/lib/ikrar-hub' 'NoNewPrivileges=yes' 'PrivateDevices=yes' 'CapabilityBoundingSet=' \
    'MemoryDenyWriteExecute=yes' 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'UMask=0077' \
    'WantedBy=multi-user.target' \
    'ExecStart=/usr/bin/ikrar hub verify --hub-file /etc/ikrar/hub-admin.conf --witness /var/lib/ikrar-hub/witness.key --follow'; do
    if grep -qxF -- "$want" "$HUB_UNIT"; then ok; else bad "ikrar-hub-verify.service lacks '$want'"; fi
done

# udev syntax, the way udev's own parser splits a rule.
check_rules() {
    awk '
    BEGIN {
        split("ACTION DEVPATH KERNEL KERNELS NAME SYMLINK SUBSYSTEM SUBSYSTEMS DRIVER DRIVERS " \
              "ATTR ATTRS SYSCTL ENV TAG TAGS TEST PROGRAM RESULT IMPORT CONST OWNER GROUP " \
              "MODE SECLABEL RUN LABEL GOTO OPTIONS DEVTYPE", k, " ")
        for (i in k) known[k[i]] = 1
        split("ACTION DEVPATH KERNEL KERNELS SUBSYSTEM SUBSYSTEMS DRIVER DRIVERS ATTRS TAGS " \
              "TEST PROGRAM RESULT CONST DEVTYPE", m, " ")
        for (i in m) matchonly[m[i]] = 1
        split("OWNER GROUP MODE SECLABEL RUN LABEL GOTO OPTIONS", a, " ")
        for (i in a) assignonly[a[i]] = 1
        bad = 0
    }
    /^[ \t]*(#|$)/ { next }
    {
        line = $0
        while (length(line) > 0) {
            if (!match(line, /^[ \t]*[A-Z_]+(\{[^}]+\})?[ \t]*(==|!=|\+=|-=|:=|=)[ \t]*"[^"]*"[ \t]*/)) {
                printf "line %d: not KEY OP \"VALUE\": %s\n", NR, line; bad = 1; break
            }
            pair = substr(line, 1, RLENGTH); line = substr(line, RLENGTH + 1)
            key = pair; sub(/^[ \t]*/, "", key); sub(/[{ \t=!+:-].*/, "", key)
            op = pair; sub(/^[^=!+:-]*/, "", op); sub(/".*/, "", op); gsub(/[ \t]/, "", op)
            if (!(key in known)) { printf "line %d: unknown key %s\n", NR, key; bad = 1 }
            ismatch = (op == "==" || op == "!=")
            if (ismatch && (key in assignonly)) { printf "line %d: %s cannot be matched\n", NR, key; bad = 1 }
            if (!ismatch && (key in matchonly)) { printf "line %d: %s cannot be assigned\n", NR, key; bad = 1 }
            if (key == "GOTO") { v = pair; sub(/^[^"]*"/, "", v); sub(/".*/, "", v); gotos[v] = NR }
            if (key == "LABEL") { v = pair; sub(/^[^"]*"/, "", v); sub(/".*/, "", v); labels[v] = 1 }
            if (length(line) == 0) break
            if (line !~ /^,/) { printf "line %d: pairs must be joined by commas: %s\n", NR, line; bad = 1; break }
            line = substr(line, 2)
        }
    }
    END {
        for (g in gotos) if (!(g in labels)) { printf "line %d: GOTO to no LABEL %s\n", gotos[g], g; bad = 1 }
        exit bad
    }' "$1"
}
expect 0 "60-ikrar-printer.rules is udev syntax" -- check_rules "$RULES"
# The checker catches the mistakes it is there for.
sed 's/GROUP="lp"/GROUP=="lp"/' "$RULES" >"$T/bad1.rules"
expect 1 "matching on GROUP is caught" -- check_rules "$T/bad1.rules"
sed 's/, MODE=/ MODE=/' "$RULES" >"$T/bad2.rules"
expect 1 "a missing comma is caught" -- check_rules "$T/bad2.rules"
sed 's/LABEL="ikrar_printer_end"/LABEL="elsewhere"/' "$RULES" >"$T/bad3.rules"
expect 1 "a GOTO to nowhere is caught" -- check_rules "$T/bad3.rules"
rule=$(grep -v '^#' "$RULES" | grep 'SYMLINK')
for want in 'ATTRS{bInterfaceClass}=="07"' 'SYMLINK+="ikrar-printer"' 'GROUP="lp"' 'MODE="0660"' \
    'TAG+="uaccess"' 'SUBSYSTEMS=="usb"'; do
    case "$rule" in *"$want"*) ok ;; *) bad "the printer rule lacks $want" ;; esac
done
grep -q 'SUBSYSTEM!="usbmisc"' "$RULES" && grep -q 'KERNEL!="lp\[0-9\]\*"' "$RULES" && ok ||
    bad "the rule is not limited to usblp's /dev/usb/lpN"

# The printer name the rule makes is a printer URI ikrar takes (docs/cli.md, Printers).
"$IKRAR" init --data "$T/d" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 \
    --pin 246810 --printer escpos:/dev/ikrar-printer >/dev/null 2>"$T/err" && ok ||
    bad "escpos:/dev/ikrar-printer refused: $(cat "$T/err")"
# ...and printing through a link by that kind of name reaches the file it points at.
: >"$T/lp0"
ln -s "$T/lp0" "$T/ikrar-printer"
printf '{"w":600,"h":300,"s":[[100,150,0,140,120,20,180,160,40]]}\n' >"$T/ink.json"
expect 0 "sign prints through a symlinked printer" -- "$IKRAR" sign --data "$T/d" \
    --printer "escpos:$T/ikrar-printer" --name "Budi Santoso" --status PNS \
    --nip 198503152010012003 --pos "Analis Kebijakan" --unit "Bagian Umum" --ink "$T/ink.json"
if head -c 2 "$T/lp0" | od -An -tx1 | grep -q '1b 40'; then ok; else bad "no ESC @ reached the printer"; fi
finish
