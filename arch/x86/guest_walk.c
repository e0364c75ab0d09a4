/* Walking the guest's own page tables (Intel SDM vol. 3 ch. 4, AMD APM
 * vol. 2 ch. 5). The mode follows CR0.PG, CR4.PAE, EFER.LMA and CR4.LA57:
 * none, 32-bit (4 KiB, and 4 MiB with CR4.PSE incl. PSE-36 bits 39:32),
 * PAE (4 KiB, 2 MiB), 4-level and 5-level (4 KiB, 2 MiB, 1 GiB).
 *
 * Checked: present bits, reserved bits (MAXPHYADDR taken as 52), PS where
 * no large page exists, R/W and U/S ANDed over all levels with CR0.WP for
 * supervisor writes, XD with EFER.NXE (reserved without it), SMEP, and
 * canonical addresses in long mode.
 *
 * Not modelled: SMAP, protection keys, CET shadow stacks, LAM, the TLB
 * (a walk sees the tables as they are now), and the PAE PDPTE registers:
 * PDPTEs are read from memory on every walk, and one with reserved bits
 * set gives a RSVD #PF where the CPU would have refused the CR3 load.
 *
 * The walker is read-only: it never sets accessed or dirty bits. */
#include "arch/x86/guest_walk.h"
#include "lib/errno.h"

#define GW_CR0_WP BIT(16)
#define GW_CR0_PG BIT(31)
#define GW_CR4_PSE BIT(4)
#define GW_CR4_PAE BIT(5)
#define GW_CR4_LA57 BIT(12)
#define GW_CR4_SMEP BIT(20)
#define GW_EFER_LMA BIT(10)
#define GW_EFER_NXE BIT(11)

#define GW_P BIT(0)
#define GW_RW BIT(1)
#define GW_US BIT(2)
#define GW_PS BIT(7)
#define GW_XD BIT(63)
#define GW_ADDR 0x000ffffffffff000ULL   /* bits 51:12 of a 64-bit entry */
#define GW_ADDR32 0xfffff000ULL         /* bits 31:12 of a 32-bit entry */
#define GW_ADDR32_4M 0xffc00000ULL      /* bits 31:22 of a 4 MiB PDE */
#define GW_PSE36_RSVD BIT(21)           /* bits 20:13 are physical 39:32 */
#define GW_PAE_CR3 0xffffffe0ULL        /* PAE: PDPT address is CR3[31:5] */

enum walk_mode { MODE_NONE, MODE_32BIT, MODE_PAE, MODE_LONG4, MODE_LONG5 };

struct walker {
	const struct guest_paging *p;
	gpa_read_fn read;
	void *ctx;
	struct walk_result *res;
	u64 gva;
	enum walk_mode mode;
	enum walk_access access;
	bool user;
	bool nxe;          /* bit 63 of an entry is XD rather than reserved */
	bool rw, us, xd;   /* R/W and U/S ANDed, XD ORed over the levels */
};

/* Bits hi..lo set (hi >= lo). */
static u64 bit_range(unsigned int hi, unsigned int lo)
{
	return (~0ULL >> (63 - hi)) & ~((1ULL << lo) - 1);
}

static enum walk_mode paging_mode(const struct guest_paging *p)
{
	if (!(p->cr0 & GW_CR0_PG))
		return MODE_NONE;
	if (p->efer & GW_EFER_LMA)
		return (p->cr4 & GW_CR4_LA57) ? MODE_LONG5 : MODE_LONG4;
	return (p->cr4 & GW_CR4_PAE) ? MODE_PAE : MODE_32BIT;
}

static bool is_long_mode(enum walk_mode mode)
{
	return mode == MODE_LONG4 || mode == MODE_LONG5;
}

/* The W, U and I/D bits describe the access itself, whatever the fault.
 * I/D is only reported with SMEP, or with NXE under PAE/long paging. */
static u32 access_error_bits(const struct walker *w)
{
	u32 bits = 0;

	if (w->access == WALK_WRITE)
		bits |= PF_ERR_W;
	if (w->user)
		bits |= PF_ERR_U;
	if (w->access == WALK_FETCH && (w->nxe || (w->p->cr4 & GW_CR4_SMEP)))
		bits |= PF_ERR_ID;
	return bits;
}

static int page_fault(struct walker *w, u32 bits)
{
	w->res->pf_error = bits | access_error_bits(w);
	return -EFAULT;
}

static int reserved_bit_fault(struct walker *w)
{
	return page_fault(w, PF_ERR_P | PF_ERR_RSVD);
}

/* Reads the little-endian entry of len (4 or 8) bytes at gpa; a #PF
 * when it is not present. */
static int read_present_entry(struct walker *w, u64 gpa, size_t len, u64 *entry)
{
	u8 b[8];
	u64 v = 0;

	if (!w->read(w->ctx, gpa, b, len)) {
		w->res->fault_gpa = gpa;
		return -EIO;
	}
	for (size_t i = len; i-- > 0;)
		v = (v << 8) | b[i];
	*entry = v;
	return (v & GW_P) ? 0 : page_fault(w, 0);
}

static void note_permissions(struct walker *w, u64 entry)
{
	w->rw = w->rw && (entry & GW_RW);
	w->us = w->us && (entry & GW_US);
	w->xd = w->xd || (w->nxe && (entry & GW_XD));
}

static bool fetch_allowed(const struct walker *w)
{
	if (w->xd)
		return false;
	/* SMEP: no supervisor fetch from a user-accessible page */
	return w->user || !w->us || !(w->p->cr4 & GW_CR4_SMEP);
}

