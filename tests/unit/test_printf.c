/* Unit tests for lib/printf.c: every supported format is compared byte for
 * byte (and by return value) against the host C library's snprintf. */
#include "check.h"

#include <limits.h>
#include <stdint.h>

#include "../../lib/printf.c"

#define OUT_MAX 256

/* Reports whether the host and hv outputs agree; prints each mismatch. */
static bool outputs_agree(const char *fmt, int want_n, const char *want,
			  int got_n, const char *got)
{
	if (want_n == got_n && want_n >= 0 && want_n < OUT_MAX &&
	    memcmp(want, got, (size_t)want_n + 1) == 0)
		return true;
	printf("  format \"%s\": libc [%s] (%d), hv [%s] (%d)\n", fmt, want,
	       want_n, got, got_n);
	return false;
}

/* agrees_<name>(fmt, v): formats one value of `type` both ways. */
#define DEFINE_AGREES(name, type)                                            \
	static bool agrees_##name(const char *fmt, type v)                   \
	{                                                                    \
		char want[OUT_MAX], got[OUT_MAX];                            \
		int want_n, got_n;                                           \
									     \
		memset(want, 0, sizeof(want));                               \
		memset(got, 0x5a, sizeof(got));                              \
		want_n = snprintf(want, sizeof(want), fmt, v);               \
		got_n = hv_snprintf(got, sizeof(got), fmt, v);               \
		return outputs_agree(fmt, want_n, want, got_n, got);         \
	}

DEFINE_AGREES(int, int)
DEFINE_AGREES(uint, unsigned int)
DEFINE_AGREES(long, long)
DEFINE_AGREES(ulong, unsigned long)
DEFINE_AGREES(llong, long long)
DEFINE_AGREES(ullong, unsigned long long)
DEFINE_AGREES(size, size_t)
DEFINE_AGREES(ptrdiff, ptrdiff_t)
DEFINE_AGREES(intmax, intmax_t)
DEFINE_AGREES(uintmax, uintmax_t)
DEFINE_AGREES(ptr, void *)
DEFINE_AGREES(str, const char *)

