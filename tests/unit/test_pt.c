/* Unit tests for arch/x86/pt.c with both entry formats (svm/npt.c,
 * vmx/ept.c). Table pages come from aligned_alloc() through a tracking
 * allocator (pt_page_alloc/pt_page_free) that fills them with junk (pt.c must zero them), catches
 * foreign frees, counts live pages for leak checks and can be told to fail
 * after N allocations. Every PT_TEST runs once per format. */
#include "check.h"
#include "../../arch/x86/pt.c"
#include "../../arch/x86/svm/npt.c"
#include "../../arch/x86/vmx/ept.c"

#define K4 PAGE_SIZE
#define M2 (2 * MIB)
#define MAX_TRACKED 1024

struct test_mem {
	void *page[MAX_TRACKED];
	int live;
	long fail_after; /* allocations left before failing; < 0: never */
	long allocs;     /* successful allocations, ever */
	int bad_frees;
};

static struct test_mem tm;

u64 pt_page_alloc(void)
{
	struct test_mem *m = &tm;
	void *p;

	if (m->fail_after == 0)
		return 0;
	if (m->fail_after > 0)
		m->fail_after--;
	for (int i = 0; i < MAX_TRACKED; i++) {
		if (m->page[i])
			continue;
		p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
		if (!p)
			return 0;
		memset(p, 0xa5, PAGE_SIZE);
		m->page[i] = p;
		m->live++;
		m->allocs++;
		return (u64)(uintptr_t)p;
	}
	return 0;
}

void pt_page_free(u64 pa)
{
	struct test_mem *m = &tm;

	for (int i = 0; i < MAX_TRACKED; i++) {
		if (m->page[i] == (void *)(uintptr_t)pa) {
			free(m->page[i]);
			m->page[i] = NULL;
			m->live--;
			return;
		}
	}
	m->bad_frees++;
}

/* Re-protection is the unmap walk with new permissions instead of none;
 * the hypervisor does not use it, the tests do, to check that walk on
 * leaves it keeps. perms rules as for pt_map. */
static long protect(struct pt *pt, u64 gpa, u64 size, u32 perms)
{
	struct pt_op op = { .pt = pt, .perms = perms };

	if (!perms_valid(perms))
		return -EINVAL;
	return walk_twice(&op, gpa, size);
}

/* Fresh tracker and table; every test starts from here. */
static void setup(struct pt *pt, const struct pt_format *f)
{
	CHECK_EQ(tm.live, 0);
	memset(&tm, 0, sizeof(tm));
	tm.fail_after = -1;
	CHECK_EQ(pt_init(pt, f), 0);
	CHECK_EQ(pt->table_pages, 1);
	CHECK_EQ(tm.live, 1);
}

/* Destroys the table and checks that nothing leaked. */
static void teardown(struct pt *pt)
{
	pt_destroy(pt);
	CHECK_EQ(pt->table_pages, 0);
	CHECK_EQ(tm.live, 0);
	CHECK_EQ(tm.bad_frees, 0);
}

