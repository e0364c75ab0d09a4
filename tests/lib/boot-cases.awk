# Expands the boot matrix (tests/boot-cases, whose head describes the
# format) into one line per boot case, tests in file order:
#   name|emulator:machine|variant|verdict|pattern;pattern;...
# A mistake in the matrix is reported with its line number, exit status 1
# and no cases at all.

function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t]+$/, "", s)
	return s
}

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, lineno, msg >"/dev/stderr"
	broken = 1
	exit 1
}

# A ';'-separated pattern list, each pattern trimmed, empty ones dropped,
# @NAME replaced by group NAME's patterns.
function patterns(s,   item, n, i, p, out) {
	n = split(s, item, ";")
	out = ""
	for (i = 1; i <= n; i++) {
		p = trim(item[i])
		if (p ~ /^@/) {
			if (!(substr(p, 2) in group))
				fail("unknown group " p)
			p = group[substr(p, 2)]
		}
		if (p != "")
			out = out == "" ? p : out ";" p
	}
	return out
}

function has(list, p) { return index(list, " " p " ") > 0 }

function without(list, p,   at) {
	at = index(list, " " p " ")
	return substr(list, 1, at) substr(list, at + length(p) + 2)
}

# The platforms an item stands for, as " p1 p2 ".
function members(item) {
	if (item in family)
		return family[item]
	if (item in machine)
		return " " item " "
	if (item ~ /^[a-z-]+:[^ ]+$/) {
		machine[item] = item
		return " " item " "
	}
	fail("unknown platform or family '" item "'")
}

# A platform list: items added in order, -ITEM taking platforms out.
function platforms(s,   item, n, i, name, out, p, m, j) {
	n = split(trim(s), item, /[ \t]+/)
	out = " "
	for (i = 1; i <= n; i++) {
		name = item[i]
		sub(/^-/, "", name)
		m = split(members(name), p, " ")
		for (j = 1; j <= m; j++) {
			if (item[i] !~ /^-/) {
				if (!has(out, p[j]))
					out = out p[j] " "
			} else if (has(out, p[j])) {
				out = without(out, p[j])
			} else {
				fail("cannot leave out " p[j] ": not in the list")
			}
		}
	}
	if (out == " ")
		fail("no platforms")
	return out
}

function check_verdict(v) {
	if (v !~ /^(PASS|FAIL|UNSUPPORTED)$/)
		fail("verdict must be PASS, FAIL or UNSUPPORTED, not '" v "'")
}

# name=value after a keyword: family NAME = ..., group NAME = ...
function definition(s, what,   name) {
	if (!match(s, "^" what "[ \t]+[^ \t=]+[ \t]*="))
		fail("expected: " what " NAME = ...")
	name = substr(s, 1, RLENGTH - 1)
	sub("^" what "[ \t]+", "", name)
	def_name = trim(name)
	return substr(s, RLENGTH + 1)
}

function parse_test(f, n,   t) {
	if (n != 5)
		fail("a test has 5 fields: NAME | PLATFORMS | VARIANT | VERDICT | PATTERNS")
	t = ++ntests
	test_line[t] = lineno
	test_name[t] = trim(f[1])
	if (test_name[t] in test_of)
		fail("test " test_name[t] " twice")
	test_of[test_name[t]] = t
	test_platforms[t] = platforms(f[2])
	test_variant[t] = trim(f[3])
	test_verdict[t] = trim(f[4])
	check_verdict(test_verdict[t])
	test_patterns[t] = patterns(f[5])
	if (test_name[t] !~ /%/ && split(test_platforms[t], unused, " ") != 1)
		fail("a NAME without '%' names one case: give it one platform")
}

# NAME on PLATFORMS | CHANGE | CHANGE ...
function parse_exception(f, n,   e, head, w, t, p, m, j, k) {
	head = trim(f[1])
	e = ++nexceptions
	exc_line[e] = lineno
	split(head, w, /[ \t]+/)
	t = w[1]
	if (!(t in test_of))
		fail("exception for test " t ", which is not defined above")
	exc_test[e] = test_of[t]
	sub(/^[^ \t]+[ \t]+on[ \t]+/, "", head)
	exc_platforms[e] = platforms(head)
	m = split(exc_platforms[e], p, " ")
	for (j = 1; j <= m; j++)
		if (!has(test_platforms[exc_test[e]], p[j]))
			fail("test " t " does not run on " p[j])
	for (k = 2; k <= n; k++)
		parse_change(e, k, trim(f[k]))
	exc_changes[e] = n
}

