/* Unit tests for lib/string.c: every length up to a few words at every
 * alignment of source and destination, checked byte by byte against a
 * plain reference, with guard bytes around the destination. The
 * functions are renamed so that they do not replace the C library's in
 * this process. Buffers come from malloc() at their exact size, so ASan
 * sees any access past either end from C code. */
#include "check.h"
#include "lib/string.h"

#undef memcpy
#undef memset
#define memcpy hv_memcpy
#define memmove hv_memmove
#define memset hv_memset
#define memcmp hv_memcmp
#define strlen hv_strlen
#define strnlen hv_strnlen
#define strcmp hv_strcmp
#define strncmp hv_strncmp
#include "../../lib/string.c"

#define MAX_LEN 200 /* every length up to here, then a few large ones */
#define GUARD 16
#define GUARD_BYTE 0xa5

static const size_t large_lens[] = { 255, 256, 257, 4095, 4096, 4097, 4096 + 13,
				     65536 + 7 };

static u8 pattern(size_t i)
{
	return (u8)(i * 131 + 7);
}

/* A source of exactly off + n bytes, bytes off.. holding the pattern. */
static u8 *make_src(size_t off, size_t n)
{
	u8 *s = malloc(off + n + 1);

	for (size_t i = 0; i < n; i++)
		s[off + i] = pattern(i);
	return s;
}

/* A destination with GUARD bytes on each side of [off, off + n). */
static u8 *make_dst(size_t off, size_t n)
{
	u8 *d = malloc(GUARD + off + n + GUARD);

	for (size_t i = 0; i < GUARD + off + n + GUARD; i++)
		d[i] = GUARD_BYTE;
	return d + GUARD;
}

/* Everything outside [off, off + n) still holds the guard byte. */
static bool guards_intact(const u8 *d, size_t off, size_t n)
{
	for (size_t i = 0; i < GUARD + off; i++)
		if (d[-GUARD + (long)i] != GUARD_BYTE)
			return false;
	for (size_t i = 0; i < GUARD; i++)
		if (d[off + n + i] != GUARD_BYTE)
			return false;
	return true;
}

static bool copy_ok(size_t sa, size_t da, size_t n)
{
	u8 *s = make_src(sa, n), *d = make_dst(da, n);
	bool ok = hv_memcpy(d + da, s + sa, n) == d + da && guards_intact(d, da, n);

	for (size_t i = 0; i < n; i++)
		ok = ok && d[da + i] == pattern(i);
	free(s);
	free(d - GUARD);
	return ok;
}

static bool fill_ok(size_t da, size_t n, int c)
{
	u8 *d = make_dst(da, n);
	bool ok = hv_memset(d + da, c, n) == d + da && guards_intact(d, da, n);

	for (size_t i = 0; i < n; i++)
		ok = ok && d[da + i] == (u8)c;
	free(d - GUARD);
	return ok;
}

TEST(memcpy_every_small_length_and_alignment)
{
	for (size_t n = 0; n <= MAX_LEN; n++)
		for (size_t sa = 0; sa < 8; sa++)
			for (size_t da = 0; da < 8; da++)
				if (!copy_ok(sa, da, n)) {
					printf("  memcpy n=%zu sa=%zu da=%zu\n", n, sa, da);
					CHECK(0);
					return;
				}
}

TEST(memcpy_large)
{
	for (size_t i = 0; i < ARRAY_SIZE(large_lens); i++)
		for (size_t a = 0; a < 8; a++)
			CHECK(copy_ok(a, 7 - a, large_lens[i]) && copy_ok(a, a, large_lens[i]));
}

TEST(memset_every_small_length_and_alignment)
{
	static const int values[] = { 0, 0xff, 0x80, 0x5a, 0x1234 /* byte 0x34 */, -1 };

	for (size_t n = 0; n <= MAX_LEN; n++)
		for (size_t da = 0; da < 8; da++)
			for (size_t v = 0; v < ARRAY_SIZE(values); v++)
				if (!fill_ok(da, n, values[v])) {
					printf("  memset n=%zu da=%zu c=%d\n", n, da, values[v]);
					CHECK(0);
					return;
				}
}

TEST(memset_large)
{
	for (size_t i = 0; i < ARRAY_SIZE(large_lens); i++)
		for (size_t a = 0; a < 8; a++)
			CHECK(fill_ok(a, large_lens[i], 0) && fill_ok(a, large_lens[i], 0xc3));
}

/* Both directions of overlap at every distance up to three words, and
 * disjoint ranges, against a copy through a separate buffer. */
TEST(memmove_overlaps)
{
	enum { LEN = 64, SPAN = 24 };
	u8 buf[LEN + 2 * SPAN], want[LEN + 2 * SPAN] = { 0 }, tmp[LEN];

	for (size_t n = 0; n <= LEN; n++) {
		for (int shift = -SPAN; shift <= SPAN; shift++) {
			for (size_t i = 0; i < sizeof(buf); i++)
				buf[i] = want[i] = pattern(i);
			for (size_t i = 0; i < n; i++)
				tmp[i] = want[SPAN + i];
			for (size_t i = 0; i < n; i++)
				want[SPAN + shift + (long)i] = tmp[i];
			CHECK(hv_memmove(buf + SPAN + shift, buf + SPAN, n) ==
			      buf + SPAN + shift);
			for (size_t i = 0; i < sizeof(buf); i++)
				if (buf[i] != want[i]) {
					printf("  memmove n=%zu shift=%d at %zu\n", n, shift, i);
					CHECK(0);
					return;
				}
		}
	}
}

TEST(memcmp_sign_and_length)
{
	CHECK(hv_memcmp("abc", "abd", 3) < 0);
	CHECK(hv_memcmp("abd", "abc", 3) > 0);
	CHECK(hv_memcmp("abc", "abd", 2) == 0);
	CHECK(hv_memcmp("\x80", "\x01", 1) > 0); /* bytes compare unsigned */
	CHECK(hv_memcmp("", "x", 0) == 0);
}

TEST(strlcpy_truncates_and_terminates)
{
	char buf[8];

	CHECK_EQ(hv_strlcpy(buf, "hello world", sizeof(buf)), 11);
	CHECK(!hv_strcmp(buf, "hello w"));
	CHECK_EQ(hv_strlcpy(buf, "hi", sizeof(buf)), 2);
	CHECK(!hv_strcmp(buf, "hi"));
	CHECK_EQ(hv_strlcpy(buf, "x", 0), 1);
}

RUN_TESTS("string",
	  T(memcpy_every_small_length_and_alignment), T(memcpy_large),
	  T(memset_every_small_length_and_alignment), T(memset_large),
	  T(memmove_overlaps), T(memcmp_sign_and_length),
	  T(strlcpy_truncates_and_terminates))
