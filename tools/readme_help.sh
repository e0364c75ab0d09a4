#!/bin/sh
# README.md's hvctl reference is hvctl's own `help` output, so the two
# never disagree. The block between the markers
#   <!-- hvctl help: begin ... -->  and  <!-- hvctl help: end -->
# holds it, in a code fence. From a serial log of a boot that ran `help`
# (the boot case mgmt-help, build/tests/qemu-bios-mgmt-help/serial.log):
#   tools/readme_help.sh LOG            rewrites the block in README.md
#   tools/readme_help.sh --check LOG    exits 1 with a diff when it differs
set -eu
cd "$(dirname "$0")/.."
check=false
if [ "${1:-}" = --check ]; then
	check=true
	shift
fi
[ $# = 1 ] || { echo "usage: $0 [--check] SERIAL_LOG" >&2; exit 2; }
log=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# help prints "commands:" first and its last line is about slices.
tr -d '\r' <"$log" | sed -n '/^commands:$/,/scripted runs stop after/p' >"$tmp/help"
if ! [ -s "$tmp/help" ]; then
	echo "no help output in $log" >&2
	exit 2
fi

# README.md with the block replaced by the help output.
awk -v help="$tmp/help" '
	/^<!-- hvctl help: end -->$/ { inside = 0 }
	!inside { print }
	/^<!-- hvctl help: begin/ {
		inside = 1
		print "```"
		while ((getline line < help) > 0) print line
		print "```"
	}' README.md >"$tmp/README.md"
if ! grep -q '^<!-- hvctl help: begin' README.md; then
	echo "README.md has no hvctl help markers" >&2
	exit 2
fi
if $check; then
	if ! diff -u README.md "$tmp/README.md"; then
		echo "README.md's hvctl reference differs from hvctl's help: run $0 $log" >&2
		exit 1
	fi
else
	cp "$tmp/README.md" README.md
fi