#define PT_TEST(name)                                                        \
	static void name##_body(const struct pt_format *f);                  \
	TEST(npt_##name) { name##_body(&npt_format); }                       \
	TEST(ept_##name) { name##_body(&ept_format); }                       \
	static void name##_body(const struct pt_format *f)
#define TT(name) T(npt_##name), T(ept_##name)

/* gpa maps to hpa with perms in a page of page_size. */
static bool maps(const struct pt *pt, u64 gpa, u64 hpa, u32 perms, u64 page_size)
{
	u64 h = 0, s = 0;
	u32 p = 0;

	if (!pt_lookup(pt, gpa, &h, &p, &s))
		return false;
	return h == hpa && p == perms && s == page_size;
}

static bool unmapped(const struct pt *pt, u64 gpa)
{
	return !pt_lookup(pt, gpa, NULL, NULL, NULL);
}

/* Every 4 KiB page of [gpa, gpa+size) maps linearly to hpa. */
static bool maps_range(const struct pt *pt, u64 gpa, u64 hpa, u64 size,
		       u32 perms, u64 page_size)
{
	for (u64 off = 0; off < size; off += K4)
		if (!maps(pt, gpa + off, hpa + off, perms, page_size))
			return false;
	return true;
}

static bool unmapped_range(const struct pt *pt, u64 gpa, u64 size)
{
	for (u64 off = 0; off < size; off += K4)
		if (!unmapped(pt, gpa + off))
			return false;
	return true;
}

/* --- snapshots: "nothing changed" ------------------------------------ */

#define SNAP_PAGES 4096

struct snap_page {
	bool mapped;
	u32 perms;
	u64 hpa, size;
};

struct snapshot {
	u64 base;
	struct snap_page page[SNAP_PAGES];
	u64 table_pages;
	int live;
};

static void snap_take(const struct pt *pt, u64 base, struct snapshot *s)
{
	s->base = base;
	for (u64 i = 0; i < SNAP_PAGES; i++) {
		struct snap_page *p = &s->page[i];

		memset(p, 0, sizeof(*p));
		p->mapped = pt_lookup(pt, base + i * K4, &p->hpa, &p->perms,
				      &p->size);
	}
	s->table_pages = pt->table_pages;
	s->live = tm.live;
}

static bool snap_same(const struct pt *pt, const struct snapshot *s)
{
	static struct snapshot now;

	snap_take(pt, s->base, &now);
	return !memcmp(now.page, s->page, sizeof(now.page)) &&
	       now.table_pages == s->table_pages && now.live == s->live;
}

/* The raw entry at `level` on the walk to gpa, 0 when the walk stops
 * earlier. */
static u64 raw_entry(const struct pt *pt, u64 gpa, int level)
{
	const u64 *table = (const u64 *)(uintptr_t)pt->root;

	for (int l = PT_TOP_LEVEL; l >= 0; l--) {
		u64 e = table[level_index(gpa, l)];

		if (l == level)
			return e;
		if (!present(pt->fmt, e) || is_leaf(pt->fmt, e, l))
			return 0;
		table = (const u64 *)(uintptr_t)entry_addr(pt->fmt, e);
	}
	return 0;
}

/* --- mapping --------------------------------------------------------- */

PT_TEST(map_4k_lookup)
{
	struct pt pt;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, 0x5000, 0x123456000, K4, PT_R | PT_W), 0);
	CHECK(maps(&pt, 0x5000, 0x123456000, PT_R | PT_W, K4));
	CHECK(maps(&pt, 0x5abc, 0x123456abc, PT_R | PT_W, K4));
	CHECK(maps(&pt, 0x5fff, 0x123456fff, PT_R | PT_W, K4));
	CHECK(unmapped(&pt, 0x4fff));
	CHECK(unmapped(&pt, 0x6000));
	CHECK(unmapped(&pt, 0x5000 + M2));
	CHECK(unmapped(&pt, PT_ADDR_LIMIT + 0x5000)); /* no aliasing above 2^48 */
	CHECK_EQ(pt.table_pages, 4);
	CHECK(pt_lookup(&pt, 0x5000, NULL, NULL, NULL));
	CHECK_EQ(pt_map(&pt, 0x7000, 0x9000, K4, PT_R | PT_X), 0);
	CHECK(maps(&pt, 0x7008, 0x9008, PT_R | PT_X, K4));
	CHECK_EQ(pt_map(&pt, 0x8000, 0xa000, K4, PT_R), 0);
	CHECK(maps(&pt, 0x8000, 0xa000, PT_R, K4));
	CHECK_EQ(pt.table_pages, 4);
	CHECK_EQ(tm.live, 4);
	teardown(&pt);
}

PT_TEST(map_2m_leaves)
{
	struct pt pt;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x80000000, 2 * M2, PT_RWX), 0);
	CHECK(maps(&pt, 0x40000000, 0x80000000, PT_RWX, M2));
	CHECK(maps(&pt, 0x40123456, 0x80123456, PT_RWX, M2));
	CHECK(maps(&pt, 0x40200000, 0x80200000, PT_RWX, M2));
	CHECK(maps(&pt, 0x403fffff, 0x803fffff, PT_RWX, M2));
	CHECK(maps_range(&pt, 0x40000000, 0x80000000, 2 * M2, PT_RWX, M2));
	CHECK(unmapped(&pt, 0x3ffff000));
	CHECK(unmapped(&pt, 0x40400000));
	CHECK_EQ(pt.table_pages, 3); /* PML4, PDPT, PD */
	CHECK(is_leaf(f, raw_entry(&pt, 0x40000000, 1), 1));
	CHECK(is_leaf(f, raw_entry(&pt, 0x40200000, 1), 1));
	teardown(&pt);
}

PT_TEST(map_misaligned_hpa_uses_4k)
{
	struct pt pt;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, 0x40000000, 0x80001000, 2 * M2, PT_R | PT_W), 0);
	CHECK(maps_range(&pt, 0x40000000, 0x80001000, 2 * M2, PT_R | PT_W, K4));
	CHECK_EQ(pt.table_pages, 5); /* PML4, PDPT, PD, two PTs */
	CHECK(!is_leaf(f, raw_entry(&pt, 0x40000000, 1), 1));
	teardown(&pt);
}

PT_TEST(map_mixed_head_middle_tail)
{
	struct pt pt;
	u64 gpa = M2 - 2 * K4, hpa = GIB + M2 - 2 * K4;
	u64 size = 2 * K4 + 2 * M2 + 3 * K4;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, gpa, hpa, size, PT_R | PT_X), 0);
	CHECK(maps_range(&pt, gpa, hpa, 2 * K4, PT_R | PT_X, K4));
	CHECK(maps_range(&pt, M2, GIB + M2, 2 * M2, PT_R | PT_X, M2));
	CHECK(maps_range(&pt, 3 * M2, GIB + 3 * M2, 3 * K4, PT_R | PT_X, K4));
	CHECK(unmapped(&pt, gpa - K4));
	CHECK(unmapped(&pt, gpa + size));
	CHECK_EQ(pt.table_pages, 5); /* PML4, PDPT, PD, head PT, tail PT */
	teardown(&pt);
}

