/* The guest page-table walker against page tables built in a fake 4 MiB
 * guest-physical memory: every paging mode and page size, the #PF error
 * codes, unreadable tables, non-canonical addresses, and a fuzz loop over
 * random tables. */
#include "check.h"
#include "../../arch/x86/guest_walk.c"

#define MEM_SIZE (4 * MIB)
#define TABLES_START 0x10000ULL
#define TBL (GW_P | GW_RW | GW_US) /* flags of intermediate tables */
#define CR0_PE BIT(0)
#define EFER_LME BIT(8)
#define OUTSIDE 0x40000000ULL /* a guest-physical address not backed */

struct fake_mem {
	u8 *bytes;
	u64 size;
	unsigned long reads;
};

static u8 gmem[MEM_SIZE];
static struct fake_mem mem = { gmem, MEM_SIZE, 0 };
static u64 next_table_gpa;

static bool mem_read(void *ctx, u64 gpa, void *buf, size_t len)
{
	struct fake_mem *m = ctx;

	m->reads++;
	if (len > m->size || gpa > m->size - len)
		return false;
	memcpy(buf, m->bytes + gpa, len);
	return true;
}

static void mem_reset(void)
{
	memset(gmem, 0, sizeof(gmem));
	mem.reads = 0;
	next_table_gpa = TABLES_START;
}

static u64 new_table(void)
{
	u64 t = next_table_gpa;

	next_table_gpa += PAGE_SIZE;
	CHECK(next_table_gpa <= MEM_SIZE);
	return t;
}

static void put64(u64 gpa, u64 v)
{
	for (int i = 0; i < 8; i++)
		gmem[gpa + i] = (u8)(v >> (8 * i));
}

static u64 get64(u64 gpa)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | gmem[gpa + i];
	return v;
}

static void put32(u64 gpa, u32 v)
{
	put64(gpa, (get64(gpa) & ~0xffffffffULL) | v);
}

static u32 get32(u64 gpa)
{
	return (u32)get64(gpa);
}

static void set_bits64(u64 gpa, u64 set, u64 clear)
{
	put64(gpa, (get64(gpa) | set) & ~clear);
}

/* ---- builders for 8-byte-entry tables (PAE, 4-level, 5-level) ---- */

static u64 slot64(u64 table, u64 gva, int level)
{
	return table + ((gva >> level_shift(level)) & 0x1ff) * 8;
}

/* The table an entry points to, created with flags when absent. */
static u64 table_below(u64 entry_gpa, u64 flags)
{
	u64 e = get64(entry_gpa);

	if (!(e & GW_P)) {
		e = new_table() | flags;
		put64(entry_gpa, e);
	}
	return e & GW_ADDR;
}

/* Maps gva to pa with a leaf at leaf_level, tables from level top down. */
static void map64(u64 root, int top, u64 gva, u64 pa, int leaf, u64 flags)
{
	u64 t = root;

	for (int l = top; l > leaf; l--)
		t = table_below(slot64(t, gva, l), TBL);
	put64(slot64(t, gva, leaf), pa | flags | (leaf > 1 ? GW_PS : 0));
}

/* PAE: the PDPTE holds only P, then a PD (level 2). */
static void map_pae(u64 pdpt, u64 gva, u64 pa, int leaf, u64 flags)
{
	map64(table_below(slot64(pdpt, gva, 3), GW_P), 2, gva, pa, leaf, flags);
}

/* Address of the entry at level for gva, following existing tables. */
static u64 entry_at(u64 root, int top, u64 gva, int level)
{
	u64 t = root;

	for (int l = top; l > level; l--)
		t = get64(slot64(t, gva, l)) & GW_ADDR;
	return slot64(t, gva, level);
}

/* ---- builders for 32-bit paging ---- */

static u64 pde32_at(u64 pd, u32 gva)
{
	return pd + (gva >> 22) * 4;
}

static u64 pte32_at(u64 pd, u32 gva)
{
	return (get32(pde32_at(pd, gva)) & GW_ADDR32) + ((gva >> 12) & 0x3ff) * 4;
}

