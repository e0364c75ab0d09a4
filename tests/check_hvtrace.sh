#!/bin/sh
# build/hvtrace on a made-up serial log whose counts are known: hvctl's
# `trace dump` lines among other output, each record built here byte by
# byte as docs/abi.md lays it out. Also standard input, --help, bad usage
# and a log without records. Prints one PASS or FAIL line per check.
#
# check_hvtrace.sh --boot DIR: the boot case mgmt-trace
# (tests/scenarios/mgmt-trace.hvctl) instead, each of its four dumps in
# DIR/serial.log summed up by build/hvtrace and checked against what
# hvctl's `stats` counted; what is wrong goes to DIR/mismatch.
cd "$(dirname "$0")/.." || exit 1
hvtrace=build/hvtrace

# The quick child's port I/O: "--- q ---" and "Test result: SUCCESS",
# each character a read of the UART's line status and a write, each line
# ending CR LF, then the write to the exit port.
QUICK_IO=$(((11 + 22) * 2 + 1))

# The hvtrace lines of dump N (from 0) of the log, each dump ended by
# hvctl's "trace dump: ..." line.
dump_lines() { # log n
	tr -d '\r' <"$1" | awk -v want="$2" '/^trace dump: / {n++; next} /hvtrace: / && n == want'
}

# The value after `word` in the line of text that matches pattern.
field() { # text pattern word
	printf '%s\n' "$1" | grep -a -E -- "$2" | head -n 1 |
		awk -v w="$3" '{for (i = 1; i < NF; i++) if ($i == w) {v = $(i + 1); sub(",", "", v); print v}}'
}

# Dump 0: the child q (VM 1) alone; its exits and I/O exits are what the
# hypervisor's statistics say, the I/O exactly its known port accesses.
check_child_dump() { # log
	s=$(dump_lines "$1" 0 | $hvtrace) || { echo "dump 0: no records"; return; }
	stats=$(tr -d '\r' <"$1" | grep -a '^stats: vm q (id 1): exits')
	exits=$(field "$s" '^vm 1: ' exits)
	io=$(field "$s" '^exit vm 1 io: ' count)
	runs=$(field "$s" '^vm 1: ' runs)
	[ -n "$exits" ] && [ "$exits" = "$(field "$stats" . exits)" ] ||
		echo "dump 0: vm 1 exits '$exits', stats says '$stats'"
	[ "$io" = "$QUICK_IO" ] && [ "$io" = "$(field "$stats" . io_exits)" ] ||
		echo "dump 0: vm 1 io exits '$io', want $QUICK_IO as stats: '$stats'"
	[ "${runs:-0}" -gt 0 ] && [ "$runs" = "$(field "$s" '^vm 1: ' ends)" ] ||
		echo "dump 0: vm 1 runs '$runs' and run ends differ"
	[ "$(printf '%s\n' "$s" | grep -c '^vm [0-9]*: ')" = 1 ] ||
		echo "dump 0: records of another VM than vm 1"
}

# Dump 2: VM 0's hypercalls alone during `bench`: 21 VMs created and
# destroyed.
check_hypercall_dump() { # log
	s=$(dump_lines "$1" 2 | $hvtrace) || { echo "dump 2: no records"; return; }
	has "$s" "hypercall vm_create: count 21, errors 0" &&
		has "$s" "hypercall vm_destroy: count 21, errors 0" ||
		echo "dump 2: not 21 vm_create and vm_destroy calls"
	printf '%s\n' "$s" | grep -q -E '^(exit|vm [1-9]|inject)' &&
		echo "dump 2: records other than vm 0's hypercalls"
}

# Dump 3: a full ring and the records it lost, as hvctl counted them.
check_overflow_dump() { # log
	s=$(dump_lines "$1" 3 | $hvtrace) || { echo "dump 3: no records"; return; }
	lost=$(tr -d '\r' <"$1" | sed -n 's/^trace dump: 4096 records of 1 CPU, \([1-9][0-9]*\) lost$/\1/p')
	has "$s" "hvtrace: 4096 records, ${lost:-?} lost, 0 unreadable lines, tsc $(field "$s" '^hvtrace: ' tsc) kHz" ||
		echo "dump 3: not the full ring of 4096 records and hvctl's lost count '$lost'"
}

check_boot() { # dir
	serial="$1/serial.log"
	{
		check_child_dump "$serial"
		dump_lines "$serial" 1 | $hvtrace >/dev/null 2>&1
		[ $? -eq 1 ] || echo "dump 1: the ring was not drained by dump 0"
		check_hypercall_dump "$serial"
		check_overflow_dump "$serial"
	} >>"$1/mismatch"
}
check_details="tests/check_hvtrace.sh"
# shellcheck source=tests/lib/checks.sh
. tests/lib/checks.sh
has() { # summary, the exact line it must hold
	printf '%s\n' "$1" | grep -q -x -F -- "$2"
}