/* A range crossing a PML4 entry boundary (512 GiB). */
PT_TEST(map_across_pml4_entries)
{
	struct pt pt;
	u64 gpa = 512 * GIB - M2;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, gpa, 4 * GIB, 2 * M2 + K4, PT_R), 0);
	CHECK(maps(&pt, gpa, 4 * GIB, PT_R, M2));
	CHECK(maps(&pt, 512 * GIB, 4 * GIB + M2, PT_R, M2));
	CHECK(maps(&pt, 512 * GIB + M2, 4 * GIB + 2 * M2, PT_R, K4));
	CHECK_EQ(pt.table_pages, 1 + 2 * 2 + 1);
	/* The top of the guest-physical space. */
	CHECK_EQ(pt_map(&pt, PT_ADDR_LIMIT - K4, PT_ADDR_LIMIT - K4, K4, PT_R), 0);
	CHECK(maps(&pt, PT_ADDR_LIMIT - 1, PT_ADDR_LIMIT - 1, PT_R, K4));
	teardown(&pt);
}

PT_TEST(map_eexist_changes_nothing)
{
	static struct snapshot s;
	struct pt pt;
	u64 base = GIB - 4 * M2;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, base + M2, 8 * GIB, M2, PT_RWX), 0);         /* 2M */
	CHECK_EQ(pt_map(&pt, base + 3 * M2 + 5 * K4, 0x1000, K4, PT_R), 0); /* 4K */
	snap_take(&pt, base, &s);
	/* Big ranges that would need new tables before the conflicts. */
	CHECK_EQ(pt_map(&pt, base, 16 * GIB, 4 * M2, PT_R), -EEXIST);
	CHECK_EQ(pt_map(&pt, 0, 16 * GIB, base + 2 * M2, PT_R), -EEXIST);
	CHECK_EQ(pt_map(&pt, base + 2 * M2, 16 * GIB + K4, 2 * M2, PT_R), -EEXIST);
	CHECK_EQ(pt_map(&pt, base + 2 * M2 - K4, 0, 2 * K4, PT_R), -EEXIST);
	CHECK_EQ(pt_map(&pt, base + 3 * M2 + 5 * K4, 0, K4, PT_R), -EEXIST);
	CHECK(snap_same(&pt, &s));
	/* Right next to both mappings is fine. */
	CHECK_EQ(pt_map(&pt, base + 3 * M2 + 4 * K4, 0, K4, PT_R), 0);
	CHECK_EQ(pt_map(&pt, base + 2 * M2, 0x10000, K4, PT_R), 0);
	teardown(&pt);
}

PT_TEST(einval)
{
	static struct snapshot s;
	struct pt pt;
	u64 top = PT_ADDR_LIMIT;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, M2, M2, M2, PT_R), 0);
	snap_take(&pt, 0, &s);
	CHECK_EQ(pt_map(&pt, 0x1001, 0, K4, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0x10, K4, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, 0x800, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, 0, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, K4, 0), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, K4, PT_W), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, K4, PT_X), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, K4, PT_W | PT_X), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, K4, PT_R | 8), -EINVAL);
	CHECK_EQ(pt_map(&pt, top, 0, K4, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, top - K4, 0, 2 * K4, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, top, K4, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, top - K4, 2 * K4, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, top, PT_R), -EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, 0, ~0xfffULL, PT_R), -EINVAL); /* wraps */
	CHECK_EQ(pt_map(&pt, ~0xfffULL, 0, K4, PT_R), -EINVAL);
	/* Invalid and conflicting: the arguments are checked first. */
	CHECK_EQ(pt_map(&pt, M2, M2, M2, PT_W), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, M2 + 1, K4), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, M2, 0), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, M2, 0x10), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, top - K4, 2 * K4), -EINVAL);
	CHECK_EQ(pt_unmap(&pt, K4, ~0xfffULL), -EINVAL);
	CHECK_EQ(protect(&pt, M2, K4, 0), -EINVAL);
	CHECK_EQ(protect(&pt, M2, K4, PT_W | PT_X), -EINVAL);
	CHECK_EQ(protect(&pt, M2, K4, PT_RWX | 16), -EINVAL);
	CHECK_EQ(protect(&pt, M2 + 8, K4, PT_R), -EINVAL);
	CHECK_EQ(protect(&pt, M2, 0, PT_R), -EINVAL);
	CHECK_EQ(protect(&pt, top, K4, PT_R), -EINVAL);
	CHECK(snap_same(&pt, &s));
	CHECK(maps(&pt, M2, M2, PT_R, M2));
	teardown(&pt);
}

PT_TEST(init_enomem)
{
	struct pt pt;

	memset(&tm, 0, sizeof(tm));
	tm.fail_after = 0;
	CHECK_EQ(pt_init(&pt, f), -ENOMEM);
	CHECK_EQ(tm.live, 0);
	CHECK_EQ(pt.root, 0);
	pt_destroy(&pt); /* harmless after a failed init */
	CHECK_EQ(tm.live, 0);
	tm.fail_after = -1;
	setup(&pt, f);
	CHECK_EQ(pt.fmt, f);
	teardown(&pt);
	pt_destroy(&pt); /* and after a destroy */
	CHECK_EQ(tm.live, 0);
}

/* --- unmapping ------------------------------------------------------- */

