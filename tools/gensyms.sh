#!/bin/sh
# Emits the assembly for the .ksyms section: a sorted table of the
# hypervisor's function symbols (address, name pointer) taken from a linked
# ELF. With no ELF argument it emits an empty table for the first link.
set -eu
elf=${1:-}
echo '	.section .ksyms, "a"'
echo '	.balign 8'
echo '	.globl ksyms_count, ksyms_table'
if [ -z "$elf" ]; then
	echo 'ksyms_count: .quad 0'
	echo 'ksyms_table:'
	exit 0
fi
nm -n --defined-only "$elf" | awk '
	$2 ~ /^[tT]$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
	END {
		printf "ksyms_count: .quad %d\n", n
		print "ksyms_table:"
		for (i = 0; i < n; i++)
			printf "\t.quad 0x%s, .Lksym_%d\n", addr[i], i
		for (i = 0; i < n; i++)
			printf ".Lksym_%d: .asciz \"%s\"\n", i, name[i]
	}'
