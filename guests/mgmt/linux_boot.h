/* The Linux x86 boot protocol (Documentation/arch/x86/boot.rst) for a
 * bzImage entered at its 64-bit entry point: checking the setup header,
 * placing the kernel, command line and initrd in a child's memory,
 * building the zero page (struct boot_params) and describing the entry
 * state as data. Pure: nothing here touches a child; the caller copies
 * the pieces where linux_layout says and applies linux_entry.
 *
 * The boot data sits in conventional memory, where a PC loader's would:
 *   0x10000  the zero page
 *   0x11000  the GDT: __BOOT_CS (0x10) and __BOOT_DS (0x18), flat
 *   0x12000  page tables: PML4, PDPT, one PD per GiB identity-mapped
 *   0x20000  the command line
 * The kernel goes at its pref_address (or 16 MiB aligned up to
 * kernel_alignment), the initrd as high as it may below
 * initrd_addr_max and 4 GiB. */
#ifndef GUESTS_MGMT_LINUX_BOOT_H
#define GUESTS_MGMT_LINUX_BOOT_H

#include "guests/mgmt/e820.h"

/* Setup header fields: offsets in the image and in the zero page. */
enum {
	LINUX_SETUP_SECTS = 0x1f1,     /* u8, 0 means 4 */
	LINUX_SYSSIZE = 0x1f4,         /* u32, 16-byte units */
	LINUX_BOOT_FLAG = 0x1fe,       /* u16, 0xaa55 */
	LINUX_JUMP = 0x200,            /* 0xeb, offset: the header's end */
	LINUX_HEADER = 0x202,          /* u32, "HdrS" */
	LINUX_VERSION = 0x206,         /* u16, 0x020c is 2.12 */
	LINUX_TYPE_OF_LOADER = 0x210,  /* u8 */
	LINUX_LOADFLAGS = 0x211,       /* u8 */
	LINUX_RAMDISK_IMAGE = 0x218,   /* u32 */
	LINUX_RAMDISK_SIZE = 0x21c,    /* u32 */
	LINUX_HEAP_END_PTR = 0x224,    /* u16 */
	LINUX_CMD_LINE_PTR = 0x228,    /* u32 */
	LINUX_INITRD_ADDR_MAX = 0x22c, /* u32 */
	LINUX_KERNEL_ALIGNMENT = 0x230, /* u32 */
	LINUX_RELOCATABLE = 0x234,     /* u8 */
	LINUX_XLOADFLAGS = 0x236,      /* u16, 2.12+ */
	LINUX_CMDLINE_SIZE = 0x238,    /* u32, 2.06+ */
	LINUX_SETUP_DATA = 0x250,      /* u64 */
	LINUX_PREF_ADDRESS = 0x258,    /* u64, 2.10+ */
	LINUX_INIT_SIZE = 0x260,       /* u32, 2.10+ */
	LINUX_HEADER_END_MIN = 0x264,  /* what this loader reads */
};

/* Zero page fields outside the setup header. */
enum {
	LINUX_ZP_EXT_RAMDISK_IMAGE = 0x0c0, /* u32 */
	LINUX_ZP_EXT_RAMDISK_SIZE = 0x0c4,  /* u32 */
	LINUX_ZP_EXT_CMD_LINE_PTR = 0x0c8,  /* u32 */
	LINUX_ZP_E820_ENTRIES = 0x1e8,      /* u8 */
	LINUX_ZP_HEADER_LIMIT = 0x290,      /* the setup header ends before */
	LINUX_ZP_E820_TABLE = 0x2d0,        /* 20 bytes each: addr, size, type */
};

