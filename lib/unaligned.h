/* Little-endian fields at any alignment (firmware tables, boot headers),
 * read and written through memcpy, which the compiler turns into plain
 * loads and stores on x86 without undefined behaviour. */
#ifndef LIB_UNALIGNED_H
#define LIB_UNALIGNED_H

#include "lib/string.h"
#include "lib/types.h"

static inline u16 get16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u32 get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline u64 get64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void put16(u8 *p, u16 v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void put32(u8 *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void put64(u8 *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

#endif
