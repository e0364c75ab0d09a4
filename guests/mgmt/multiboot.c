/* Multiboot (v1) kernels as QEMU's -kernel/-initrd loads them: the
 * header (magic 0x1BADB002 in the first 8 KiB, 4-byte aligned, magic +
 * flags + checksum == 0), loading by the header's address fields (flag
 * 16) or else as ELF32, and the multiboot information.
 *
 * Where things go, as QEMU (hw/i386/multiboot.c and its option ROM)
 * puts them, addresses relative to the image's lowest byte (BASE):
 *   BASE + align4k(image size)   the module list (16 bytes a module),
 *                                then the strings: each module's, the
 *                                kernel's command line ("NAME ARGS"; a
 *                                trailing space when there are no ARGS,
 *                                as QEMU's "%s %s"), the loader's name
 *   then each module at the next 4 KiB boundary (relative to BASE)
 *   0x9000                       the memory map (the PC's e820 map)
 *   0x9500                       the multiboot information block
 * mem_lower and mem_upper come from the same e820 map; the boot device
 * is QEMU's 0x8000ffff. One difference: a list that would overlap
 * 0x9000-0x95ff (an image ending below 0x9000) goes after the
 * information block, where QEMU lets its memory map overwrite it. The
 * image and the modules must stay clear of that block. */
#include "guests/mgmt/pc.h"

#define MB1_MAGIC 0x1badb002u
#define MB1_SEARCH 8192
#define MB1_FLAG_AOUT_KLUDGE (1u << 16)
#define MB1_FLAGS_KNOWN (0x7u | MB1_FLAG_AOUT_KLUDGE) /* align, mem, video */

#define MBI_MEMORY (1u << 0)
#define MBI_BOOT_DEVICE (1u << 1)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODULES (1u << 3)
#define MBI_MMAP (1u << 6)
#define MBI_LOADER (1u << 9)
#define MBI_FLAGS (MBI_MEMORY | MBI_BOOT_DEVICE | MBI_CMDLINE | MBI_MODULES | MBI_MMAP | MBI_LOADER)
#define MB1_BOOT_DEVICE 0x8000ffffu /* BIOS disk 0x80, no partition */
#define MB1_LOADER_NAME "hvctl"
/* The module list and the strings after the kernel image. */
#define MB1_AREA_MAX (CHILD_MB_MODULES_MAX * (16 + HV_BOOT_MODULE_NAME_MAX + 1) + \
		      HV_BOOT_CMDLINE_MAX + 2 + sizeof(MB1_LOADER_NAME))

struct mb1_header {
	u32 magic, flags, checksum;
	u32 header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

struct mb1_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr, config_table, boot_loader_name, apm_table;
	u8 vbe_and_framebuffer[116 - 72];
};
_Static_assert(sizeof(struct mb1_info) == 116, "multiboot info");

struct mb1_module {
	u32 start, end, string, reserved;
};

static u32 rd32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

long mb1_find_header(const struct image *img)
{
	u64 limit = MIN(img->size, (u64)MB1_SEARCH);

	for (u64 off = 0; off + 12 <= limit; off += 4) {
		const u8 *p = img->data + off;

		if (rd32(p) == MB1_MAGIC && rd32(p) + rd32(p + 4) + rd32(p + 8) == 0)
			return (long)off;
	}
	return -1;
}

static void read_header(const struct image *img, long off, struct mb1_header *h)
{
	u32 *w = (u32 *)h;

	memset(h, 0, sizeof(*h));
	for (u64 i = 0; i < sizeof(*h) / 4 && (u64)off + 4 * i + 4 <= img->size; i++)
		w[i] = rd32(img->data + off + 4 * i);
}

/* The address fields: [load_addr, load_end_addr) from the file at the
 * header's position minus (header_addr - load_addr), bss to bss_end_addr. */
static int load_kludge(struct child *c, struct image *img, long off,
		       const struct mb1_header *h, char *err, size_t len)
{
	u64 file_off = (u64)off - ((u64)h->header_addr - h->load_addr);
	u64 end = h->load_end_addr ? h->load_end_addr : h->load_addr + (img->size - file_off);
	u64 bss_end = MAX(end, (u64)h->bss_end_addr);
	long r;

	if (h->header_addr < h->load_addr || h->header_addr - h->load_addr > (u64)off ||
	    end < h->load_addr || end - h->load_addr > img->size - file_off) {
		hv_snprintf(err, len, "multiboot header: address fields do not match the file");
		return -1;
	}
	if (!child_range_ok(c, h->load_addr, bss_end - h->load_addr, err, len))
		return -1;
	r = child_copy(c->id, h->load_addr, img->data + file_off, end - h->load_addr);
	if (!r && bss_end > end)
		r = child_zero(c->id, end, bss_end - end);
	if (r) {
		hv_snprintf(err, len, "copying the kernel: %s", err_name(r));
		return -1;
	}
	img->entry = h->entry_addr;
	img->start = h->load_addr;
	img->end = bss_end;
	return 0;
}

int mb1_load(struct child *c, struct image *img, long hdr, char *err, size_t len)
{
	struct mb1_header h;
	u8 bits;

	read_header(img, hdr, &h);
	if (h.flags & ~MB1_FLAGS_KNOWN & 0xffff) {
		hv_snprintf(err, len, "multiboot header: required flags 0x%x not supported",
			    h.flags & ~MB1_FLAGS_KNOWN & 0xffff);
		return -1;
	}
	if (h.flags & MB1_FLAG_AOUT_KLUDGE)
		return load_kludge(c, img, hdr, &h, err, len);
	if (elf_probe(img, &bits, err, len))
		return -1;
	if (bits != 32) {
		hv_snprintf(err, len, "multiboot kernel: ELF%u, want ELF32 or address fields", bits);
		return -1;
	}
	return elf_copy(c, img, err, len);
}