/* Runs every format in `fmts` against every value in `vals`. */
#define CHECK_ALL(name, fmts, vals)                                          \
	do {                                                                 \
		for (size_t i_ = 0; i_ < ARRAY_SIZE(fmts); i_++)             \
			for (size_t j_ = 0; j_ < ARRAY_SIZE(vals); j_++)     \
				CHECK(agrees_##name(fmts[i_], vals[j_]));    \
	} while (0)

static const int int_values[] = {
	0, 1, -1, 7, 8, 9, 10, 15, 16, 42, -42, 100, 127, 128, -128, 255,
	256, 4095, 32767, -32768, 65535, 65536, 123456789, -123456789,
	INT_MAX, INT_MAX - 1, INT_MIN, INT_MIN + 1,
};

TEST(int_conversions)
{
	static const char *const fmts[] = {
		"%d", "%i", "[%5d]", "[%-5d]", "[%05d]", "[%+d]", "[% d]",
		"[%+ d]", "[%.3d]", "[%.0d]", "[%.d]", "[%8.3d]", "[%-8.3d]",
		"[%08.3d]", "[%+08d]", "[% 08d]", "[%-08d]", "[%-+12.5i]",
		"[%.12d]", "[%1d]", "[%+.0d]", "[% .0d]", "[%+5.0d]",
		"x%dy",
	};
	CHECK_ALL(int, fmts, int_values);
}

TEST(unsigned_conversions)
{
	static const char *const fmts[] = {
		"%u", "%x", "%X", "%o", "[%#x]", "[%#X]", "[%#o]", "[%#.0o]",
		"[%#.0x]", "[%.0x]", "[%.0o]", "[%.0u]", "[%#08x]", "[%#-8x]",
		"[%#8.4x]", "[%#5o]", "[%#.5o]", "[%#.1o]", "[%+u]", "[% u]",
		"[%+x]", "[%012X]", "[%-12o]", "[%12.10u]", "[%#012o]",
	};
	unsigned int vals[ARRAY_SIZE(int_values)];

	for (size_t i = 0; i < ARRAY_SIZE(vals); i++)
		vals[i] = (unsigned int)int_values[i];
	CHECK_ALL(uint, fmts, vals);
}

TEST(short_and_char_lengths)
{
	static const char *const sfmts[] = {
		"%hhd", "%hhi", "%hd", "[%+5hhd]", "[%-6hd]", "[%06hd]",
	};
	static const char *const ufmts[] = {
		"%hhu", "%hhx", "%hho", "%hu", "%hx", "%hX", "[%#hho]",
		"[%#6hhx]",
	};
	unsigned int uvals[ARRAY_SIZE(int_values)];

	for (size_t i = 0; i < ARRAY_SIZE(uvals); i++)
		uvals[i] = (unsigned int)int_values[i];
	CHECK_ALL(int, sfmts, int_values);
	CHECK_ALL(uint, ufmts, uvals);
}

static const long long wide_values[] = {
	0, 1, -1, 42, -42, 4294967295LL, 4294967296LL, -4294967296LL,
	1000000000000000000LL, -1000000000000000000LL,
	0x123456789abcdef0LL, -0x123456789abcdef0LL,
	INT64_MAX, INT64_MAX - 1, INT64_MIN, INT64_MIN + 1,
};

TEST(long_long_conversions)
{
	static const char *const sfmts[] = {
		"%lld", "%lli", "[%25lld]", "[%-25lld]", "[%025lld]",
		"[%+lld]", "[% lld]", "[%.20lld]", "[%.0lld]", "[%+.22lli]",
		"[%+030.25lld]",
	};
	static const char *const ufmts[] = {
		"%llu", "%llx", "%llX", "%llo", "[%#llx]", "[%#llo]",
		"[%-#30llx]", "[%#030llX]", "[%.24llo]", "[%25.21llu]",
	};
	unsigned long long uvals[ARRAY_SIZE(wide_values)];

	for (size_t i = 0; i < ARRAY_SIZE(uvals); i++)
		uvals[i] = (unsigned long long)wide_values[i];
	CHECK_ALL(llong, sfmts, wide_values);
	CHECK_ALL(ullong, ufmts, uvals);
}

TEST(long_conversions)
{
	static const char *const sfmts[] = {
		"%ld", "%li", "[%20ld]", "[%-+20ld]", "[% 020ld]", "[%.15ld]",
	};
	static const char *const ufmts[] = {
		"%lu", "%lx", "%lX", "%lo", "[%#lx]", "[%#22lo]",
	};
	long svals[ARRAY_SIZE(wide_values)];
	unsigned long uvals[ARRAY_SIZE(wide_values)];

	for (size_t i = 0; i < ARRAY_SIZE(svals); i++) {
		svals[i] = (long)wide_values[i];
		uvals[i] = (unsigned long)wide_values[i];
	}
	CHECK_ALL(long, sfmts, svals);
	CHECK_ALL(ulong, ufmts, uvals);
}

TEST(size_ptrdiff_intmax_conversions)
{
	static const char *const zfmts[] = {
		"%zu", "%zx", "%zo", "[%#zx]", "[%20zu]", "[%-#20zX]",
	};
	static const char *const tfmts[] = {
		"%td", "%ti", "%zd", "[%+td]", "[%-20zd]", "[%020ti]",
	};
	static const char *const jfmts[] = {
		"%jd", "%ji", "[%+jd]", "[%030jd]", "[% .25jd]",
	};
	static const char *const ujfmts[] = {
		"%ju", "%jx", "%jo", "[%#jX]", "[%-#25jo]",
	};
	size_t zvals[ARRAY_SIZE(wide_values)];
	ptrdiff_t tvals[ARRAY_SIZE(wide_values)];
	intmax_t jvals[ARRAY_SIZE(wide_values)];
	uintmax_t ujvals[ARRAY_SIZE(wide_values)];

	for (size_t i = 0; i < ARRAY_SIZE(wide_values); i++) {
		zvals[i] = (size_t)wide_values[i];
		tvals[i] = (ptrdiff_t)wide_values[i];
		jvals[i] = (intmax_t)wide_values[i];
		ujvals[i] = (uintmax_t)wide_values[i];
	}
	CHECK_ALL(size, zfmts, zvals);
	CHECK_ALL(ptrdiff, tfmts, tvals);
	CHECK_ALL(intmax, jfmts, jvals);
	CHECK_ALL(uintmax, ujfmts, ujvals);
}

TEST(char_conversions)
{
	static const char *const fmts[] = {
		"%c", "[%c]", "[%3c]", "[%-3c]", "[%1c]", "%c|",
	};
	static const int vals[] = { 'a', 'Z', ' ', '%', 0, 0x7f, 0xff, 0x141 };

	CHECK_ALL(int, fmts, vals);
}

TEST(string_conversions)
{
	static const char *const fmts[] = {
		"%s", "[%10s]", "[%-10s]", "[%.2s]", "[%10.2s]", "[%-10.2s]",
		"[%.0s]", "[%.20s]", "[%1s]", "[%-1s]", "<%s>", "[%.s]",
	};
	static const char *const vals[] = {
		"", "a", "hello", "hello, world", "tab\there", "100%",
		"exactly10!",
	};

	CHECK_ALL(str, fmts, vals);
}

TEST(pointer_conversions)
{
	static const char *const fmts[] = {
		"%p", "[%20p]", "[%-20p]", "[%+p]", "[% p]", "[%.16p]",
		"[%020p]", "[%3p]",
	};
	int local;
	void *vals[] = {
		NULL, (void *)1, (void *)0x1234, &local, (void *)&vals,
		(void *)UINTPTR_MAX, (void *)(uintptr_t)0xffff800000000000ULL,
	};

	CHECK_ALL(ptr, fmts, vals);
}

/* One '*' argument before the value. */
static bool agrees_star(const char *fmt, int star, int v)
{
	char want[OUT_MAX], got[OUT_MAX];
	int want_n = snprintf(want, sizeof(want), fmt, star, v);
	int got_n = hv_snprintf(got, sizeof(got), fmt, star, v);

	return outputs_agree(fmt, want_n, want, got_n, got);
}

/* A '*' width and a '*' precision before the value. */
static bool agrees_star2(const char *fmt, int w, int p, int v)
{
	char want[OUT_MAX], got[OUT_MAX];
	int want_n = snprintf(want, sizeof(want), fmt, w, p, v);
	int got_n = hv_snprintf(got, sizeof(got), fmt, w, p, v);

	return outputs_agree(fmt, want_n, want, got_n, got);
}

TEST(star_width_and_precision)
{
	static const char *const one[] = {
		"[%*d]", "[%-*d]", "[%0*d]", "[%.*d]", "[%*x]", "[%#.*o]",
		"[%+.*d]", "[%0.*d]",
	};
	static const char *const two[] = {
		"[%*.*d]", "[%-*.*x]", "[%0*.*d]", "[%*.*u]",
	};
	static const int stars[] = { 0, 1, 5, 12, -1, -7, -20 };
	static const int vals[] = { 0, 3, -3, 12345, INT_MIN };

	for (size_t i = 0; i < ARRAY_SIZE(one); i++)
		for (size_t s = 0; s < ARRAY_SIZE(stars); s++)
			for (size_t v = 0; v < ARRAY_SIZE(vals); v++)
				CHECK(agrees_star(one[i], stars[s], vals[v]));
	for (size_t i = 0; i < ARRAY_SIZE(two); i++)
		for (size_t w = 0; w < ARRAY_SIZE(stars); w++)
			for (size_t p = 0; p < ARRAY_SIZE(stars); p++)
				CHECK(agrees_star2(two[i], stars[w], stars[p],
						   vals[3]));
}

TEST(star_with_strings)
{
	char want[OUT_MAX], got[OUT_MAX];
	static const int stars[] = { 0, 2, 5, 20, -1, -8 };

	for (size_t i = 0; i < ARRAY_SIZE(stars); i++) {
		int k = stars[i];
		int wn = snprintf(want, sizeof(want), "[%.*s|%*s|%*.*s]", k,
				  "hello", k, "ab", k, k, "xyz");
		int gn = hv_snprintf(got, sizeof(got), "[%.*s|%*s|%*.*s]", k,
				     "hello", k, "ab", k, k, "xyz");

		CHECK(outputs_agree("[%.*s|%*s|%*.*s]", wn, want, gn, got));
	}
}

TEST(mixed_format)
{
	char want[OUT_MAX], got[OUT_MAX];
	int wn = snprintf(want, sizeof(want),
			  "%s=%d (%#x)%c%5.1s|%-4u|%%|%lld|%p|%zu|%hhd", "key",
			  -17, 255u, '!', "xyz", 9u, (long long)INT64_MIN, (void *)0x10,
			  (size_t)77, 300);
	int gn = hv_snprintf(got, sizeof(got),
			     "%s=%d (%#x)%c%5.1s|%-4u|%%|%lld|%p|%zu|%hhd",
			     "key", -17, 255u, '!', "xyz", 9u, (long long)INT64_MIN,
			     (void *)0x10, (size_t)77, 300);

	CHECK(outputs_agree("mixed", wn, want, gn, got));
	CHECK_EQ(hv_snprintf(got, sizeof(got), "no conversions"), 14);
	CHECK_STR(got, "no conversions");
	CHECK_EQ(hv_snprintf(got, sizeof(got), "%s", ""), 0);
	CHECK_STR(got, "");
	CHECK_EQ(hv_snprintf(got, sizeof(got), "100%%"), 4);
	CHECK_STR(got, "100%");
}

TEST(extremes)
{
	char b[64];

	CHECK_EQ(hv_snprintf(b, sizeof(b), "%lld", (long long)INT64_MIN), 20);
	CHECK_STR(b, "-9223372036854775808");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "%lld", (long long)INT64_MAX), 19);
	CHECK_STR(b, "9223372036854775807");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "%llu",
			     (unsigned long long)UINT64_MAX), 20);
	CHECK_STR(b, "18446744073709551615");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "%llx",
			     (unsigned long long)UINT64_MAX), 16);
	CHECK_STR(b, "ffffffffffffffff");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "%#llo",
			     (unsigned long long)UINT64_MAX), 23);
	CHECK_STR(b, "01777777777777777777777");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "%d", INT_MIN), 11);
	CHECK_STR(b, "-2147483648");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "%jd", INTMAX_MIN), 20);
	CHECK_STR(b, "-9223372036854775808");
}

