#!/bin/sh
# Installs the Debian packages the build, `make run` and `make test` need,
# and only those that are missing. Idempotent; needs root to install.
set -eu
PACKAGES="gcc make binutils gawk clang libclang-rt-14-dev qemu-system-x86 ovmf
grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools gnu-efi bochs bochsbios vgabios
libzydis-dev"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps: missing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: run 'make deps' as root (or: sudo apt-get install$missing)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: installed$missing"
