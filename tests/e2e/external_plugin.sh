# A plugin written outside the tree, as docs/plugins.md tells a new author: installed
# header only, built with the documented command, loaded and run.
source "$(dirname "$0")/lib.sh"
[ -n "$CC_BUILD" ] || skip "no build folder"
command -v cc >/dev/null || skip "no C compiler"

PREFIX="$WORK/prefix"
cmake --install "$CC_BUILD" --prefix "$PREFIX" --component Unspecified >/dev/null 2>&1 || \
  cmake --install "$CC_BUILD" --prefix "$PREFIX" >/dev/null
[ -f "$PREFIX/include/crosscheck/plugin.h" ] || fail "header not installed"

doc="$CC_SOURCE/docs/plugins.md"
sed -n '/<!-- example-plugin:start -->/,/<!-- example-plugin:end -->/p' "$doc" | sed '1,2d;$d' | sed '$d' > acronyms.c
build=$(sed -n '/<!-- example-build:start -->/,/<!-- example-build:end -->/p' "$doc" | sed '1,2d;$d' | sed '$d')
[ -s acronyms.c ] && [ -n "$build" ] || fail "could not cut the example out of docs/plugins.md"
mkdir plugdir
(cd plugdir && cp ../acronyms.c . && PREFIX="$PREFIX" bash -euc "$build -Werror")
[ -f plugdir/acronyms.so ] || fail "the documented build did not produce acronyms.so"

export CROSSCHECK_PLUGIN_PATH="$WORK/plugdir"
expect_status 0 "$CROSSCHECK" plugins
grep -q "acronyms 1.0" out || { cat out; fail "crosscheck plugins does not list the new plugin"; }
grep -q "produces: acronym" out || fail "produces list missing"

printf 'Agency report\n\nThe NIS and the DPRK were named by officials.\n' > a.txt
expect_status 0 "$CROSSCHECK" run a.txt --db p.db -q
n=$(sql p.db "SELECT count(*) FROM mentions WHERE kind='acronym' AND plugin='acronyms'")
[ "$n" -eq 2 ] || fail "expected 2 acronym mentions, got $n"
pass "external plugin"
