/* The Linux boot protocol's 64-bit entry (linux_boot.h): header checks,
 * placement, the zero page and the entry state. Facts from the kernel's
 * Documentation/arch/x86/boot.rst and zero-page.rst. */
#include "guests/mgmt/linux_boot.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "lib/unaligned.h"
#include "lib/x86_desc.h"

#define FOUR_GIB (4 * GIB)

static int refuse(int code, char *err, size_t errlen, const char *what)
{
	hv_snprintf(err, errlen, "%s", what);
	return -code;
}

/* The fields this loader uses, from a header already known to be long
 * enough. */
static void read_header(struct linux_image *li, const u8 *d)
{
	li->version = get16(d + LINUX_VERSION);
	li->setup_sects = d[LINUX_SETUP_SECTS] ? d[LINUX_SETUP_SECTS] : 4;
	li->loadflags = d[LINUX_LOADFLAGS];
	li->xloadflags = get16(d + LINUX_XLOADFLAGS);
	li->kernel_alignment = get32(d + LINUX_KERNEL_ALIGNMENT);
	li->relocatable = d[LINUX_RELOCATABLE];
	li->pref_address = get64(d + LINUX_PREF_ADDRESS);
	li->init_size = get32(d + LINUX_INIT_SIZE);
	li->cmdline_size = get32(d + LINUX_CMDLINE_SIZE);
	li->initrd_addr_max = get32(d + LINUX_INITRD_ADDR_MAX);
}

/* A protocol version with a 64-bit entry point. */
static int check_version(u16 version, char *err, size_t errlen)
{
	if (version < LINUX_VERSION_MIN) {
		hv_snprintf(err, errlen,
			    "boot protocol %u.%02u is too old (2.06 needed)",
			    version >> 8, version & 0xff);
		return -ENOEXEC;
	}
	if (version < LINUX_VERSION_XLF)
		return refuse(ENOEXEC, err, errlen,
			      "no 64-bit entry: boot protocol before 2.12 has no xloadflags");
	return 0;
}

static int check_flags(const struct linux_image *li, char *err, size_t errlen)
{
	if (!(li->xloadflags & LINUX_XLF_KERNEL_64))
		return refuse(ENOEXEC, err, errlen,
			      "no 64-bit entry: xloadflags has no XLF_KERNEL_64");
	if (!(li->loadflags & LINUX_LOADED_HIGH))
		return refuse(ENOEXEC, err, errlen,
			      "not a bzImage: loadflags has no LOADED_HIGH");
	if (li->relocatable && (!li->kernel_alignment ||
				(li->kernel_alignment & (li->kernel_alignment - 1))))
		return refuse(ENOEXEC, err, errlen,
			      "kernel_alignment is not a power of two");
	return 0;
}

/* The protected-mode kernel after the setup sectors; syssize may round
 * its length up to 16 bytes. */
static int check_kernel(struct linux_image *li, const u8 *d, char *err,
			size_t errlen)
{
	u64 syssize = (u64)get32(d + LINUX_SYSSIZE) * 16;

	li->kernel_offset = ((size_t)li->setup_sects + 1) * 512;
	if (li->kernel_offset >= li->len)
		return refuse(ENOEXEC, err, errlen,
			      "truncated: no kernel after the setup sectors");
	li->kernel_size = li->len - li->kernel_offset;
	if (syssize > li->kernel_size + 15) {
		hv_snprintf(err, errlen,
			    "truncated: syssize says %llu kernel bytes, the image has %llu",
			    (unsigned long long)syssize,
			    (unsigned long long)li->kernel_size);
		return -ENOEXEC;
	}
	return 0;
}

bool linux_is_bzimage(const void *data, size_t len)
{
	return len >= LINUX_HEADER + 4 &&
	       get32((const u8 *)data + LINUX_HEADER) == LINUX_MAGIC;
}

