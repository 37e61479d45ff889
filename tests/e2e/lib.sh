# Shared helpers for the end-to-end tests. Each test runs in a temporary folder that is
# removed on exit; failures print what was expected and what came.
set -euo pipefail
: "${CROSSCHECK:?set by ctest}" "${CC_SOURCE:?}" "${CC_SHARED:=}" "${CC_BUILD:=}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; exit 77; }

# expect_status WANT CMD...: runs CMD, checks its exit status, keeps stdout/stderr.
expect_status() {
  local want=$1; shift
  set +e
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  set -e
  if [ "$got" != "$want" ]; then
    echo "--- stdout"; cat "$WORK/out"; echo "--- stderr"; cat "$WORK/err"
    fail "'$*' exited $got, wanted $want"
  fi
}

# sql DB QUERY: one value from the database.
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None or r[0] is None else r[0])' "$1" "$2"; }