static void map32_4k(u64 pd, u32 gva, u32 pa, u32 flags)
{
	u64 pde = pde32_at(pd, gva);

	if (!(get32(pde) & GW_P))
		put32(pde, (u32)new_table() | TBL);
	put32(pte32_at(pd, gva), pa | flags);
}

static void map32_4m(u64 pd, u32 gva, u32 pde_value)
{
	put32(pde32_at(pd, gva), pde_value | GW_PS);
}

/* ---- paging states ---- */

static struct guest_paging long_mode(u64 cr3)
{
	return (struct guest_paging){ .cr0 = CR0_PE | GW_CR0_PG | GW_CR0_WP,
				      .cr3 = cr3, .cr4 = GW_CR4_PAE,
				      .efer = EFER_LME | GW_EFER_LMA | GW_EFER_NXE };
}

static struct guest_paging pae_mode(u64 cr3)
{
	return (struct guest_paging){ .cr0 = CR0_PE | GW_CR0_PG | GW_CR0_WP,
				      .cr3 = cr3, .cr4 = GW_CR4_PAE,
				      .efer = GW_EFER_NXE };
}

static struct guest_paging mode32(u64 cr3)
{
	return (struct guest_paging){ .cr0 = CR0_PE | GW_CR0_PG | GW_CR0_WP,
				      .cr3 = cr3, .cr4 = GW_CR4_PSE };
}

static int walk(const struct guest_paging *p, u64 gva, enum walk_access a,
		bool user, struct walk_result *r)
{
	return guest_walk(p, gva, a, user, mem_read, &mem, r);
}

/* Expects a #PF with exactly this error code. */
#define CHECK_PF(p, gva, a, user, code)                                      \
	do {                                                                 \
		struct walk_result r_;                                       \
		CHECK_EQ(walk(p, gva, a, user, &r_), -EFAULT);               \
		CHECK_EQ(r_.pf_error, code);                                 \
	} while (0)

/* Expects a translation to gpa. */
#define CHECK_GPA(p, gva, a, user, want)                                     \
	do {                                                                 \
		struct walk_result r_;                                       \
		CHECK_EQ(walk(p, gva, a, user, &r_), 0);                     \
		CHECK_EQ(r_.gpa, want);                                      \
	} while (0)

/* A long-mode hierarchy mapping one 4 KiB page, user and writable. */
static u64 long_4k_setup(u64 gva, u64 pa, u64 flags)
{
	u64 cr3;

	mem_reset();
	cr3 = new_table();
	map64(cr3, 4, gva, pa, 1, flags);
	return cr3;
}

/* ---- paging off ---- */

TEST(paging_off_is_identity_truncated_to_32_bits)
{
	struct guest_paging p = { .cr0 = CR0_PE, .cr4 = GW_CR4_PAE };
	struct walk_result r;

	mem_reset();
	CHECK_EQ(walk(&p, 0xdeadbeef, WALK_FETCH, false, &r), 0);
	CHECK_EQ(r.gpa, 0xdeadbeef);
	CHECK_EQ(r.page_size, PAGE_SIZE);
	CHECK_EQ(walk(&p, 0x100000042ULL, WALK_WRITE, true, &r), 0);
	CHECK_EQ(r.gpa, 0x42);
	CHECK_EQ(mem.reads, 0);
}

/* ---- 32-bit paging ---- */

TEST(pg32_4k_page)
{
	struct guest_paging p;
	struct walk_result r;
	u64 pd;

	mem_reset();
	pd = new_table();
	map32_4k(pd, 0x80401000, 0x00302000, TBL);
	p = mode32(pd);
	CHECK_EQ(walk(&p, 0x80401abc, WALK_READ, true, &r), 0);
	CHECK_EQ(r.gpa, 0x00302abc);
	CHECK_EQ(r.page_size, PAGE_SIZE);
	/* upper bits of a 64-bit gva are dropped outside long mode */
	CHECK_GPA(&p, 0xffffffff80401fffULL, WALK_WRITE, false, 0x00302fff);
}

