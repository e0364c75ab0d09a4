/* Memory-map normalization and hole subtraction.
 *
 * Ranges are handled as half-open [start, end). A range whose base+length
 * wraps past 2^64 is clamped to end at 2^64-1 (its very last byte is
 * lost, which no one can use anyway); zero-length ranges are ignored.
 * Types outside enum mem_type are treated as MEM_RESERVED.
 *
 * memmap_normalize() sweeps the boundaries of the input in increasing
 * order without sorting or copying it: at each position it asks which
 * ranges cover it and where the next boundary is. That is O(n^2) with
 * no storage beyond the output, which suits a small kernel stack. */
#include "hv/memmap.h"

/* The non-empty interval [*s, *e) covered by r; false when empty. */
static bool range_span(const struct mem_range *r, u64 *s, u64 *e)
{
	*s = r->base;
	*e = mem_range_end(r);
	return *e > *s;
}

static u32 clean_type(u32 type)
{
	if (type < MEM_USABLE || type > MEM_BAD)
		return MEM_RESERVED;
	return type;
}

/* The winning type of the ranges that cover pos, 0 when none does.
 * MEM_USABLE is the smallest mem_type, so "anything beats usable, else
 * the larger value wins" is simply the largest clean type. */
static u32 type_at(const struct mem_range *in, u32 n, u64 pos)
{
	u32 best = 0;
	u64 s, e;

	for (u32 i = 0; i < n; i++)
		if (range_span(&in[i], &s, &e) && pos >= s && pos < e)
			best = MAX(best, clean_type(in[i].type));
	return best;
}

/* The smallest range start or end strictly above pos; false if none.
 * Of a range that ends above pos, that is its start if the start is
 * above pos too (start < end), else its end. */
static bool next_boundary(const struct mem_range *in, u32 n, u64 pos,
			  u64 *next)
{
	bool found = false;
	u64 s, e;

	*next = UINT64_MAX;
	for (u32 i = 0; i < n; i++) {
		if (!range_span(&in[i], &s, &e) || e <= pos)
			continue;
		*next = MIN(*next, s > pos ? s : e);
		found = true;
	}
	return found;
}

/* Output under construction: `cur` is the range still being extended. */
struct range_out {
	struct mem_range *out;
	u32 max;
	u32 count;
	bool overflow;
	bool have_cur;
	struct mem_range cur;
};

static void out_push(struct range_out *o, u64 start, u64 end, u32 type)
{
	if (start >= end)
		return;
	if (o->count >= o->max) {
		o->overflow = true;
		return;
	}
	o->out[o->count++] = (struct mem_range){
		.base = start, .length = end - start, .type = type,
	};
}

/* Shrinks [*s, *e) to the whole pages inside it; false when none is. */
static bool whole_pages(u64 *s, u64 *e)
{
	if (ALIGN_UP(*s, PAGE_SIZE) < *s) /* no whole page above s */
		return false;
	*s = ALIGN_UP(*s, PAGE_SIZE);
	*e = ALIGN_DOWN(*e, PAGE_SIZE);
	return *s < *e;
}

/* Emits the pending range; usable memory is shrunk to whole pages
 * (possibly to nothing) only now, after adjacent pieces were merged. */
static void out_flush(struct range_out *o)
{
	u64 s, e;

	if (!o->have_cur)
		return;
	o->have_cur = false;
	s = o->cur.base;
	e = s + o->cur.length;
	if (o->cur.type != MEM_USABLE || whole_pages(&s, &e))
		out_push(o, s, e, o->cur.type);
}

/* Adds the piece [s, e) of `type`, merging it into the pending range
 * when that has the same type and ends where the piece starts. */
static void out_piece(struct range_out *o, u64 s, u64 e, u32 type)
{
	struct mem_range *c = &o->cur;

	if (o->have_cur && c->type == type && c->base + c->length == s) {
		c->length += e - s;
		return;
	}
	out_flush(o);
	*c = (struct mem_range){ .base = s, .length = e - s, .type = type };
	o->have_cur = true;
}