/* The module list and its strings, built in VM 0, copied in at once. */
struct mb1_area {
	u32 used; /* bytes: the list, then the strings */
	u8 buf[MB1_AREA_MAX];
};

/* Appends a string (at most max bytes of s, then tail) and its NUL; its
 * offset in the area. */
static u32 add_string(struct mb1_area *a, const char *s, size_t max, const char *tail)
{
	u32 at = a->used;

	while (max-- && *s)
		a->buf[a->used++] = (u8)*s++;
	while (*tail)
		a->buf[a->used++] = (u8)*tail++;
	a->buf[a->used++] = '\0';
	return at;
}

static bool has_space(const char *s)
{
	while (*s && *s != ' ')
		s++;
	return *s;
}

static bool overlaps_mb_info(u64 gpa, u64 len)
{
	return gpa < CHILD_MB_END && gpa + len > CHILD_MB_MMAP;
}

static bool outside_mb_info(u64 gpa, u64 len, char *err, size_t errlen)
{
	if (!overlaps_mb_info(gpa, len))
		return true;
	hv_snprintf(err, errlen, "0x%llx-0x%llx overlaps the multiboot information at "
		    "0x%x-0x%x (QEMU's place for it)", (unsigned long long)gpa,
		    (unsigned long long)(gpa + len), CHILD_MB_MMAP, CHILD_MB_END);
	return false;
}

/* Each module at the next page boundary (counted from base) after off;
 * its start and end in the list. */
static int place_modules(struct child *c, struct mb1_module *list, u64 base, u64 off,
			 const struct mb1_boot *b, char *err, size_t len)
{
	for (u32 i = 0; i < b->nmods; i++) {
		const struct hv_boot_module *m = b->mods[i];
		u64 gpa = base + ALIGN_UP(off, PAGE_SIZE);
		long r;

		if (!child_range_ok(c, gpa, m->size, err, len) ||
		    !outside_mb_info(gpa, m->size, err, len))
			return -1;
		if ((r = child_copy(c->id, gpa, (const void *)m->gpa, m->size))) {
			hv_snprintf(err, len, "copying module %u: %s", i, err_name(r));
			return -1;
		}
		list[i].start = (u32)gpa;
		list[i].end = (u32)(gpa + m->size);
		off = gpa + m->size - base;
	}
	return 0;
}

/* Where the list and the strings go: after the image, page-aligned from
 * its base. An image ending below 0x9000 would have them where QEMU then
 * writes its memory map over them: they go after the information block
 * instead. */
static u64 area_gpa(const struct image *img, u32 used)
{
	u64 gpa = img->start + ALIGN_UP(img->end - img->start, PAGE_SIZE);

	return overlaps_mb_info(gpa, used) ? ALIGN_UP(CHILD_MB_END, PAGE_SIZE) : gpa;
}

/* The list and the strings after the image; the modules after them. */
static int write_area(struct child *c, const struct image *img, const struct mb1_boot *b,
		      struct mb1_info *mbi, char *err, size_t len)
{
	static struct mb1_area a;
	struct mb1_module *list = (struct mb1_module *)a.buf;
	u32 loader, cmdline;
	u64 gpa;
	long r;

	memset(&a, 0, sizeof(a));
	a.used = b->nmods * sizeof(*list);
	for (u32 i = 0; i < b->nmods; i++)
		list[i].string = add_string(&a, b->mods[i]->name, sizeof(b->mods[i]->name), "");
	cmdline = add_string(&a, b->cmdline, HV_BOOT_CMDLINE_MAX, has_space(b->cmdline) ? "" : " ");
	loader = add_string(&a, MB1_LOADER_NAME, sizeof(MB1_LOADER_NAME), "");
	gpa = area_gpa(img, a.used);
	for (u32 i = 0; i < b->nmods; i++)
		list[i].string += (u32)gpa;
	mbi->cmdline = (u32)gpa + cmdline;
	mbi->boot_loader_name = (u32)gpa + loader;
	mbi->mods_count = b->nmods;
	mbi->mods_addr = (u32)gpa;
	if (!child_range_ok(c, gpa, a.used, err, len) ||
	    place_modules(c, list, img->start, gpa + a.used - img->start, b, err, len))
		return -1;
	if ((r = child_copy(c->id, gpa, a.buf, a.used))) {
		hv_snprintf(err, len, "copying the module list: %s", err_name(r));
		return -1;
	}
	return 0;
}

int mb1_write_info(struct child *c, const struct image *img, const struct mb1_boot *b,
		   char *err, size_t len)
{
	static u8 mmap[E820_MAX * E820_MB1_ENTRY_LEN];
	const struct e820_map *map = child_memory_map(c);
	struct mb1_info mbi;
	long r;

	if (!outside_mb_info(img->start, img->end - img->start, err, len))
		return -1;
	memset(&mbi, 0, sizeof(mbi));
	mbi.flags = MBI_FLAGS;
	mbi.mem_lower = e820_mem_lower_kb(map);
	mbi.mem_upper = e820_mem_upper_kb(map);
	mbi.boot_device = MB1_BOOT_DEVICE;
	mbi.mmap_addr = CHILD_MB_MMAP;
	mbi.mmap_length = e820_to_multiboot(map, mmap, sizeof(mmap));
	if (write_area(c, img, b, &mbi, err, len))
		return -1;
	r = child_copy(c->id, CHILD_MB_MMAP, mmap, mbi.mmap_length);
	if (!r)
		r = child_copy(c->id, CHILD_MB_INFO, &mbi, sizeof(mbi));
	if (r)
		hv_snprintf(err, len, "copying the multiboot information: %s", err_name(r));
	return r ? -1 : 0;
}
