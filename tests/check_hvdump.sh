#!/bin/sh
# build/hvdump as a person uses it, no emulator: a trace line pasted as
# the hypervisor prints it, --help, and standard input ("-" or no
# argument). Prints one PASS or FAIL line per check.
cd "$(dirname "$0")/.." || exit 1
hvdump=build/hvdump
check_details="tests/check_hvdump.sh"
# shellcheck source=tests/lib/checks.sh
. tests/lib/checks.sh
call='vm_create(size=64, flags=0, mem_size=2M, vcpus=1, name="child", exit_reasons=0x80) = 1'
line="trace: vm vm0: $call"


decodes() { # trace argument (or - for standard input), input
	printf '%s\n' "$2" | $hvdump --trace ${1:+"$1"} 2>/dev/null | grep -q 'exit_reasons = 0x80'
}

help_on_stdout() {
	$hvdump --help 2>/dev/null | grep -q '^usage: hvdump'
}

bad_usage_exits_2() {
	$hvdump --bogus 2>/dev/null
	[ $? -eq 2 ] && ! $hvdump --help 2>&1 >/dev/null | grep -q .
}

hex_from_stdin() {
	echo '10000000 00000000 03000000 00000000' | $hvdump hv_vm_destroy - 2>/dev/null |
		grep -q 'vm *= 3' &&
		echo '1000000000000000 0300000000000000' | $hvdump hv_vm_destroy 2>/dev/null |
		grep -q 'vm *= 3'
}

bad_line_fails() {
	! printf '%s\nbogus(x)\n' "$line" | $hvdump --trace - >/dev/null 2>&1
}

decodes "$call" ""
report hvdump/bare-trace-line $?
decodes "$line" ""
report hvdump/prefixed-trace-line $?
decodes - "$line"
report hvdump/trace-lines-from-stdin $?
decodes "" "$(printf '%s\r\n\n%s' "$line" "$call")"
report hvdump/trace-lines-from-stdin-no-argument $?
help_on_stdout
report hvdump/help-exits-0-on-stdout $?
bad_usage_exits_2
report hvdump/bad-usage-exits-2 $?
hex_from_stdin
report hvdump/hex-from-stdin $?
bad_line_fails
report hvdump/bad-stdin-line-fails $?
checks_done