TEST(null_string)
{
	char b[32];
	/* volatile hides the NULL from the compiler's format checks. */
	const char *volatile null_source = NULL;
	const char *null = null_source;

	CHECK_EQ(hv_snprintf(b, sizeof(b), "%s", null), 6);
	CHECK_STR(b, "(null)");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "[%8s]", null), 10);
	CHECK_STR(b, "[  (null)]");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "[%-8s]", null), 10);
	CHECK_STR(b, "[(null)  ]");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "[%.3s]", null), 5);
	CHECK_STR(b, "[(nu]");
}

/* hv_snprintf into a heap buffer of exactly `size` bytes (so ASan sees
 * any overrun) must match the C library byte for byte, sentinels too. */
static bool truncation_agrees(size_t size, const char *fmt, int v)
{
	char *want = malloc(size + 1), *got = malloc(size + 1);
	int want_n, got_n;
	bool same;

	memset(want, '#', size + 1);
	memset(got, '#', size + 1);
	want_n = snprintf(size ? want : NULL, size, fmt, v);
	got_n = hv_snprintf(size ? got : NULL, size, fmt, v);
	same = want_n == got_n && memcmp(want, got, size + 1) == 0;
	free(want);
	free(got);
	if (!same)
		printf("  truncation size %zu format \"%s\": %d vs %d\n", size,
		       fmt, want_n, got_n);
	return same;
}

