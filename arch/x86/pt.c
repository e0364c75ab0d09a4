/* Generic 4-level stage-2 page tables (see pt.h). Errors never leave a
 * half-done change behind: map and unmap walk their range twice with the
 * same code. The first walk is a dry run that changes nothing: it counts
 * the mapped pages in the range and the table pages the change will
 * need. Those are allocated up front, and the second walk makes the
 * change, drawing tables from that pool, which cannot fail. */
#include "arch/x86/pt.h"
#include "lib/errno.h"
#include "lib/string.h"

#define PT_ENTRIES 512
#define PT_TOP_LEVEL 3
#define PT_SIZE_2M (2 * MIB)

/* One map, unmap or re-protection (perms without map) of a range. */
struct pt_op {
	struct pt *pt;
	bool map;
	u32 perms;    /* map, re-protect: the new permissions; unmap: 0 */
	u64 offset;   /* map: hpa - gpa */
	bool apply;   /* false in the dry run */
	long pages;   /* dry run: mapped 4 KiB pages found in the range */
	u64 tables;   /* dry run: table pages the change needs */
	u64 pool;     /* the pre-allocated tables, linked by their first word */
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

/* --- table pages ----------------------------------------------------- */

static void pool_drain(u64 *pool)
{
	while (*pool) {
		u64 pa = *pool;

		*pool = *table_at(pa);
		pt_page_free(pa);
	}
}

/* Allocates n pages onto the pool; all or nothing. */
static int pool_fill(u64 *pool, u64 n)
{
	for (; n; n--) {
		u64 pa = pt_page_alloc();

		if (!pa) {
			pool_drain(pool);
			return -ENOMEM;
		}
		*table_at(pa) = *pool;
		*pool = pa;
	}
	return 0;
}

/* A zeroed table from the pool, which the caller sized beforehand. */
static u64 table_take(struct pt *pt, u64 *pool)
{
	u64 pa = *pool;

	*pool = *table_at(pa);
	memset(table_at(pa), 0, PAGE_SIZE);
	pt->table_pages++;
	return pa;
}

static void table_free(struct pt *pt, u64 pa)
{
	pt_page_free(pa);
	pt->table_pages--;
}

static bool table_is_empty(const struct pt_format *f, const u64 *table)
{
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (present(f, table[i]))
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

/* --- map, unmap, re-protect ------------------------------------------ */

/* A 2 MiB leaf fits [gpa, next) at level 1 mapped to hpa. */
static bool fits_large(int level, u64 gpa, u64 hpa, u64 next)
{
	return level == 1 && !((gpa | hpa) & (PT_SIZE_2M - 1)) &&
	       next - gpa == PT_SIZE_2M;
}

/* Replaces the 2 MiB leaf *e by a table of 512 equivalent 4 KiB leaves. */
static void split_large(struct pt_op *op, u64 *e)
{
	const struct pt_format *f = op->pt->fmt;
	u64 table_pa = table_take(op->pt, &op->pool);
	u64 *table = table_at(table_pa);

	for (unsigned i = 0; i < PT_ENTRIES; i++)
		table[i] = leaf_entry(f, entry_addr(f, *e) + i * PAGE_SIZE,
				      leaf_perms(f, *e), false);
	*e = table_entry(f, table_pa);
}

/* A map meets the empty entry *e: puts a leaf there when one fits, else
 * a new table (returns true: the walk goes on below). */
static bool visit_hole(struct pt_op *op, u64 *e, int level, u64 gpa,
		       u64 next)
{
	const struct pt_format *f = op->pt->fmt;
	u64 hpa = gpa + op->offset;

	if (level == 0 || fits_large(level, gpa, hpa, next)) {
		if (op->apply)
			*e = leaf_entry(f, hpa, op->perms, level == 1);
		return false;
	}
	if (op->apply)
		*e = table_entry(f, table_take(op->pt, &op->pool));
	else
		op->tables++;
	return true;
}

/* The existing leaf *e meets [gpa, next): a conflict for a map; an unmap
 * or re-protection changes it when the range covers all of it, leaves it
 * alone when it already has the permissions, and otherwise splits it
 * (returns true: the walk goes on below, the dry run stops here). */
static bool visit_leaf(struct pt_op *op, u64 *e, int level, u64 gpa,
		       u64 next)
{
	const struct pt_format *f = op->pt->fmt;

	if (!op->apply)
		op->pages += (next - gpa) >> PAGE_SHIFT;
	if (op->map || (op->perms && leaf_perms(f, *e) == op->perms))
		return false;
	if (next - gpa == level_size(level)) {
		if (op->apply)
			*e = op->perms ? leaf_entry(f, entry_addr(f, *e), op->perms,
						    level == 1) : 0;
		return false;
	}
	if (op->apply)
		split_large(op, e);
	else
		op->tables++;
	return op->apply;
}

static void walk_level(struct pt_op *op, u64 *table, int level, u64 gpa,
		       u64 end);

/* Applies the operation to [gpa, next), all of it under entry *e at
 * `level`; an unmap frees the table below when it leaves it empty. */
static void walk_entry(struct pt_op *op, u64 *e, int level, u64 gpa,
		       u64 next)
{
	const struct pt_format *f = op->pt->fmt;
	u64 *child;

	if (!present(f, *e)) {
		if (!op->map || !visit_hole(op, e, level, gpa, next))
			return;
	} else if (is_leaf(f, *e, level) &&
		   !visit_leaf(op, e, level, gpa, next)) {
		return;
	}
	child = present(f, *e) ? table_at(entry_addr(f, *e)) : NULL;
	walk_level(op, child, level - 1, gpa, next);
	if (op->apply && !op->perms && table_is_empty(f, child)) {
		table_free(op->pt, entry_addr(f, *e));
		*e = 0;
	}
}

/* The dry run walks tables that do not exist yet as empty (NULL). */
static void walk_level(struct pt_op *op, u64 *table, int level, u64 gpa,
		       u64 end)
{
	for (u64 next; gpa < end; gpa = next) {
		u64 none = 0;

		next = chunk_end(gpa, level, end);
		walk_entry(op, table ? &table[level_index(gpa, level)] : &none,
			   level, gpa, next);
	}
}

/* The dry run, the allocation of what it counted, the change. Returns
 * the number of mapped pages the range held, -EEXIST when a map finds
 * any, -EINVAL or -ENOMEM. */
static long walk_twice(struct pt_op *op, u64 gpa, u64 size)
{
	u64 *root = table_at(op->pt->root);

	if (!range_valid(gpa, size))
		return -EINVAL;
	walk_level(op, root, PT_TOP_LEVEL, gpa, gpa + size);
	if (op->map && op->pages)
		return -EEXIST;
	if (pool_fill(&op->pool, op->tables))
		return -ENOMEM;
	op->apply = true;
	walk_level(op, root, PT_TOP_LEVEL, gpa, gpa + size);
	return op->pages;
}

int pt_map(struct pt *pt, u64 gpa, u64 hpa, u64 size, u32 perms)
{
	struct pt_op op = {
		.pt = pt, .map = true, .perms = perms, .offset = hpa - gpa,
	};

	if (!range_valid(hpa, size) || !perms_valid(perms))
		return -EINVAL;
	return (int)walk_twice(&op, gpa, size);
}

long pt_unmap(struct pt *pt, u64 gpa, u64 size)
{
	struct pt_op op = { .pt = pt };

	return walk_twice(&op, gpa, size);
}

long pt_protect(struct pt *pt, u64 gpa, u64 size, u32 perms)
{
	struct pt_op op = { .pt = pt, .perms = perms };

	if (!perms_valid(perms))
		return -EINVAL;
	return walk_twice(&op, gpa, size);
}

/* --- setup and teardown ---------------------------------------------- */

int pt_init(struct pt *pt, const struct pt_format *fmt)
{
	u64 pool = 0;

	pt->fmt = fmt;
	pt->root = 0;
	pt->table_pages = 0;
	if (pool_fill(&pool, 1))
		return -ENOMEM;
	pt->root = table_take(pt, &pool);
	return 0;
}

/* Frees the tables below `table`, which sits at `level` at the end of
 * a path of `path` tables from the root. The scan ends once the tables
 * left are those on the path: there is nothing else to find, so a
 * sparse address space costs a few entries, not every one. */
static void free_tables_below(struct pt *pt, const u64 *table, int level,
			      u64 path)
{
	const struct pt_format *f = pt->fmt;

	for (unsigned i = 0; level && i < PT_ENTRIES && pt->table_pages > path; i++) {
		u64 e = table[i];

		if (!present(f, e) || is_leaf(f, e, level))
			continue;
		free_tables_below(pt, table_at(entry_addr(f, e)), level - 1, path + 1);
		table_free(pt, entry_addr(f, e));
	}
}

/* Tables only: the frames the leaves map belong to the caller. */
void pt_destroy(struct pt *pt)
{
	if (!pt->root)
		return;
	free_tables_below(pt, table_at(pt->root), PT_TOP_LEVEL, 1);
	table_free(pt, pt->root);
	pt->root = 0;
}
