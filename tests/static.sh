#!/bin/sh
# Static analysis, part of make test: cppcheck on every C source (the
# hypervisor, the UEFI loader, the shared library, guests, tools and the
# host tests) and shellcheck on every script. Findings that are not bugs
# are suppressed by name in tests/static-suppressions.txt, with the reason.
# Prints one PASS or FAIL line per tool; the findings follow a FAIL.
cd "$(dirname "$0")/.." || exit 1
out=${OUT:-build/test}
mkdir -p "$out"
status=0

run_cppcheck() {
	cppcheck -q -j2 --std=c11 --enable=warning,portability,performance \
		--inline-suppr --suppressions-list=tests/static-suppressions.txt \
		--error-exitcode=1 -I. -D__x86_64__ \
		boot hv arch drivers lib guests tools tests/unit tests/fuzz \
		>"$out/cppcheck.log" 2>&1
}

shell_scripts() {
	git ls-files '*.sh' tests/run tests/bench tests/storm
}

if run_cppcheck; then
	echo "PASS static/cppcheck"
else
	echo "FAIL static/cppcheck: see $out/cppcheck.log"
	grep -E '^[^ ].*: (error|warning|portability|performance):' "$out/cppcheck.log" | sed 's/^/    /'
	status=1
fi

# shellcheck disable=SC2046 # one word per file name, no spaces in them
if shellcheck -x $(shell_scripts) >"$out/shellcheck.log" 2>&1; then
	echo "PASS static/shellcheck"
else
	echo "FAIL static/shellcheck: see $out/shellcheck.log"
	grep '^In ' "$out/shellcheck.log" | sed 's/^/    /'
	status=1
fi
exit $status
