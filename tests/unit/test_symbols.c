/* Symbol lookup for backtraces: the containing function and the offset,
 * nothing for addresses outside the text. */
#include "check.h"
#include "../../lib/printf.c"
#include "../../hv/symbols.c"

const struct ksym ksyms_table[] = {
	{ 0x1000, "first" }, { 0x1040, "second" }, { 0x1100, "third" },
};
const u64 ksyms_count = 3;
const u8 _text_end[1];

static const struct ksym tab[] = {
	{ 0x1000, "first" }, { 0x1040, "second" }, { 0x1100, "third" },
};

TEST(exact_start_and_inside)
{
	u64 off = 99;

	CHECK_STR(symbol_lookup_in(tab, 3, 0x1200, 0x1000, &off), "first");
	CHECK_EQ(off, 0);
	CHECK_STR(symbol_lookup_in(tab, 3, 0x1200, 0x103f, &off), "first");
	CHECK_EQ(off, 0x3f);
	CHECK_STR(symbol_lookup_in(tab, 3, 0x1200, 0x1040, &off), "second");
	CHECK_EQ(off, 0);
	CHECK_STR(symbol_lookup_in(tab, 3, 0x1200, 0x11ff, &off), "third");
	CHECK_EQ(off, 0xff);
}

TEST(outside_text_is_unknown)
{
	u64 off = 7;

	CHECK(symbol_lookup_in(tab, 3, 0x1200, 0xfff, &off) == NULL);
	CHECK(symbol_lookup_in(tab, 3, 0x1200, 0x1200, &off) == NULL);
	CHECK(symbol_lookup_in(tab, 0, 0x1200, 0x1000, &off) == NULL);
	CHECK_EQ(off, 7);
}

TEST(single_entry_table)
{
	u64 off;

	CHECK_STR(symbol_lookup_in(tab, 1, 0x1010, 0x100f, &off), "first");
	CHECK_EQ(off, 0xf);
}

TEST(format_unknown_address)
{
	char buf[32];

	symbol_format(0x10, buf, sizeof(buf));
	CHECK_STR(buf, "?");
}

RUN_TESTS("symbols", T(exact_start_and_inside), T(outside_text_is_unknown),
	  T(single_entry_table), T(format_unknown_address))
