#!/bin/sh
# The public ABI headers compile on their own, from any directory, as C11
# and as C++17 with every warning an error: a hosted VMM (C or C++)
# includes them without this tree's include paths or compiler flags.
# Prints one PASS or FAIL line per header and language.
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
status=0

check() { # header compiler language standard
	if (cd /tmp && "$2" -x "$3" -std="$4" -fsyntax-only -Wall -Wextra -pedantic -Werror \
		"$top/$1") >/dev/null 2>&1; then
		echo "PASS abi-header/$(basename "$1") ($4)"
	else
		echo "FAIL abi-header/$(basename "$1") ($4): $2 -std=$4 -pedantic rejects it"
		status=1
	fi
}

for h in abi/hv_abi.h abi/hv_boot.h; do
	check "$h" gcc c c11
	check "$h" g++ c++ c++17
done
exit $status
