#include "lib/string.h"

/* Copies and fills move eight bytes per step: the unaligned first and
 * last words by plain moves, the aligned words between them by REP
 * MOVSQ/STOSQ (a byte at a time is eight times the work, under emulators
 * and for short runs on real CPUs). The direction flag is clear in all
 * code that calls these. memcpy and memset are in parentheses because
 * lib/string.h defines their names as macros. */

typedef u64 __attribute__((may_alias, aligned(1))) unaligned_u64;
typedef u32 __attribute__((may_alias, aligned(1))) unaligned_u32;
typedef u16 __attribute__((may_alias, aligned(1))) unaligned_u16;

/* n < 8: two overlapping moves of the widest size that fits. */
static void copy_short(u8 *d, const u8 *s, size_t n)
{
	if (n >= 4) {
		u32 head = *(const unaligned_u32 *)s;

		*(unaligned_u32 *)(d + n - 4) = *(const unaligned_u32 *)(s + n - 4);
		*(unaligned_u32 *)d = head;
	} else if (n >= 2) {
		u16 head = *(const unaligned_u16 *)s;

		*(unaligned_u16 *)(d + n - 2) = *(const unaligned_u16 *)(s + n - 2);
		*(unaligned_u16 *)d = head;
	} else if (n) {
		*d = *s;
	}
}

/* n < 8, v the byte repeated: as copy_short. */
static void fill_short(u8 *d, u64 v, size_t n)
{
	if (n >= 4) {
		*(unaligned_u32 *)(d + n - 4) = (u32)v;
		*(unaligned_u32 *)d = (u32)v;
	} else if (n >= 2) {
		*(unaligned_u16 *)(d + n - 2) = (u16)v;
		*(unaligned_u16 *)d = (u16)v;
	} else if (n) {
		*d = (u8)v;
	}
}

/* Both end words are read before anything is written and the middle
 * moves forward, so this is also right for overlaps with dst < src
 * (memmove relies on it). */
void *(memcpy)(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	u64 head, tail;
	size_t skip, words;

	if (n < 8) {
		copy_short(d, s, n);
		return dst;
	}
	head = *(const unaligned_u64 *)s;
	tail = *(const unaligned_u64 *)(s + n - 8);
	skip = -(uintptr_t)d & 7; /* to the first aligned word of dst */
	words = (n - skip) / 8;
	d += skip;
	s += skip;
	asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
	*(unaligned_u64 *)dst = head;
	*(unaligned_u64 *)((u8 *)dst + n - 8) = tail;
	return dst;
}

/* Overlaps with dst above src copy backwards, a word at a time. */
void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	for (; n >= 8; n -= 8)
		*(unaligned_u64 *)(d + n - 8) = *(const unaligned_u64 *)(s + n - 8);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *(memset)(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u64 v = 0x0101010101010101ULL * (u8)c;
	size_t skip, words;

	if (n < 8) {
		fill_short(d, v, n);
		return dst;
	}
	*(unaligned_u64 *)d = v;
	*(unaligned_u64 *)(d + n - 8) = v;
	skip = -(uintptr_t)d & 7;
	words = (n - skip) / 8;
	d += skip;
	asm volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(v) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

size_t hv_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = MIN(len, size - 1);
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
