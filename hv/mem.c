#include "hv/mem.h"
#include "hv/log.h"
#include "hv/memmap.h"
#include "lib/string.h"
#include "hv/verdict.h"

#define MEM_RANGES_MAX (2 * BOOT_MEMMAP_MAX)
#define MEM_HOLES_MAX (3 + BOOT_MODULES_MAX)
#define BOOT_MAP_LIMIT (4 * GIB) /* what the boot page tables cover */

extern u8 _image_start[], _image_end[];

struct frame_alloc hv_frames;

static struct mem_range normalized[MEM_RANGES_MAX];
static struct mem_range free_ranges[MEM_RANGES_MAX];

static u32 collect_holes(const struct boot_info *bi, struct mem_hole *h)
{
	u32 n = 0;

	h[n++] = (struct mem_hole){ 0, MIB, "first MiB" };
	h[n++] = (struct mem_hole){ (u64)_image_start, (u64)_image_end,
				    "hypervisor image" };
	h[n++] = (struct mem_hole){ bi->info_start, bi->info_end,
				    "boot information" };
	for (u32 i = 0; i < bi->module_count; i++)
		h[n++] = (struct mem_hole){ bi->modules[i].start,
					    bi->modules[i].end, "module" };
	return n;
}

/* The highest end of RAM-like ranges: what the identity map must cover. */
static u64 ram_top(const struct mem_range *map, u32 n)
{
	u64 top = 0;

	for (u32 i = 0; i < n; i++)
		if (map[i].type != MEM_RESERVED && map[i].type != MEM_BAD)
			top = MAX(top, map[i].base + map[i].length);
	return top;
}

/* Takes the allocator's bitmap from the first free range that holds it
 * below the boot map limit. */
static u64 *place_bitmap(u32 nfree, size_t bytes)
{
	u64 need = ALIGN_UP(bytes, PAGE_SIZE);

	for (u32 i = 0; i < nfree; i++) {
		const struct mem_range *r = &free_ranges[i];

		if (r->length >= need && r->base + need <= BOOT_MAP_LIMIT) {
			memset((void *)r->base, 0, need);
			return (u64 *)r->base;
		}
	}
	hv_finish(VERDICT_FAIL, "mem: no room for the frame bitmap (%llu KiB)",
		  (unsigned long long)(need / 1024));
}

static const char *memmap_source_name(u32 src)
{
	static const char *const names[] = { "none", "e820", "EFI", "basic" };

	return src < ARRAY_SIZE(names) ? names[src] : "?";
}

static void report_memory(const struct boot_info *bi, u32 nmap, u32 nholes,
			  const struct mem_hole *holes)
{
	log_info("mem: %s map, %u entries -> %u ranges, %llu MiB usable, "
		 "%llu MiB ACPI, top 0x%llx",
		 memmap_source_name(bi->memmap_source), bi->memmap_count, nmap,
		 (unsigned long long)(memmap_total(normalized, nmap, MEM_USABLE) / MIB),
		 (unsigned long long)((memmap_total(normalized, nmap, MEM_ACPI_RECLAIM) +
				       memmap_total(normalized, nmap, MEM_ACPI_NVS)) / MIB),
		 (unsigned long long)ram_top(normalized, nmap));
	for (u32 i = 0; i < nholes; i++)
		log_debug("mem: kept out 0x%llx-0x%llx (%s)",
			  (unsigned long long)holes[i].start,
			  (unsigned long long)holes[i].end, holes[i].what);
	log_info("mem: frame allocator: %llu frames free (%llu MiB) of %llu",
		 (unsigned long long)hv_frames.free_frames,
		 (unsigned long long)(hv_frames.free_frames * PAGE_SIZE / MIB),
		 (unsigned long long)hv_frames.total_frames);
	if (bi->memmap_dropped)
		log_warn("mem: %u memory-map entries did not fit and were ignored",
			 bi->memmap_dropped);
}

static void log_usable_ram(u32 nmap)
{
	for (u32 i = 0; i < nmap; i++)
		if (normalized[i].type == MEM_USABLE)
			log_err("boot:   usable RAM 0x%llx-0x%llx",
				(unsigned long long)normalized[i].base,
				(unsigned long long)(normalized[i].base + normalized[i].length));
}

/* A module the loader placed where it cannot be (ending before it
 * starts, over the hypervisor, outside RAM) ends the run, naming it: the
 * boot configuration is broken, and running on would read or hand out
 * memory that is not what it claims to be. */
static void refuse_bad_modules(const struct boot_info *bi, u32 nmap)
{
	for (u32 i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		const char *why = memmap_module_problem(m, normalized, nmap,
							(u64)_image_start,
							(u64)_image_end);

		if (!why)
			continue;
		log_err("boot: module %u '%s' at 0x%llx-0x%llx refused: %s "
			"(hypervisor image 0x%llx-0x%llx)", i, m->string,
			(unsigned long long)m->start, (unsigned long long)m->end, why,
			(unsigned long long)(u64)_image_start,
			(unsigned long long)(u64)_image_end);
		log_usable_ram(nmap);
		hv_finish(VERDICT_FAIL, "boot module %u '%s' refused: %s", i,
			  m->string, why);
	}
}

u64 mem_init(const struct boot_info *bi)
{
	struct mem_hole holes[MEM_HOLES_MAX];
	u32 nholes = collect_holes(bi, holes);
	int nmap = memmap_normalize(bi->memmap, bi->memmap_count, normalized,
				    MEM_RANGES_MAX);
	int nfree;
	u64 lo, hi, *bitmap;
	size_t bytes;

	if (nmap > 0)
		refuse_bad_modules(bi, (u32)nmap);
	nfree = nmap > 0 ? memmap_usable_minus(normalized, nmap, holes, nholes,
					       free_ranges, MEM_RANGES_MAX) : nmap;
	if (nfree <= 0)
		hv_finish(VERDICT_FAIL, "mem: no usable memory in the %s map",
			  memmap_source_name(bi->memmap_source));
	lo = free_ranges[0].base;
	hi = free_ranges[nfree - 1].base + free_ranges[nfree - 1].length;
	bytes = frame_bitmap_bytes(lo, hi);
	bitmap = place_bitmap(nfree, bytes);
	frame_init(&hv_frames, free_ranges, nfree, bitmap);
	frame_reserve(&hv_frames, (u64)bitmap, (u64)bitmap + ALIGN_UP(bytes, PAGE_SIZE));
	report_memory(bi, nmap, nholes, holes);
	return ram_top(normalized, nmap);
}

bool mem_selftest(void)
{
	u64 before = hv_frames.free_frames;
	u64 one = frame_alloc(&hv_frames);
	u64 big = frame_alloc_contig(&hv_frames, 512, 2 * MIB);
	bool ok = one && big && !(big & (2 * MIB - 1)) &&
		  hv_frames.free_frames == before - 513 &&
		  !frame_is_free(&hv_frames, one);

	ok = frame_free(&hv_frames, one, 1) && ok;
	ok = (big && frame_free(&hv_frames, big, 512)) && ok;
	ok = ok && !frame_free(&hv_frames, one, 1); /* double free refused */
	ok = ok && hv_frames.free_frames == before;
	log_info("mem: frame allocator round trip (4 KiB, 2 MiB aligned, double "
		 "free refused): %s", ok ? "ok" : "FAILED");
	return ok;
}
