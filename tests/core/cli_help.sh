#!/bin/bash
# CLI smoke test: help, --version, usage errors and exit codes.
set -u
. "$SRCDIR/tests/lib.sh"

out=$("$SHADOWING" --version); expect_status 0 "--version"
expect_match "$out" '^shadowing [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"

out=$("$SHADOWING" help); expect_status 0 "help"
expect_match "$out" 'Commands:' "help lists commands"
for c in $("$SHADOWING" help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
  o=$("$SHADOWING" help "$c"); expect_status 0 "help $c"
  expect_match "$o" '^Usage: shadowing' "help $c shows usage"
  if [ "$c" != help ]; then
    o=$("$SHADOWING" "$c" --help); expect_status 0 "$c --help"
    expect_match "$o" '^Usage: shadowing' "$c --help shows usage"
    expect_true "help $c and $c --help print the same text" test "$o" = "$("$SHADOWING" help "$c")"
  fi
done

"$SHADOWING" >/dev/null 2>&1; expect_status 2 "no arguments is a usage error"
err=$("$SHADOWING" frobnicate 2>&1 >/dev/null); expect_status 2 "unknown command"
expect_match "$err" "unknown command 'frobnicate'" "unknown command is named"
err=$("$SHADOWING" help frobnicate 2>&1 >/dev/null); expect_status 2 "help for an unknown command"

# Option errors (sh_cli_getopt_error): exit 2 and the option named.
err=$("$SHADOWING" info --frobnicate x 2>&1 >/dev/null); expect_status 2 "unknown long option"
expect_match "$err" "^shadowing info: unknown option '--frobnicate'$" "unknown long option is named"
err=$("$SHADOWING" play L --cue 2>&1 >/dev/null); expect_status 2 "option without its value"
expect_match "$err" "^shadowing play: option '--cue' needs a value$" "option without its value is named"
err=$("$SHADOWING" info --json=1 x 2>&1 >/dev/null); expect_status 2 "value for an option that takes none"
expect_match "$err" "^shadowing info: option '--json' takes no value$" "option that takes no value is named"
# Inside a cluster the character is named, not the word before it.
err=$("$SHADOWING" score --json -xC x 2>&1 >/dev/null); expect_status 2 "unknown short option in a cluster"
expect_match "$err" "^shadowing score: unknown option '-x'$" "unknown short option in a cluster is named"
finish
