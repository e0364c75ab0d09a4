/* Unit tests for hv/cmdline.c. */
#include "check.h"

#include "../../hv/cmdline.c"

static struct cmdline cl;

/* Parses into a struct that starts out full of junk, so the tests also
 * show that cmdline_parse resets every field. */
static void parse(const char *s)
{
	memset(&cl, 0xa5, sizeof(cl));
	cmdline_parse(&cl, s);
}

static bool clean(void)
{
	return cl.dropped == 0 && !cl.truncated && !cl.bad_quote;
}

TEST(simple_pairs)
{
	parse("a=1 b=two c.d=0x30");
	CHECK(clean());
	CHECK_EQ(cl.count, 3);
	CHECK_STR(cl.args[0].key, "a");
	CHECK_STR(cl.args[0].value, "1");
	CHECK_STR(cl.args[1].key, "b");
	CHECK_STR(cl.args[1].value, "two");
	CHECK_STR(cl.args[2].key, "c.d");
	CHECK_STR(cl.args[2].value, "0x30");
	CHECK(!cl.args[0].used && !cl.args[1].used && !cl.args[2].used);
	CHECK_STR(cmdline_get(&cl, "b"), "two");
	CHECK(cmdline_get(&cl, "missing") == NULL);
	CHECK(cmdline_get(&cl, "c") == NULL);
}

TEST(flags_and_empty_values)
{
	parse("quiet debug=1 noapic empty=");
	CHECK(clean());
	CHECK_EQ(cl.count, 4);
	CHECK_STR(cmdline_get(&cl, "quiet"), "");
	CHECK_STR(cmdline_get(&cl, "noapic"), "");
	CHECK_STR(cmdline_get(&cl, "empty"), "");
	CHECK_STR(cmdline_get(&cl, "debug"), "1");
}

TEST(blanks_between_words)
{
	parse("  a=1\tb=2 \t  c=3\t\t");
	CHECK(clean());
	CHECK_EQ(cl.count, 3);
	CHECK_STR(cmdline_get(&cl, "a"), "1");
	CHECK_STR(cmdline_get(&cl, "b"), "2");
	CHECK_STR(cmdline_get(&cl, "c"), "3");
}

TEST(only_the_first_equals_splits)
{
	parse("opt=a=b=c");
	CHECK(clean());
	CHECK_EQ(cl.count, 1);
	CHECK_STR(cmdline_get(&cl, "opt"), "a=b=c");
}

TEST(quoted_values)
{
	parse("mgmt.script=\"echo a; echo b\" x=1 k=\"a b; c\" "
	      "t=\"tab\there\" e=\"\" q=\"a=b\" mid=pre\"fix suf\"fix");
	CHECK(clean());
	CHECK_EQ(cl.count, 7);
	CHECK_STR(cmdline_get(&cl, "mgmt.script"), "echo a; echo b");
	CHECK_STR(cmdline_get(&cl, "x"), "1");
	CHECK_STR(cmdline_get(&cl, "k"), "a b; c");
	CHECK_STR(cmdline_get(&cl, "t"), "tab\there");
	CHECK_STR(cmdline_get(&cl, "e"), "");
	CHECK_STR(cmdline_get(&cl, "q"), "a=b");
	CHECK_STR(cmdline_get(&cl, "mid"), "prefix suffix");
}

TEST(unterminated_quote)
{
	parse("a=1 s=\"abc def  x=2");
	CHECK(cl.bad_quote);
	CHECK(!cl.truncated);
	CHECK_EQ(cl.dropped, 0);
	CHECK_EQ(cl.count, 2);
	CHECK_STR(cmdline_get(&cl, "a"), "1");
	CHECK_STR(cmdline_get(&cl, "s"), "abc def  x=2");
	CHECK(cmdline_get(&cl, "x") == NULL);
}

TEST(grub_image_path_skipped)
{
	parse("/boot/hv.elf a=1");
	CHECK(clean());
	CHECK_EQ(cl.count, 1);
	CHECK_STR(cl.args[0].key, "a");

	parse("(hd0,msdos1)/boot/hv a=1 b");
	CHECK_EQ(cl.count, 2);
	CHECK_STR(cl.args[0].key, "a");
	CHECK_STR(cl.args[1].key, "b");

	parse("  \t/boot/hv=\"x y\" a=1");
	CHECK_EQ(cl.count, 1);
	CHECK_STR(cl.args[0].key, "a");
	CHECK(!cl.bad_quote);

	parse("/boot/hv");
	CHECK(clean());
	CHECK_EQ(cl.count, 0);

	/* Only the first word is an image path. */
	parse("a=1 /x=2 (y)");
	CHECK_EQ(cl.count, 3);
	CHECK_STR(cmdline_get(&cl, "/x"), "2");
	CHECK_STR(cmdline_get(&cl, "(y)"), "");
}