PT_TEST(unmap_splits_2m_leaf)
{
	struct pt pt;
	u64 gpa = 3 * GIB, hpa = 5 * GIB, hole = gpa + 5 * K4;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, gpa, hpa, M2, PT_R | PT_X), 0);
	CHECK_EQ(pt.table_pages, 3);
	CHECK_EQ(pt_unmap(&pt, hole, K4), 1);
	CHECK(unmapped(&pt, hole));
	CHECK(unmapped(&pt, hole + K4 - 1));
	CHECK(maps_range(&pt, gpa, hpa, 5 * K4, PT_R | PT_X, K4));
	CHECK(maps_range(&pt, hole + K4, hpa + 6 * K4, M2 - 6 * K4, PT_R | PT_X, K4));
	CHECK(maps(&pt, gpa + M2 - 1, hpa + M2 - 1, PT_R | PT_X, K4));
	CHECK_EQ(pt.table_pages, 4);
	/* Unmapping the rest frees the split table. */
	CHECK_EQ(pt_unmap(&pt, gpa, M2), 511);
	CHECK(unmapped_range(&pt, gpa, M2));
	CHECK_EQ(pt.table_pages, 1);
	CHECK_EQ(tm.live, 1);
	teardown(&pt);
}

/* A range whose two ends fall in different 2 MiB leaves splits both. */
PT_TEST(unmap_splits_both_ends)
{
	struct pt pt;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, 0, 0, 4 * M2, PT_RWX), 0);
	CHECK_EQ(pt_unmap(&pt, M2 - 3 * K4, M2 + 6 * K4), 512 + 6);
	CHECK(maps_range(&pt, 0, 0, M2 - 3 * K4, PT_RWX, K4));
	CHECK(unmapped_range(&pt, M2 - 3 * K4, M2 + 6 * K4));
	CHECK(maps_range(&pt, 2 * M2 + 3 * K4, 2 * M2 + 3 * K4, M2 - 3 * K4,
			 PT_RWX, K4));
	CHECK(maps_range(&pt, 3 * M2, 3 * M2, M2, PT_RWX, M2));
	CHECK_EQ(pt.table_pages, 3 + 2);
	teardown(&pt);
}

PT_TEST(unmap_holes_and_counts)
{
	struct pt pt;

	setup(&pt, f);
	CHECK_EQ(pt_unmap(&pt, 0, GIB), 0); /* nothing mapped at all */
	CHECK_EQ(pt_map(&pt, 0x10000, 0x90000, 3 * K4, PT_R), 0);
	CHECK_EQ(pt_map(&pt, 0x20000, 0xa0000, 2 * K4, PT_R), 0);
	CHECK_EQ(pt_map(&pt, 4 * M2, 4 * M2, M2, PT_R), 0);
	CHECK_EQ(pt_unmap(&pt, 0x11000, 0x10000), 2 + 1);
	CHECK(maps(&pt, 0x10000, 0x90000, PT_R, K4));
	CHECK(maps(&pt, 0x21000, 0xa1000, PT_R, K4));
	CHECK(unmapped(&pt, 0x11000));
	CHECK(unmapped(&pt, 0x20000));
	CHECK_EQ(pt_unmap(&pt, 0x11000, 0x10000), 0);
	CHECK_EQ(pt_unmap(&pt, 0, 8 * M2), 2 + 512);
	CHECK_EQ(pt.table_pages, 1);
	teardown(&pt);
}

PT_TEST(unmap_everything_frees_tables)
{
	struct pt pt;
	long pages = 0;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, 0, 0, 3 * M2 + 5 * K4, PT_RWX), 0);
	pages += 3 * 512 + 5;
	CHECK_EQ(pt_map(&pt, 7 * GIB + K4, 0x100000, 9 * K4, PT_R), 0);
	pages += 9;
	CHECK_EQ(pt_map(&pt, 700 * GIB, 900 * GIB, 2 * M2, PT_R | PT_W), 0);
	pages += 2 * 512;
	CHECK_EQ(pt_map(&pt, PT_ADDR_LIMIT - M2, 0, M2, PT_R), 0);
	pages += 512;
	CHECK(pt.table_pages > 8);
	CHECK_EQ(pt.table_pages, (u64)tm.live);
	CHECK_EQ(pt_unmap(&pt, 0, PT_ADDR_LIMIT), pages);
	CHECK_EQ(pt.table_pages, 1);
	CHECK_EQ(tm.live, 1);
	CHECK(unmapped(&pt, 0));
	CHECK(unmapped(&pt, 700 * GIB));
	/* Piecewise, one page at a time, also frees everything. */
	CHECK_EQ(pt_map(&pt, M2 - 4 * K4, 0, 8 * K4, PT_R), 0);
	for (u64 i = 0; i < 8; i++)
		CHECK_EQ(pt_unmap(&pt, M2 - 4 * K4 + i * K4, K4), 1);
	CHECK_EQ(pt.table_pages, 1);
	CHECK_EQ(tm.live, 1);
	teardown(&pt);
}

/* --- protection ------------------------------------------------------ */

