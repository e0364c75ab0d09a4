/* Memory-map normalization: turns the firmware's ranges (unsorted,
 * overlapping, unaligned) into a sorted list of disjoint ranges, and
 * subtracts what must never be handed out (the first MiB, the hypervisor
 * image, boot modules, the boot information). Pure; unit-tested. */
#ifndef HV_MEMMAP_H
#define HV_MEMMAP_H

#include "boot/boot_info.h"

/* Sorts and merges `in` into `out` (capacity out_max). Where ranges of
 * different types overlap, the more restrictive type wins (anything
 * beats MEM_USABLE; among the others the larger enum value wins).
 * Usable ranges are shrunk to whole pages; zero-length ranges vanish;
 * adjacent ranges of one type are merged. Returns the number of ranges
 * written, or -1 when out_max is too small. */
int memmap_normalize(const struct mem_range *in, u32 n, struct mem_range *out,
		     u32 out_max);

/* A half-open physical interval [start, end) to keep out of the
 * allocator, with a name for the boot report. */
struct mem_hole {
	u64 start;
	u64 end;
	const char *what;
};

/* From a normalized map, writes the usable page-aligned ranges minus the
 * holes (holes widened to page boundaries) into `out`. Returns the count,
 * or -1 when out_max is too small. */
int memmap_usable_minus(const struct mem_range *map, u32 n,
			const struct mem_hole *holes, u32 nholes,
			struct mem_range *out, u32 out_max);

u64 memmap_total(const struct mem_range *map, u32 n, u32 type);

/* Why the boot module m cannot be used, or NULL when it can. A module
 * must not end before it starts, must not overlap the hypervisor image
 * [image_start, image_end), and must lie in usable RAM of the normalized
 * map. An empty module (end == start) is not checked further. */
const char *memmap_module_problem(const struct boot_module *m,
				  const struct mem_range *map, u32 n,
				  u64 image_start, u64 image_end);
const char *mem_type_name(u32 type);

#endif
