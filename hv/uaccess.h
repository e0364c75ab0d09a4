/* Moving hypercall structs between a guest and the hypervisor, with the
 * ABI's size rules (abi/hv_abi.h, docs/abi.md): copy_struct_in for input
 * structs (rule 2), check_struct_out for output structs (rule 3), and a
 * builder for capability chains. Guest memory is reached only through
 * struct gmem, page by page, so the rules are unit-tested on the host. */
#ifndef HV_UACCESS_H
#define HV_UACCESS_H

#include "lib/types.h"

/* Bytes from addr to the end of its 4 KiB page, at most len: what one
 * access of a page-by-page walk over guest memory moves. */
static inline u32 page_chunk(u64 addr, u64 len)
{
	u64 room = PAGE_SIZE - (addr & (PAGE_SIZE - 1));

	return (u32)MIN(room, len);
}

/* Access to one guest's physical memory. read/write/writable handle at
 * most one page (never cross a 4 KiB boundary) and return false when the
 * page is not the guest's RAM (writable: RAM the guest may write);
 * writable touches nothing. */
struct gmem {
	bool (*read)(void *ctx, u64 gpa, void *buf, u32 len);
	bool (*write)(void *ctx, u64 gpa, const void *buf, u32 len);
	bool (*writable)(void *ctx, u64 gpa, u32 len);
	void *ctx;
};

/* Whole-range copies, split at page boundaries; false at the first page
 * that fails (a partial write may have happened before it). */
bool gmem_read(const struct gmem *m, u64 gpa, void *buf, u64 len);
bool gmem_write(const struct gmem *m, u64 gpa, const void *buf, u64 len);
/* True when a gmem_write of [gpa, gpa+len) would succeed; writes nothing.
 * Lets a call check where its answer goes before it acts. */
bool gmem_writable(const struct gmem *m, u64 gpa, u64 len);

#define COPY_IN_TAIL_MAX (64 * 1024) /* a larger "future" struct: -E2BIG */

/* Rule 2. Reads the caller's u32 size at gpa, then copies the struct once
 * into dst (known_size bytes of storage):
 *  - size < first_size: -EINVAL
 *  - size > known_size: every byte in [known_size, size) must be zero,
 *    else -E2BIG and known_size is written back into the caller's size
 *    field (so is a size above COPY_IN_TAIL_MAX)
 *  - min(size, known_size) bytes are copied, the rest of dst is zeroed
 *  - any unreadable page: -EFAULT (in the tail, -E2BIG or -EFAULT is
 *    whichever the first non-zero byte or unreadable page gives first)
 * 4 <= first_size <= known_size, else -EINVAL (a hypervisor bug).
 * On success dst's size field holds the caller's size (for tracing) and
 * *caller_size the same. Returns 0 or a negative errno. */
int copy_struct_in(const struct gmem *m, u64 gpa, void *dst, u32 known_size,
		   u32 first_size, u32 *caller_size);

/* Rule 3, without the write, for a call that must know before it acts
 * that its answer can be written: reads the caller's u32 argsz at gpa
 * (-EFAULT when unreadable; -EINVAL when below min_size), sets src's
 * argsz field to full_size and sets *len to min(argsz, full_size), the
 * bytes a gmem_write of src to gpa then writes (-EFAULT when any of them
 * is not writable). The caller learns the size needed from argsz. src
 * must hold full_size (>= 4) bytes: for a cap_chain, pass its len only
 * when it did not overflow. An argsz below 4 is -EINVAL whatever
 * min_size says. Returns 0 or a negative errno. */
int check_struct_out(const struct gmem *m, u64 gpa, void *src, u32 full_size,
		     u32 min_size, u32 *len);

/* Flag and reserved-field checks for decoders. */
static inline bool flags_known(u32 flags, u32 known)
{
	return !(flags & ~known);
}

/* Builds a capability chain behind a fixed struct in `buf` (a buffer of
 * `cap` bytes that starts with the struct). Each added capability's
 * header gets id/version, and the previous one's `next` (or *first, the
 * struct's cap_offset field) points at it; offsets are from the start of
 * buf. Entries are 8-byte aligned (buf should be too) and zero-filled,
 * as are the gaps before them. After an overflow buf still holds a
 * well-formed chain of the entries that fit. */
struct cap_chain {
	u8 *buf;
	u32 cap;
	u32 len;        /* bytes used so far, struct included */
	u32 *link;      /* where the next offset goes */
	bool overflow;  /* an add did not fit (len still grows: argsz) */
};

void cap_chain_init(struct cap_chain *c, void *buf, u32 cap, u32 struct_size,
		    u32 *first);
/* Returns the zeroed entry (header filled) or NULL when it does not fit
 * in buf; len grows either way so the total size needed is known. size
 * includes the 8-byte header (smaller: NULL and overflow, len kept). */
void *cap_chain_add(struct cap_chain *c, u16 id, u16 version, u32 size);

#endif