# Change k of exception e: + - = PATTERNS, variant V or verdict V.
function parse_change(e, k, c) {
	if (c ~ /^[-+=]( |$)/) {
		exc_op[e, k] = substr(c, 1, 1)
		exc_arg[e, k] = patterns(substr(c, 2))
	} else if (c ~ /^(variant|verdict) [^ ]+$/) {
		exc_op[e, k] = substr(c, 1, index(c, " ") - 1)
		exc_arg[e, k] = substr(c, index(c, " ") + 1)
		if (exc_op[e, k] == "verdict")
			check_verdict(exc_arg[e, k])
	} else {
		fail("unknown change '" c "': + - = PATTERNS, variant V or verdict V")
	}
}

function parse(s,   f, n, w) {
	if (s ~ /^platform[ \t]/) {
		if (split(s, w, /[ \t]+/) != 3 || w[3] !~ /^[a-z-]+:[^ ]+$/)
			fail("expected: platform NAME EMULATOR:MACHINE")
		machine[w[2]] = w[3]
	} else if (s ~ /^family[ \t]/) {
		s = definition(s, "family")
		family[def_name] = platforms(s)
	} else if (s ~ /^group[ \t]/) {
		s = definition(s, "group")
		group[def_name] = patterns(s)
	} else {
		n = split(s, f, "|")
		if (trim(f[1]) ~ /^[^ \t]+[ \t]+on[ \t]/)
			parse_exception(f, n)
		else
			parse_test(f, n)
	}
}

# Removes each of the patterns "drop" from "list", all of which must be there.
function remove_patterns(list, drop,   d, n, i, l, m, j, found, out) {
	n = split(drop, d, ";")
	m = split(list, l, ";")
	for (i = 1; i <= n; i++) {
		found = 0
		for (j = 1; j <= m; j++)
			if (l[j] == d[i] && !found) {
				l[j] = ""
				found = 1
			}
		if (!found)
			fail("cannot remove '" d[i] "': not among the test's patterns")
	}
	out = ""
	for (j = 1; j <= m; j++)
		if (l[j] != "")
			out = out == "" ? l[j] : out ";" l[j]
	return out
}

# Applies exception e to the case being expanded (variant, verdict, pats).
function apply(e,   k, op, arg) {
	lineno = exc_line[e]
	for (k = 2; k <= exc_changes[e]; k++) {
		op = exc_op[e, k]
		arg = exc_arg[e, k]
		if (op == "+")
			pats = pats == "" ? arg : arg == "" ? pats : pats ";" arg
		else if (op == "-")
			pats = remove_patterns(pats, arg)
		else if (op == "=")
			pats = arg
		else if (op == "variant")
			variant = arg
		else
			verdict = arg
	}
}

function expand(t,   p, m, j, e, name) {
	m = split(test_platforms[t], p, " ")
	for (j = 1; j <= m; j++) {
		variant = test_variant[t]
		verdict = test_verdict[t]
		pats = test_patterns[t]
		for (e = 1; e <= nexceptions; e++)
			if (exc_test[e] == t && has(exc_platforms[e], p[j]))
				apply(e)
		lineno = test_line[t]
		name = test_name[t]
		gsub(/%/, p[j], name)
		if (name in seen)
			fail("two cases named " name)
		seen[name] = 1
		if (machine[p[j]] ~ /^qemu-esp:/)
			variant = "esp-" variant
		out = out name "|" machine[p[j]] "|" variant "|" verdict "|" pats "\n"
	}
}

/^#/ || /^[ \t]*$/ { next }

# A line starting with white space continues the one before it: more
# patterns, or more fields when it starts with '|'.
/^[ \t]/ {
	lineno = NR
	if (n == 0)
		fail("a continuation line with nothing before it")
	rest = trim($0)
	text[n] = text[n] (rest ~ /^\|/ ? " " : ";") rest
	next
}

{
	text[++n] = $0
	line[n] = NR
}

END {
	if (broken)
		exit 1
	for (i = 1; i <= n; i++) {
		lineno = line[i]
		parse(text[i])
	}
	for (t = 1; t <= ntests; t++)
		expand(t)
	printf "%s", out
}
