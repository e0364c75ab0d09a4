#!/bin/sh
# make profile: where the hypervisor's instructions go on each exit that
# make bench measures. Boots make bench's two images under QEMU (SVM
# without NRIPS, -icount as make bench) with an execution trace of the
# hypervisor's and the guests' code, then profiles, per function, the
# middle exit of every guest instruction that exited at least 50 times
# (the measured loops: bench's VMMCALL, CPUID and OUT; vmmbench's OUT and
# hvctl's run call). Traces are large (about 1.5 GB): kept in build/profile.
set -eu
cd "$(dirname "$0")/.."
OUT=build/profile
mkdir -p "$OUT"
sh tools/mkiso.sh "$OUT/hv.iso" build/hv.elf "onidle=exit loglevel=warn" \
	build/guests/bench.elf bench >/dev/null
sh tools/mkiso.sh "$OUT/vmm.iso" build/hv.elf "onidle=exit loglevel=warn" \
	build/guests/mgmt.elf 'mgmt mgmt.script="vm create b vmmbench mem=2M; vm run b; exit"' \
	build/guests/vmmbench.elf vmmbench >/dev/null

# The hypervisor's text, and the guests' (VM 0's and the child's both
# start at 1 MiB).
range() { # elf
	readelf -lW "$1" | awk '$1 == "LOAD" && / R E / { print $3, $5; exit }' | {
		read -r start size
		printf '%s..0x%x\n' "$start" $((start + size))
	}
}
HV=$(range build/hv.elf)
GUESTS=0x100000..0x140000

for image in hv vmm; do
	trace="$OUT/$image.trace"
	timeout 600 qemu-system-x86_64 -accel tcg -cpu EPYC -m 256 -machine q35 \
		-icount shift=0,sleep=off -display none -no-reboot -net none \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -cdrom "$OUT/$image.iso" -boot d \
		-serial "file:$OUT/$image.serial" -d in_asm,exec,nochain,int \
		-dfilter "$HV,$GUESTS" -D "$trace" >/dev/null 2>&1 || true
	grep -a 'bench ' "$OUT/$image.serial" | tr -d '\r' || true
	pcs=$(grep -a '^vmexit' "$trace" | sed 's/.*, \([0-9a-f]*\))!$/\1/' | sort | uniq -c |
		awk '$1 >= 50 { print $2 }')
	# shellcheck disable=SC2086 # one argument per PC
	python3 tools/exitprof.py "$trace" build/hv.elf $pcs
done
