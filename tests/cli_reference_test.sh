#!/usr/bin/env bash
# --help, --version, the man page and bash completion agree with each other and with what the CLI accepts.
# Usage: cli_reference_test.sh CLI MAN_PAGE.gz BASH_COMPLETION VERSION
set -uo pipefail
cli=$1 manpage=$2 completion=$3 version=$4
source "$(dirname "$(realpath "$0")")/check.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

commands=$("$cli" --help | awk '/^commands:/{on=1; next} /^$/{on=0} on {print $1}')
check "the overview lists the commands" test "$(echo "$commands" | wc -w)" -ge 7
check "--version prints the project's version" test "$("$cli" --version)" = "virt-configdrive $version"
check "no command is a usage error" sh -c '"$1" >/dev/null 2>&1; test $? = 2' - "$cli"

# The man page as man shows it: roff without a warning, every command and every option of its --help in it.
check "the man page is roff without warnings" sh -c 'test -z "$(zcat "$1" | groff -man -Tutf8 -ww -z 2>&1)"' - "$manpage"
MANWIDTH=200 man -l "$manpage" 2>/dev/null | col -b >"$work/man.txt"
for command in $commands; do
  "$cli" "$command" --help >"$work/help" 2>&1
  check "$command --help exits 0" test $? = 0
  check "$command --help shows its usage" grep -q "^usage: virt-configdrive \[-c URI\] $command" "$work/help"
  check "the man page has $command's synopsis" grep -qF "$(sed -n 's/^usage: virt-configdrive //p' "$work/help")" \
    "$work/man.txt"
  for option in $(grep -oE '^  (-[a-z], )?--[a-z-]+' "$work/help" | grep -oE -- '--[a-z-]+'); do
    check "the man page has $command's $option" grep -qE -- "(^|[ ,])$option( |$|\\[=)" "$work/man.txt"
  done
  "$cli" "$command" --no-such-option >/dev/null 2>"$work/err"
  check "$command rejects an unknown option with exit 2" test $? = 2
  check "$command points at its own --help" grep -q "(see virt-configdrive $command --help)" "$work/err"
done

# What the completion offers, the CLI takes: -c URI, --connect URI and --connect=URI; a choice outside the list is a
# usage error naming the list; "--" ends the options.
for connect in "-c test:///default" "--connect test:///default" "--connect=test:///default"; do
  # shellcheck disable=SC2086
  "$cli" $connect show test >"$work/out" 2>"$work/err"
  check "'$connect show test' reaches the test driver" grep -qx "test: no config drive" "$work/out"
done
"$cli" enable web1 --bus virtio >/dev/null 2>"$work/err"
check "--bus virtio is a usage error" test $? = 2
check "--bus virtio names the choices" grep -q "bus takes ide, sata or scsi, not 'virtio'" "$work/err"
"$cli" -c test:///default show -- --json >/dev/null 2>"$work/err"
check "'--' ends the options: --json is a domain's name" grep -qx "virt-configdrive: --json: no such domain" "$work/err"

# Bash completion, as bash runs it for `virt-configdrive …<TAB>` (COMP_LINE up to the cursor).
complete_line() {
  bash -c 'source "$1"; COMP_LINE=$2; COMP_POINT=${#2}; _virt_configdrive; printf "%s\n" "${COMPREPLY[@]}"' \
    - "$completion" "$1" | sort
}
completes() {  # completes LINE WORD...: each WORD is among the completions of LINE
  local line=$1 got; shift
  got=$(complete_line "$line")
  for word in "$@"; do grep -qxF -- "$word" <<<"$got" || { echo "'$line' gave: $got" >&2; return 1; }; done
}
completes_only() {  # completes_only LINE WORD...: the completions are exactly these
  local line=$1 got; shift
  got=$(complete_line "$line")
  [ "$got" = "$(printf '%s\n' "$@" | sort)" ] || { echo "'$line' gave: $got" >&2; return 1; }
}
check "completes every command" completes "virt-configdrive " $commands --version --help
check "completes a command's prefix" completes_only "virt-configdrive up" update
check "completes a command's options" completes_only "virt-configdrive update --no" --no-reattach
check "completes --os's choices" completes_only "virt-configdrive build --os " linux windows
check "completes domain names from virsh, with -c" completes_only "virt-configdrive -c test:///default show " test
check "completes options once the domain is given" completes_only "virt-configdrive -c test:///default show test --" \
  --help --json
touch "$work/drive.iso" "$work/notes.txt"
mkdir "$work/sub"
check "inspect completes ISOs and directories" completes_only "virt-configdrive inspect $work/" "$work/drive.iso" \
  "$work/sub"
check "a file option completes files" completes "virt-configdrive enable web1 --user-data $work/no" "$work/notes.txt"
check "a URI with a port stays one word" completes_only \
  "virt-configdrive -c qemu+tcp://127.0.0.1:1/system update --for" --force

finish
