/* Multiboot (v1) kernels: the header (magic 0x1BADB002 in the first
 * 8 KiB, 4-byte aligned, magic + flags + checksum == 0), loading by the
 * header's address fields (flag 16, as GRUB does) or else as ELF, and
 * the multiboot information: memory, command line, memory map, loader
 * name. */
#include "guests/mgmt/mgmt.h"

#define MB1_MAGIC 0x1badb002u
#define MB1_SEARCH 8192
#define MB1_FLAG_AOUT_KLUDGE (1u << 16)
#define MB1_FLAGS_KNOWN (0x7u | MB1_FLAG_AOUT_KLUDGE) /* align, mem, video */

#define MBI_MEMORY (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MMAP (1u << 6)
#define MBI_LOADER (1u << 9)

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

struct mb1_mmap {
	u32 size; /* of the rest of the entry: 20 */
	u64 addr, len;
	u32 type;
} __packed;

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

static long write_mmap(const struct child *c)
{
	struct mb1_mmap map[2] = {
		{ 20, 0, 0x9fc00, 1 },
		{ 20, CHILD_LOAD_MIN, c->mem - CHILD_LOAD_MIN, 1 },
	};

	return child_copy(c->id, CHILD_MB_MMAP, map, sizeof(map));
}

int mb1_write_info(struct child *c, const char *cmdline, char *err, size_t len)
{
	static const char loader[] = "hvctl";
	struct mb1_info mbi;
	long r;

	memset(&mbi, 0, sizeof(mbi));
	mbi.flags = MBI_MEMORY | MBI_CMDLINE | MBI_MMAP | MBI_LOADER;
	mbi.mem_lower = 639;
	mbi.mem_upper = (u32)((c->mem - CHILD_LOAD_MIN) >> 10);
	mbi.cmdline = CHILD_MB_CMDLINE;
	mbi.mmap_addr = CHILD_MB_MMAP;
	mbi.mmap_length = 2 * sizeof(struct mb1_mmap);
	mbi.boot_loader_name = CHILD_MB_LOADER;
	r = child_copy(c->id, CHILD_INFO, &mbi, sizeof(mbi));
	if (!r)
		r = child_copy(c->id, CHILD_MB_CMDLINE, cmdline, strlen(cmdline) + 1);
	if (!r)
		r = child_copy(c->id, CHILD_MB_LOADER, loader, sizeof(loader));
	if (!r)
		r = write_mmap(c);
	if (r)
		hv_snprintf(err, len, "copying the multiboot information: %s", err_name(r));
	return r ? -1 : 0;
}