TEST(pg32_4m_page_and_pse36)
{
	struct guest_paging p;
	struct walk_result r;
	u64 pd;

	mem_reset();
	pd = new_table();
	map32_4m(pd, 0x80400000, 0x00c00000 | TBL);
	map32_4m(pd, 0x00800000, 0x01000000 | (0x12 << 13) | TBL);
	p = mode32(pd);
	CHECK_EQ(walk(&p, 0x807fffff, WALK_READ, false, &r), 0);
	CHECK_EQ(r.gpa, 0x00ffffff);
	CHECK_EQ(r.page_size, 4 * MIB);
	CHECK_GPA(&p, 0x00812345, WALK_READ, false, 0x1201012345ULL);
	/* bit 21 of a 4 MiB PDE is reserved */
	set_bits64(pde32_at(pd, 0x00800000), BIT(21), 0);
	CHECK_PF(&p, 0x00812345, WALK_WRITE, false, PF_ERR_P | PF_ERR_RSVD | PF_ERR_W);
}

TEST(pg32_ps_ignored_without_cr4_pse)
{
	struct guest_paging p;
	u64 pd;

	mem_reset();
	pd = new_table();
	map32_4k(pd, 0x00401000, 0x00302000, TBL);
	set_bits64(pde32_at(pd, 0x00401000), GW_PS, 0);
	p = mode32(pd);
	p.cr4 = 0;
	CHECK_GPA(&p, 0x00401008, WALK_READ, false, 0x00302008);
}

TEST(pg32_not_present_and_permissions)
{
	struct guest_paging p;
	u64 pd;

	mem_reset();
	pd = new_table();
	map32_4k(pd, 0x00401000, 0x00302000, GW_P | GW_US);
	p = mode32(pd);
	CHECK_PF(&p, 0x00401000, WALK_WRITE, true, PF_ERR_P | PF_ERR_W | PF_ERR_U);
	CHECK_PF(&p, 0x00400000, WALK_FETCH, true, PF_ERR_U); /* no I/D here */
	CHECK_PF(&p, 0x00001000, WALK_READ, false, 0);        /* PDE absent */
	/* supervisor write to a read-only page only faults with WP */
	CHECK_PF(&p, 0x00401000, WALK_WRITE, false, PF_ERR_P | PF_ERR_W);
	p.cr0 &= ~GW_CR0_WP;
	CHECK_GPA(&p, 0x00401000, WALK_WRITE, false, 0x00302000);
}

TEST(pg32_table_outside_memory_is_eio)
{
	struct guest_paging p;
	struct walk_result r;
	u64 pd;

	mem_reset();
	pd = new_table();
	put32(pde32_at(pd, 0x00c03000), (u32)OUTSIDE | TBL);
	p = mode32(pd);
	CHECK_EQ(walk(&p, 0x00c03000, WALK_READ, false, &r), -EIO);
	CHECK_EQ(r.fault_gpa, OUTSIDE + 3 * 4);
}

/* ---- PAE paging ---- */

TEST(pae_4k_and_2m_pages)
{
	struct guest_paging p;
	struct walk_result r;
	u64 pdpt;

	mem_reset();
	pdpt = new_table();
	map_pae(pdpt, 0xc0201000, 0x123456000ULL, 1, TBL);
	map_pae(pdpt, 0x40600000, 0x7fe00000ULL, 2, TBL);
	p = pae_mode(pdpt);
	CHECK_EQ(walk(&p, 0xc0201fed, WALK_READ, false, &r), 0);
	CHECK_EQ(r.gpa, 0x123456fedULL);
	CHECK_EQ(r.page_size, PAGE_SIZE);
	CHECK_EQ(walk(&p, 0x407abcde, WALK_WRITE, true, &r), 0);
	CHECK_EQ(r.gpa, 0x7ffabcdeULL);
	CHECK_EQ(r.page_size, 2 * MIB);
}

