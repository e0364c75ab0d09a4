/* Bitmap physical frame allocator. Two bitmaps of one bit per frame:
 * `bitmap` (set = not available: allocated, reserved, not RAM, or the
 * padding bits past nframes) and `allocated` (set = handed out by
 * frame_alloc*() and not yet freed). allocated implies used, so frees
 * are validated against `allocated` and never touch holes or reserved
 * frames. free_frames always equals the number of clear `bitmap` bits. */
#include "hv/frame.h"

#define NO_FRAME UINT64_MAX

static bool bit_test(const u64 *map, u64 i)
{
	return (map[i >> 6] >> (i & 63)) & 1;
}

/* Sets (or clears) bits [first, first+count), a word at a time where
 * the run covers whole words. */
static void bits_assign(u64 *map, u64 first, u64 count, bool set)
{
	while (count) {
		bool whole = !(first & 63) && count >= 64;
		u64 mask = whole ? UINT64_MAX : BIT(first & 63);
		u64 step = whole ? 64 : 1;

		if (set)
			map[first >> 6] |= mask;
		else
			map[first >> 6] &= ~mask;
		first += step;
		count -= step;
	}
}

static u64 words_for(u64 nframes)
{
	return (nframes + 63) / 64;
}

/* [lo, hi) widened to pages; the end saturates at the last whole page
 * instead of wrapping. Returns the frame count (0 when empty). */
static u64 page_span(u64 lo, u64 hi, u64 *base)
{
	*base = ALIGN_DOWN(lo, PAGE_SIZE);
	if (hi <= lo)
		return 0;
	hi = hi > (UINT64_MAX & PAGE_MASK) ? (UINT64_MAX & PAGE_MASK)
					   : ALIGN_UP(hi, PAGE_SIZE);
	return hi > *base ? (hi - *base) >> PAGE_SHIFT : 0;
}

size_t frame_bitmap_bytes(u64 lo, u64 hi)
{
	u64 base;

	return (size_t)(2 * 8 * words_for(page_span(lo, hi, &base)));
}

/* Clears the bits of the whole pages inside r (rounded inward) and
 * returns how many there are. */
static u64 mark_range_free(struct frame_alloc *fa, const struct mem_range *r)
{
	u64 s = ALIGN_UP(r->base, PAGE_SIZE);
	u64 e = ALIGN_DOWN(mem_range_end(r), PAGE_SIZE);

	if (!r->length || s < r->base || s >= e)
		return 0;
	bits_assign(fa->bitmap, (s - fa->base) >> PAGE_SHIFT,
		    (e - s) >> PAGE_SHIFT, false);
	return (e - s) >> PAGE_SHIFT;
}

/* The span runs from the first range's start to the last one's end, as
 * the caller sized the bitmap; the ranges being disjoint, the frames
 * they free add up to free_frames. */
void frame_init(struct frame_alloc *fa, const struct mem_range *free, u32 n,
		u64 *bitmap)
{
	u64 lo = n ? free[0].base : 0;
	u64 hi = n ? mem_range_end(&free[n - 1]) : 0;
	u64 nwords;

	fa->nframes = page_span(lo, hi, &fa->base);
	nwords = words_for(fa->nframes);
	fa->bitmap = bitmap;
	fa->allocated = bitmap + nwords;
	fa->hint = 0;
	fa->free_frames = 0;
	for (u64 w = 0; w < nwords; w++) {
		fa->bitmap[w] = UINT64_MAX;
		fa->allocated[w] = 0;
	}
	for (u32 i = 0; i < n; i++)
		fa->free_frames += mark_range_free(fa, &free[i]);
	frame_reserve(fa, 0, 1); /* physical address 0 is never handed out */
	fa->total_frames = fa->free_frames;
}

/* Frame index of pa, or NO_FRAME when pa lies outside the bitmap. */
static u64 frame_index(const struct frame_alloc *fa, u64 pa)
{
	u64 i;

	if (pa < fa->base)
		return NO_FRAME;
	i = (pa - fa->base) >> PAGE_SHIFT;
	return i < fa->nframes ? i : NO_FRAME;
}

