/* libFuzzer target: the guest page-table walker (arch/x86/guest_walk.c)
 * on page tables, control registers, addresses and accesses the fuzzer
 * chooses. Built with clang -fsanitize=fuzzer,address,undefined (make
 * fuzz); besides memory safety it checks what the SDM (vol. 3 ch. 4)
 * says any walk must satisfy, from the entries the walker was handed:
 *
 * - The mode follows CR0.PG, EFER.LMA, CR4.LA57 and CR4.PAE. Entries are
 *   read at most one per level, each at the address the level above (or
 *   CR3) and the linear address select, 4 bytes under 32-bit paging and 8
 *   otherwise, naturally aligned. The walk goes on only past a present
 *   entry that maps a table and has no reserved bit set, and stops at an
 *   unreadable one, which is -EIO with that entry's address.
 * - A translation ends at a present entry that maps a page (a large page
 *   only where PS is set and the level allows one) with no reserved bit
 *   set. The page size follows from that level, the frame is that
 *   entry's, and the address inside the page is the linear address's
 *   (for a 4 KiB page: the low 12 bits). The access is allowed by R/W,
 *   U/S, XD, CR0.WP and SMEP: a user access to a supervisor page faults,
 *   so does a write to a read-only one from CPL 3 or with WP, a fetch
 *   from an XD page, and with SMEP a supervisor fetch from a user page.
 * - A #PF error code has P equal to the present bit of the last entry
 *   read (0 for a not-present entry), RSVD exactly when that entry is
 *   present with a reserved bit set (MAXPHYADDR taken as 52), W, U and
 *   I/D describing the access, and with P but no RSVD the last entry maps
 *   a page and a permission above denies the access.
 * - Paging off is the identity on the low 32 bits; outside long mode bits
 *   63:32 of the address do not matter; in long mode a non-canonical
 *   address is -ERANGE without a read.
 * - Whatever a write or a fetch may reach, a read by the same CPL reaches
 *   too, at the same address; so does a supervisor read whatever a user
 *   read reaches (SMAP is not modelled).
 *
 * Input: cr0, cr3, cr4, efer and the linear address as 8 little-endian
 * bytes each, a byte for the access (bits 1:0, modulo 3) and CPL 3 (bit
 * 2), then the guest-physical memory. */
#include "../../arch/x86/guest_walk.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guest memory: MEM_SIZE bytes repeated over guest-physical addresses
 * below 2^40, except for pages whose bits 19:12 are all ones, so tables
 * can point anywhere and still often hit memory the fuzzer filled. */
#define MEM_SIZE (16 * 1024)
#define BACKED_LIMIT BIT(40)
#define HEADER_SIZE 41
#define MAX_READS 5

#define PDPTE_RSVD (bit_range(63, 52) | bit_range(8, 5) | bit_range(2, 1))

struct read_log {
	const u8 *mem;
	enum walk_mode mode;
	int n;
	bool failed;          /* the last read was refused */
	u64 gpa[MAX_READS];
	u64 entry[MAX_READS];
};

/* One walk and all it read. */
struct walk_case {
	const struct guest_paging *p;
	u64 gva;              /* as the walker sees it (32 bits outside long mode) */
	enum walk_access access;
	bool user;
	int rc;
	struct walk_result res;
	struct read_log log;
};

static __noreturn void violated(const struct walk_case *c, const char *what)
{
	fprintf(stderr, "%s\n  cr0 %llx cr3 %llx cr4 %llx efer %llx gva %llx access %d user %d"
		" -> rc %d gpa %llx size %llx pf %x fault_gpa %llx\n", what,
		(unsigned long long)c->p->cr0, (unsigned long long)c->p->cr3,
		(unsigned long long)c->p->cr4, (unsigned long long)c->p->efer,
		(unsigned long long)c->gva, c->access, c->user, c->rc,
		(unsigned long long)c->res.gpa, (unsigned long long)c->res.page_size,
		c->res.pf_error, (unsigned long long)c->res.fault_gpa);
	for (int i = 0; i < c->log.n; i++)
		fprintf(stderr, "  read %d: gpa %llx entry %llx\n", i,
			(unsigned long long)c->log.gpa[i], (unsigned long long)c->log.entry[i]);
	abort();
}

