#!/bin/sh
# make run's inputs are build inputs: the image is made again whenever
# CMDLINE, SCRIPT or VMS changes, and only then; QEMU_FLAGS adds to the
# machine's flags. Builds its own image (RUN_ISO), never build/hv.iso.
# Prints one PASS or FAIL line per check.
cd "$(dirname "$0")/.." || exit 1
out=${OUT:-build/test}/run-inputs
iso=$out/hv.iso
check_details="tests/check_run_inputs.sh and $out"
# shellcheck source=tests/lib/checks.sh
. tests/lib/checks.sh
mkdir -p "$out"

# make with RUN_ISO=$iso and the arguments given, its output in $out/make.log.
make_iso() {
	make -s --no-print-directory RUN_ISO="$iso" "$@" "$iso" >"$out/make.log" 2>&1
}

# The image's grub.cfg, on standard output.
grub_cfg() {
	rm -f "$out/grub.cfg"
	xorriso -osirrox on -indev "$iso" -extract /boot/grub/grub.cfg "$out/grub.cfg" \
		>/dev/null 2>&1 && cat "$out/grub.cfg"
}

make_iso CMDLINE=loglevel=warn && grub_cfg | grep -q 'multiboot2 /boot/hv.elf onidle=exit loglevel=warn$'
report run-inputs/first-cmdline $?
make_iso CMDLINE=loglevel=debug && grub_cfg | grep -q 'multiboot2 /boot/hv.elf onidle=exit loglevel=debug$'
report run-inputs/second-cmdline-takes-effect $?
make_iso CMDLINE=loglevel=debug -n && ! grep -q mkiso "$out/make.log"
report run-inputs/same-inputs-rebuild-nothing $?
make_iso CMDLINE=loglevel=debug SCRIPT='vm list; exit' VMS=hello && grub_cfg >"$out/cfg" &&
	grep -q 'mgmt.script="vm list; exit"' "$out/cfg" && grep -q 'module2 /boot/mod1 hello$' "$out/cfg" &&
	! grep -q mod2 "$out/cfg"
report run-inputs/script-and-vms-take-effect $?
make -n --no-print-directory RUN_ISO="$iso" run QEMU_FLAGS+='-s' 2>/dev/null |
	grep -q -- '-machine q35 .* -s '
report run-inputs/qemu-flags-append $?
checks_done
