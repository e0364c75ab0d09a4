#include "hv/log_ring.h"
#include "lib/string.h"

/* Text longer than the ring keeps only its tail; the head counts it all. */
void log_ring_write(struct log_ring *r, const char *s, size_t n)
{
	if (n > r->size) {
		r->head += n - r->size;
		s += n - r->size;
		n = r->size;
	}
	while (n) {
		u32 at = (u32)(r->head % r->size);
		u32 chunk = (u32)MIN(n, (size_t)(r->size - at));

		memcpy(r->buf + at, s, chunk);
		r->head += chunk;
		s += chunk;
		n -= chunk;
	}
}

u64 log_ring_oldest(const struct log_ring *r)
{
	return r->head > r->size ? r->head - r->size : 0;
}

u32 log_ring_read(const struct log_ring *r, u64 *seq, char *out, u32 len)
{
	u32 done = 0;

	if (*seq < log_ring_oldest(r))
		*seq = log_ring_oldest(r);
	while (done < len && *seq < r->head) {
		u32 at = (u32)(*seq % r->size);
		u64 left = MIN(r->head - *seq, (u64)(r->size - at));
		u32 chunk = (u32)MIN(left, (u64)(len - done));

		memcpy(out + done, r->buf + at, chunk);
		done += chunk;
		*seq += chunk;
	}
	return done;
}