int memmap_normalize(const struct mem_range *in, u32 n, struct mem_range *out,
		     u32 out_max)
{
	struct range_out o = { .out = out, .max = out_max };
	u64 pos = 0, next;
	u32 type;

	while (next_boundary(in, n, pos, &next)) {
		type = type_at(in, n, pos);
		if (type)
			out_piece(&o, pos, next, type);
		pos = next;
	}
	out_flush(&o);
	return o.overflow ? -1 : (int)o.count;
}

/* The hole [*s, *e) widened to page boundaries; false when empty. The
 * end saturates at 2^64-1 instead of wrapping. */
static bool hole_span(const struct mem_hole *h, u64 *s, u64 *e)
{
	if (h->start >= h->end)
		return false;
	*s = ALIGN_DOWN(h->start, PAGE_SIZE);
	*e = h->end > (UINT64_MAX & PAGE_MASK) ? UINT64_MAX
						: ALIGN_UP(h->end, PAGE_SIZE);
	return true;
}

/* Writes the parts of the page range [s, e) that no hole touches, in
 * order: the first hole that cuts the range splits it, and the pieces on
 * either side are checked against the holes after it only. */
static void subtract_holes(struct range_out *o, u64 s, u64 e,
			   const struct mem_hole *holes, u32 nholes)
{
	u64 hs, he;

	for (; nholes; holes++, nholes--)
		if (hole_span(holes, &hs, &he) && hs < e && s < he)
			break;
	if (!nholes) {
		out_push(o, s, e, MEM_USABLE);
		return;
	}
	if (s < hs)
		subtract_holes(o, s, hs, holes + 1, nholes - 1);
	if (he < e)
		subtract_holes(o, he, e, holes + 1, nholes - 1);
}

int memmap_usable_minus(const struct mem_range *map, u32 n,
			const struct mem_hole *holes, u32 nholes,
			struct mem_range *out, u32 out_max)
{
	struct range_out o = { .out = out, .max = out_max };
	u64 s, e;

	for (u32 i = 0; i < n; i++) {
		if (map[i].type == MEM_USABLE && range_span(&map[i], &s, &e) &&
		    whole_pages(&s, &e))
			subtract_holes(&o, s, e, holes, nholes);
	}
	return o.overflow ? -1 : (int)o.count;
}

/* Sum of the lengths of ranges of `type`, saturating at 2^64-1. */
u64 memmap_total(const struct mem_range *map, u32 n, u32 type)
{
	u64 sum = 0;

	for (u32 i = 0; i < n; i++) {
		if (map[i].type != type)
			continue;
		if (map[i].length > UINT64_MAX - sum)
			return UINT64_MAX;
		sum += map[i].length;
	}
	return sum;
}

/* [start, end) lies inside one range of `type` (a normalized map merges
 * adjacent ranges of one type, so one range is enough). */
static bool memmap_covers(const struct mem_range *map, u32 n, u64 start,
			  u64 end, u32 type)
{
	for (u32 i = 0; i < n; i++)
		if (map[i].type == type && start >= map[i].base &&
		    end - map[i].base <= map[i].length)
			return true;
	return false;
}

const char *memmap_module_problem(const struct boot_module *m,
				  const struct mem_range *map, u32 n,
				  u64 image_start, u64 image_end)
{
	if (m->end < m->start)
		return "it ends before it starts";
	if (m->end == m->start)
		return NULL;
	if (m->start < image_end && image_start < m->end)
		return "it overlaps the hypervisor image";
	if (!memmap_covers(map, n, m->start, m->end, MEM_USABLE))
		return "it is not in usable RAM";
	return NULL;
}

const char *mem_type_name(u32 type)
{
	static const char *const names[] = {
		[MEM_USABLE] = "usable",
		[MEM_RESERVED] = "reserved",
		[MEM_ACPI_RECLAIM] = "ACPI reclaimable",
		[MEM_ACPI_NVS] = "ACPI NVS",
		[MEM_BAD] = "bad",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : "unknown";
}