if [ "${1:-}" = --boot ]; then
	check_boot "$2"
	exit 0
fi
log=build/test/hvtrace-synthetic.log
mkdir -p build/test

le() { # value bytes: the value's bytes, least significant first, in hex
	v=$(printf "%0$(($2 * 2))x" "$1")
	out=
	i=$(($2 * 2))
	while [ "$i" -gt 0 ]; do
		out="$out$(echo "$v" | cut -c$((i - 1))-$i)"
		i=$((i - 2))
	done
	echo "$out"
}

rec() { # tsc vm vcpu cpu type code arg value
	echo "hvtrace: $(le "$1" 8)$(le "$2" 4)$(le "$3" 2)$(le "$4" 1)$(le "$5" 1)$(le "$6" 4)$(le "$7" 4)$(le "$8" 8)"
}

# types: 1 exit, 2 hypercall, 3 inject, 4 run_start, 5 run_end, 6 vm_stop;
# exit reasons: 1 cpuid, 2 io
{
	echo "hvctl> trace dump"
	echo "hvtrace: tsc-khz 1000000"
	rec 1000 0 0 0 1 1 100 0x1000
	rec 1100 0 0 0 2 15 0 1
	rec 1200 1 0 0 4 0 0 0
	for lat in 10 20 30 40 5000; do rec $((2000 + lat)) 1 0 0 1 2 "$lat" 0x2000; done
	echo "[q] --- q ---"
	rec 3000 1 0 0 3 48 0 0
	rec 3100 1 0 0 3 2 1 0
	rec 3200 1 0 0 5 1 0 0x2002
	rec 3300 0 0 0 2 15 0 1
	rec 3400 1 0 0 4 0 0 0
	rec 3500 1 0 0 5 3 0 0x2004
	rec 3600 1 0 0 6 3 0 0x2004
	rec 3700 0 0 0 2 5 0 0xffffffffffffffea
	printf 'hvtrace: %s\r\n' "$(le 4000 8)$(le 0 4)$(le 0 2)0001$(le 1 4)$(le 300 4)$(le 0x1010 8)"
	echo "hvtrace: lost 4 cpu 0"
	echo "hvtrace: zz"
	echo "trace dump: 16 records of 1 CPU, 4 lost"
} >"$log"


counts_known() {
	s=$($hvtrace "$log") || return 1
	has "$s" "hvtrace: 17 records, 4 lost, 1 unreadable lines, tsc 1000000 kHz" &&
		has "$s" "exit io: count 5, min 10, median 30, max 5000 ticks; <64 4 <256 0 <1K 0 <4K 0 <16K 1 <64K 0 >=64K 0" &&
		has "$s" "exit cpuid: count 2, min 100, median 300, max 300 ticks; <64 0 <256 1 <1K 1 <4K 0 <16K 0 <64K 0 >=64K 0" &&
		has "$s" "vm 1: events 12, exits 5, runs 2, run ends 2, stops 1" &&
		has "$s" "vm 0: events 5, exits 2, runs 0, run ends 0, stops 0" &&
		has "$s" "exit vm 1 io: count 5, min 10, median 30, max 5000 ticks; <64 4 <256 0 <1K 0 <4K 0 <16K 1 <64K 0 >=64K 0" &&
		has "$s" "run end vm 1 reason 1: count 1" && has "$s" "run end vm 1 reason 3: count 1" &&
		has "$s" "hypercall vcpu_run_paged: count 2, errors 0" &&
		has "$s" "hypercall vm_create: count 1, errors 1" &&
		has "$s" "inject vector 0x30: count 1" && has "$s" "inject nmi: count 1" &&
		[ "$(printf '%s\n' "$s" | awk '/^time \+/ {n += $NF} END {print n}')" = 17 ]
}

records_listed() {
	$hvtrace --records "$log" | grep -q -x -F \
		"record tsc 3700 cpu 0 vm 0 vcpu 0 hypercall code 5 vm_create arg 0 value 0xffffffffffffffea"
}

from_stdin() {
	a=$($hvtrace <"$log") && b=$($hvtrace - <"$log") && [ "$a" = "$($hvtrace "$log")" ] &&
		[ "$a" = "$b" ]
}

usage_and_status() {
	$hvtrace --help 2>/dev/null | grep -q '^usage: hvtrace' || return 1
	$hvtrace --bogus >/dev/null 2>&1
	[ $? -eq 2 ] || return 1
	echo "no records here" | $hvtrace >/dev/null 2>&1
	[ $? -eq 1 ]
}

counts_known
report hvtrace/synthetic-log-counts $?
records_listed
report hvtrace/records-listed $?
from_stdin
report hvtrace/standard-input $?
usage_and_status
report hvtrace/usage-and-exit-status $?
checks_done
