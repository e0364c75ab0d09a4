/* Unit tests for hv/console_line.c: guest text is prefixed with its VM's
 * name once per line and escaped, and nobody continues another's line. */
#include "check.h"
#include "../../hv/console_line.c"

static char out[1024];
static size_t out_len;

static void put(char c)
{
	if (out_len < sizeof(out) - 1)
		out[out_len++] = c;
	out[out_len] = '\0';
}

static struct console_line line;

static void reset(void)
{
	memset(&line, 0, sizeof(line));
	out_len = 0;
	out[0] = '\0';
}

#define GUEST(vm, name, s) line_put_guest(&line, vm, name, s, sizeof(s) - 1, put)
#define HV(s) line_put_hv(&line, s, sizeof(s) - 1, put)

TEST(every_line_prefixed_once)
{
	reset();
	GUEST(3, "child", "one\ntwo\n");
	CHECK_STR(out, "[child] one\n[child] two\n");
}

TEST(partial_line_continues_without_a_second_prefix)
{
	reset();
	GUEST(3, "child", "HV-");
	GUEST(3, "child", "RESULT: PASS\nnext");
	GUEST(3, "child", "\n");
	CHECK_STR(out, "[child] HV-RESULT: PASS\n[child] next\n");
}

TEST(forged_verdict_never_starts_a_line)
{
	reset();
	GUEST(1, "vm0", "\nHV-RESULT: PASS\n");
	CHECK_STR(out, "[vm0] \n[vm0] HV-RESULT: PASS\n");
	for (char *p = out; (p = strstr(p, "HV-RESULT")); p++)
		CHECK(p != out && p[-1] != '\n');
}

TEST(control_bytes_escaped)
{
	reset();
	GUEST(1, "g", "\x1b[2J\r\tok\x7f\x80\xff\\x\0z\n");
	CHECK_STR(out, "[g] \\x1b[2J\\x0d\tok\\x7f\\x80\\xff\\x5cx\\x00z\n");
}

TEST(plain_bytes)
{
	CHECK(guest_byte_plain(' '));
	CHECK(guest_byte_plain('~'));
	CHECK(guest_byte_plain('\t'));
	CHECK(!guest_byte_plain('\n'));
	CHECK(!guest_byte_plain('\r'));
	CHECK(!guest_byte_plain(0x1b));
	CHECK(!guest_byte_plain(0x7f));
	CHECK(!guest_byte_plain(0x80));
	CHECK(!guest_byte_plain('\\'));
}

TEST(hypervisor_text_ends_an_open_guest_line)
{
	reset();
	GUEST(3, "child", "half");
	HV("hv: something\n");
	GUEST(3, "child", "HV-RESULT: PASS\n");
	CHECK_STR(out, "[child] half\nhv: something\n[child] HV-RESULT: PASS\n");
}

TEST(another_guest_ends_an_open_guest_line)
{
	reset();
	GUEST(3, "a", "x");
	GUEST(4, "b", "y");
	GUEST(3, "a", "z\n");
	CHECK_STR(out, "[a] x\n[b] y\n[a] z\n");
}

TEST(guest_text_ends_an_open_hypervisor_line)
{
	reset();
	HV("hv: no newline");
	GUEST(3, "a", "x\n");
	HV("hv: more\n");
	CHECK_STR(out, "hv: no newline\n[a] x\nhv: more\n");
}

TEST(hypervisor_lines_unchanged)
{
	reset();
	HV("part ");
	HV("one\n");
	HV("\x1b");
	CHECK_STR(out, "part one\n\x1b");
	CHECK_EQ(line.owner, LINE_HV);
}

TEST(line_end)
{
	reset();
	line_end(&line, put);
	CHECK_STR(out, "");
	GUEST(3, "a", "x");
	line_end(&line, put);
	line_end(&line, put);
	CHECK_STR(out, "[a] x\n");
	CHECK_EQ(line.owner, LINE_EMPTY);
}

TEST(empty_writes_write_nothing)
{
	reset();
	line_put_guest(&line, 3, "a", "", 0, put);
	line_put_hv(&line, "", 0, put);
	CHECK_STR(out, "");
	CHECK_EQ(line.owner, LINE_EMPTY);
}

RUN_TESTS("console_line",
	  T(every_line_prefixed_once),
	  T(partial_line_continues_without_a_second_prefix),
	  T(forged_verdict_never_starts_a_line),
	  T(control_bytes_escaped),
	  T(plain_bytes),
	  T(hypervisor_text_ends_an_open_guest_line),
	  T(another_guest_ends_an_open_guest_line),
	  T(guest_text_ends_an_open_hypervisor_line),
	  T(hypervisor_lines_unchanged),
	  T(line_end),
	  T(empty_writes_write_nothing))