/* Reserves every frame that [start, end) touches. */
void frame_reserve(struct frame_alloc *fa, u64 start, u64 end)
{
	u64 first, last, s;
	u64 n = page_span(start, end, &s);

	if (!n || !fa->nframes || s + (n << PAGE_SHIFT) <= fa->base)
		return;
	first = s < fa->base ? 0 : (s - fa->base) >> PAGE_SHIFT;
	last = (s + (n << PAGE_SHIFT) - fa->base) >> PAGE_SHIFT;
	last = MIN(last, fa->nframes);
	for (u64 i = first; i < last; i++) {
		if (!bit_test(fa->bitmap, i)) {
			bits_assign(fa->bitmap, i, 1, true);
			fa->free_frames--;
		}
	}
}

/* First index in [from, to) whose bit in map is `set`, or `to`; words
 * holding no such bit are skipped whole. */
static u64 find_bit(const u64 *map, u64 from, u64 to, bool set)
{
	u64 other = set ? 0 : UINT64_MAX;
	u64 i = from;

	while (i < to) {
		if (!(i & 63) && map[i >> 6] == other)
			i += 64;
		else if (bit_test(map, i) == set)
			return i;
		else
			i++;
	}
	return to;
}

/* Smallest index >= i whose physical frame number is a multiple of
 * align_frames. Frame numbers are < 2^52, so this cannot overflow. */
static u64 align_index(const struct frame_alloc *fa, u64 i, u64 align_frames)
{
	u64 pfn = (fa->base >> PAGE_SHIFT) + i;

	return ALIGN_UP(pfn, align_frames) - (fa->base >> PAGE_SHIFT);
}

/* Lowest aligned start in [from, last_start] of `count` free frames,
 * or NO_FRAME. A used frame inside a candidate run rules out every
 * start up to it, so the search jumps past it. */
static u64 find_run(const struct frame_alloc *fa, u64 from, u64 last_start,
		    u64 count, u64 align_frames)
{
	u64 i = from, used;

	for (;;) {
		i = find_bit(fa->bitmap, i, fa->nframes, false);
		i = align_index(fa, i, align_frames);
		if (i > last_start)
			return NO_FRAME;
		used = find_bit(fa->bitmap, i, i + count, true);
		if (used == i + count)
			return i;
		i = used + 1;
	}
}

static void take_run(struct frame_alloc *fa, u64 i, u64 count)
{
	bits_assign(fa->bitmap, i, count, true);
	bits_assign(fa->allocated, i, count, true);
	fa->free_frames -= count;
	fa->hint = i + count < fa->nframes ? i + count : 0;
}

/* Next-fit: search from the hint to the end, then from the start for
 * runs beginning below the hint. */
u64 frame_alloc_contig(struct frame_alloc *fa, u64 count, u64 align)
{
	u64 af, last, i;

	if (!count || !align || (align & (align - 1)) ||
	    count > fa->free_frames)
		return 0;
	af = MAX(align, PAGE_SIZE) >> PAGE_SHIFT;
	last = fa->nframes - count;
	i = find_run(fa, MIN(fa->hint, last), last, count, af);
	if (i == NO_FRAME && fa->hint)
		i = find_run(fa, 0, MIN(fa->hint - 1, last), count, af);
	if (i == NO_FRAME)
		return 0;
	take_run(fa, i, count);
	return fa->base + (i << PAGE_SHIFT);
}

u64 frame_free_runs(const struct frame_alloc *fa, u64 count)
{
	u64 n = 0, i = 0;

	if (!count || count > fa->nframes)
		return 0;
	while ((i = find_run(fa, i, fa->nframes - count, count, count)) != NO_FRAME) {
		n++;
		i += count;
	}
	return n;
}

u64 frame_alloc(struct frame_alloc *fa)
{
	return frame_alloc_contig(fa, 1, PAGE_SIZE);
}

bool frame_free(struct frame_alloc *fa, u64 pa, u64 count)
{
	u64 i = frame_index(fa, pa);

	if ((pa & ~PAGE_MASK) || !count || i == NO_FRAME ||
	    count > fa->nframes - i)
		return false;
	if (find_bit(fa->allocated, i, i + count, false) != i + count)
		return false;
	bits_assign(fa->allocated, i, count, false);
	bits_assign(fa->bitmap, i, count, false);
	fa->free_frames += count;
	return true;
}

bool frame_is_free(const struct frame_alloc *fa, u64 pa)
{
	u64 i = frame_index(fa, pa);

	return i != NO_FRAME && !bit_test(fa->bitmap, i);
}