TEST(truncation_every_size)
{
	static const char *const fmts[] = {
		"%d", "value=%08x!", "[%-12d]", "%%%d%%", "%c", "[%#o]",
	};

	for (size_t f = 0; f < ARRAY_SIZE(fmts); f++)
		for (size_t size = 0; size < 24; size++)
			CHECK(truncation_agrees(size, fmts[f], -12345));
}

TEST(truncation_edges)
{
	char b[16];

	/* size 0: nothing written, even with a NULL buffer. */
	CHECK_EQ(hv_snprintf(NULL, 0, "%d", 12345), 5);
	memset(b, 'Q', sizeof(b));
	CHECK_EQ(hv_snprintf(b, 0, "%d", 12345), 5);
	CHECK_EQ(b[0], 'Q');
	/* size 1: only the terminator. */
	CHECK_EQ(hv_snprintf(b, 1, "%d", 12345), 5);
	CHECK_EQ(b[0], '\0');
	CHECK_EQ(b[1], 'Q');
	/* exact fit and one byte short. */
	memset(b, 'Q', sizeof(b));
	CHECK_EQ(hv_snprintf(b, 6, "%d", 12345), 5);
	CHECK_STR(b, "12345");
	CHECK_EQ(b[6], 'Q');
	memset(b, 'Q', sizeof(b));
	CHECK_EQ(hv_snprintf(b, 5, "%d", 12345), 5);
	CHECK_STR(b, "1234");
	CHECK_EQ(b[5], 'Q');
	/* the return value counts output far beyond the buffer. */
	CHECK_EQ(hv_snprintf(b, 4, "%300d|%-200s|", 1, "x"), 502);
	CHECK_STR(b, "   ");
	CHECK_EQ(hv_snprintf(b, sizeof(b), "%.300d", 7), 300);
	CHECK_STR(b, "000000000000000");
}