PT_TEST(protect_readonly_splits)
{
	struct pt pt;
	u64 g = 2 * GIB, h = 6 * GIB;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, g, h, 2 * M2, PT_RWX), 0);
	/* From the middle of the first 2M leaf to the middle of the second. */
	CHECK_EQ(protect(&pt, g + M2 - 16 * K4, 32 * K4, PT_R), 32);
	CHECK(maps_range(&pt, g, h, M2 - 16 * K4, PT_RWX, K4));
	CHECK(maps_range(&pt, g + M2 - 16 * K4, h + M2 - 16 * K4, 32 * K4, PT_R, K4));
	CHECK(maps_range(&pt, g + M2 + 16 * K4, h + M2 + 16 * K4, M2 - 16 * K4,
			 PT_RWX, K4));
	CHECK_EQ(pt.table_pages, 5);
	/* A whole 4 KiB range, holes skipped. */
	CHECK_EQ(pt_unmap(&pt, g, K4), 1);
	CHECK_EQ(protect(&pt, g, 4 * K4, PT_R | PT_X), 3);
	CHECK(unmapped(&pt, g));
	CHECK(maps_range(&pt, g + K4, h + K4, 3 * K4, PT_R | PT_X, K4));
	CHECK(maps(&pt, g + 4 * K4, h + 4 * K4, PT_RWX, K4));
	CHECK_EQ(protect(&pt, 100 * GIB, GIB, PT_R), 0);
	teardown(&pt);
}

PT_TEST(protect_noexec_whole_leaves)
{
	struct pt pt;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, 0, 0x40000000, 2 * M2 + 2 * K4, PT_RWX), 0);
	CHECK_EQ(protect(&pt, 0, 2 * M2 + 2 * K4, PT_R | PT_W), 1024 + 2);
	CHECK(maps_range(&pt, 0, 0x40000000, 2 * M2, PT_R | PT_W, M2));
	CHECK(maps_range(&pt, 2 * M2, 0x40000000 + 2 * M2, 2 * K4, PT_R | PT_W, K4));
	CHECK_EQ(pt.table_pages, 4);
	/* Partly covering a leaf that already has the perms: no split. */
	CHECK_EQ(protect(&pt, K4, 3 * K4, PT_R | PT_W), 3);
	CHECK(maps(&pt, K4, 0x40000000 + K4, PT_R | PT_W, M2));
	CHECK_EQ(pt.table_pages, 4);
	/* Back to executable, partly: split. */
	CHECK_EQ(protect(&pt, M2 + K4, K4, PT_RWX), 1);
	CHECK(maps(&pt, M2 + K4, 0x40000000 + M2 + K4, PT_RWX, K4));
	CHECK(maps(&pt, M2, 0x40000000 + M2, PT_R | PT_W, K4));
	CHECK_EQ(pt.table_pages, 5);
	teardown(&pt);
}

/* --- out of memory ----------------------------------------------------- */

/* Runs op with allocation failure injected at every point in turn: each
 * failure returns -ENOMEM and leaves the snapshot window unchanged, until
 * the op succeeds. Returns the number of failure points. */
static int enomem_sweep(struct pt *pt, u64 window, long (*op)(struct pt *))
{
	static struct snapshot s;
	long ret;
	int n;

	snap_take(pt, window, &s);
	for (n = 0; n < 64; n++) {
		tm.fail_after = n;
		ret = op(pt);
		tm.fail_after = -1;
		if (ret != -ENOMEM)
			break;
		CHECK(snap_same(pt, &s));
	}
	CHECK(ret >= 0);
	return n;
}

/* Head PT, a 2M leaf, tail crossing into a new PDPT entry (new PD, PT). */
static long op_map_mixed(struct pt *pt)
{
	return pt_map(pt, GIB - M2 - 3 * K4, 2 * GIB - M2 - 3 * K4,
		      3 * K4 + M2 + 5 * K4, PT_R | PT_X);
}

/* One page on each side of the first PML4 entry boundary (512 GiB). */
static long op_map_pml4_boundary(struct pt *pt)
{
	return pt_map(pt, 512 * GIB - K4, 0, 2 * K4, PT_R);
}

static long op_unmap_two_splits(struct pt *pt)
{
	return pt_unmap(pt, GIB - 3 * M2 + K4, M2);
}

static long op_protect_two_splits(struct pt *pt)
{
	return protect(pt, GIB - 3 * M2 + 7 * K4, M2, PT_R);
}

PT_TEST(enomem_map_every_point)
{
	struct pt pt;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, GIB - 4 * M2, 0, M2, PT_R), 0); /* PDPT, PD exist */
	CHECK_EQ(enomem_sweep(&pt, GIB - 4 * M2, op_map_mixed), 3);
	CHECK(maps_range(&pt, GIB - M2 - 3 * K4, 2 * GIB - M2 - 3 * K4, 3 * K4,
			 PT_R | PT_X, K4));
	CHECK(maps(&pt, GIB - M2, 2 * GIB - M2, PT_R | PT_X, M2));
	CHECK(maps_range(&pt, GIB, 2 * GIB, 5 * K4, PT_R | PT_X, K4));
	teardown(&pt);

	/* From an empty table, across a PML4 boundary: 6 new tables. */
	setup(&pt, f);
	CHECK_EQ(enomem_sweep(&pt, 512 * GIB - M2, op_map_pml4_boundary), 6);
	CHECK(maps_range(&pt, 512 * GIB - K4, 0, 2 * K4, PT_R, K4));
	CHECK_EQ(tm.live, 7);
	teardown(&pt);
}

