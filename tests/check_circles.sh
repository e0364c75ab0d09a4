#!/bin/sh
# No two files of the hypervisor reach each other: an edge runs from one
# object file of build/hv to another when it uses a symbol the other
# defines (a call, a function-pointer table or data alike), and tsort
# finds any loop in those edges. Prints one PASS or FAIL line; the files
# of a loop follow a FAIL.
cd "$(dirname "$0")/.." || exit 1
# Objects whose source still exists (a deleted file's object may linger).
objs=$(find build/hv -name '*.o' | sort | while read -r o; do
	src=${o#build/hv/}
	[ -f "${src%.o}" ] && echo "$o"
done)
[ -n "$objs" ] || { echo "FAIL circles/hypervisor-files: build/hv has no objects"; exit 1; }

edges() {
	for o in $objs; do
		nm "$o" | awk -v f="$o" '$1 == "U" {print "U", f, $2}
			NF == 3 && $2 ~ /^[TDBRW]$/ {print "D", f, $3}'
	done | awk '$1 == "D" {def[$3] = $2; next}
		{use[NR] = $2 " " $3}
		END {
			for (i in use) {
				split(use[i], u, " ")
				if ((u[2] in def) && def[u[2]] != u[1])
					print u[1], def[u[2]]
			}
		}' | sort -u
}

loops=$(edges | tsort 2>&1 >/dev/null)
if [ -z "$loops" ]; then
	echo "PASS circles/hypervisor-files ($(echo "$objs" | wc -l) objects)"
else
	echo "FAIL circles/hypervisor-files: these files reach each other"
	echo "$loops" | sed 's/^tsort: //'
	exit 1
fi