static bool access_allowed(const struct walker *w)
{
	bool wp = w->p->cr0 & GW_CR0_WP;

	if (w->user && !w->us)
		return false;
	if (w->access == WALK_WRITE && !w->rw && (w->user || wp))
		return false;
	if (w->access == WALK_FETCH)
		return fetch_allowed(w);
	return true;
}

/* The walk reached a page at frame (aligned to size): check the combined
 * permissions and produce the address. */
static int translated(struct walker *w, u64 frame, u64 size)
{
	if (!access_allowed(w))
		return page_fault(w, PF_ERR_P);
	w->res->gpa = frame | (w->gva & (size - 1));
	w->res->page_size = size;
	return 0;
}

/* ---- the levels: 32-bit (4-byte entries, 10 index bits each), PAE (its
 * PDPT as level 3), 4-level and 5-level ---- */

/* Level 1 is the PT, 2 the PD, 3 the PDPT, 4 the PML4, 5 the PML5. */
static unsigned int level_shift(int level)
{
	return 12 + 9 * (level - 1);
}

/* Where the level's index starts in the address, in w's paging mode. */
static unsigned int walk_shift(const struct walker *w, int level)
{
	if (w->mode == MODE_32BIT)
		return 12 + 10 * (level - 1);
	return level_shift(level);
}

static bool large_page_allowed(const struct walker *w, int level)
{
	return level == 2 || (level == 3 && is_long_mode(w->mode));
}

/* Reserved bits of a present entry that maps a page (large) or a table. */
static u64 reserved_bits(const struct walker *w, int level, bool large)
{
	u64 mask = w->nxe ? 0 : GW_XD;

	if (w->mode == MODE_PAE)
		mask |= bit_range(62, 52); /* ignored in long mode, not in PAE */
	if (large && w->mode == MODE_32BIT)
		mask |= GW_PSE36_RSVD;
	else if (large)
		mask |= bit_range(level_shift(level) - 1, 13); /* bit 12 is PAT */
	return mask;
}

/* PAE PDPTEs carry no R/W, U/S or XD; those bits are reserved. */
#define PAE_PDPTE_RESERVED (bit_range(63, 52) | bit_range(8, 5) | bit_range(2, 1))

/* Checks one present entry; returns 0 when the walk may use it. */
static int check_entry(struct walker *w, u64 entry, int level, bool large)
{
	if (w->mode == MODE_PAE && level == 3) /* a PDPTE, PS included */
		return (entry & PAE_PDPTE_RESERVED) ? reserved_bit_fault(w) : 0;
	if (large && !large_page_allowed(w, level))
		return reserved_bit_fault(w); /* PS in a PML4E or PML5E */
	if (entry & reserved_bits(w, level, large))
		return reserved_bit_fault(w);
	note_permissions(w, entry);
	return 0;
}

/* The frame a large page or a PTE maps; a 4 MiB page of 32-bit paging
 * has physical bits 39:32 in bits 20:13 of its PDE (PSE-36). */
static u64 mapped_frame(const struct walker *w, u64 entry, u64 size)
{
	u64 frame = entry & GW_ADDR & ~(size - 1);

	if (w->mode == MODE_32BIT && size > PAGE_SIZE)
		frame |= ((entry >> 13) & 0xff) << 32;
	return frame;
}

/* Walks from the table at table_gpa (of the given level) down to a page. */
static int walk_levels(struct walker *w, u64 table_gpa, int level)
{
	bool pse = w->mode != MODE_32BIT || (w->p->cr4 & GW_CR4_PSE);
	size_t len = w->mode == MODE_32BIT ? 4 : 8;

	for (;; level--) {
		u64 index = (w->gva >> walk_shift(w, level)) & (PAGE_SIZE / len - 1);
		u64 entry, size;
		bool large;
		int rc;

		rc = read_present_entry(w, table_gpa + index * len, len, &entry);
		if (rc)
			return rc;
		large = level > 1 && pse && (entry & GW_PS);
		rc = check_entry(w, entry, level, large);
		if (rc)
			return rc;
		size = 1ULL << walk_shift(w, level);
		if (level == 1 || large)
			return translated(w, mapped_frame(w, entry, size), size);
		table_gpa = entry & GW_ADDR;
	}
}

static int walk_long(struct walker *w)
{
	int top = w->mode == MODE_LONG5 ? 5 : 4;

	if (!addr_is_canonical(w->gva, level_shift(top) + 9))
		return -ERANGE;
	return walk_levels(w, w->p->cr3 & GW_ADDR, top);
}

int guest_walk(const struct guest_paging *p, u64 gva, enum walk_access access,
	       bool user, gpa_read_fn read, void *ctx, struct walk_result *res)
{
	enum walk_mode mode = paging_mode(p);
	struct walker w = {
		.p = p,
		.read = read,
		.ctx = ctx,
		.res = res,
		.gva = is_long_mode(mode) ? gva : (gva & 0xffffffffULL),
		.mode = mode,
		.access = access,
		.user = user,
		.nxe = (p->efer & GW_EFER_NXE) && (mode == MODE_PAE || is_long_mode(mode)),
		.rw = true, /* ANDed over the levels from here */
		.us = true,
	};

	*res = (struct walk_result){ 0 };
	switch (w.mode) {
	case MODE_NONE:
		res->gpa = w.gva;
		res->page_size = PAGE_SIZE;
		return 0;
	case MODE_32BIT:
		return walk_levels(&w, p->cr3 & GW_ADDR32, 2);
	case MODE_PAE: /* the PDPT's 4 entries are level 3 */
		return walk_levels(&w, p->cr3 & GW_PAE_CR3, 3);
	default:
		return walk_long(&w);
	}
}
