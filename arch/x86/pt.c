/* Generic 4-level stage-2 page tables (see pt.h). Errors never leave a
 * half-done change behind: every operation first checks its arguments
 * and the existing mappings, then counts the table pages it will need and
 * allocates all of them into a private pool, and only then modifies the
 * tables, drawing from the pool, which cannot fail. */
#include "arch/x86/pt.h"
#include "lib/errno.h"
#include "lib/string.h"

#define PT_ENTRIES 512
#define PT_TOP_LEVEL 3
#define PT_SIZE_2M (2 * MIB)

/* Pre-allocated table pages, linked through their first word. */
struct pt_pool {
	u64 head;
	u64 count;
};

/* An unmap (perms == 0) or protect over [.., end). */
struct pt_range_op {
	struct pt *pt;
	struct pt_pool pool;
	u64 end;
	u32 perms;
	long pages;
};

static u64 level_size(int level)
{
	return 1ULL << (PAGE_SHIFT + 9 * level);
}

static unsigned level_index(u64 gpa, int level)
{
	return (gpa >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}

/* End of the part of [gpa, end) that falls in gpa's entry at `level`. */
static u64 chunk_end(u64 gpa, int level, u64 end)
{
	u64 next = ALIGN_DOWN(gpa, level_size(level)) + level_size(level);

	return MIN(next, end);
}

/* Table pages are identity-mapped in the hypervisor and are their own
 * addresses in the unit tests. */
static u64 *table_at(u64 pa)
{
	return (u64 *)(uintptr_t)pa;
}

static bool perms_valid(u32 perms)
{
	return (perms & PT_R) && !(perms & ~PT_RWX);
}

/* [base, base+size) is 4 KiB aligned, non-empty and below 2^48. */
static bool range_valid(u64 base, u64 size)
{
	if ((base | size) & (PAGE_SIZE - 1))
		return false;
	return size && base < PT_ADDR_LIMIT && size <= PT_ADDR_LIMIT - base;
}

/* --- entry encoding (struct pt_format) ------------------------------ */

static bool present(const struct pt_format *f, u64 e)
{
	return e & f->present;
}

static bool is_leaf(const struct pt_format *f, u64 e, int level)
{
	return level == 0 || (level == 1 && (e & f->large));
}

static u64 entry_addr(const struct pt_format *f, u64 e)
{
	return e & f->addr;
}

static u64 table_entry(const struct pt_format *f, u64 table_pa)
{
	return (table_pa & f->addr) | f->table;
}

/* large: a 2 MiB leaf at level 1. */
static u64 leaf_entry(const struct pt_format *f, u64 pa, u32 perms,
		      bool large)
{
	u64 e = (pa & f->addr) | f->leaf | (large ? f->large : 0);

	for (int i = 0; i < PT_PERM_COUNT; i++)
		e |= (perms & (1u << i)) ? f->grant[i] : f->deny[i];
	return e;
}

static u32 leaf_perms(const struct pt_format *f, u64 e)
{
	u32 perms = 0;

	for (int i = 0; i < PT_PERM_COUNT; i++)
		if ((e & (f->grant[i] | f->deny[i])) == f->grant[i])
			perms |= 1u << i;
	return perms;
}

/* --- table page pool ------------------------------------------------- */

static void pool_put(struct pt_pool *pool, u64 pa)
{
	*table_at(pa) = pool->head;
	pool->head = pa;
	pool->count++;
}

static void pool_drain(struct pt_pool *pool)
{
	while (pool->count) {
		u64 pa = pool->head;

		pool->head = *table_at(pa);
		pool->count--;
		pt_page_free(pa);
	}
}

/* Allocates n pages into the pool; all or nothing. */
static int pool_fill(struct pt_pool *pool, u64 n)
{
	while (pool->count < n) {
		u64 pa = pt_page_alloc();

		if (!pa) {
			pool_drain(pool);
			return -ENOMEM;
		}
		pool_put(pool, pa);
	}
	return 0;
}

/* A zeroed table from the pool, which the caller sized beforehand. */
static u64 pool_take_table(struct pt *pt, struct pt_pool *pool)
{
	u64 pa = pool->head;

	pool->head = *table_at(pa);
	pool->count--;
	memset(table_at(pa), 0, PAGE_SIZE);
	pt->table_pages++;
	return pa;
}

static void table_free(struct pt *pt, u64 pa)
{
	pt_page_free(pa);
	pt->table_pages--;
}

static bool table_is_empty(const struct pt *pt, const u64 *table)
{
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (present(pt->fmt, table[i]))
			return false;
	return true;
}

/* --- lookup ---------------------------------------------------------- */

/* The leaf entry mapping gpa and its level, or NULL when unmapped. */
static u64 *leaf_for(const struct pt *pt, u64 gpa, int *level)
{
	u64 *table = table_at(pt->root);

	for (int l = PT_TOP_LEVEL; l >= 0; l--) {
		u64 *e = &table[level_index(gpa, l)];

		if (!present(pt->fmt, *e))
			return NULL;
		if (is_leaf(pt->fmt, *e, l)) {
			*level = l;
			return e;
		}
		table = table_at(entry_addr(pt->fmt, *e));
	}
	return NULL;
}

bool pt_lookup(const struct pt *pt, u64 gpa, u64 *hpa, u32 *perms,
	       u64 *page_size)
{
	u64 *e, size;
	int level;

	if (gpa >= PT_ADDR_LIMIT || !(e = leaf_for(pt, gpa, &level)))
		return false;
	size = level_size(level);
	if (hpa)
		*hpa = entry_addr(pt->fmt, *e) + (gpa & (size - 1));
	if (perms)
		*perms = leaf_perms(pt->fmt, *e);
	if (page_size)
		*page_size = size;
	return true;
}

/* --- map ------------------------------------------------------------- */

/* A 2 MiB leaf fits [gpa, next) at level 1 mapped to hpa. */
static bool fits_large(int level, u64 gpa, u64 hpa, u64 next)
{
	return level == 1 && !((gpa | hpa) & (PT_SIZE_2M - 1)) &&
	       next - gpa == PT_SIZE_2M;
}

/* Whether any page of [gpa, end) is mapped below `table` (at `level`). */
static bool range_mapped(const struct pt *pt, u64 table_pa, int level,
			 u64 gpa, u64 end)
{
	const struct pt_format *fmt = pt->fmt;
	const u64 *table = table_at(table_pa);

	for (u64 next; gpa < end; gpa = next) {
		u64 e = table[level_index(gpa, level)];

		next = chunk_end(gpa, level, end);
		if (!present(fmt, e))
			continue;
		if (is_leaf(fmt, e, level) ||
		    range_mapped(pt, entry_addr(fmt, e), level - 1, gpa, next))
			return true;
	}
	return false;
}

/* New tables that mapping [gpa, end) below the table at `table_pa` (0:
 * not allocated yet) will need. The range must be unmapped. */
static u64 tables_needed(const struct pt *pt, u64 table_pa, int level,
			 u64 gpa, u64 hpa, u64 end)
{
	u64 n = 0;

	if (level == 0)
		return 0;
	for (u64 next; gpa < end; hpa += next - gpa, gpa = next) {
		u64 child = 0;

		next = chunk_end(gpa, level, end);
		if (fits_large(level, gpa, hpa, next))
			continue;
		if (table_pa) {
			u64 e = table_at(table_pa)[level_index(gpa, level)];

			if (present(pt->fmt, e))
				child = entry_addr(pt->fmt, e);
		}
		n += !child;
		n += tables_needed(pt, child, level - 1, gpa, hpa, next);
	}
	return n;
}

static void map_level(struct pt *pt, struct pt_pool *pool, u64 table_pa,
		      int level, u64 gpa, u64 hpa, u64 end, u32 perms)
{
	const struct pt_format *fmt = pt->fmt;
	u64 *table = table_at(table_pa);

	for (u64 next; gpa < end; hpa += next - gpa, gpa = next) {
		u64 *e = &table[level_index(gpa, level)];

		next = chunk_end(gpa, level, end);
		if (level == 0 || fits_large(level, gpa, hpa, next)) {
			*e = leaf_entry(fmt, hpa, perms, level == 1);
			continue;
		}
		if (!present(fmt, *e))
			*e = table_entry(fmt, pool_take_table(pt, pool));
		map_level(pt, pool, entry_addr(fmt, *e), level - 1, gpa, hpa,
			  next, perms);
	}
}

int pt_map(struct pt *pt, u64 gpa, u64 hpa, u64 size, u32 perms)
{
	struct pt_pool pool = { 0, 0 };
	u64 end = gpa + size;
	u64 tables;
	int ret;

	if (!range_valid(gpa, size) || !range_valid(hpa, size) ||
	    !perms_valid(perms))
		return -EINVAL;
	if (range_mapped(pt, pt->root, PT_TOP_LEVEL, gpa, end))
		return -EEXIST;
	tables = tables_needed(pt, pt->root, PT_TOP_LEVEL, gpa, hpa, end);
	ret = pool_fill(&pool, tables);
	if (ret)
		return ret;
	map_level(pt, &pool, pt->root, PT_TOP_LEVEL, gpa, hpa, end, perms);
	pool_drain(&pool);
	return 0;
}

/* --- unmap and protect ----------------------------------------------- */

/* Replaces the 2 MiB leaf *e by a table of 512 equivalent 4 KiB leaves. */
static void split_large(struct pt *pt, struct pt_pool *pool, u64 *e)
{
	const struct pt_format *fmt = pt->fmt;
	u64 table_pa = pool_take_table(pt, pool);
	u64 *table = table_at(table_pa);
	u64 base = entry_addr(fmt, *e);
	u32 perms = leaf_perms(fmt, *e);

	for (unsigned i = 0; i < PT_ENTRIES; i++)
		table[i] = leaf_entry(fmt, base + i * PAGE_SIZE, perms, false);
	*e = table_entry(fmt, table_pa);
}

/* Leaf e at `level` covers [gpa, next) of the range only partly and the
 * operation would treat the two parts differently. */
static bool split_needed(const struct pt_range_op *op, u64 e, int level,
			 u64 gpa, u64 next)
{
	if (level != 1 || !is_leaf(op->pt->fmt, e, 1))
		return false;
	if (next - gpa == PT_SIZE_2M)
		return false;
	return !op->perms || leaf_perms(op->pt->fmt, e) != op->perms;
}

/* Splits needed by [gpa, end): only the 2 MiB regions holding its two
 * ends can be partly covered. */
static u64 splits_needed(const struct pt_range_op *op, u64 gpa)
{
	u64 ends[2] = { gpa, op->end - 1 };
	u64 n = 0;

	for (int i = 0; i < 2; i++) {
		u64 region = ALIGN_DOWN(ends[i], PT_SIZE_2M);
		u64 *e;
		int level;

		if (i == 1 && region == ALIGN_DOWN(gpa, PT_SIZE_2M))
			break;
		e = leaf_for(op->pt, ends[i], &level);
		if (e && split_needed(op, *e, level, MAX(region, gpa),
				      MIN(region + PT_SIZE_2M, op->end)))
			n++;
	}
	return n;
}

/* Unmaps or re-protects the whole leaf *e. */
static void apply_leaf(struct pt_range_op *op, u64 *e, int level)
{
	const struct pt_format *fmt = op->pt->fmt;
	u64 pa = entry_addr(fmt, *e);

	*e = op->perms ? leaf_entry(fmt, pa, op->perms, level == 1) : 0;
}

static void range_op_level(struct pt_range_op *op, u64 table_pa, int level,
			   u64 gpa, u64 end);

/* Applies the operation to [gpa, next), all of it under entry *e. */
static void range_op_entry(struct pt_range_op *op, u64 *e, int level,
			   u64 gpa, u64 next)
{
	struct pt *pt = op->pt;
	u64 child;

	if (!present(pt->fmt, *e))
		return;
	if (is_leaf(pt->fmt, *e, level) &&
	    !split_needed(op, *e, level, gpa, next)) {
		/* A partly covered leaf is left alone: it has op->perms. */
		if (next - gpa == level_size(level))
			apply_leaf(op, e, level);
		op->pages += (next - gpa) >> PAGE_SHIFT;
		return;
	}
	if (is_leaf(pt->fmt, *e, level))
		split_large(pt, &op->pool, e);
	child = entry_addr(pt->fmt, *e);
	range_op_level(op, child, level - 1, gpa, next);
	if (!op->perms && table_is_empty(pt, table_at(child))) {
		*e = 0;
		table_free(pt, child);
	}
}

static void range_op_level(struct pt_range_op *op, u64 table_pa, int level,
			   u64 gpa, u64 end)
{
	u64 *table = table_at(table_pa);

	for (u64 next; gpa < end; gpa = next) {
		next = chunk_end(gpa, level, end);
		range_op_entry(op, &table[level_index(gpa, level)], level, gpa,
			       next);
	}
}

/* Shared body of pt_unmap (perms == 0) and pt_protect. */
static long range_op(struct pt *pt, u64 gpa, u64 size, u32 perms)
{
	struct pt_range_op op = {
		.pt = pt, .end = gpa + size, .perms = perms, .pages = 0,
	};
	int ret;

	if (!range_valid(gpa, size))
		return -EINVAL;
	ret = pool_fill(&op.pool, splits_needed(&op, gpa));
	if (ret)
		return ret;
	range_op_level(&op, pt->root, PT_TOP_LEVEL, gpa, op.end);
	pool_drain(&op.pool);
	return op.pages;
}

long pt_unmap(struct pt *pt, u64 gpa, u64 size)
{
	return range_op(pt, gpa, size, 0);
}

long pt_protect(struct pt *pt, u64 gpa, u64 size, u32 perms)
{
	if (!perms_valid(perms))
		return -EINVAL;
	return range_op(pt, gpa, size, perms);
}

/* --- setup and teardown ---------------------------------------------- */

int pt_init(struct pt *pt, const struct pt_format *fmt)
{
	struct pt_pool pool = { 0, 0 };
	int ret;

	pt->root = 0;
	pt->table_pages = 0;
	pt->fmt = fmt;
	ret = pool_fill(&pool, 1);
	if (ret)
		return ret;
	pt->root = pool_take_table(pt, &pool);
	return 0;
}

/* Frees the table at `table_pa` and every table below it. */
static void free_tables(struct pt *pt, u64 table_pa, int level)
{
	const u64 *table = table_at(table_pa);

	for (unsigned i = 0; level > 0 && i < PT_ENTRIES; i++) {
		u64 e = table[i];

		if (present(pt->fmt, e) && !is_leaf(pt->fmt, e, level))
			free_tables(pt, entry_addr(pt->fmt, e), level - 1);
	}
	table_free(pt, table_pa);
}

void pt_destroy(struct pt *pt)
{
	if (!pt->root)
		return;
	free_tables(pt, pt->root, PT_TOP_LEVEL);
	pt->root = 0;
}