TEST(pae_not_present_at_each_level)
{
	struct guest_paging p;
	u64 pdpt;
	u64 gva = 0xc0201000;

	for (int level = 3; level >= 1; level--) {
		mem_reset();
		pdpt = new_table();
		map_pae(pdpt, gva, 0x5000, 1, TBL);
		set_bits64(entry_at(pdpt, 3, gva, level), 0, GW_P);
		p = pae_mode(pdpt);
		CHECK_PF(&p, gva, WALK_READ, false, 0);
		CHECK_PF(&p, gva, WALK_FETCH, true, PF_ERR_U | PF_ERR_ID);
	}
}

TEST(pae_reserved_bits)
{
	struct guest_paging p;
	u64 pdpt, pte;
	u64 gva = 0x00201000;

	mem_reset();
	pdpt = new_table();
	map_pae(pdpt, gva, 0x5000, 1, TBL);
	p = pae_mode(pdpt);
	pte = entry_at(pdpt, 3, gva, 1);
	set_bits64(pte, BIT(52), 0); /* reserved in PAE, ignored in long mode */
	CHECK_PF(&p, gva, WALK_READ, false, PF_ERR_P | PF_ERR_RSVD);
	set_bits64(pte, GW_XD, BIT(52));
	CHECK_PF(&p, gva, WALK_FETCH, false, PF_ERR_P | PF_ERR_ID);
	p.efer = 0; /* XD without NXE is a reserved bit */
	CHECK_PF(&p, gva, WALK_READ, false, PF_ERR_P | PF_ERR_RSVD);
	set_bits64(pte, 0, GW_XD);
	CHECK_GPA(&p, gva, WALK_READ, false, 0x5000);
	set_bits64(entry_at(pdpt, 3, gva, 3), GW_RW, 0); /* PDPTE has no R/W */
	CHECK_PF(&p, gva, WALK_READ, false, PF_ERR_P | PF_ERR_RSVD);
	set_bits64(entry_at(pdpt, 3, gva, 3), GW_PS, GW_RW);
	CHECK_PF(&p, gva, WALK_READ, false, PF_ERR_P | PF_ERR_RSVD);
}

TEST(pae_cr3_uses_bits_31_5)
{
	struct guest_paging p;
	u64 pdpt;

	mem_reset();
	pdpt = new_table() + 0x20; /* a PDPT only needs 32-byte alignment */
	map_pae(pdpt, 0x80001000, 0x9000, 1, TBL);
	p = pae_mode(pdpt | 0x18 | (0xabcdULL << 32));
	CHECK_GPA(&p, 0x80001234, WALK_READ, false, 0x9234);
}

/* ---- long mode ---- */

TEST(long_4k_page_low_and_high_half)
{
	struct guest_paging p;
	struct walk_result r;
	u64 cr3;

	cr3 = long_4k_setup(0x00007f1234567000ULL, 0x3456789000ULL, TBL);
	map64(cr3, 4, 0xffff800012345000ULL, 0x2000, 1, GW_P | GW_RW);
	p = long_mode(cr3);
	CHECK_EQ(walk(&p, 0x00007f1234567abcULL, WALK_WRITE, true, &r), 0);
	CHECK_EQ(r.gpa, 0x3456789abcULL);
	CHECK_EQ(r.page_size, PAGE_SIZE);
	CHECK_GPA(&p, 0xffff800012345678ULL, WALK_FETCH, false, 0x2678);
}

TEST(long_2m_and_1g_pages)
{
	struct guest_paging p;
	struct walk_result r;
	u64 cr3;

	mem_reset();
	cr3 = new_table();
	map64(cr3, 4, 0xffffffff80000000ULL, 0x7fe00000ULL, 2, TBL);
	map64(cr3, 4, 0x0000004080000000ULL, 0x1c0000000ULL, 3, TBL);
	p = long_mode(cr3);
	CHECK_EQ(walk(&p, 0xffffffff801fffffULL, WALK_READ, false, &r), 0);
	CHECK_EQ(r.gpa, 0x7fffffffULL);
	CHECK_EQ(r.page_size, 2 * MIB);
	CHECK_EQ(walk(&p, 0x00000040b2345678ULL, WALK_READ, true, &r), 0);
	CHECK_EQ(r.gpa, 0x1f2345678ULL);
	CHECK_EQ(r.page_size, GIB);
}

