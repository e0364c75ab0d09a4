#!/bin/sh
# build/hvdump as a person uses it, no emulator: a trace line pasted as
# the hypervisor prints it, --help, and standard input ("-" or no
# argument). Prints one PASS or FAIL line per check.
cd "$(dirname "$0")/.." || exit 1
hvdump=build/hvdump
status=0
call='vm_create(size=64, flags=0, mem_size=2M, vcpus=1, name="child", exit_reasons=0x80) = 1'
line="trace: vm vm0: $call"

report() { # name, exit status of its check
	if [ "$2" -eq 0 ]; then
		echo "PASS hvdump/$1"
	else
		echo "FAIL hvdump/$1: see tests/check_hvdump.sh"
		status=1
	fi
}

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
report bare-trace-line $?
decodes "$line" ""
report prefixed-trace-line $?
decodes - "$line"
report trace-lines-from-stdin $?
decodes "" "$(printf '%s\r\n\n%s' "$line" "$call")"
report trace-lines-from-stdin-no-argument $?
help_on_stdout
report help-exits-0-on-stdout $?
bad_usage_exits_2
report bad-usage-exits-2 $?
hex_from_stdin
report hex-from-stdin $?
bad_line_fails
report bad-stdin-line-fails $?
exit $status