int linux_parse(struct linux_image *li, const void *data, size_t len,
		char *err, size_t errlen)
{
	const u8 *d = data;
	size_t end;
	int r;

	memset(li, 0, sizeof(*li));
	li->data = d;
	li->len = len;
	if (len < LINUX_VERSION + 2 || get32(d + LINUX_HEADER) != LINUX_MAGIC)
		return refuse(ENOEXEC, err, errlen,
			      "not a bzImage: no \"HdrS\" at 0x202");
	if (get16(d + LINUX_BOOT_FLAG) != 0xaa55)
		return refuse(ENOEXEC, err, errlen,
			      "not a bzImage: no boot flag 0xaa55 at 0x1fe");
	if ((r = check_version(get16(d + LINUX_VERSION), err, errlen)))
		return r;
	end = LINUX_HEADER + d[LINUX_JUMP + 1];
	if (end < LINUX_HEADER_END_MIN || len < end)
		return refuse(ENOEXEC, err, errlen,
			      "truncated: the setup header ends before init_size");
	li->header_len = MIN(end, (size_t)LINUX_ZP_HEADER_LIMIT) - LINUX_SETUP_SECTS;
	read_header(li, d);
	if ((r = check_flags(li, err, errlen)))
		return r;
	return check_kernel(li, d, err, errlen);
}

/* True when [base, end) lies in one RAM entry. */
static bool in_ram(const struct e820_map *map, u64 base, u64 end)
{
	for (u32 i = 0; i < map->n; i++) {
		const struct e820_entry *e = &map->e[i];

		if (e->type == E820_RAM && base >= e->addr &&
		    end <= e->addr + e->size)
			return true;
	}
	return false;
}

/* At pref_address (16 MiB without one), aligned up to kernel_alignment
 * when relocatable; init_size bytes from there must be RAM. */
static int place_kernel(struct linux_layout *lay, const struct linux_image *li,
			const struct e820_map *map, char *err,
			size_t errlen)
{
	u64 addr = li->pref_address ? li->pref_address : LINUX_KERNEL_DEFAULT;
	u64 need = MAX((u64)li->init_size, (u64)li->kernel_size);

	if (li->relocatable)
		addr = ALIGN_UP(addr, li->kernel_alignment);
	lay->kernel = addr;
	lay->kernel_end = ALIGN_UP(addr + need, PAGE_SIZE);
	if (lay->kernel_end > FOUR_GIB ||
	    !in_ram(map, lay->kernel, lay->kernel_end)) {
		hv_snprintf(err, errlen, "no RAM for the kernel at %#llx-%#llx",
			    (unsigned long long)lay->kernel,
			    (unsigned long long)lay->kernel_end);
		return -ENOMEM;
	}
	return 0;
}

/* The highest page-aligned start for size bytes in one e820 entry, below
 * limit, at or above 1 MiB and clear of the kernel; 0 when none. */
static u64 initrd_slot(const struct e820_entry *e, u64 size, u64 limit,
		       const struct linux_layout *lay)
{
	u64 lo = MAX(e->addr, MIB), hi = MIN(e->addr + e->size, limit), s;

	if (e->type != E820_RAM || hi < lo || hi - lo < size)
		return 0;
	s = ALIGN_DOWN(hi - size, PAGE_SIZE);
	if (s < lay->kernel_end && s + size > lay->kernel) {
		if (lay->kernel < lo + size)
			return 0;
		s = ALIGN_DOWN(lay->kernel - size, PAGE_SIZE);
	}
	return s >= lo ? s : 0;
}

static int place_initrd(struct linux_layout *lay, const struct linux_image *li,
			const struct e820_map *map, u64 size,
			char *err, size_t errlen)
{
	u64 limit = MIN((u64)li->initrd_addr_max + 1, FOUR_GIB), best = 0;

	lay->initrd = 0;
	lay->initrd_size = size;
	if (!size)
		return 0;
	for (u32 i = 0; i < map->n; i++)
		best = MAX(best, initrd_slot(&map->e[i], size, limit, lay));
	if (!best) {
		hv_snprintf(err, errlen,
			    "no RAM for an initrd of %llu bytes below %#llx",
			    (unsigned long long)size, (unsigned long long)limit);
		return -ENOMEM;
	}
	lay->initrd = best;
	return 0;
}

/* The boot data and the identity map that covers it all. */
static int place_boot_data(struct linux_layout *lay,
			   const struct linux_image *li,
			   const struct e820_map *map,
			   size_t cmdline_len, char *err, size_t errlen)
{
	u64 top = MAX(lay->kernel_end, lay->initrd + lay->initrd_size);

	if (cmdline_len > li->cmdline_size ||
	    cmdline_len >= LINUX_CMDLINE_MAX) {
		hv_snprintf(err, errlen,
			    "command line of %llu bytes, the kernel takes %u",
			    (unsigned long long)cmdline_len, li->cmdline_size);
		return -E2BIG;
	}
	if (!in_ram(map, LINUX_ZERO_PAGE, LINUX_BOOT_END))
		return refuse(ENOMEM, err, errlen,
			      "no RAM for the boot data at 0x10000-0x2ffff");
	lay->zero_page = LINUX_ZERO_PAGE;
	lay->gdt = LINUX_GDT;
	lay->page_tables = LINUX_PAGE_TABLES;
	lay->cmdline = LINUX_CMDLINE;
	lay->map_end = ALIGN_UP(MAX(top, LINUX_BOOT_END), GIB);
	lay->pt_pages = 2 + (u32)(lay->map_end / GIB);
	return 0;
}

