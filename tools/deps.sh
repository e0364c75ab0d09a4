#!/bin/sh
# Installs the Debian packages a make target needs, and only those that
# are missing. Usage: deps.sh GROUP... (no group: every group).
#
#   build    compile the hypervisor, the guests and the unit tests
#   iso      build + the GRUB rescue image (make iso)
#   run      iso + QEMU (make run, make bench)
#   efi      build + GNU-EFI and the ESP image tools (make efi)
#   run-efi  efi + QEMU and OVMF (make run-efi)
#   fuzz     clang's libFuzzer and Zydis (the fuzz targets, make fuzz)
#   bochs    the Bochs emulator with its BIOS images (make storm)
#   linux    run + busybox-static and python3 for the initramfs (make
#            run-linux; the kernel itself is downloaded, not installed,
#            by tools/fetch-deb.sh)
#   profile  run + python3 for tools/exitprof.py (make profile)
#   acpi     iasl, which the ACPI tables' unit test disassembles them with
#            (without it those checks are skipped)
#   test     everything make test uses, with the static analysers, g++
#            (the ABI headers must compile as C++) and python3-pexpect
#
# Idempotent. Without root it names the missing packages and fails.
set -eu

group_packages() {
	case $1 in
	build) echo "gcc make binutils gawk" ;;
	iso) echo "$(group_packages build) grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools" ;;
	run) echo "$(group_packages iso) qemu-system-x86" ;;
	efi) echo "$(group_packages build) gnu-efi mtools" ;;
	run-efi) echo "$(group_packages efi) qemu-system-x86 ovmf" ;;
	fuzz) echo "clang libclang-rt-14-dev libzydis-dev" ;;
	bochs) echo "bochs bochsbios vgabios" ;;
	acpi) echo "acpica-tools" ;;
	linux) echo "$(group_packages run) busybox-static python3" ;;
	profile) echo "$(group_packages run) python3" ;;
	test)
		echo "python3-pexpect" # tests/console.py types into hvctl through a pty
		echo "$(group_packages run) $(group_packages run-efi) $(group_packages fuzz)"
		echo "$(group_packages bochs) $(group_packages acpi) $(group_packages linux)"
		echo "cppcheck shellcheck g++"
		;;
	*)
		echo "deps: unknown package group '$1'" >&2
		return 1
		;;
	esac
}

[ $# -eq 0 ] && set -- test
wanted=""
for g in "$@"; do
	wanted="$wanted $(group_packages "$g")" || exit 1
done

missing=""
for p in $(echo "$wanted" | tr ' ' '\n' | sort -u); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps ($*): missing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root, cannot install; as root run: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: installed$missing"
