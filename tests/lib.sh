# Helpers for the shell tests. Source it; call finish at the end.
# Each expect_* records one check; finish exits non-zero if any failed.
_sh_status=0
_sh_checks=0
_sh_failed=0
expect_status() { # expect_status WANT DESCRIPTION   (uses $? of the previous command)
  local got=$? ; _sh_checks=$((_sh_checks+1))
  if [ "$got" -ne "$1" ]; then echo "FAIL: $2: exit status $got, expected $1"; _sh_failed=$((_sh_failed+1)); fi
}
expect_match() { # expect_match TEXT REGEX DESCRIPTION
  _sh_checks=$((_sh_checks+1))
  if ! printf '%s\n' "$1" | grep -Eq -- "$2"; then
    echo "FAIL: $3: output does not match /$2/:"; printf '%s\n' "$1" | head -20 | sed 's/^/    /'
    _sh_failed=$((_sh_failed+1))
  fi
}
expect_no_match() { # expect_no_match TEXT REGEX DESCRIPTION
  _sh_checks=$((_sh_checks+1))
  if printf '%s\n' "$1" | grep -Eq -- "$2"; then
    echo "FAIL: $3: output matches /$2/:"; printf '%s\n' "$1" | head -20 | sed 's/^/    /'
    _sh_failed=$((_sh_failed+1))
  fi
}
expect_true() { # expect_true DESCRIPTION COMMAND...
  local d=$1; shift; _sh_checks=$((_sh_checks+1))
  if ! "$@"; then echo "FAIL: $d"; _sh_failed=$((_sh_failed+1)); fi
}
mkscratch() { # mkscratch VAR: VAR=a fresh folder, removed at exit
  local d; d=$(mktemp -d "${TMPDIR:-/tmp}/sh-test-XXXXXX"); _sh_scratch="${_sh_scratch:-} $d"
  trap 'rm -rf $_sh_scratch' EXIT; printf -v "$1" '%s' "$d"
}
finish() {
  echo "$_sh_checks checks, $_sh_failed failed"
  [ "$_sh_failed" -eq 0 ]
}