#define REQUIRE(c, cond)                                                     \
	do {                                                                 \
		if (!(cond))                                                 \
			violated(c, "violated: " #cond);                     \
	} while (0)

static bool backed(u64 gpa)
{
	return gpa < BACKED_LIMIT && ((gpa >> 12) & 0xff) != 0xff;
}

static size_t entry_size(enum walk_mode mode)
{
	return mode == MODE_32BIT ? 4 : 8;
}

/* The callback: serves guest memory and logs every read. Reading after a
 * refused read, more than one entry per level, or an entry of the wrong
 * size or alignment aborts. */
static bool logged_read(void *ctx, u64 gpa, void *buf, size_t len)
{
	struct read_log *log = ctx;
	u64 v = 0;

	if (log->failed || log->n >= MAX_READS || len != entry_size(log->mode) ||
	    gpa % len != 0) {
		fprintf(stderr, "bad read: gpa %llx len %zu after %d reads%s\n",
			(unsigned long long)gpa, len, log->n,
			log->failed ? " and a refused one" : "");
		abort();
	}
	log->gpa[log->n] = gpa;
	if (!backed(gpa)) {
		log->failed = true;
		log->n++;
		return false;
	}
	memcpy(buf, log->mem + (gpa & (MEM_SIZE - 1)), len);
	for (size_t i = len; i-- > 0;)
		v = (v << 8) | ((const u8 *)buf)[i];
	log->entry[log->n++] = v;
	return true;
}

static enum walk_mode mode_of(const struct guest_paging *p)
{
	if (!(p->cr0 & GW_CR0_PG))
		return MODE_NONE;
	if (p->efer & GW_EFER_LMA)
		return (p->cr4 & GW_CR4_LA57) ? MODE_LONG5 : MODE_LONG4;
	return (p->cr4 & GW_CR4_PAE) ? MODE_PAE : MODE_32BIT;
}

static int mode_levels(enum walk_mode mode)
{
	static const int levels[] = {
		[MODE_NONE] = 0, [MODE_32BIT] = 2, [MODE_PAE] = 3,
		[MODE_LONG4] = 4, [MODE_LONG5] = 5,
	};

	return levels[mode];
}

/* Level of the k-th read (the top level first; 1 is the page table). */
static int read_level(const struct walk_case *c, int k)
{
	return mode_levels(c->log.mode) - k;
}

static u64 table_of(const struct walk_case *c, int k)
{
	if (k > 0)
		return c->log.entry[k - 1] & (c->log.mode == MODE_32BIT ? GW_ADDR32 : GW_ADDR);
	switch (c->log.mode) {
	case MODE_32BIT:
		return c->p->cr3 & GW_ADDR32;
	case MODE_PAE:
		return c->p->cr3 & GW_PAE_CR3;
	default:
		return c->p->cr3 & GW_ADDR;
	}
}

/* Where the k-th entry must have been read from. */
static u64 expected_entry_gpa(const struct walk_case *c, int k)
{
	int level = read_level(c, k);
	u64 index;

	if (c->log.mode == MODE_32BIT)
		return table_of(c, k) + ((c->gva >> (level == 2 ? 22 : 12)) & 0x3ff) * 4;
	index = (c->gva >> level_shift(level)) & (level == 3 && c->log.mode == MODE_PAE ? 3 : 0x1ff);
	return table_of(c, k) + index * 8;
}

static bool entry_present(const struct walk_case *c, int k)
{
	return c->log.entry[k] & GW_P;
}

static bool nxe_active(const struct walk_case *c)
{
	return (c->p->efer & GW_EFER_NXE) && c->log.mode != MODE_32BIT;
}

/* The k-th entry maps a page rather than a table (or is refused for PS
 * where no large page exists, which has_reserved_bits() reports). */
static bool is_leaf(const struct walk_case *c, int k)
{
	int level = read_level(c, k);
	bool ps = c->log.entry[k] & GW_PS;

	if (level == 1)
		return true;
	if (c->log.mode == MODE_32BIT)
		return ps && (c->p->cr4 & GW_CR4_PSE);
	return ps && (level == 2 || (level == 3 && is_long_mode(c->log.mode)));
}

/* Reserved bits of the present k-th entry, MAXPHYADDR being 52. */
static bool has_reserved_bits(const struct walk_case *c, int k)
{
	u64 e = c->log.entry[k];
	int level = read_level(c, k);

	if (c->log.mode == MODE_32BIT)
		return is_leaf(c, k) && level == 2 && (e & GW_PSE36_RSVD);
	if (c->log.mode == MODE_PAE && level == 3)
		return e & PDPTE_RSVD;
	if ((e & GW_XD) && !nxe_active(c))
		return true;
	if (c->log.mode == MODE_PAE && (e & bit_range(62, 52)))
		return true;
	if (level == 1 || !(e & GW_PS))
		return false;
	return !is_leaf(c, k) || (e & bit_range(level_shift(level) - 1, 13));
}

/* Every entry but the last was a usable table entry. */
static void check_reads(const struct walk_case *c)
{
	REQUIRE(c, c->log.n <= mode_levels(c->log.mode));
	for (int k = 0; k < c->log.n; k++) {
		REQUIRE(c, c->log.gpa[k] == expected_entry_gpa(c, k));
		if (k < c->log.n - 1)
			REQUIRE(c, entry_present(c, k) && !has_reserved_bits(c, k) &&
				   !is_leaf(c, k));
	}
	REQUIRE(c, c->log.failed == (c->rc == -EIO));
	if (c->rc == -EIO)
		REQUIRE(c, c->res.fault_gpa == c->log.gpa[c->log.n - 1]);
}

/* ---- access rights ---- */

/* Entries that carry R/W, U/S and XD: all but a PAE PDPTE. */
static int first_permission_entry(const struct walk_case *c)
{
	return c->log.mode == MODE_PAE ? 1 : 0;
}

struct perms {
	bool rw, us, xd;
};

static struct perms combined_perms(const struct walk_case *c)
{
	struct perms pm = { true, true, false };

	for (int k = first_permission_entry(c); k < c->log.n; k++) {
		u64 e = c->log.entry[k];

		pm.rw = pm.rw && (e & GW_RW);
		pm.us = pm.us && (e & GW_US);
		pm.xd = pm.xd || (nxe_active(c) && (e & GW_XD));
	}
	return pm;
}

/* The SDM's access rights, one rule at a time. */
static bool access_denied(const struct walk_case *c)
{
	struct perms pm = combined_perms(c);
	bool fetch = c->access == WALK_FETCH;

	if (c->user && !pm.us)
		return true;
	if (c->access == WALK_WRITE && !pm.rw && (c->user || (c->p->cr0 & GW_CR0_WP)))
		return true;
	if (fetch && pm.xd)
		return true;
	return fetch && !c->user && pm.us && (c->p->cr4 & GW_CR4_SMEP);
}

/* ---- translations ---- */

/* Page size implied by the level the walk ended at. */
static u64 leaf_page_size(const struct walk_case *c)
{
	int level = read_level(c, c->log.n - 1);

	if (c->log.mode == MODE_32BIT)
		return level == 2 ? 4 * MIB : PAGE_SIZE;
	return 1ULL << level_shift(level);
}

static u64 leaf_frame(const struct walk_case *c, u64 leaf, u64 size)
{
	if (c->log.mode != MODE_32BIT)
		return leaf & GW_ADDR & ~(size - 1);
	if (size == PAGE_SIZE)
		return leaf & GW_ADDR32;
	return (leaf & GW_ADDR32_4M) | (((leaf >> 13) & 0xff) << 32);
}

static void check_translation(const struct walk_case *c)
{
	int last = c->log.n - 1;
	u64 size;

	if (c->log.mode == MODE_NONE) {
		REQUIRE(c, c->log.n == 0 && c->res.gpa == c->gva && c->res.page_size == PAGE_SIZE);
		return;
	}
	REQUIRE(c, c->log.n > 0 && entry_present(c, last));
	REQUIRE(c, is_leaf(c, last) && !has_reserved_bits(c, last));
	size = leaf_page_size(c);
	REQUIRE(c, c->res.page_size == size);
	REQUIRE(c, (c->res.gpa & ~(size - 1)) == leaf_frame(c, c->log.entry[last], size));
	REQUIRE(c, ((c->res.gpa ^ c->gva) & (size - 1)) == 0);
	REQUIRE(c, (c->res.gpa & 0xfff) == (c->gva & 0xfff));
	REQUIRE(c, !access_denied(c));
}

/* ---- faults ---- */

static void check_fault(const struct walk_case *c)
{
	int last = c->log.n - 1;
	u32 err = c->res.pf_error;
	bool fetch = c->access == WALK_FETCH;
	bool present;

	REQUIRE(c, c->log.mode != MODE_NONE && c->log.n > 0);
	present = entry_present(c, last);
	REQUIRE(c, !(err & ~0x1fU));
	REQUIRE(c, !!(err & PF_ERR_W) == (c->access == WALK_WRITE));
	REQUIRE(c, !!(err & PF_ERR_U) == c->user);
	REQUIRE(c, !!(err & PF_ERR_ID) ==
		   (fetch && (nxe_active(c) || (c->p->cr4 & GW_CR4_SMEP))));
	REQUIRE(c, !!(err & PF_ERR_P) == present);
	REQUIRE(c, !!(err & PF_ERR_RSVD) == (present && has_reserved_bits(c, last)));
	if (present && !(err & PF_ERR_RSVD))
		REQUIRE(c, is_leaf(c, last) && access_denied(c));
}

/* ---- driving the walker ---- */

static bool canonical(u64 gva, unsigned int bits)
{
	return (u64)((s64)(gva << (64 - bits)) >> (64 - bits)) == gva;
}

static void check_walk(const struct walk_case *c)
{
	bool long_mode = is_long_mode(c->log.mode);

	REQUIRE(c, c->rc == 0 || c->rc == -EFAULT || c->rc == -EIO || c->rc == -ERANGE);
	check_reads(c);
	if (long_mode)
		REQUIRE(c, (c->rc == -ERANGE) ==
			   !canonical(c->gva, c->log.mode == MODE_LONG5 ? 57 : 48));
	if (c->rc == -ERANGE)
		REQUIRE(c, long_mode && c->log.n == 0);
	if (c->rc == 0)
		check_translation(c);
	if (c->rc == -EFAULT)
		check_fault(c);
}

static void run_walk(struct walk_case *c, const struct guest_paging *p, const u8 *mem,
		     u64 gva, enum walk_access access, bool user)
{
	memset(c, 0, sizeof(*c));
	c->p = p;
	c->access = access;
	c->user = user;
	c->log.mem = mem;
	c->log.mode = mode_of(p);
	c->gva = is_long_mode(c->log.mode) ? gva : (u32)gva;
	c->rc = guest_walk(p, gva, access, user, logged_read, &c->log, &c->res);
	check_walk(c);
}

/* A read must reach whatever the access in c reached. */
static void check_read_reaches(const struct walk_case *c, const u8 *mem, bool user)
{
	struct walk_case r;

	run_walk(&r, c->p, mem, c->gva, WALK_READ, user);
	if (r.rc != 0 || r.res.gpa != c->res.gpa || r.res.page_size != c->res.page_size)
		violated(&r, "violated: a read does not reach what a stronger access reached");
}

/* Outside long mode the walk sees only the low 32 bits of the address. */
static void check_high_bits_ignored(const struct walk_case *c, const u8 *mem, u64 high)
{
	struct walk_case h;

	run_walk(&h, c->p, mem, c->gva | (high << 32), c->access, c->user);
	if (h.rc != c->rc || h.res.gpa != c->res.gpa || h.res.pf_error != c->res.pf_error ||
	    h.res.fault_gpa != c->res.fault_gpa)
		violated(&h, "violated: bits 63:32 of the address changed the walk");
}

static u64 get_le64(const u8 *b)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 mem[MEM_SIZE];
	struct guest_paging p;
	struct walk_case c;
	u64 gva;

	if (size < HEADER_SIZE)
		return 0;
	p.cr0 = get_le64(data);
	p.cr3 = get_le64(data + 8);
	p.cr4 = get_le64(data + 16);
	p.efer = get_le64(data + 24);
	gva = get_le64(data + 32);
	memset(mem, 0, sizeof(mem));
	memcpy(mem, data + HEADER_SIZE, MIN(size - HEADER_SIZE, sizeof(mem)));
	run_walk(&c, &p, mem, gva, (enum walk_access)((data[40] & 3) % 3), data[40] & 4);
	if (c.rc == 0 && (c.access != WALK_READ || c.user))
		check_read_reaches(&c, mem, c.user && c.access != WALK_READ);
	if (!is_long_mode(c.log.mode))
		check_high_bits_ignored(&c, mem, (gva >> 32) ^ 0x80000001ULL);
	return 0;
}