TEST(last_occurrence_wins)
{
	parse("mem=1 other=x mem=2 mem=3 tail");
	CHECK_EQ(cl.count, 5);
	CHECK_STR(cmdline_get(&cl, "mem"), "3");
	CHECK(cl.args[0].used);
	CHECK(!cl.args[1].used);
	CHECK(cl.args[2].used);
	CHECK(cl.args[3].used);
	CHECK(!cl.args[4].used);
	CHECK(cmdline_get(&cl, "me") == NULL);
	CHECK(cmdline_get(&cl, "memx") == NULL);
	CHECK(!cl.args[1].used && !cl.args[4].used);
}

TEST(too_many_args)
{
	char s[512];
	size_t len = 0;

	for (int i = 0; i < CMDLINE_MAX_ARGS + 8; i++)
		len += (size_t)snprintf(s + len, sizeof(s) - len, "k%d=%d ",
					i, i);
	parse(s);
	CHECK(!cl.truncated && !cl.bad_quote);
	CHECK_EQ(cl.count, CMDLINE_MAX_ARGS);
	CHECK_EQ(cl.dropped, 8);
	CHECK_STR(cl.args[0].key, "k0");
	CHECK_STR(cl.args[CMDLINE_MAX_ARGS - 1].key, "k31");
	CHECK_STR(cl.args[CMDLINE_MAX_ARGS - 1].value, "31");
	CHECK(cmdline_get(&cl, "k32") == NULL);
}

/* A heap copy of exactly n+1 bytes, so ASan sees any over-read. */
static char *string_of(size_t n, char fill, const char *prefix)
{
	char *s = malloc(n + 1);

	memset(s, fill, n);
	memcpy(s, prefix, strlen(prefix));
	s[n] = '\0';
	return s;
}

TEST(overlong_input)
{
	char *s = string_of(5000, 'x', "k=");

	parse(s);
	CHECK(cl.truncated);
	CHECK_EQ(cl.count, 1);
	CHECK_EQ(strlen(cmdline_get(&cl, "k")), CMDLINE_BUF - 1 - 2);
	CHECK_EQ(cl.buf[CMDLINE_BUF - 1], '\0');
	free(s);

	/* CMDLINE_BUF - 1 characters fit exactly; one more does not. */
	s = string_of(CMDLINE_BUF - 1, 'y', "k=");
	parse(s);
	CHECK(clean());
	CHECK_EQ(strlen(cmdline_get(&cl, "k")), CMDLINE_BUF - 3);
	free(s);
	s = string_of(CMDLINE_BUF, 'y', "k=");
	parse(s);
	CHECK(cl.truncated);
	CHECK_EQ(strlen(cmdline_get(&cl, "k")), CMDLINE_BUF - 3);
	free(s);
}

TEST(overlong_inside_quote)
{
	char *s = string_of(3000, 'z', "a=1 q=\"");

	parse(s);
	CHECK(cl.truncated);
	CHECK(cl.bad_quote);
	CHECK_EQ(cl.count, 2);
	CHECK_EQ(strlen(cmdline_get(&cl, "q")), CMDLINE_BUF - 1 - 7);
	free(s);
}

TEST(empty_and_blank_input)
{
	parse("");
	CHECK(clean());
	CHECK_EQ(cl.count, 0);
	parse("     ");
	CHECK(clean());
	CHECK_EQ(cl.count, 0);
	parse(" \t \t ");
	CHECK(clean());
	CHECK_EQ(cl.count, 0);
	parse(NULL);
	CHECK(clean());
	CHECK_EQ(cl.count, 0);
	CHECK(cmdline_get(&cl, "a") == NULL);
}

TEST(empty_key_is_dropped)
{
	parse("=x a=1 = \"\" =\"q r\"");
	CHECK(!cl.truncated && !cl.bad_quote);
	CHECK_EQ(cl.count, 1);
	CHECK_EQ(cl.dropped, 4);
	CHECK_STR(cl.args[0].key, "a");
	CHECK(cmdline_get(&cl, "") == NULL);
}

struct u64_case {
	const char *s;
	bool ok;
	u64 value;
};

