#!/bin/sh
# Makes a hybrid BIOS + UEFI GRUB ISO that boots the hypervisor.
#   tools/mkiso.sh OUT.iso HV.elf "COMMAND LINE" [MODULE [MODULE_ARGS]]...
# Modules are given as pairs: a file and the string GRUB passes with it.
set -eu
out=$1 elf=$2 cmdline=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$elf" "$dir/boot/hv.elf"
{
	echo 'set timeout=0'
	echo 'set default=0'
	echo 'serial --unit=0 --speed=115200'
	echo 'terminal_input serial console'
	echo 'terminal_output serial console'
	echo 'menuentry "microhypervisor" {'
	echo "	multiboot2 /boot/hv.elf $cmdline"
	i=0
	while [ $# -ge 2 ]; do
		cp "$1" "$dir/boot/mod$i"
		echo "	module2 /boot/mod$i $2"
		i=$((i + 1))
		shift 2
	done
	echo '	boot'
	echo '}'
} >"$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" \
	--install-modules="multiboot2 normal serial terminal iso9660 part_msdos part_gpt boot configfile echo" \
	--modules="multiboot2 normal serial terminal iso9660 part_msdos part_gpt" \
	--locales= --fonts= --themes= --compress=xz \
	"$dir" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; rm -f "$dir.log"; exit 1; }
rm -f "$dir.log"
