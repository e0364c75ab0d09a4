/* Physical frame allocator: one bit per 4 KiB frame between the lowest
 * and highest usable address; a set bit means "in use or not RAM". A
 * second bitmap of the same size records which frames were handed out by
 * frame_alloc*(), so frame_free() can refuse frames it never gave out
 * (holes, reserved frames, double frees). Pure logic over caller-provided
 * bitmap storage, so it runs unchanged in host unit tests. */
#ifndef HV_FRAME_H
#define HV_FRAME_H

#include "boot/boot_info.h"

struct frame_alloc {
	u64 base;        /* physical address of frame 0 of the bitmap */
	u64 nframes;     /* frames covered by the bitmap */
	u64 *bitmap;     /* nframes bits, rounded up to whole u64s */
	u64 *allocated;  /* same size, follows bitmap: set = handed out */
	u64 free_frames; /* currently free */
	u64 total_frames; /* usable frames at init */
	u64 hint;        /* next-fit search start (frame index) */
};

/* Bytes of bitmap storage (both bitmaps) needed to cover [lo, hi);
 * lo is rounded down and hi up to page boundaries. */
size_t frame_bitmap_bytes(u64 lo, u64 hi);

/* Initializes `fa` to cover the span of `free` (sorted, disjoint,
 * page-aligned ranges of allocatable memory, e.g. from
 * memmap_usable_minus), from free[0].base to the end of free[n-1], using
 * `bitmap` (frame_bitmap_bytes() of that span). Frames outside `free`
 * start as used. */
void frame_init(struct frame_alloc *fa, const struct mem_range *free, u32 n,
		u64 *bitmap);

/* Marks [start, end) used (e.g. the bitmap's own storage); frames already
 * used or outside the bitmap are ignored. */
void frame_reserve(struct frame_alloc *fa, u64 start, u64 end);

/* Allocates `count` physically contiguous frames whose first address is a
 * multiple of `align` bytes (a power of two >= PAGE_SIZE). Returns the
 * physical address, or 0 when nothing fits (address 0 is never usable). */
u64 frame_alloc_contig(struct frame_alloc *fa, u64 count, u64 align);

/* How many runs of `count` free frames, each starting at a multiple of
 * count frames, fit side by side: the allocations of that size and
 * alignment that would succeed now (VM RAM's 2 MiB chunks). */
u64 frame_free_runs(const struct frame_alloc *fa, u64 count);

/* One frame; 0 when out of memory. */
u64 frame_alloc(struct frame_alloc *fa);

/* Frees `count` frames at `pa`. Returns false (and changes nothing) when
 * pa is not page-aligned, count is 0, or any of the frames is outside
 * the bitmap or not currently allocated by frame_alloc*(). */
bool frame_free(struct frame_alloc *fa, u64 pa, u64 count);

bool frame_is_free(const struct frame_alloc *fa, u64 pa);

#endif