TEST(parse_u64)
{
	static const struct u64_case cases[] = {
		{ "0", true, 0 },
		{ "7", true, 7 },
		{ "010", true, 10 },
		{ "0x10", true, 16 },
		{ "0X1f", true, 31 },
		{ "0xDeadBeef", true, 0xdeadbeef },
		{ "16M", true, 16 * MIB },
		{ "16m", true, 16 * MIB },
		{ "1G", true, GIB },
		{ "1g", true, GIB },
		{ "4k", true, 4096 },
		{ "4K", true, 4096 },
		{ "0k", true, 0 },
		{ "0x10M", true, 16 * MIB },
		{ "18446744073709551615", true, UINT64_MAX },
		{ "0xffffffffffffffff", true, UINT64_MAX },
		{ "17179869183G", true, 17179869183ULL << 30 },
		{ "18446744073709551616", false, 0 },
		{ "99999999999999999999", false, 0 },
		{ "0x10000000000000000", false, 0 },
		{ "17179869184G", false, 0 },
		{ "18014398509481984K", false, 0 },
		{ "12x", false, 0 },
		{ "", false, 0 },
		{ "0x", false, 0 },
		{ "0xg", false, 0 },
		{ "x10", false, 0 },
		{ "K", false, 0 },
		{ "1KB", false, 0 },
		{ "1KK", false, 0 },
		{ "1T", false, 0 },
		{ "-1", false, 0 },
		{ "+1", false, 0 },
		{ " 1", false, 0 },
		{ "1 ", false, 0 },
		{ "1.5M", false, 0 },
		{ "0x-1", false, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 v = 0x5555;
		bool ok = cmdline_parse_u64(cases[i].s, &v);

		if (ok != cases[i].ok || v != (ok ? cases[i].value : 0x5555))
			printf("  parse_u64(\"%s\"): ok=%d value=%llu\n",
			       cases[i].s, ok, (unsigned long long)v);
		CHECK_EQ(ok, cases[i].ok);
		CHECK_EQ(v, ok ? cases[i].value : 0x5555);
	}
	CHECK(!cmdline_parse_u64(NULL, &(u64){ 0 }));
}

struct bool_case {
	const char *s;
	bool ok;
	bool value;
};

TEST(parse_bool)
{
	static const struct bool_case cases[] = {
		{ "1", true, true },      { "0", true, false },
		{ "yes", true, true },    { "no", true, false },
		{ "on", true, true },     { "off", true, false },
		{ "true", true, true },   { "false", true, false },
		{ "YES", true, true },    { "Off", true, false },
		{ "TRUE", true, true },   { "False", true, false },
		{ "", false, false },     { "2", false, false },
		{ "yess", false, false }, { "ye", false, false },
		{ "of", false, false },   { "01", false, false },
		{ " on", false, false },  { "on ", false, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool v = !cases[i].value;
		bool ok = cmdline_parse_bool(cases[i].s, &v);

		if (ok != cases[i].ok)
			printf("  parse_bool(\"%s\") = %d\n", cases[i].s, ok);
		CHECK_EQ(ok, cases[i].ok);
		CHECK_EQ(v, ok ? cases[i].value : !cases[i].value);
	}
	CHECK(!cmdline_parse_bool(NULL, &(bool){ false }));
}

struct warnings {
	int calls;
	char seen[256];
};

static void record_warning(const char *key, void *ctx)
{
	struct warnings *w = ctx;

	w->calls++;
	strncat(w->seen, key, sizeof(w->seen) - strlen(w->seen) - 2);
	strcat(w->seen, ",");
}

TEST(check_known)
{
	static const char *const known[] = { "a", "b", "c" };
	struct warnings w = { 0 };

	parse("/boot/hv a=1 bogus=2 b c=3 bogus zz aa=1");
	cmdline_check_known(&cl, known, ARRAY_SIZE(known), record_warning,
			    &w);
	CHECK_EQ(w.calls, 4);
	CHECK_STR(w.seen, "bogus,bogus,zz,aa,");

	memset(&w, 0, sizeof(w));
	parse("a b=2 c");
	cmdline_check_known(&cl, known, ARRAY_SIZE(known), record_warning,
			    &w);
	CHECK_EQ(w.calls, 0);

	memset(&w, 0, sizeof(w));
	cmdline_check_known(&cl, NULL, 0, record_warning, &w);
	CHECK_EQ(w.calls, 3);
	CHECK_STR(w.seen, "a,b,c,");

	memset(&w, 0, sizeof(w));
	parse("");
	cmdline_check_known(&cl, known, ARRAY_SIZE(known), record_warning,
			    &w);
	CHECK_EQ(w.calls, 0);
}

RUN_TESTS("cmdline",
	  T(simple_pairs),
	  T(flags_and_empty_values),
	  T(blanks_between_words),
	  T(only_the_first_equals_splits),
	  T(quoted_values),
	  T(unterminated_quote),
	  T(grub_image_path_skipped),
	  T(last_occurrence_wins),
	  T(too_many_args),
	  T(overlong_input),
	  T(overlong_inside_quote),
	  T(empty_and_blank_input),
	  T(empty_key_is_dropped),
	  T(parse_u64),
	  T(parse_bool),
	  T(check_known))
