/* Freestanding formatted printing. Supports %d %i %u %x %X %o %p %s %c %%
 * with flags '-', '0', ' ', '+', '#', a width and precision (numbers or
 * '*'), and length modifiers hh, h, l, ll, z, t, j. Unknown conversions are
 * printed literally. Pure; unit-tested against the C library. */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include "lib/types.h"

/* Same contract as C99 vsnprintf: writes at most size bytes including the
 * terminating NUL and returns the length the full output would have. */
int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hv_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
