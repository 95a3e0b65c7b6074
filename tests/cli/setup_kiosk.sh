#!/usr/bin/env bash
# cli_setup_kiosk: `ikrar setup-kiosk` checks the data folder (initialised, owned by the
# service's user) before it touches systemd, prints the systemctl commands with --dry-run
# without running them, refuses to run for real when not root, and as root runs exactly
# those commands (a stand-in systemctl first on PATH records them) and --disable undoes them.
set -u
IKRAR=${1:?usage: tests/cli/setup_kiosk.sh path/to/ikrar}
. "$(dirname "${BASH_SOURCE[0]}")/../common/harness.sh" setup-kiosk

D=$T/data
"$IKRAR" init --data "$D" --event pilkada-2024 --title "Deklarasi Netralitas ASN" --kiosk aula-1 \
    --pin 246810 >/dev/null 2>&1 || bad "init"
me=$(id -un)

# A folder that is no ikrar folder: refused, with the init to run, and nothing is done.
mkdir -p "$T/empty"
expect 4 "an empty folder is refused" -- env IKRAR_KIOSK_USER="$me" "$IKRAR" setup-kiosk --data "$T/empty" --dry-run
has err "sudo -u $me ikrar init --data $T/empty" "the init to run is shown"
if grep -q systemctl "$T/out"; then bad "no systemctl command for an empty folder"; else ok; fi

# A user that does not own the folder: the exact chown to run.
other=nobody
[ "$me" = nobody ] && other=root
expect 4 "a folder of another user is refused" -- env IKRAR_KIOSK_USER="$other" "$IKRAR" setup-kiosk --data "$D" --dry-run
has err "chown -R $other:$other $D" "the chown to run is shown"
has err "bukan milik user $other" "said in Indonesian first"

# No such user at all: says how to make it.
expect 4 "a missing user is named" -- env IKRAR_KIOSK_USER=ikrar-no-such-user "$IKRAR" setup-kiosk --data "$D" --dry-run
has err "useradd --system" "how to make the user"

# --dry-run: the commands, in order, and nothing run (no systemctl on PATH can be reached).
mkdir -p "$T/bin"
cat >"$T/bin/systemctl" <<EOS
#!/bin/sh
echo "\$*" >>"$T/systemctl.log"
EOS
chmod +x "$T/bin/systemctl"
expect 0 "--dry-run passes on a good folder" -- env PATH="$T/bin:$PATH" IKRAR_KIOSK_USER="$me" "$IKRAR" setup-kiosk --data "$D" --dry-run
has out "--dry-run" "dry run says nothing changes"
printf '  systemctl enable ikrar-kiosk.service\n  systemctl set-default graphical.target\n  systemctl disable getty@tty1.service\n' >"$T/want.enable"
if grep '^  systemctl' "$T/out" | cmp -s - "$T/want.enable"; then ok; else bad "dry-run commands: $(cat "$T/out")"; fi
if [ -e "$T/systemctl.log" ]; then bad "--dry-run ran systemctl: $(cat "$T/systemctl.log")"; else ok; fi
expect 0 "--disable --dry-run" -- env PATH="$T/bin:$PATH" "$IKRAR" setup-kiosk --data "$D" --disable --dry-run --lang en
printf '  systemctl disable ikrar-kiosk.service\n  systemctl enable getty@tty1.service\n  systemctl set-default multi-user.target\n' >"$T/want.disable"
if grep '^  systemctl' "$T/out" | cmp -s - "$T/want.disable"; then ok; else bad "disable dry-run: $(cat "$T/out")"; fi
has out "Would run" "English when asked"

if [ "$(id -u)" -eq 0 ]; then
    # For real, as root: the stand-in systemctl sees exactly the commands printed.
    expect 0 "setup-kiosk as root" -- env PATH="$T/bin:$PATH" IKRAR_KIOSK_USER="$me" "$IKRAR" setup-kiosk --data "$D"
    sed 's/^  systemctl //' "$T/want.enable" >"$T/want.log"
    if cmp -s "$T/systemctl.log" "$T/want.log"; then ok; else bad "systemctl ran: $(cat "$T/systemctl.log" 2>/dev/null)"; fi
    has out "ikrar setup-kiosk --disable" "how to undo is said"
    has err "ikrar: admin action=setup-kiosk" "the admin action is logged"
    rm -f "$T/systemctl.log"
    expect 0 "--disable as root" -- env PATH="$T/bin:$PATH" "$IKRAR" setup-kiosk --data "$D" --disable
    sed 's/^  systemctl //' "$T/want.disable" >"$T/want.log"
    if cmp -s "$T/systemctl.log" "$T/want.log"; then ok; else bad "disable ran: $(cat "$T/systemctl.log" 2>/dev/null)"; fi
    # A systemctl that fails stops the run, with its status.
    printf '#!/bin/sh\nexit 5\n' >"$T/bin/systemctl"
    expect 4 "a failing systemctl stops it" -- env PATH="$T/bin:$PATH" IKRAR_KIOSK_USER="$me" "$IKRAR" setup-kiosk --data "$D"
    has err "gagal (status 5)" "the failure is named"
    # Not root: refused before anything (setpriv drops to nobody).
    if command -v setpriv >/dev/null; then
        chmod 755 "$T"
        expect 4 "not root is refused" -- setpriv --reuid=65534 --regid=65534 --clear-groups "$IKRAR" setup-kiosk --data "$D"
        has err "harus dijalankan sebagai root" "refusal in Indonesian first"
    fi
else
    expect 4 "not root is refused" -- env PATH="$T/bin:$PATH" "$IKRAR" setup-kiosk --data "$D"
    has err "harus dijalankan sebagai root" "refusal in Indonesian first"
    if [ -e "$T/systemctl.log" ]; then bad "ran systemctl without root"; else ok; fi
fi
finish
