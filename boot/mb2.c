/* Multiboot2 boot information parsing. The block is treated as untrusted
 * bytes: every read goes through rd32()/rd64() at an offset that has been
 * checked against the validated total_size first, so a corrupt tag list
 * can make mb2_parse() fail but never read outside [info, info+total). */
#include "boot/mb2.h"
#include "boot/efi_memtype.h"
#include "lib/printf.h"
#include "lib/string.h"

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER_NAME = 2,
	TAG_MODULE = 3,
	TAG_BASIC_MEMINFO = 4,
	TAG_MMAP = 6,
	TAG_FRAMEBUFFER = 8,
	TAG_EFI64 = 12,
	TAG_ACPI_OLD = 14,
	TAG_ACPI_NEW = 15,
	TAG_EFI_MMAP = 17,
	TAG_EFI_BS = 18,
	TAG_EFI64_IH = 20,
};

#define MB2_HDR_SIZE 8u		/* total_size + reserved */
#define MB2_TAG_HDR 8u		/* type + size */
#define MB2_MMAP_ENTRY_MIN 24u
#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u

/* Everything a tag handler needs: the validated byte range, the output
 * and where to report. `off`/`size`/`kind` describe the tag being
 * handled. */
struct mb2_ctx {
	const u8 *p;
	u32 total;
	struct boot_info *out;
	char *err;
	size_t errlen;
	u32 off;
	u32 type;
	u32 size;
	const struct tag_kind *kind;
};

/* What each known tag type must hold and who reads it: min_size is the
 * header plus the spec's fixed fields, min_entry (memory maps only) the
 * least value of the u32 at +8 that sizes their entries. Types not
 * listed only need their header and are skipped. */
struct tag_kind {
	u8 min_size;
	u8 min_entry;
	void (*parse)(struct mb2_ctx *c);
};

/* Little-endian loads assembled from bytes: no alignment assumptions,
 * since entry_size/descriptor_size may step entries to odd offsets. */
