#!/bin/sh
# Makes a raw FAT image (an EFI system partition without a partition
# table, which OVMF and `dd` to a USB stick's partition both take) that
# boots the hypervisor through hv.efi:
#   \EFI\BOOT\BOOTX64.EFI   hv.efi
#   \EFI\BOOT\hv.cfg        cmdline= and one module= line per module
#   \EFI\hv\NAME            the modules
#
#   tools/mkesp.sh [-l LINE]... [-c FILE] [-t] OUT.img HV.efi "COMMAND LINE" [MODULE STRING]...
#
# Modules come in pairs like tools/mkiso.sh's: a file, then the string
# hv.efi hands over with it; the first is VM 0's kernel.
#   -l LINE  append LINE verbatim to the generated hv.cfg (repeatable;
#            for tests: unknown keys, missing files, ...)
#   -c FILE  use FILE as hv.cfg instead (the modules are still copied)
#   -t       tests only: a \startup.nsh for the UEFI shell that OVMF
#            falls back to when hv.efi returns an error, which ends QEMU
#            through isa-debug-exit (port 0xf4) with the FAIL status 35
set -eu
extra="" cfgfile="" testexit=0
nl='
'
while getopts l:c:t opt; do
	case $opt in
	l) extra="$extra$OPTARG$nl" ;;
	c) cfgfile=$OPTARG ;;
	t) testexit=1 ;;
	*) echo "usage: $0 [-l LINE]... [-c FILE] [-t] OUT.img HV.efi \"CMDLINE\" [MODULE STRING]..." >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] || { echo "usage: $0 [-l LINE]... [-c FILE] [-t] OUT.img HV.efi \"CMDLINE\" [MODULE STRING]..." >&2; exit 2; }
out=$1 efi=$2 cmdline=$3
shift 3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/EFI/BOOT" "$dir/EFI/hv"
cp "$efi" "$dir/EFI/BOOT/BOOTX64.EFI"
{
	echo "# hv.efi configuration (tools/mkesp.sh)"
	printf 'cmdline=%s\n' "$cmdline"
	i=0 used=/
	while [ $# -ge 2 ]; do
		name=$(basename "$1")
		# FAT names are case-insensitive: keep two modules apart
		key=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
		case $used in */"$key"/*) name="$i-$name" key="$i-$key" ;; esac
		used="$used$key/"
		cp "$1" "$dir/EFI/hv/$name"
		case $name in
		*[[:space:]]*) printf 'module="\\EFI\\hv\\%s" %s\n' "$name" "$2" ;;
		*) printf 'module=\\EFI\\hv\\%s %s\n' "$name" "$2" ;;
		esac
		i=$((i + 1))
		shift 2
	done
	printf '%s' "$extra"
} >"$dir/EFI/BOOT/hv.cfg"
[ -n "$cfgfile" ] && cp "$cfgfile" "$dir/EFI/BOOT/hv.cfg"
if [ $testexit = 1 ]; then
	# 0x11 to port 0xf4: QEMU exits with (0x11 << 1) | 1 = 35
	printf 'mm f4 11 -IO -w 4 -n\r\nreset -s\r\n' >"$dir/startup.nsh"
fi

# Size: the files, plus room for FAT and slack; at least 8 MiB (FAT16).
kib=$(du -sk "$dir" | cut -f1)
mib=$(( (kib * 5 / 4) / 1024 + 8 ))
rm -f "$out"
export MTOOLS_SKIP_CHECK=1
mformat -i "$out" -C -T $((mib * 2048)) -h 64 -s 32 -v HVESP ::
mcopy -i "$out" -s -Q "$dir/EFI" ::/
[ -f "$dir/startup.nsh" ] && mcopy -i "$out" -Q "$dir/startup.nsh" ::/
exit 0
