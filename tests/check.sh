# What the shell tests share, sourced by them: `check NAME COMMAND...` counts one check (the command must succeed)
# and names it on stderr when it fails; `finish` prints the tally and fails when any check did.
passed=0 failed=0
check() {
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name" >&2; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}
