#!/bin/sh
# Fetches Debian's kernel for the Linux child: the linux-image-*-amd64
# package that linux-image-amd64 currently depends on, downloaded (not
# installed: no postinst hooks, nothing in /boot) and unpacked, and its
# vmlinuz copied unmodified to OUT.
# Usage: fetch-linux.sh OUT
set -eu
out=$1
dir=$(dirname "$out")/deb
kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9].*-amd64$/ { print $2; exit }'
}
pkg=$(kernel_package)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then # a fresh machine: no lists yet
	apt-get update -qq
	pkg=$(kernel_package)
fi
if [ -z "$pkg" ]; then
	echo "fetch-linux: apt knows no linux-image-amd64 (run apt-get update)" >&2
	exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"
(cd "$dir" && apt-get download -q "$pkg")
deb=$(ls "$dir"/"$pkg"_*.deb)
dpkg-deb -x "$deb" "$dir/root"
cp "$dir"/root/boot/vmlinuz-* "$out"
rm -rf "$dir" # the package (70 MB) is not needed again
echo "fetch-linux: $out from $(basename "$deb")"