static u32 rd32(const struct mb2_ctx *c, u32 off)
{
	const u8 *p = c->p + off;

	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 rd64(const struct mb2_ctx *c, u32 off)
{
	return rd32(c, off) | (u64)rd32(c, off + 4) << 32;
}

#define mb2_fail(c, st, ...)                                                 \
	({                                                                   \
		if ((c)->err && (c)->errlen)                                 \
			hv_snprintf((c)->err, (c)->errlen, __VA_ARGS__);     \
		(st);                                                        \
	})

/* Copies the string that occupies [off, end) of the block into dst,
 * stopping at a NUL, the end of the tag or dst's capacity, and always
 * terminates: loaders are not trusted to include the NUL. */
static void copy_tag_string(const struct mb2_ctx *c, u32 off, u32 end,
			    char *dst, size_t dstlen)
{
	size_t n = 0;

	while (off < end && n + 1 < dstlen && c->p[off] != '\0')
		dst[n++] = (char)c->p[off++];
	dst[n] = '\0';
}

/* Higher rank wins: EFI map > e820-style map > basic meminfo. */
static const u8 memmap_rank[] = {
	[MEMMAP_EFI] = 3,
	[MEMMAP_E820] = 2,
	[MEMMAP_BASIC] = 1,
};

/* Makes `source` the map being collected if it beats the current one
 * (dropping what an inferior source stored). False means "ignore this
 * tag's entries"; the first tag of the best kind is the one used. */
static bool memmap_take_source(struct boot_info *out, u32 source)
{
	if (memmap_rank[source] <= memmap_rank[out->memmap_source])
		return false;
	out->memmap_source = source;
	out->memmap_count = 0;
	out->memmap_dropped = 0;
	return true;
}

static void memmap_add(struct boot_info *out, u64 base, u64 length, u32 type)
{
	if (!length)
		return;
	if (out->memmap_count >= BOOT_MEMMAP_MAX) {
		out->memmap_dropped++;
		return;
	}
	out->memmap[out->memmap_count++] = (struct mem_range){
		.base = base, .length = length, .type = type,
	};
}

/* The e820 type numbers that name a mem_type; others are reserved. */
static u32 e820_type(u32 t)
{
	static const u8 types[] = {
		[1] = MEM_USABLE,
		[3] = MEM_ACPI_RECLAIM,
		[4] = MEM_ACPI_NVS,
		[5] = MEM_BAD,
	};

	return t < ARRAY_SIZE(types) && types[t] ? types[t] : MEM_RESERVED;
}

/* Tags 6 and 17: u32 entry size, u32 version, then entries stepped by
 * the entry size, which check_tag() has checked; a trailing partial
 * entry is ignored. Tag 6 entries are {u64 base, u64 length, u32 type,
 * u32 reserved}; tag 17 holds UEFI memory descriptors {u32 Type; u32 pad;
 * u64 PhysicalStart; u64 VirtualStart; u64 NumberOfPages; u64 Attribute}. */
static void parse_mmap(struct mb2_ctx *c)
{
	bool efi = c->type == TAG_EFI_MMAP;
	u32 esize = rd32(c, c->off + 8);
	u32 end = c->off + c->size;

	if (!memmap_take_source(c->out, efi ? MEMMAP_EFI : MEMMAP_E820))
		return;
	for (u32 e = c->off + 16; esize <= end - e; e += esize) {
		if (efi)
			memmap_add(c->out, rd64(c, e + EFI_MEMDESC_PHYS_OFF),
				   efi_pages_to_bytes(rd64(c, e + EFI_MEMDESC_PAGES_OFF)),
				   efi_mem_type(rd32(c, e + EFI_MEMDESC_TYPE_OFF)));
		else
			memmap_add(c->out, rd64(c, e), rd64(c, e + 8),
				   e820_type(rd32(c, e + 16)));
	}
}

/* Tag 4: mem_lower/mem_upper in KiB, used only without a real map. */
static void parse_basic_meminfo(struct mb2_ctx *c)
{
	u64 lower = (u64)rd32(c, c->off + 8) << 10;
	u64 upper = (u64)rd32(c, c->off + 12) << 10;

	if (!memmap_take_source(c->out, MEMMAP_BASIC))
		return;
	memmap_add(c->out, 0, lower, MEM_USABLE);
	memmap_add(c->out, MIB, upper, MEM_USABLE);
}

/* Tag 3: u32 mod_start, u32 mod_end, then the module's string. */
static void parse_module(struct mb2_ctx *c)
{
	struct boot_info *out = c->out;
	struct boot_module *m;

	if (out->module_count >= BOOT_MODULES_MAX) {
		out->modules_dropped++;
		return;
	}
	m = &out->modules[out->module_count++];
	m->start = rd32(c, c->off + 8);
	m->end = rd32(c, c->off + 12);
	copy_tag_string(c, c->off + 16, c->off + c->size, m->string,
			sizeof(m->string));
}

/* Tag 8: only the common part is read; an unknown framebuffer_type
 * leaves out->fb zeroed (FB_NONE). */
static void parse_framebuffer(struct mb2_ctx *c)
{
	struct boot_framebuffer *fb = &c->out->fb;
	u8 type = c->p[c->off + 29];

	if (type > 2)
		return;
	fb->addr = rd64(c, c->off + 8);
	fb->pitch = rd32(c, c->off + 16);
	fb->width = rd32(c, c->off + 20);
	fb->height = rd32(c, c->off + 24);
	fb->bpp = c->p[c->off + 28];
	fb->type = (u8)(type + 1); /* 0 indexed, 1 RGB, 2 EGA text */
}

/* Tags 14/15: a copy of the RSDP. The ACPI 2.0+ XSDP beats the 1.0 RSDP
 * in either order; of several of one kind the first is kept. */
static void parse_rsdp(struct mb2_ctx *c)
{
	struct boot_info *out = c->out;
	u32 revision = c->type == TAG_ACPI_NEW ? 2 : 1;
	u32 len = MIN(c->size - MB2_TAG_HDR,
		      revision == 2 ? RSDP_V2_LEN : RSDP_V1_LEN);

	if (out->rsdp_revision >= revision)
		return;
	memset(out->rsdp, 0, sizeof(out->rsdp));
	memcpy(out->rsdp, c->p + c->off + MB2_TAG_HDR, len);
	out->rsdp_length = len;
	out->rsdp_revision = revision;
}

/* Tags 1 and 2: strings filling the tag, the command line or the
 * loader's name. */
static void parse_string(struct mb2_ctx *c)
{
	bool cmdline = c->type == TAG_CMDLINE;
	char *dst = cmdline ? c->out->cmdline : c->out->loader_name;
	size_t len = cmdline ? sizeof(c->out->cmdline) : sizeof(c->out->loader_name);

	copy_tag_string(c, c->off + MB2_TAG_HDR, c->off + c->size, dst, len);
}

/* Tags 12 and 20: a u64 after the header, the EFI system table or the
 * image handle. */
static void parse_efi_u64(struct mb2_ctx *c)
{
	struct boot_info *out = c->out;
	u64 *dst = c->type == TAG_EFI64 ? &out->efi_system_table : &out->efi_image_handle;

	*dst = rd64(c, c->off + MB2_TAG_HDR);
}

/* Tag 18: boot services were not exited. */
static void parse_efi_bs(struct mb2_ctx *c)
{
	c->out->efi_boot_services_active = true;
}

static const struct tag_kind tag_kinds[] = {
	[TAG_CMDLINE] = { MB2_TAG_HDR, 0, parse_string },
	[TAG_LOADER_NAME] = { MB2_TAG_HDR, 0, parse_string },
	[TAG_MODULE] = { 16, 0, parse_module },
	[TAG_BASIC_MEMINFO] = { 16, 0, parse_basic_meminfo },
	[TAG_MMAP] = { 16, MB2_MMAP_ENTRY_MIN, parse_mmap },
	[TAG_FRAMEBUFFER] = { 31, 0, parse_framebuffer }, /* to bpp, type, reserved */
	[TAG_EFI64] = { 16, 0, parse_efi_u64 },
	[TAG_ACPI_OLD] = { MB2_TAG_HDR + RSDP_V1_LEN, 0, parse_rsdp },
	[TAG_ACPI_NEW] = { MB2_TAG_HDR + RSDP_V1_LEN, 0, parse_rsdp },
	[TAG_EFI_MMAP] = { 16, EFI_MEMDESC_MIN_SIZE, parse_mmap },
	[TAG_EFI_BS] = { MB2_TAG_HDR, 0, parse_efi_bs },
	[TAG_EFI64_IH] = { 16, 0, parse_efi_u64 },
};

/* Reads the tag header at c->off and checks its size against the block
 * and against the fixed part of its type, then a memory map's entry
 * size against the least its entries need. */
static enum mb2_status check_tag(struct mb2_ctx *c)
{
	u32 min;

	if (c->total - c->off < MB2_TAG_HDR)
		return mb2_fail(c, MB2_TAG_OVERRUN,
				"tag header at offset 0x%x runs past total_size %u",
				c->off, c->total);
	c->type = rd32(c, c->off);
	c->size = rd32(c, c->off + 4);
	c->kind = &tag_kinds[c->type < ARRAY_SIZE(tag_kinds) ? c->type : TAG_END];
	min = MAX(c->kind->min_size, MB2_TAG_HDR);
	if (c->size < min)
		return mb2_fail(c, MB2_BAD_TAG_SIZE,
				"tag type %u at offset 0x%x: size %u < %u",
				c->type, c->off, c->size, min);
	if (c->size > c->total - c->off)
		return mb2_fail(c, MB2_TAG_OVERRUN,
				"tag type %u at offset 0x%x: size %u runs past total_size %u",
				c->type, c->off, c->size, c->total);
	if (c->kind->min_entry && rd32(c, c->off + 8) < c->kind->min_entry)
		return mb2_fail(c, MB2_BAD_TAG_SIZE,
				"tag type %u at offset 0x%x: %s %u < %u",
				c->type, c->off, c->type == TAG_EFI_MMAP ?
				"descriptor_size" : "entry_size",
				rd32(c, c->off + 8), c->kind->min_entry);
	return MB2_OK;
}

/* Walks the tag list up to and including the end tag. Sizes are at most
 * MB2_INFO_MAX_SIZE, so the offset arithmetic cannot overflow. */
static enum mb2_status walk_tags(struct mb2_ctx *c)
{
	enum mb2_status st;

	for (c->off = MB2_HDR_SIZE; c->off < c->total;
	     c->off += (u32)ALIGN_UP(c->size, 8)) {
		st = check_tag(c);
		if (st != MB2_OK)
			return st;
		if (c->type == TAG_END)
			return MB2_OK;
		if (c->kind->parse)
			c->kind->parse(c);
	}
	return mb2_fail(c, MB2_NO_END_TAG, "no end tag within total_size %u",
			c->total);
}

/* Validates the fixed part: alignment and total_size against the
 * minimum (header + end tag), MB2_INFO_MAX_SIZE and `avail`. */
static enum mb2_status check_header(struct mb2_ctx *c, const void *info,
				    size_t avail)
{
	if ((uintptr_t)info & 7)
		return mb2_fail(c, MB2_BAD_ALIGNMENT,
				"info block at %p is not 8-byte aligned", info);
	if (avail < MB2_HDR_SIZE)
		return mb2_fail(c, MB2_BAD_TOTAL_SIZE,
				"only %zu bytes available, header needs %u",
				avail, MB2_HDR_SIZE);
	c->total = rd32(c, 0);
	if (c->total < MB2_HDR_SIZE + MB2_TAG_HDR ||
	    c->total > MB2_INFO_MAX_SIZE || c->total > avail)
		return mb2_fail(c, MB2_BAD_TOTAL_SIZE,
				"total_size %u outside [%u, %zu]", c->total,
				MB2_HDR_SIZE + MB2_TAG_HDR,
				MIN((size_t)MB2_INFO_MAX_SIZE, avail));
	return MB2_OK;
}

enum mb2_status mb2_parse(u32 magic, const void *info, size_t avail,
			  u64 info_phys, struct boot_info *out, char *err,
			  size_t errlen)
{
	struct mb2_ctx c = {
		.p = info, .out = out, .err = err, .errlen = errlen,
	};
	enum mb2_status st;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	if (magic != MB2_BOOTLOADER_MAGIC)
		return mb2_fail(&c, MB2_BAD_MAGIC,
				"bad multiboot2 magic 0x%x (want 0x%x)", magic,
				MB2_BOOTLOADER_MAGIC);
	st = check_header(&c, info, avail);
	if (st != MB2_OK)
		return st;
	out->info_start = info_phys;
	out->info_end = info_phys + c.total;
	return walk_tags(&c);
}

const char *mb2_status_name(enum mb2_status st)
{
	static const char *const names[] = {
		[MB2_OK] = "ok",
		[MB2_BAD_MAGIC] = "bad magic",
		[MB2_BAD_ALIGNMENT] = "bad alignment",
		[MB2_BAD_TOTAL_SIZE] = "bad total size",
		[MB2_BAD_TAG_SIZE] = "bad tag size",
		[MB2_TAG_OVERRUN] = "tag overrun",
		[MB2_NO_END_TAG] = "no end tag",
	};

	return (u32)st < ARRAY_SIZE(names) ? names[st] : "unknown status";
}
