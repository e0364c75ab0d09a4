#!/bin/sh
# Fetches one file of a Debian package for a child kernel: the versioned
# package that META currently depends on (its name matching DEP, an awk
# regular expression), downloaded (not installed: no postinst hooks,
# nothing in /boot) and unpacked; the file matching GLOB in it is copied
# to OUT unmodified, or uncompressed with -z (a gzip file).
# Usage: fetch-deb.sh [-z] META DEP GLOB OUT
#   Linux: fetch-deb.sh linux-image-amd64 'linux-image-[0-9].*-amd64' 'boot/vmlinuz-*' OUT
#   Xen:   fetch-deb.sh -z xen-system-amd64 'xen-hypervisor-[0-9.]+-amd64' 'boot/xen-*.gz' OUT
set -eu
gunzip=false
if [ "$1" = -z ]; then
	gunzip=true
	shift
fi
meta=$1 dep=$2 glob=$3 out=$4
dir=$(dirname "$out")/deb-$(basename "$out")
versioned_package() {
	apt-cache depends "$meta" 2>/dev/null |
		awk -v re="^$dep\$" '$1 == "Depends:" && $2 ~ re { print $2; exit }'
}
pkg=$(versioned_package)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then # a fresh machine: no lists yet
	apt-get update -qq
	pkg=$(versioned_package)
fi
if [ -z "$pkg" ]; then
	echo "fetch-deb: apt knows no $meta (run apt-get update)" >&2
	exit 1
fi
rm -rf "$dir"
mkdir -p "$dir"
(cd "$dir" && apt-get download -q "$pkg")
deb=$(ls "$dir"/"$pkg"_*.deb)
dpkg-deb -x "$deb" "$dir/root"
# shellcheck disable=SC2086 # GLOB is a pattern
set -- "$dir"/root/$glob
if [ ! -f "$1" ]; then
	echo "fetch-deb: $pkg has no $glob" >&2
	exit 1
fi
if $gunzip; then
	gzip -dc "$1" >"$out"
else
	cp "$1" "$out"
fi
rm -rf "$dir" # the package is not needed again
echo "fetch-deb: $out from $(basename "$deb")"