TEST(long_large_page_reserved_bits)
{
	struct guest_paging p;
	u64 cr3;

	mem_reset();
	cr3 = new_table();
	map64(cr3, 4, 0x200000, 0x400000, 2, TBL | BIT(12)); /* bit 12: PAT */
	map64(cr3, 4, 0x80000000ULL, 0x40000000ULL, 3, TBL);
	p = long_mode(cr3);
	CHECK_GPA(&p, 0x200010, WALK_READ, false, 0x400010);
	set_bits64(entry_at(cr3, 4, 0x200000, 2), BIT(13), 0);
	CHECK_PF(&p, 0x200010, WALK_READ, false, PF_ERR_P | PF_ERR_RSVD);
	set_bits64(entry_at(cr3, 4, 0x80000000ULL, 3), BIT(29), 0);
	CHECK_PF(&p, 0x80000000ULL, WALK_WRITE, true,
		 PF_ERR_P | PF_ERR_RSVD | PF_ERR_W | PF_ERR_U);
}

TEST(long_not_present_at_each_level)
{
	u64 gva = 0x00007f1234567000ULL;

	for (int level = 4; level >= 1; level--) {
		u64 cr3 = long_4k_setup(gva, 0x5000, TBL);
		struct guest_paging p = long_mode(cr3);

		set_bits64(entry_at(cr3, 4, gva, level), 0, GW_P);
		CHECK_PF(&p, gva, WALK_READ, false, 0);
		CHECK_PF(&p, gva, WALK_WRITE, true, PF_ERR_W | PF_ERR_U);
		CHECK_PF(&p, gva, WALK_FETCH, false, PF_ERR_ID);
		p.efer &= ~GW_EFER_NXE; /* I/D only reported with NXE or SMEP */
		CHECK_PF(&p, gva, WALK_FETCH, true, PF_ERR_U);
	}
}

TEST(long_write_to_read_only_page)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, GW_P | GW_US);
	struct guest_paging p = long_mode(cr3);

	p.cr0 &= ~GW_CR0_WP;
	CHECK_GPA(&p, gva, WALK_WRITE, false, 0x8000);
	CHECK_PF(&p, gva, WALK_WRITE, true, PF_ERR_P | PF_ERR_W | PF_ERR_U);
	p.cr0 |= GW_CR0_WP;
	CHECK_PF(&p, gva, WALK_WRITE, false, PF_ERR_P | PF_ERR_W);
	CHECK_GPA(&p, gva, WALK_READ, true, 0x8000);
}

TEST(long_read_only_upper_level_applies)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL);
	struct guest_paging p = long_mode(cr3);

	set_bits64(entry_at(cr3, 4, gva, 4), 0, GW_RW);
	CHECK_PF(&p, gva, WALK_WRITE, false, PF_ERR_P | PF_ERR_W);
	p.cr0 &= ~GW_CR0_WP;
	CHECK_GPA(&p, gva, WALK_WRITE, false, 0x8000);
}

TEST(long_user_access_to_supervisor_page)
{
	u64 gva = 0x00007f0000000000ULL;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL);
	struct guest_paging p = long_mode(cr3);

	set_bits64(entry_at(cr3, 4, gva, 3), 0, GW_US); /* PDPTE only */
	CHECK_PF(&p, gva, WALK_READ, true, PF_ERR_P | PF_ERR_U);
	CHECK_PF(&p, gva, WALK_FETCH, true, PF_ERR_P | PF_ERR_U | PF_ERR_ID);
	CHECK_GPA(&p, gva, WALK_READ, false, 0x8000);
	CHECK_GPA(&p, gva, WALK_FETCH, false, 0x8000);
}

