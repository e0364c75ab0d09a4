/* The one normalized description of what firmware handed over. Filled by
 * boot/ (multiboot2 today, the UEFI application later); nothing past
 * boot/ knows which firmware ran. Fixed-size so it can live in .bss
 * before any allocator exists. */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include "lib/types.h"

#define BOOT_CMDLINE_MAX 1024
#define BOOT_NAME_MAX 64
#define BOOT_MODULES_MAX 16
#define BOOT_MODULE_STRING_MAX 512
#define BOOT_MEMMAP_MAX 512

enum mem_type {
	MEM_USABLE = 1,
	MEM_RESERVED = 2,
	MEM_ACPI_RECLAIM = 3,
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
};

struct mem_range {
	u64 base;
	u64 length;
	u32 type; /* enum mem_type */
	u32 pad;
};

/* Where r ends (exclusive), saturating at 2^64-1 instead of wrapping. */
static inline u64 mem_range_end(const struct mem_range *r)
{
	return r->length > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->length;
}

enum memmap_source {
	MEMMAP_NONE = 0,
	MEMMAP_E820 = 1, /* multiboot2 memory-map tag (BIOS e820 style) */
	MEMMAP_EFI = 2,  /* EFI memory map (tag 17 or GetMemoryMap) */
	MEMMAP_BASIC = 3, /* only mem_lower/mem_upper were given */
};

struct boot_module {
	u64 start; /* physical, inclusive */
	u64 end;   /* physical, exclusive */
	char string[BOOT_MODULE_STRING_MAX];
};

enum fb_type {
	FB_NONE = 0,
	FB_INDEXED = 1,
	FB_RGB = 2,
	FB_EGA_TEXT = 3,
};

struct boot_framebuffer {
	u64 addr;
	u32 pitch;
	u32 width;
	u32 height;
	u8 bpp;
	u8 type; /* enum fb_type */
	u8 pad[2];
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader_name[BOOT_NAME_MAX];

	u32 module_count;
	struct boot_module modules[BOOT_MODULES_MAX];
	u32 modules_dropped; /* modules that did not fit in modules[] */

	u32 memmap_source; /* enum memmap_source */
	u32 memmap_count;
	struct mem_range memmap[BOOT_MEMMAP_MAX];
	u32 memmap_dropped;

	/* ACPI: a copy of the RSDP as handed over (20 bytes for v1, up to
	 * 36 for v2+). rsdp_revision is 0 when no RSDP was found. */
	u8 rsdp[36];
	u32 rsdp_length;
	u32 rsdp_revision; /* 1 = ACPI 1.0 RSDP, 2 = ACPI 2.0+ XSDP */

	struct boot_framebuffer fb;

	u64 efi_system_table; /* physical, 0 when absent */
	u64 efi_image_handle; /* 0 when absent */
	bool efi_boot_services_active;

	/* Where the boot information itself lived (multiboot2 info block),
	 * so the frame allocator can keep it out. */
	u64 info_start;
	u64 info_end;
};

#endif