TEST(unknown_conversions)
{
	char b[64];
	/* Kept out of line so the compiler's format checks stay quiet. */
	const char *fmt_y = "a%yb", *fmt_spec = "a%-5.3yb", *fmt_n = "%n!";
	const char *fmt_tail = "abc%", *fmt_next = "%k %d", *fmt_lk = "%llk";

	CHECK_EQ(hv_snprintf(b, sizeof(b), fmt_y), 4);
	CHECK_STR(b, "a%yb");
	CHECK_EQ(hv_snprintf(b, sizeof(b), fmt_spec), 8);
	CHECK_STR(b, "a%-5.3yb");
	CHECK_EQ(hv_snprintf(b, sizeof(b), fmt_n), 3);
	CHECK_STR(b, "%n!");
	CHECK_EQ(hv_snprintf(b, sizeof(b), fmt_tail), 4);
	CHECK_STR(b, "abc%");
	CHECK_EQ(hv_snprintf(b, sizeof(b), fmt_lk), 4);
	CHECK_STR(b, "%llk");
	/* an unknown conversion consumes no argument. */
	CHECK_EQ(hv_snprintf(b, sizeof(b), fmt_next, 5), 4);
	CHECK_STR(b, "%k 5");
}

/* hv_vsnprintf leaves the caller's va_list usable through va_copy. */
static int format_twice(char *a, char *b, size_t size, const char *fmt, ...)
{
	va_list ap, aq;
	int n;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n = hv_vsnprintf(a, size, fmt, ap);
	n += hv_vsnprintf(b, size, fmt, aq);
	va_end(aq);
	va_end(ap);
	return n;
}

TEST(vsnprintf_va_list)
{
	char a[32], b[32];

	CHECK_EQ(format_twice(a, b, sizeof(a), "%s-%d-%llx", "x", 42,
			      0xabcULL), 16);
	CHECK_STR(a, "x-42-abc");
	CHECK_STR(b, "x-42-abc");
}

RUN_TESTS("printf",
	  T(int_conversions),
	  T(unsigned_conversions),
	  T(short_and_char_lengths),
	  T(long_long_conversions),
	  T(long_conversions),
	  T(size_ptrdiff_intmax_conversions),
	  T(char_conversions),
	  T(string_conversions),
	  T(pointer_conversions),
	  T(star_width_and_precision),
	  T(star_with_strings),
	  T(mixed_format),
	  T(extremes),
	  T(null_string),
	  T(truncation_every_size),
	  T(truncation_edges),
	  T(unknown_conversions),
	  T(vsnprintf_va_list))