PT_TEST(enomem_split_every_point)
{
	struct pt pt;

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, GIB - 4 * M2, 0, 4 * M2, PT_RWX), 0);
	CHECK_EQ(enomem_sweep(&pt, GIB - 4 * M2, op_unmap_two_splits), 2);
	CHECK(maps_range(&pt, GIB - 4 * M2, 0, M2, PT_RWX, M2));
	CHECK(unmapped_range(&pt, GIB - 3 * M2 + K4, M2));
	CHECK(maps(&pt, GIB - 3 * M2, M2, PT_RWX, K4));
	CHECK(maps(&pt, GIB - 2 * M2 + K4, 2 * M2 + K4, PT_RWX, K4));
	CHECK_EQ(enomem_sweep(&pt, GIB - 4 * M2, op_protect_two_splits), 0);
	teardown(&pt);

	setup(&pt, f);
	CHECK_EQ(pt_map(&pt, GIB - 4 * M2, 0, 4 * M2, PT_RWX), 0);
	CHECK_EQ(enomem_sweep(&pt, GIB - 4 * M2, op_protect_two_splits), 2);
	CHECK(maps_range(&pt, GIB - 3 * M2 + 7 * K4, 1 * M2 + 7 * K4, M2, PT_R, K4));
	CHECK(maps(&pt, GIB - 3 * M2 + 6 * K4, M2 + 6 * K4, PT_RWX, K4));
	CHECK(maps(&pt, GIB - 2 * M2 + 7 * K4, 2 * M2 + 7 * K4, PT_RWX, K4));
	CHECK(maps(&pt, GIB - 4 * M2, 0, PT_RWX, M2));
	/* A single split (range inside one leaf) needs one page. */
	CHECK_EQ(pt_unmap(&pt, GIB - M2, M2), 512);
	CHECK_EQ(pt_map(&pt, GIB - M2, 0, M2, PT_R), 0);
	tm.fail_after = 0;
	CHECK_EQ(pt_unmap(&pt, GIB - M2 + K4, K4), -ENOMEM);
	tm.fail_after = 1;
	CHECK_EQ(pt_unmap(&pt, GIB - M2 + K4, K4), 1);
	tm.fail_after = -1;
	teardown(&pt);
}

PT_TEST(destroy_frees_everything)
{
	struct pt pt;

	setup(&pt, f);
	for (u64 i = 0; i < 16; i++)
		CHECK_EQ(pt_map(&pt, i * 37 * GIB + i * K4, i * M2, M2 + K4,
				PT_R | (u32)(i & 6)), 0);
	CHECK_EQ(pt_unmap(&pt, 37 * GIB + K4 + 9 * K4, K4), 1);
	CHECK_EQ(pt_map(&pt, PT_ADDR_LIMIT - K4, 0, K4, PT_R), 0); /* last entries */
	CHECK(pt.table_pages > 16);
	CHECK_EQ(pt.table_pages, (u64)tm.live);
	teardown(&pt);
}

/* --- raw entry encodings ----------------------------------------------- */

TEST(npt_raw_bits)
{
	struct pt pt;
	u64 e;

	setup(&pt, &npt_format);
	CHECK_EQ(pt_map(&pt, 0x1000, 0xabcd000, K4, PT_R | PT_W), 0);
	CHECK_EQ(pt_map(&pt, 0x2000, 0xabce000, K4, PT_R | PT_X), 0);
	CHECK_EQ(pt_map(&pt, 4 * M2, 0x7fe00000, M2, PT_R), 0);
	CHECK_EQ(pt_map(&pt, 6 * M2, 0xfffff800000, M2, PT_RWX), 0);
	for (int l = 3; l >= 1; l--) {
		e = raw_entry(&pt, 0x1000, l);
		CHECK_EQ(e & ~NPT_ADDR, NPT_P | NPT_RW | NPT_US);
		CHECK(e & NPT_ADDR);
	}
	e = raw_entry(&pt, 0x1000, 0);
	CHECK_EQ(e, 0xabcd000 | NPT_P | NPT_RW | NPT_US | NPT_NX);
	e = raw_entry(&pt, 0x2000, 0);
	CHECK_EQ(e, 0xabce000 | NPT_P | NPT_US);
	e = raw_entry(&pt, 4 * M2, 1);
	CHECK_EQ(e, 0x7fe00000 | NPT_P | NPT_US | NPT_PS | NPT_NX);
	e = raw_entry(&pt, 6 * M2, 1);
	CHECK_EQ(e, 0xfffff800000 | NPT_P | NPT_RW | NPT_US | NPT_PS);
	CHECK_EQ(e & (BIT(3) | BIT(4) | BIT(5) | BIT(6)), 0); /* PWT PCD A D */
	CHECK(is_leaf(&npt_format, 0, 0));
	CHECK(!is_leaf(&npt_format, NPT_PS, 2));
	CHECK_STR(npt_format.name, "npt");
	teardown(&pt);
}

