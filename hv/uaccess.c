/* Hypercall structs in and out of guest memory; the contract is in
 * hv/uaccess.h.
 *
 * An input struct is fetched once: its u32 size is read first and never
 * again, the tail beyond what the hypervisor knows is only checked for
 * zeros, and the known part is then copied from offset 4 on. A guest that
 * rewrites its struct during the call can therefore not make the
 * hypervisor act on two versions of it. */
#include "hv/uaccess.h"
#include "abi/hv_abi.h"
#include "lib/errno.h"
#include "lib/string.h"

#define TAIL_CHUNK 256 /* stack buffer for the zero-tail scan */

/* A range running past the top of the address space is never RAM. */
static bool range_wraps(u64 gpa, u64 len)
{
	return len && gpa + (len - 1) < gpa;
}

/* The page-by-page walk behind gmem_read, gmem_write and gmem_writable:
 * buf is read into, written from, or (NULL) only checked. */
enum gmem_op { GMEM_READ, GMEM_WRITE, GMEM_CHECK };

static bool gmem_pages(const struct gmem *m, u64 gpa, u8 *buf, u64 len,
		       enum gmem_op op)
{
	if (range_wraps(gpa, len))
		return false;
	while (len) {
		u32 n = page_chunk(gpa, len);
		bool ok = op == GMEM_READ  ? m->read(m->ctx, gpa, buf, n) :
			  op == GMEM_WRITE ? m->write(m->ctx, gpa, buf, n) :
					     m->writable(m->ctx, gpa, n);

		if (!ok)
			return false;
		gpa += n;
		if (buf)
			buf += n;
		len -= n;
	}
	return true;
}

bool gmem_read(const struct gmem *m, u64 gpa, void *buf, u64 len)
{
	return gmem_pages(m, gpa, buf, len, GMEM_READ);
}

bool gmem_write(const struct gmem *m, u64 gpa, const void *buf, u64 len)
{
	return gmem_pages(m, gpa, (u8 *)buf, len, GMEM_WRITE);
}

bool gmem_writable(const struct gmem *m, u64 gpa, u64 len)
{
	return gmem_pages(m, gpa, NULL, len, GMEM_CHECK);
}

static bool all_zero(const void *p, size_t len)
{
	const u8 *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

/* u32 stores through pointers that need not be 4-byte aligned. */
static void put_u32(void *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

/* 0 when [gpa, gpa + len) is all zero, else -E2BIG or -EFAULT for the
 * first non-zero byte or unreadable page, whichever comes first by
 * address (each chunk stays within one page so that order is exact). */
static int check_zero_tail(const struct gmem *m, u64 gpa, u64 len)
{
	u8 chunk[TAIL_CHUNK];

	if (range_wraps(gpa, len))
		return -EFAULT;
	while (len) {
		u32 n = MIN(page_chunk(gpa, len), (u32)sizeof(chunk));

		if (!gmem_read(m, gpa, chunk, n))
			return -EFAULT;
		if (!all_zero(chunk, n))
			return -E2BIG;
		gpa += n;
		len -= n;
	}
	return 0;
}

/* The caller's struct is larger than ours: accepted only when the extra
 * bytes are zero. On -E2BIG the caller learns our size through its size
 * field; that write is best effort, the answer is -E2BIG either way.
 * Never inlined: its scan buffer would grow every copy-in's frame. */
static __attribute__((noinline)) int accept_larger(const struct gmem *m, u64 gpa,
						   u32 size, u32 known_size)
{
	int err = -E2BIG;

	if (size <= COPY_IN_TAIL_MAX)
		err = check_zero_tail(m, gpa + known_size, size - known_size);
	if (err == -E2BIG)
		(void)gmem_write(m, gpa, &known_size, sizeof(known_size));
	return err;
}

int copy_struct_in(const struct gmem *m, u64 gpa, void *dst, u32 known_size,
		   u32 first_size, u32 *caller_size)
{
	u8 *d = dst;
	u32 size, body;
	int err;

	if (first_size < sizeof(u32) || known_size < first_size)
		return -EINVAL; /* a hypervisor bug, not the guest's */
	if (!gmem_read(m, gpa, &size, sizeof(size)))
		return -EFAULT;
	if (size < first_size)
		return -EINVAL;
	if (size > known_size) {
		err = accept_larger(m, gpa, size, known_size);
		if (err)
			return err;
	}
	/* The size field is not fetched again: the body starts after it. */
	body = MIN(size, known_size);
	if (!gmem_read(m, gpa + sizeof(u32), d + sizeof(u32),
		       body - sizeof(u32)))
		return -EFAULT;
	memset(d + body, 0, known_size - body);
	put_u32(d, size);
	*caller_size = size;
	return 0;
}

int check_struct_out(const struct gmem *m, u64 gpa, void *src, u32 full_size,
		     u32 min_size, u32 *len)
{
	u32 argsz;

	if (full_size < sizeof(u32))
		return -EINVAL; /* a hypervisor bug: no room for argsz */
	if (!gmem_read(m, gpa, &argsz, sizeof(argsz)))
		return -EFAULT;
	/* argsz must at least cover itself, or the answer could not fit. */
	if (argsz < MAX(min_size, (u32)sizeof(u32)))
		return -EINVAL;
	put_u32(src, full_size);
	*len = MIN(argsz, full_size);
	return gmem_writable(m, gpa, *len) ? 0 : -EFAULT;
}

void cap_chain_init(struct cap_chain *c, void *buf, u32 cap, u32 struct_size,
		    u32 *first)
{
	c->buf = buf;
	c->cap = cap;
	c->len = struct_size;
	c->link = first;
	c->overflow = struct_size > cap;
	put_u32(first, 0);
}

void *cap_chain_add(struct cap_chain *c, u16 id, u16 version, u32 size)
{
	struct hv_cap_header hdr = { .id = id, .version = version, .next = 0 };
	u64 off = ALIGN_UP((u64)c->len, 8);
	u32 old_len = c->len;
	u8 *entry;

	if (size < sizeof(hdr)) {
		c->overflow = true; /* a hypervisor bug; make it visible */
		return NULL;
	}
	/* len counts the entry even when it does not fit: the size needed */
	c->len = (u32)MIN(off + size, (u64)UINT32_MAX);
	c->overflow |= off + size > c->cap;
	if (c->overflow)
		return NULL;
	/* Zero the alignment gap too: every byte the guest sees is defined. */
	memset(c->buf + old_len, 0, off + size - old_len);
	entry = c->buf + off;
	memcpy(entry, &hdr, sizeof(hdr));
	put_u32(c->link, (u32)off);
	c->link = (u32 *)(entry + __builtin_offsetof(struct hv_cap_header, next));
	return entry;
}
