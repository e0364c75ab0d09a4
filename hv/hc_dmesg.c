/* HV_CALL_DMESG: VM 0 reads the hypervisor's log ring (hv/log_ring.h),
 * as `xl dmesg` reads Xen's console ring. */
#include "hv/hc.h"
#include "hv/log.h"
#include "hv/log_ring.h"

#define DMESG_CHUNK 256 /* bytes copied out of the ring at a time */
#define DMESG_OUT HV_ABI_OFFSET(struct hv_dmesg, next) /* next, then lost */

/* Where the copy starts: seq, or the oldest byte held once seq is gone. */
static u64 dmesg_start(const struct hv_dmesg *a)
{
	return MAX(a->seq, log_ring_oldest(&hv_log_ring));
}

/* The bytes the call writes (c->len at buf, next and lost) must be the
 * caller's RAM; a seq past the last byte written is no byte at all. */
int hc_dmesg_decode(struct hc_ctx *c)
{
	const struct hv_dmesg *a = &c->in.hv_dmesg;

	if (a->flags || a->reserved || a->reserved1 || a->seq > hv_log_ring.head)
		return -EINVAL;
	c->len = (u32)MIN((u64)a->len, hv_log_ring.head - dmesg_start(a));
	if (!gmem_writable(&c->mem, a->buf, c->len) ||
	    !gmem_writable(&c->mem, c->arg + DMESG_OUT, 2 * sizeof(u64)))
		return -EFAULT;
	return 0;
}

s64 hc_dmesg_invoke(struct hc_ctx *c)
{
	const struct hv_dmesg *a = &c->in.hv_dmesg;
	u64 seq = dmesg_start(a), out[2] = { 0, seq - a->seq };
	char chunk[DMESG_CHUNK];
	u32 done = 0, n;

	while (done < c->len &&
	       (n = log_ring_read(&hv_log_ring, &seq, chunk, MIN(DMESG_CHUNK, c->len - done)))) {
		gmem_write(&c->mem, a->buf + done, chunk, n); /* checked */
		done += n;
	}
	out[0] = seq;
	gmem_write(&c->mem, c->arg + DMESG_OUT, out, sizeof(out)); /* checked */
	return done;
}