TEST(ept_raw_bits)
{
	struct pt pt;
	u64 e, wb = 6ULL << 3;

	setup(&pt, &ept_format);
	CHECK_EQ(pt_map(&pt, 0x1000, 0xabcd000, K4, PT_R | PT_W), 0);
	CHECK_EQ(pt_map(&pt, 0x2000, 0xabce000, K4, PT_R | PT_X), 0);
	CHECK_EQ(pt_map(&pt, 0x3000, 0xabcf000, K4, PT_R), 0);
	CHECK_EQ(pt_map(&pt, 4 * M2, 0x7fe00000, M2, PT_R), 0);
	CHECK_EQ(pt_map(&pt, 6 * M2, 0xfffff800000, M2, PT_RWX), 0);
	for (int l = 3; l >= 1; l--)
		CHECK_EQ(raw_entry(&pt, 0x1000, l) & ~EPT_ADDR, 7);
	CHECK_EQ(raw_entry(&pt, 0x1000, 0), 0xabcd000 | wb | 3);
	CHECK_EQ(raw_entry(&pt, 0x2000, 0), 0xabce000 | wb | 5);
	CHECK_EQ(raw_entry(&pt, 0x3000, 0), 0xabcf000 | wb | 1);
	e = raw_entry(&pt, 4 * M2, 1);
	CHECK_EQ(e, 0x7fe00000 | BIT(7) | wb | 1);
	e = raw_entry(&pt, 6 * M2, 1);
	CHECK_EQ(e, 0xfffff800000 | BIT(7) | wb | 7);
	CHECK_EQ(e & BIT(6), 0); /* ignore PAT */
	CHECK(!present(&ept_format, BIT(7) | wb));
	CHECK(present(&ept_format, EPT_X));
	CHECK_STR(ept_format.name, "ept");
	teardown(&pt);
}

/* The descriptors against the manuals, bit numbers spelled out: EPT R, W,
 * X in bits 0-2, memory type in 5:3, large page bit 7; NPT P bit 0, RW 1,
 * US 2, PS 7, NX 63. */
TEST(formats_architectural_bits)
{
	const struct pt_format *n = &npt_format, *x = &ept_format;
	u64 wb = 6ULL << 3;

	CHECK_EQ(leaf_entry(x, 0x5000, PT_R, false), 0x5000 | wb | BIT(0));
	CHECK_EQ(leaf_entry(x, 0, PT_R | PT_W, false), wb | BIT(0) | BIT(1));
	CHECK_EQ(leaf_entry(x, 0, PT_R | PT_X, false), wb | BIT(0) | BIT(2));
	CHECK_EQ(leaf_entry(x, 0, PT_R, true), wb | BIT(0) | BIT(7));
	CHECK_EQ(table_entry(x, 0x5000), 0x5000 | BIT(0) | BIT(1) | BIT(2));
	CHECK(present(x, BIT(0)) && present(x, BIT(1)) && present(x, BIT(2)));
	CHECK(!present(x, wb | BIT(7)));
	CHECK_EQ(leaf_entry(n, 0x5000, PT_R, false),
		 0x5000 | BIT(0) | BIT(2) | BIT(63));
	CHECK_EQ(leaf_entry(n, 0, PT_R | PT_W, false),
		 BIT(0) | BIT(1) | BIT(2) | BIT(63));
	CHECK_EQ(leaf_entry(n, 0, PT_R | PT_X, false), BIT(0) | BIT(2));
	CHECK_EQ(leaf_entry(n, 0, PT_RWX, true),
		 BIT(0) | BIT(1) | BIT(2) | BIT(7));
	CHECK_EQ(table_entry(n, 0x5000), 0x5000 | BIT(0) | BIT(1) | BIT(2));
	CHECK(present(n, BIT(0)) && !present(n, BIT(1) | BIT(2) | BIT(63)));
	CHECK(is_leaf(n, BIT(0) | BIT(7), 1) && !is_leaf(n, BIT(0), 1));
	CHECK(is_leaf(x, BIT(0) | BIT(7), 1) && !is_leaf(x, BIT(0), 1));
	for (u32 p = PT_R; p <= PT_RWX; p += 2) {
		CHECK_EQ(leaf_perms(n, leaf_entry(n, 0, p, false)), p);
		CHECK_EQ(leaf_perms(x, leaf_entry(x, 0, p, true)), p);
	}
}

TEST(ept_pointer_value)
{
	CHECK_EQ(ept_pointer(0x12345000), 0x12345000 | (3 << 3) | 6);
	CHECK_EQ(ept_pointer(0x1000), 0x101e);
	CHECK_EQ(ept_pointer(0xffffffffff000), 0xffffffffff01e);
}

/* --- randomized, against a per-page shadow ----------------------------- */

#define RND_BASE (GIB - 8 * M2)  /* crosses a PDPT entry boundary */
#define RND_PAGES (16 * 512)     /* 32 MiB window */

struct shadow {
	u32 perms[RND_PAGES]; /* 0 = unmapped */
	u64 hpa[RND_PAGES];
};

static u64 rnd_state = 0x2545f4914f6cdd1dULL;
static long rnd_enomem, rnd_large_seen; /* proof the test reaches them */

static u64 rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return rnd_state >> 33;
}

static u32 rnd_perms(void)
{
	return PT_R | (u32)(rnd() & (PT_W | PT_X));
}

