/* The few C string and memory routines the hypervisor provides itself.
 * The names are the standard ones because the compiler emits calls to
 * memcpy/memset on its own; host unit tests use the C library's. */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include "lib/types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* The hypervisor is built with -fno-builtin, which keeps the compiler
 * from treating the bare names as built-ins; through these, a copy or
 * fill of a small constant size becomes plain moves in place, and any
 * other still calls the functions above. */
#define memcpy(dst, src, n) __builtin_memcpy(dst, src, n)
#define memset(dst, c, n) __builtin_memset(dst, c, n)

/* The value of one hexadecimal digit, or -1. */
static inline int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies at most size-1 bytes and always terminates (when size > 0).
 * Returns strlen(src), so a result >= size means truncation. */
size_t hv_strlcpy(char *dst, const char *src, size_t size);

#endif