TEST(long_nx_fetch_with_nxe)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL | GW_XD);
	struct guest_paging p = long_mode(cr3);

	CHECK_PF(&p, gva, WALK_FETCH, false, PF_ERR_P | PF_ERR_ID);
	CHECK_PF(&p, gva, WALK_FETCH, true, PF_ERR_P | PF_ERR_U | PF_ERR_ID);
	CHECK_GPA(&p, gva, WALK_READ, true, 0x8000);
	/* XD on the PML4E alone also forbids the fetch */
	set_bits64(entry_at(cr3, 4, gva, 1), 0, GW_XD);
	CHECK_GPA(&p, gva, WALK_FETCH, false, 0x8000);
	set_bits64(entry_at(cr3, 4, gva, 4), GW_XD, 0);
	CHECK_PF(&p, gva, WALK_FETCH, false, PF_ERR_P | PF_ERR_ID);
}

TEST(long_bit63_without_nxe_is_reserved)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL | GW_XD);
	struct guest_paging p = long_mode(cr3);

	p.efer &= ~GW_EFER_NXE;
	CHECK_PF(&p, gva, WALK_READ, false, PF_ERR_P | PF_ERR_RSVD);
	CHECK_PF(&p, gva, WALK_FETCH, false, PF_ERR_P | PF_ERR_RSVD);
	p.cr4 |= GW_CR4_SMEP; /* SMEP makes I/D reported */
	CHECK_PF(&p, gva, WALK_FETCH, false, PF_ERR_P | PF_ERR_RSVD | PF_ERR_ID);
}

TEST(long_ignored_high_bits_are_not_address)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL | bit_range(62, 52));
	struct guest_paging p = long_mode(cr3);

	CHECK_GPA(&p, gva, WALK_READ, false, 0x8000);
}

TEST(long_pml4e_with_ps_is_reserved)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL);
	struct guest_paging p = long_mode(cr3);

	set_bits64(entry_at(cr3, 4, gva, 4), GW_PS, 0);
	CHECK_PF(&p, gva, WALK_READ, false, PF_ERR_P | PF_ERR_RSVD);
	CHECK_PF(&p, gva, WALK_WRITE, true,
		 PF_ERR_P | PF_ERR_RSVD | PF_ERR_W | PF_ERR_U);
}

TEST(long_pte_bit7_is_pat_not_ps)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL | GW_PS);
	struct guest_paging p = long_mode(cr3);
	struct walk_result r;

	CHECK_EQ(walk(&p, gva + 0x10, WALK_READ, false, &r), 0);
	CHECK_EQ(r.gpa, 0x8010);
	CHECK_EQ(r.page_size, PAGE_SIZE);
}

TEST(smep_blocks_supervisor_fetch_from_user_page)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL);
	struct guest_paging p = long_mode(cr3);

	p.cr4 |= GW_CR4_SMEP;
	CHECK_PF(&p, gva, WALK_FETCH, false, PF_ERR_P | PF_ERR_ID);
	CHECK_GPA(&p, gva, WALK_FETCH, true, 0x8000);
	CHECK_GPA(&p, gva, WALK_READ, false, 0x8000); /* SMAP not modelled */
}

TEST(table_outside_memory_is_eio)
{
	u64 gva = 0x00007f1234567000ULL;
	u64 cr3 = long_4k_setup(gva, 0x5000, TBL);
	struct guest_paging p = long_mode(cr3);
	struct walk_result r;
	u64 pde = entry_at(cr3, 4, gva, 2);

	put64(pde, OUTSIDE | TBL);
	CHECK_EQ(walk(&p, gva, WALK_READ, false, &r), -EIO);
	CHECK_EQ(r.fault_gpa, OUTSIDE + ((gva >> 12) & 0x1ff) * 8);
	p.cr3 = OUTSIDE;
	CHECK_EQ(walk(&p, gva, WALK_READ, false, &r), -EIO);
	CHECK_EQ(r.fault_gpa, OUTSIDE + ((gva >> 39) & 0x1ff) * 8);
}

