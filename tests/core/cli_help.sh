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
  fi
done

"$SHADOWING" >/dev/null 2>&1; expect_status 2 "no arguments is a usage error"
err=$("$SHADOWING" frobnicate 2>&1 >/dev/null); expect_status 2 "unknown command"
expect_match "$err" "unknown command 'frobnicate'" "unknown command is named"
err=$("$SHADOWING" help frobnicate 2>&1 >/dev/null); expect_status 2 "help for an unknown command"
finish
