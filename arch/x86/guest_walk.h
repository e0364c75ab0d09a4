/* Guest page-table walker: guest-linear to guest-physical, as the CPU
 * would translate it, for emulating string port I/O (INS/OUTS) and for
 * fetching instruction bytes at the guest RIP. Guest-physical memory is
 * reached only through a callback (the hypervisor's stage-2 view). */
#ifndef ARCH_X86_GUEST_WALK_H
#define ARCH_X86_GUEST_WALK_H

#include "lib/types.h"

/* The guest's paging state, taken from its control registers. */
struct guest_paging {
	u64 cr0, cr3, cr4, efer;
};

enum walk_access { WALK_READ = 0, WALK_WRITE = 1, WALK_FETCH = 2 };

/* Reads an 8-byte (or, for 32-bit non-PAE paging, a 4-byte; use len)
 * little-endian entry at a guest-physical address. Returns false when
 * that guest-physical address is not backed. */
typedef bool (*gpa_read_fn)(void *ctx, u64 gpa, void *buf, size_t len);

/* #PF error code bits reported in walk_result.pf_error. */
#define PF_ERR_P BIT(0)    /* 0: not present; 1: protection or reserved bit */
#define PF_ERR_W BIT(1)    /* the access was a write */
#define PF_ERR_U BIT(2)    /* the access was from CPL 3 */
#define PF_ERR_RSVD BIT(3) /* a reserved bit was set in a paging entry */
#define PF_ERR_ID BIT(4)   /* instruction fetch (only with NXE+PAE or SMEP) */

struct walk_result {
	u64 gpa;       /* translated address (valid when status == 0) */
	u64 page_size; /* 4 KiB, 2 MiB, 4 MiB or 1 GiB (4 KiB when paging is off) */
	u32 pf_error;  /* when status == -EFAULT: the #PF error code */
	u64 fault_gpa; /* when status == -EIO: address of the unreadable entry */
};

/* Whether addr is canonical for a linear address of `bits` bits (48, or
 * 57 with 5-level paging): bits 63:(bits-1) all equal. */
static inline bool addr_is_canonical(u64 addr, unsigned int bits)
{
	u64 top = addr >> (bits - 1);

	return top == 0 || top == (~0ULL >> (bits - 1));
}

/* Translates gva for an access of the given kind; user = access from CPL 3.
 * Returns:
 *   0        translated; res->gpa and res->page_size are valid.
 *   -EFAULT  the guest would take a #PF; res->pf_error holds its error code.
 *   -ERANGE  long mode and gva is not canonical; the CPU raises #GP (or #SS
 *            for stack accesses), not #PF, so no error code is given.
 *   -EIO     a paging-structure entry (or the PAE PDPT) lies in
 *            guest-physical memory the callback cannot read;
 *            res->fault_gpa is its address.
 * Outside long mode gva is truncated to 32 bits. Read-only: accessed and
 * dirty bits are never set. See guest_walk.c for what is not modelled. */
int guest_walk(const struct guest_paging *p, u64 gva, enum walk_access access,
	       bool user, gpa_read_fn read, void *ctx, struct walk_result *res);

#endif