TEST(non_canonical_is_erange)
{
	u64 cr3 = long_4k_setup(0x1000, 0x5000, TBL);
	struct guest_paging p = long_mode(cr3);
	struct walk_result r;

	CHECK_EQ(walk(&p, 0x0000800000000000ULL, WALK_READ, false, &r), -ERANGE);
	CHECK_EQ(walk(&p, 0xffff7fffffffffffULL, WALK_READ, false, &r), -ERANGE);
	CHECK_EQ(walk(&p, 0x8000000000001000ULL, WALK_FETCH, false, &r), -ERANGE);
	CHECK_EQ(mem.reads, 0);
	CHECK_EQ(walk(&p, 0xffff800000000000ULL, WALK_READ, false, &r), -EFAULT);
	CHECK_EQ(walk(&p, 0x00007fffffffffffULL, WALK_READ, false, &r), -EFAULT);
}

TEST(five_level_paging)
{
	u64 gva = 0x00ff800012345000ULL; /* canonical only with 57 bits */
	struct guest_paging p;
	struct walk_result r;
	u64 cr3;

	mem_reset();
	cr3 = new_table();
	map64(cr3, 5, gva, 0x6000, 1, TBL);
	p = long_mode(cr3);
	CHECK_EQ(walk(&p, gva, WALK_READ, false, &r), -ERANGE);
	p.cr4 |= GW_CR4_LA57;
	CHECK_GPA(&p, gva + 0x321, WALK_READ, false, 0x6321);
	CHECK_EQ(walk(&p, 0x0100000000000000ULL, WALK_READ, false, &r), -ERANGE);
	set_bits64(entry_at(cr3, 5, gva, 5), GW_PS, 0);
	CHECK_PF(&p, gva, WALK_READ, false, PF_ERR_P | PF_ERR_RSVD);
}

TEST(cr3_flag_bits_ignored)
{
	u64 gva = 0x1000;
	u64 cr3 = long_4k_setup(gva, 0x8000, TBL);
	struct guest_paging p = long_mode(cr3 | 0x18);
	u64 pd;

	CHECK_GPA(&p, gva, WALK_READ, false, 0x8000);
	p.cr3 = cr3 | 0xfff | BIT(63); /* PCID and the no-flush hint */
	CHECK_GPA(&p, gva, WALK_READ, false, 0x8000);
	mem_reset();
	pd = new_table();
	map32_4k(pd, 0x00401000, 0x00302000, TBL);
	p = mode32(pd | 0x18);
	CHECK_GPA(&p, 0x00401000, WALK_READ, false, 0x00302000);
}

TEST(walk_never_writes_the_tables)
{
	static u8 before[64 * 1024];
	u64 gva = 0x00007f1234567000ULL;
	u64 cr3 = long_4k_setup(gva, 0x5000, TBL);
	struct guest_paging p = long_mode(cr3);

	memcpy(before, gmem + TABLES_START, sizeof(before));
	CHECK_GPA(&p, gva, WALK_WRITE, true, 0x5000);
	CHECK(memcmp(before, gmem + TABLES_START, sizeof(before)) == 0);
}

/* ---- fuzz ---- */

#define FUZZ_MEM (64 * 1024)
#define FUZZ_ROUNDS 600
#define FUZZ_WALKS 400

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random bytes, half the 8-byte words pointing back into the region. */
static void fuzz_fill(u8 *m)
{
	for (u64 off = 0; off < FUZZ_MEM; off += 8) {
		u64 v = rng();

		if (v & 1)
			v = (v & ~GW_ADDR) | (rng() & (FUZZ_MEM - 1) & GW_ADDR);
		for (int i = 0; i < 8; i++)
			m[off + i] = (u8)(v >> (8 * i));
	}
}