int linux_place(struct linux_layout *lay, const struct linux_image *li,
		const struct e820_map *map, size_t cmdline_len,
		u64 initrd_size, char *err, size_t errlen)
{
	int r;

	memset(lay, 0, sizeof(*lay));
	if ((r = place_kernel(lay, li, map, err, errlen)) ||
	    (r = place_initrd(lay, li, map, initrd_size, err, errlen)))
		return r;
	return place_boot_data(lay, li, map, cmdline_len, err, errlen);
}

/* A 64-bit value split into its 32-bit field and the ext_ field. */
static void put_split(u8 *zp, u32 low_off, u32 ext_off, u64 v)
{
	put32(zp + low_off, (u32)v);
	put32(zp + ext_off, (u32)(v >> 32));
}

void linux_zero_page(u8 *zp, const struct linux_image *li,
		     const struct linux_layout *lay,
		     const struct e820_map *map)
{
	memset(zp, 0, PAGE_SIZE);
	memcpy(zp + LINUX_SETUP_SECTS, li->data + LINUX_SETUP_SECTS,
	       li->header_len);
	zp[LINUX_TYPE_OF_LOADER] = LINUX_LOADER_UNDEFINED;
	zp[LINUX_LOADFLAGS] |= LINUX_CAN_USE_HEAP;
	put16(zp + LINUX_HEAP_END_PTR, LINUX_HEAP_END);
	put64(zp + LINUX_SETUP_DATA, 0);
	put_split(zp, LINUX_CMD_LINE_PTR, LINUX_ZP_EXT_CMD_LINE_PTR, lay->cmdline);
	put_split(zp, LINUX_RAMDISK_IMAGE, LINUX_ZP_EXT_RAMDISK_IMAGE, lay->initrd);
	put_split(zp, LINUX_RAMDISK_SIZE, LINUX_ZP_EXT_RAMDISK_SIZE,
		  lay->initrd_size);
	zp[LINUX_ZP_E820_ENTRIES] = (u8)e820_to_boot_params(
		map, zp + LINUX_ZP_E820_TABLE, LINUX_E820_MAX);
}

#define PTE_PW 0x3   /* present, writable */
#define PTE_LARGE 0x80

void linux_page_tables(u64 *pages, const struct linux_layout *lay)
{
	u64 gibs = lay->map_end / GIB;
	u64 *pml4 = pages, *pdpt = pages + 512, *pd = pages + 1024;

	memset(pages, 0, lay->pt_pages * PAGE_SIZE);
	pml4[0] = (lay->page_tables + PAGE_SIZE) | PTE_PW;
	for (u64 g = 0; g < gibs; g++)
		pdpt[g] = (lay->page_tables + (2 + g) * PAGE_SIZE) | PTE_PW;
	for (u64 i = 0; i < gibs * 512; i++)
		pd[i] = (i << 21) | PTE_PW | PTE_LARGE;
}

void linux_entry_state(struct linux_entry *e, const struct linux_layout *lay)
{
	memset(e, 0, sizeof(*e));
	e->rip = lay->kernel + LINUX_ENTRY_64;
	e->rsi = lay->zero_page;
	e->rflags = 0x2;       /* IF clear */
	e->cr0 = 0x80010031;   /* PG WP NE ET PE */
	e->cr3 = lay->page_tables;
	e->cr4 = 0x20;         /* PAE */
	e->efer = 0x500;       /* LMA LME */
	e->cs = LINUX_BOOT_CS;
	e->ds = LINUX_BOOT_DS;
	e->gdt_base = lay->gdt;
	e->gdt_limit = sizeof(e->gdt) - 1;
	e->gdt[LINUX_BOOT_CS / 8] = X86_DESC_CODE64;
	e->gdt[LINUX_BOOT_DS / 8] = X86_DESC_DATA;
}
