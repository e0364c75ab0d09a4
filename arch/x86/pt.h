/* Generic 4-level radix page tables for stage-2 translation (AMD NPT,
 * Intel EPT) and the hypervisor's own identity map (arch/x86/paging.c):
 * guest-physical (or virtual) to host-physical, 4 KiB and 2 MiB pages,
 * R/W/X permissions. The entry encoding comes from a struct pt_format,
 * table frames from pt_page_alloc/pt_page_free, so the same code runs in
 * the hypervisor and in host unit tests. Every operation either completes
 * or returns an error having changed nothing. Callers serialize access to
 * one table, and invalidate stale translations (INVEPT, ASID flush) after
 * pt_unmap. */
#ifndef ARCH_X86_PT_H
#define ARCH_X86_PT_H

#include "lib/types.h"

/* Permissions: bit numbers, index of struct pt_format's grant/deny. */
#define PT_R_BIT 0
#define PT_W_BIT 1
#define PT_X_BIT 2
#define PT_PERM_COUNT 3

#define PT_R (1u << PT_R_BIT)
#define PT_W (1u << PT_W_BIT)
#define PT_X (1u << PT_X_BIT)
#define PT_RWX (PT_R | PT_W | PT_X)

#define PT_ADDR_LIMIT (1ULL << 48) /* guest- and host-physical addresses */

/* Entry encoding of one kind of table (NPT, EPT) as bit masks. Level 0 =
 * 4 KiB leaf table, level 1 = page directory (2 MiB leaves), 2 = PDPT,
 * 3 = PML4. An entry is present when any `present` bit is set; it is a
 * leaf at level 0, and at level 1 when `large` is set. */
struct pt_format {
	const char *name;
	u64 addr;    /* the physical address field of every entry */
	u64 present;
	u64 table;   /* a non-leaf entry besides its address: all perms */
	u64 leaf;    /* in every leaf (memory type, ...) */
	u64 large;
	/* Per permission (index PT_*_BIT): the bits a leaf sets when it
	 * grants it and when it denies it. A zero pair means every present
	 * leaf grants it. */
	u64 grant[PT_PERM_COUNT], deny[PT_PERM_COUNT];
};

/* Table frames, provided by the user of pt.c (stage2.c: the frame
 * allocator; the unit tests: a tracking allocator). A frame need not be
 * zeroed; 0 = failure. Tables are reached at their physical address:
 * the hypervisor identity-maps RAM. */
u64 pt_page_alloc(void);
void pt_page_free(u64 pa);

struct pt {
	const struct pt_format *fmt;
	u64 root;        /* physical address of the level-3 table */
	u64 table_pages; /* tables currently allocated, root included */
};

/* Allocates the root table. 0 or -ENOMEM; after a failure pt->root is 0
 * and pt_destroy() does nothing. */
int pt_init(struct pt *pt, const struct pt_format *fmt);

/* Maps [gpa, gpa+size) to [hpa, hpa+size). gpa, hpa and size must be
 * 4 KiB aligned, size > 0 and both ranges below 2^48 (-EINVAL); perms must
 * include PT_R and nothing beyond PT_RWX (-EINVAL). 2 MiB leaves are used
 * wherever gpa and hpa are both 2 MiB aligned and a whole 2 MiB remains.
 * -EEXIST when any page in the range is already mapped, -ENOMEM when
 * table memory runs out; in both cases nothing changed. */
int pt_map(struct pt *pt, u64 gpa, u64 hpa, u64 size, u32 perms);

/* Removes every mapping in the range (holes allowed), splitting 2 MiB
 * leaves the range covers only partly (-ENOMEM possible, nothing changed)
 * and freeing tables left empty. Returns the number of 4 KiB pages
 * unmapped or a negative errno (-EINVAL as for pt_map). */
long pt_unmap(struct pt *pt, u64 gpa, u64 size);

/* Gives every mapped page in the range perms (rules as for pt_map),
 * splitting 2 MiB leaves it covers only partly; holes stay holes. Returns
 * the number of 4 KiB pages found mapped, -EINVAL or -ENOMEM (nothing
 * changed). */
long pt_protect(struct pt *pt, u64 gpa, u64 size, u32 perms);

/* Translates one address: true with *hpa (offset included), *perms and
 * *page_size (4 KiB or 2 MiB) when mapped. Any output may be NULL. */
bool pt_lookup(const struct pt *pt, u64 gpa, u64 *hpa, u32 *perms,
	       u64 *page_size);

/* Frees every table, root included (not the mapped frames). */
void pt_destroy(struct pt *pt);

#endif