#define LINUX_MAGIC 0x53726448 /* "HdrS" */
#define LINUX_VERSION_MIN 0x0206
#define LINUX_VERSION_XLF 0x020c
#define LINUX_LOADED_HIGH 0x01
#define LINUX_CAN_USE_HEAP 0x80
#define LINUX_XLF_KERNEL_64 0x0001
#define LINUX_LOADER_UNDEFINED 0xff
#define LINUX_HEAP_END 0xfe00 /* a 64 KiB setup segment, minus 0x200 */
#define LINUX_ENTRY_64 0x200  /* from the load address */

#define LINUX_ZERO_PAGE 0x10000ULL
#define LINUX_GDT 0x11000ULL
#define LINUX_PAGE_TABLES 0x12000ULL
#define LINUX_CMDLINE 0x20000ULL
#define LINUX_CMDLINE_MAX 0x10000ULL /* bytes, with the NUL */
#define LINUX_BOOT_END (LINUX_CMDLINE + LINUX_CMDLINE_MAX)
#define LINUX_PT_PAGES_MAX 6 /* PML4, PDPT, 4 PDs: 4 GiB */
#define LINUX_KERNEL_DEFAULT (16 * MIB)

#define LINUX_BOOT_CS 0x10
#define LINUX_BOOT_DS 0x18
#define LINUX_GDT_ENTRIES 4

#define LINUX_E820_MAX 128 /* boot_params.e820_table */

/* What linux_parse found in a bzImage. */
struct linux_image {
	const u8 *data;
	size_t len;
	u16 version;
	u8 setup_sects;       /* 0 read as 4 */
	size_t header_len;    /* setup header bytes from 0x1f1 */
	size_t kernel_offset; /* the protected-mode kernel: (setup_sects+1)*512 */
	size_t kernel_size;
	u8 loadflags;
	u16 xloadflags;
	u32 kernel_alignment;
	bool relocatable;
	u64 pref_address;
	u32 init_size;
	u32 cmdline_size;     /* the longest command line, without NUL */
	u32 initrd_addr_max;  /* the last byte the initrd may occupy */
};

/* Where everything goes in the child. */
struct linux_layout {
	u64 kernel, kernel_end; /* [kernel, kernel_end): image and init_size */
	u64 zero_page, gdt, page_tables, cmdline;
	u64 initrd, initrd_size; /* 0, 0: none */
	u64 map_end;             /* identity-mapped from 0, 1 GiB multiple */
	u32 pt_pages;
};

/* The state of vCPU 0 at the 64-bit entry: long mode, paging on with the
 * identity map, __BOOT_CS/__BOOT_DS from the GDT, interrupts off, RSI the
 * zero page. DS, ES, FS, GS and SS all hold ds. */
struct linux_entry {
	u64 rip, rsi, rflags;
	u64 cr0, cr3, cr4, efer;
	u16 cs, ds;
	u64 gdt_base;
	u16 gdt_limit;
	u64 gdt[LINUX_GDT_ENTRIES]; /* the GDT's contents */
};

/* True when the image has the setup header's magic: a bzImage to give to
 * linux_parse (which may still refuse it). */
bool linux_is_bzimage(const void *data, size_t len);
/* 0, or -ENOEXEC with the reason in err. */
int linux_parse(struct linux_image *li, const void *data, size_t len,
		char *err, size_t errlen);
/* 0, or -ENOMEM/-E2BIG with the reason in err. The map is the child's
 * (e820.h); each piece must lie in one RAM entry. */
int linux_place(struct linux_layout *lay, const struct linux_image *li,
		const struct e820_map *map, size_t cmdline_len,
		u64 initrd_size, char *err, size_t errlen);
/* Fills the 4 KiB zero page. */
void linux_zero_page(u8 *zp, const struct linux_image *li,
		     const struct linux_layout *lay, const struct e820_map *map);
/* The page tables for lay->page_tables: pt_pages pages of 512 entries,
 * 2 MiB pages mapping [0, map_end). */
void linux_page_tables(u64 *pages, const struct linux_layout *lay);
void linux_entry_state(struct linux_entry *e, const struct linux_layout *lay);

#endif
