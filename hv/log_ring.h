/* The hypervisor's log as a ring of bytes that VM 0 reads (HV_CALL_DMESG),
 * like `xl dmesg`. Every byte has a sequence number, counted from boot:
 * a reader names the first byte it wants and learns where to go on, and
 * how much the ring overwrote before it got there. Pure code, no locks:
 * the caller serializes writers and readers. */
#ifndef HV_LOG_RING_H
#define HV_LOG_RING_H

#include "lib/types.h"

struct log_ring {
	char *buf;
	u32 size; /* bytes at buf */
	u64 head; /* the next byte's sequence number: bytes written since boot */
};

void log_ring_write(struct log_ring *r, const char *s, size_t n);
/* The sequence number of the oldest byte still held. */
u64 log_ring_oldest(const struct log_ring *r);
/* Copies up to len bytes from *seq on to out; a *seq already overwritten
 * moves up to the oldest byte held first. *seq ends past the last byte
 * copied. Returns the bytes copied (0 once *seq reaches head). */
u32 log_ring_read(const struct log_ring *r, u64 *seq, char *out, u32 len);

#endif