/* A random page-aligned sub-range of the window: [*first, *first+*n). */
static void rnd_range(u64 *first, u64 *n)
{
	u64 max = rnd() % 4 ? 64 : 3 * 512;

	*first = rnd() % RND_PAGES;
	if (rnd() % 3 == 0)
		*first &= ~511ULL; /* start on a 2 MiB boundary */
	*n = 1 + rnd() % max;
	if (rnd() % 3 == 0)
		*n = ALIGN_UP(*n, 512);
	*n = MIN(*n, RND_PAGES - *first);
}

/* Checks every page of the window against the shadow. */
static bool shadow_matches(const struct pt *pt, const struct shadow *sh)
{
	for (u64 i = 0; i < RND_PAGES; i++) {
		u64 hpa, size;
		u32 perms;
		bool mapped = pt_lookup(pt, RND_BASE + i * K4, &hpa, &perms, &size);

		if (mapped != (sh->perms[i] != 0))
			return false;
		if (mapped && (hpa != sh->hpa[i] || perms != sh->perms[i]))
			return false;
		if (mapped && size == M2 && ((RND_BASE + i * K4) ^ hpa) & (M2 - 1))
			return false;
		rnd_large_seen += mapped && size == M2;
	}
	return pt->table_pages == (u64)tm.live;
}

/* Fails one of the next few allocations now and then. */
static void rnd_arm_failure(void)
{
	tm.fail_after = rnd() % 4 == 0 ? (long)(rnd() % 2) : -1;
}

static void rnd_map(struct pt *pt, struct shadow *sh)
{
	u64 first, n, hpa = (rnd() % 4096) * M2;
	u32 perms = rnd_perms();
	bool busy = false;
	int ret;

	rnd_range(&first, &n);
	if (rnd() % 2)
		hpa += (first % 512) * K4; /* same 2M phase as the gpa */
	else
		hpa += (rnd() % 512) * K4;
	for (u64 i = first; i < first + n; i++)
		busy |= sh->perms[i] != 0;
	rnd_arm_failure();
	ret = pt_map(pt, RND_BASE + first * K4, hpa, n * K4, perms);
	tm.fail_after = -1;
	if (ret == -ENOMEM && !busy) {
		rnd_enomem++;
		return;
	}
	CHECK_EQ(ret, busy ? -EEXIST : 0);
	for (u64 i = first; !busy && i < first + n; i++) {
		sh->perms[i] = perms;
		sh->hpa[i] = hpa + (i - first) * K4;
	}
}

/* Unmap (perms == 0) or protect, with a failure injected now and then. */
static void rnd_range_op(struct pt *pt, struct shadow *sh, u32 perms)
{
	u64 first, n, mapped = 0;
	long ret;

	rnd_range(&first, &n);
	for (u64 i = first; i < first + n; i++)
		mapped += sh->perms[i] != 0;
	rnd_arm_failure();
	if (perms)
		ret = protect(pt, RND_BASE + first * K4, n * K4, perms);
	else
		ret = pt_unmap(pt, RND_BASE + first * K4, n * K4);
	tm.fail_after = -1;
	if (ret == -ENOMEM) {
		rnd_enomem++;
		return; /* shadow_matches() proves nothing changed */
	}
	CHECK_EQ(ret, mapped);
	for (u64 i = first; i < first + n; i++)
		if (sh->perms[i])
			sh->perms[i] = perms;
}

TEST(random_vs_shadow)
{
	static struct shadow sh;
	struct pt pt;

	for (int fi = 0; fi < 2; fi++) {
		const struct pt_format *f = fi ? &ept_format : &npt_format;

		memset(&sh, 0, sizeof(sh));
		setup(&pt, f);
		for (int step = 0; step < 3000; step++) {
			u64 op = rnd() % 10;

			if (op < 5)
				rnd_map(&pt, &sh);
			else if (op < 8)
				rnd_range_op(&pt, &sh, 0);
			else
				rnd_range_op(&pt, &sh, rnd_perms());
			if (!shadow_matches(&pt, &sh)) {
				CHECK(!"page tables differ from the shadow");
				break;
			}
		}
		CHECK(pt_unmap(&pt, RND_BASE, RND_PAGES * K4) >= 0);
		CHECK_EQ(pt.table_pages, 1);
		teardown(&pt);
	}
	CHECK(rnd_enomem > 40);
	CHECK(rnd_large_seen > 0);
}

RUN_TESTS("pt",
	  TT(map_4k_lookup), TT(map_2m_leaves), TT(map_misaligned_hpa_uses_4k),
	  TT(map_mixed_head_middle_tail), TT(map_across_pml4_entries),
	  TT(map_eexist_changes_nothing), TT(einval), TT(init_enomem),
	  TT(unmap_splits_2m_leaf), TT(unmap_splits_both_ends),
	  TT(unmap_holes_and_counts), TT(unmap_everything_frees_tables),
	  TT(protect_readonly_splits), TT(protect_noexec_whole_leaves),
	  TT(enomem_map_every_point), TT(enomem_split_every_point),
	  TT(destroy_frees_everything), T(npt_raw_bits), T(ept_raw_bits), T(formats_architectural_bits),
	  T(ept_pointer_value), T(random_vs_shadow))