static struct guest_paging fuzz_paging(void)
{
	u64 bits = rng();
	struct guest_paging p = {
		.cr0 = (bits & 7) ? GW_CR0_PG : 0,
		.cr4 = bits & (GW_CR4_PSE | GW_CR4_PAE | GW_CR4_LA57 | GW_CR4_SMEP),
		.efer = (bits >> 32) & (GW_EFER_LMA | GW_EFER_NXE),
		.cr3 = (bits & 8) ? rng() : (rng() & (FUZZ_MEM - 1)),
	};

	p.cr0 |= bits & GW_CR0_WP;
	return p;
}

static u64 fuzz_gva(void)
{
	u64 v = rng();

	if (v & 1) /* often canonical: sign-extend bit 47 */
		v = (u64)((s64)(v << 16) >> 16);
	return v;
}

static void fuzz_check(int rc, const struct walk_result *r, u64 gva,
		       enum walk_access a, bool user, unsigned long *seen)
{
	if (rc == 0) {
		CHECK(r->page_size == PAGE_SIZE || r->page_size == 2 * MIB ||
		      r->page_size == 4 * MIB || r->page_size == GIB);
		CHECK_EQ((r->gpa ^ gva) & (r->page_size - 1), 0);
		seen[0]++;
	} else if (rc == -EFAULT) {
		CHECK_EQ(r->pf_error & ~0x1fU, 0);
		CHECK_EQ(!!(r->pf_error & PF_ERR_W), a == WALK_WRITE);
		CHECK_EQ(!!(r->pf_error & PF_ERR_U), user);
		CHECK(!(r->pf_error & PF_ERR_ID) || a == WALK_FETCH);
		seen[1]++;
	} else if (rc == -EIO) {
		CHECK(r->fault_gpa > FUZZ_MEM - 8);
		seen[2]++;
	} else {
		CHECK_EQ(rc, -ERANGE);
		seen[3]++;
	}
}

TEST(fuzz_random_tables)
{
	static u8 fmem[FUZZ_MEM];
	struct fake_mem m = { fmem, FUZZ_MEM, 0 };
	unsigned long seen[4] = { 0 };

	for (int round = 0; round < FUZZ_ROUNDS; round++) {
		fuzz_fill(fmem);
		for (int i = 0; i < FUZZ_WALKS; i++) {
			struct guest_paging p = fuzz_paging();
			enum walk_access a = (enum walk_access)(rng() % 3);
			bool user = rng() & 1;
			u64 gva = fuzz_gva();
			struct walk_result r;
			int rc = guest_walk(&p, gva, a, user, mem_read, &m, &r);

			fuzz_check(rc, &r, gva, a, user, seen);
		}
	}
	for (int k = 0; k < 4; k++)
		CHECK(seen[k] > 0);
}

RUN_TESTS("guest_walk", T(paging_off_is_identity_truncated_to_32_bits),
	  T(pg32_4k_page), T(pg32_4m_page_and_pse36),
	  T(pg32_ps_ignored_without_cr4_pse),
	  T(pg32_not_present_and_permissions),
	  T(pg32_table_outside_memory_is_eio), T(pae_4k_and_2m_pages),
	  T(pae_not_present_at_each_level), T(pae_reserved_bits),
	  T(pae_cr3_uses_bits_31_5), T(long_4k_page_low_and_high_half),
	  T(long_2m_and_1g_pages), T(long_large_page_reserved_bits),
	  T(long_not_present_at_each_level), T(long_write_to_read_only_page),
	  T(long_read_only_upper_level_applies),
	  T(long_user_access_to_supervisor_page), T(long_nx_fetch_with_nxe),
	  T(long_bit63_without_nxe_is_reserved),
	  T(long_ignored_high_bits_are_not_address),
	  T(long_pml4e_with_ps_is_reserved), T(long_pte_bit7_is_pat_not_ps),
	  T(smep_blocks_supervisor_fetch_from_user_page),
	  T(table_outside_memory_is_eio), T(non_canonical_is_erange),
	  T(five_level_paging), T(cr3_flag_bits_ignored),
	  T(walk_never_writes_the_tables), T(fuzz_random_tables))
