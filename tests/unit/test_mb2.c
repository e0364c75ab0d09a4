/* Unit tests for boot/mb2.c: tag lists are assembled in a u64-aligned
 * buffer by small builders, then copied into a heap block of exactly
 * `avail` bytes so ASan flags any read past what the parser may touch. */
#include "check.h"
#include "../../lib/printf.c"
#include "../../boot/mb2.c"
#include "../../hv/memmap.c"

#define INFO_PHYS 0x10000ULL

struct mb2_buf {
	u64 words[8192]; /* 64 KiB, 8-byte aligned */
	u32 off;
};

static u8 *bytes(struct mb2_buf *b)
{
	return (u8 *)b->words;
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void put64(u8 *p, u64 v)
{
	memcpy(p, &v, 8);
}

static void b_init(struct mb2_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->off = 8;
}

/* Appends a tag header with the given size; returns its start. The
 * padding up to 8 bytes is filled with 0xee so a parser that reads
 * beyond `size` sees garbage. */
static u8 *b_tag(struct mb2_buf *b, u32 type, u32 size)
{
	u8 *t = bytes(b) + b->off;
	u32 step = (u32)ALIGN_UP(size, 8);

	if (b->off + step > sizeof(b->words)) {
		printf("test buffer too small for tag %u\n", type);
		abort();
	}
	memset(t, 0, step);
	if (step > size)
		memset(t + size, 0xee, step - size);
	put32(t, type);
	put32(t + 4, size);
	b->off += step;
	return t;
}

static void b_set_total(struct mb2_buf *b, u32 total)
{
	put32(bytes(b), total);
}

/* Appends the end tag and stores total_size. */
static u32 b_end(struct mb2_buf *b)
{
	b_tag(b, 0, 8);
	b_set_total(b, b->off);
	return b->off;
}

static void b_string(struct mb2_buf *b, u32 type, const char *s, bool nul)
{
	u32 len = (u32)strlen(s) + (nul ? 1 : 0);
	u8 *t = b_tag(b, type, 8 + len);

	memcpy(t + 8, s, len);
}

static void b_module(struct mb2_buf *b, u32 start, u32 end, const char *s)
{
	u32 len = (u32)strlen(s) + 1;
	u8 *t = b_tag(b, 3, 16 + len);

	put32(t + 8, start);
	put32(t + 12, end);
	memcpy(t + 16, s, len);
}

static void b_meminfo(struct mb2_buf *b, u32 lower_kib, u32 upper_kib)
{
	u8 *t = b_tag(b, 4, 16);

	put32(t + 8, lower_kib);
	put32(t + 12, upper_kib);
}

struct e820 {
	u64 base, len;
	u32 type;
};

/* Tag 6 with entries stepped by esize (>= 24 unless testing). */
static void b_mmap(struct mb2_buf *b, const struct e820 *e, u32 n, u32 esize)
{
	u8 *t = b_tag(b, 6, 16 + n * esize);

	put32(t + 8, esize);
	for (u32 i = 0; i < n; i++) {
		u8 *p = t + 16 + i * esize;

		memset(p, 0xab, esize);
		put64(p, e[i].base);
		put64(p + 8, e[i].len);
		put32(p + 16, e[i].type);
	}
}

struct efi_desc {
	u32 type;
	u64 start, pages;
};

static void b_efi_mmap(struct mb2_buf *b, const struct efi_desc *d, u32 n,
		       u32 dsize)
{
	u8 *t = b_tag(b, 17, 16 + n * dsize);

	put32(t + 8, dsize);
	put32(t + 12, 1);
	for (u32 i = 0; i < n; i++) {
		u8 *p = t + 16 + i * dsize;

		memset(p, 0xcd, dsize);
		put32(p, d[i].type);
		put64(p + 8, d[i].start);
		put64(p + 16, 0xdead0000);
		put64(p + 24, d[i].pages);
	}
}

static void b_fb(struct mb2_buf *b, u64 addr, u8 type)
{
	u8 *t = b_tag(b, 8, 32);

	put64(t + 8, addr);
	put32(t + 16, 4096);
	put32(t + 20, 1024);
	put32(t + 24, 768);
	t[28] = 32;
	t[29] = type;
}

static void b_u64_tag(struct mb2_buf *b, u32 type, u64 v)
{
	put64(b_tag(b, type, 16) + 8, v);
}

/* An RSDP copy whose bytes are `fill` so tests can tell them apart. */
static void b_rsdp(struct mb2_buf *b, u32 type, u32 len, u8 fill)
{
	memset(b_tag(b, type, 8 + len) + 8, fill, len);
}

static char errbuf[256];
static struct boot_info bi;

/* Parses the first `avail` bytes of b from an exact-size heap copy. */
static enum mb2_status parse_avail(const struct mb2_buf *b, size_t avail)
{
	u8 *copy = malloc(avail ? avail : 1);
	enum mb2_status st;

	memcpy(copy, b->words, avail);
	st = mb2_parse(MB2_BOOTLOADER_MAGIC, copy, avail, INFO_PHYS, &bi,
		       errbuf, sizeof(errbuf));
	free(copy);
	return st;
}

static enum mb2_status parse(const struct mb2_buf *b)
{
	u32 total;

	memcpy(&total, b->words, 4);
	return parse_avail(b, total);
}

static struct mb2_buf B;

static const struct efi_desc efi_map[17];

/* A valid block carrying every tag type the parser knows (the EFI
 * memory map only when `efi`, since it overrides tag 6). */
static u32 build_full(struct mb2_buf *b, bool efi)
{
	static const struct e820 e[] = {
		{ 0, 0x9fc00, 1 },      { 0x9fc00, 0x400, 2 },
		{ 0x100000, 0x7ee0000, 1 }, { 0x7fe0000, 0x10000, 3 },
		{ 0x7ff0000, 0x10000, 4 }, { 0x8000000, 0x1000, 5 },
		{ 0x9000000, 0, 1 },    { 0xfec00000, 0x1000, 7 },
	};

	b_init(b);
	b_string(b, 1, "/boot/hv console=serial", true);
	b_string(b, 2, "GRUB 2.06", true);
	b_module(b, 0x200000, 0x280000, "guest.img");
	b_module(b, 0x300000, 0x301000, "initrd");
	b_meminfo(b, 639, 130048);
	b_mmap(b, e, ARRAY_SIZE(e), 24);
	b_fb(b, 0xfd000000, 1);
	b_u64_tag(b, 12, 0x7f000000);
	b_rsdp(b, 14, 20, 0x11);
	b_rsdp(b, 15, 36, 0x22);
	b_tag(b, 18, 8);
	b_u64_tag(b, 20, 0x7e000000);
	memset(b_tag(b, 21, 13) + 8, 0x5a, 5); /* unknown: skipped */
	if (efi)
		b_efi_mmap(b, efi_map, 6, 40);
	return b_end(b);
}

TEST(good_all_tags)
{
	u32 total = build_full(&B, false);

	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_STR(errbuf, "");
	CHECK_STR(bi.cmdline, "/boot/hv console=serial");
	CHECK_STR(bi.loader_name, "GRUB 2.06");
	CHECK_EQ(bi.module_count, 2);
	CHECK_EQ(bi.modules[0].start, 0x200000);
	CHECK_EQ(bi.modules[0].end, 0x280000);
	CHECK_STR(bi.modules[0].string, "guest.img");
	CHECK_STR(bi.modules[1].string, "initrd");
	CHECK_EQ(bi.modules_dropped, 0);
	CHECK_EQ(bi.memmap_source, MEMMAP_E820);
	CHECK_EQ(bi.memmap_count, 7); /* the zero-length entry is dropped */
	CHECK_EQ(bi.memmap[0].base, 0);
	CHECK_EQ(bi.memmap[0].length, 0x9fc00);
	CHECK_EQ(bi.memmap[0].type, MEM_USABLE);
	CHECK_EQ(bi.memmap[1].type, MEM_RESERVED);
	CHECK_EQ(bi.memmap[3].type, MEM_ACPI_RECLAIM);
	CHECK_EQ(bi.memmap[4].type, MEM_ACPI_NVS);
	CHECK_EQ(bi.memmap[5].type, MEM_BAD);
	CHECK_EQ(bi.memmap[6].base, 0xfec00000);
	CHECK_EQ(bi.memmap[6].type, MEM_RESERVED);
	CHECK_EQ(bi.fb.addr, 0xfd000000);
	CHECK_EQ(bi.fb.pitch, 4096);
	CHECK_EQ(bi.fb.width, 1024);
	CHECK_EQ(bi.fb.height, 768);
	CHECK_EQ(bi.fb.bpp, 32);
	CHECK_EQ(bi.fb.type, FB_RGB);
	CHECK_EQ(bi.efi_system_table, 0x7f000000);
	CHECK_EQ(bi.efi_image_handle, 0x7e000000);
	CHECK(bi.efi_boot_services_active);
	CHECK_EQ(bi.rsdp_revision, 2);
	CHECK_EQ(bi.rsdp_length, 36);
	CHECK_EQ(bi.rsdp[0], 0x22);
	CHECK_EQ(bi.rsdp[35], 0x22);
	CHECK_EQ(bi.info_start, INFO_PHYS);
	CHECK_EQ(bi.info_end, INFO_PHYS + total);
}

TEST(minimal_block)
{
	b_init(&B);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.memmap_source, MEMMAP_NONE);
	CHECK_EQ(bi.rsdp_revision, 0);
	CHECK_EQ(bi.fb.type, FB_NONE);
	CHECK_STR(bi.cmdline, "");
	CHECK_EQ(bi.info_end - bi.info_start, 16);
}

TEST(out_zeroed_first)
{
	build_full(&B, false);
	CHECK_EQ(parse(&B), MB2_OK);
	b_init(&B);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.module_count, 0);
	CHECK_EQ(bi.memmap_count, 0);
	CHECK_STR(bi.cmdline, "");
	CHECK(!bi.efi_boot_services_active);
}

TEST(bad_magic)
{
	build_full(&B, false);
	CHECK_EQ(mb2_parse(0x2badb002, B.words, sizeof(B.words), 0, &bi,
			   errbuf, sizeof(errbuf)), MB2_BAD_MAGIC);
	CHECK(strstr(errbuf, "magic") != NULL);
	/* The magic is checked before the pointer is touched. */
	CHECK_EQ(mb2_parse(0, NULL, 0, 0, &bi, NULL, 0), MB2_BAD_MAGIC);
}

TEST(misaligned_pointer)
{
	u32 total = build_full(&B, false);
	u8 *raw = malloc(total + 4);

	memcpy(raw + 4, B.words, total);
	CHECK_EQ(mb2_parse(MB2_BOOTLOADER_MAGIC, raw + 4, total, 0, &bi,
			   errbuf, sizeof(errbuf)), MB2_BAD_ALIGNMENT);
	CHECK(strstr(errbuf, "aligned") != NULL);
	free(raw);
}

TEST(bad_total_size)
{
	build_full(&B, false);
	b_set_total(&B, 0);
	CHECK_EQ(parse_avail(&B, 64), MB2_BAD_TOTAL_SIZE);
	b_set_total(&B, 8);
	CHECK_EQ(parse_avail(&B, 64), MB2_BAD_TOTAL_SIZE);
	b_set_total(&B, 15);
	CHECK_EQ(parse_avail(&B, 64), MB2_BAD_TOTAL_SIZE);
	b_set_total(&B, 65);
	CHECK_EQ(parse_avail(&B, 64), MB2_BAD_TOTAL_SIZE);
	CHECK(strstr(errbuf, "total_size 65") != NULL);
	/* Larger than the hard limit even though `avail` claims more. */
	b_set_total(&B, MB2_INFO_MAX_SIZE + 8);
	CHECK_EQ(mb2_parse(MB2_BOOTLOADER_MAGIC, B.words, (size_t)-1, 0, &bi,
			   errbuf, sizeof(errbuf)), MB2_BAD_TOTAL_SIZE);
	/* Not even the 8-byte header is readable. */
	CHECK_EQ(parse_avail(&B, 4), MB2_BAD_TOTAL_SIZE);
	CHECK_EQ(parse_avail(&B, 0), MB2_BAD_TOTAL_SIZE);
}

TEST(truncated_buffer)
{
	u32 total = build_full(&B, false);

	CHECK_EQ(parse_avail(&B, total - 8), MB2_BAD_TOTAL_SIZE);
	CHECK_EQ(parse_avail(&B, total - 1), MB2_BAD_TOTAL_SIZE);
	CHECK_EQ(parse_avail(&B, total), MB2_OK);
	CHECK_EQ(parse_avail(&B, total + 100), MB2_OK);
}

TEST(tag_size_below_header)
{
	u8 *t;

	b_init(&B);
	b_string(&B, 1, "x", true);
	t = b_tag(&B, 2, 8);
	b_end(&B);
	put32(t + 4, 4);
	CHECK_EQ(parse(&B), MB2_BAD_TAG_SIZE);
	CHECK(strstr(errbuf, "type 2") != NULL);
	CHECK(strstr(errbuf, "offset 0x18") != NULL);
	put32(t + 4, 0); /* would loop forever if accepted */
	CHECK_EQ(parse(&B), MB2_BAD_TAG_SIZE);
}

/* Shrinks the size field of a well-formed tag of `type` to `size`. */
static enum mb2_status parse_with_tag_size(u32 type, u32 size)
{
	u8 *t;

	b_init(&B);
	t = bytes(&B) + B.off;
	switch (type) {
	case 3:
		b_module(&B, 0x1000, 0x2000, "m");
		break;
	case 6:
		b_mmap(&B, (const struct e820[]){ { 0, 0x1000, 1 } }, 1, 24);
		break;
	case 8:
		b_fb(&B, 0xb8000, 2);
		break;
	default:
		b_rsdp(&B, type, 20, 0x33);
		break;
	}
	b_end(&B);
	put32(t + 4, size);
	return parse(&B);
}

TEST(tag_smaller_than_fixed_part)
{
	CHECK_EQ(parse_with_tag_size(6, 12), MB2_BAD_TAG_SIZE);
	CHECK(strstr(errbuf, "type 6") != NULL);
	CHECK_EQ(parse_with_tag_size(3, 12), MB2_BAD_TAG_SIZE);
	CHECK(strstr(errbuf, "type 3") != NULL);
	CHECK_EQ(parse_with_tag_size(8, 24), MB2_BAD_TAG_SIZE);
	CHECK_EQ(parse_with_tag_size(14, 20), MB2_BAD_TAG_SIZE);
	CHECK_EQ(parse_with_tag_size(15, 27), MB2_BAD_TAG_SIZE);
}

TEST(tag_with_only_fixed_part)
{
	b_init(&B);
	put32(b_tag(&B, 3, 16) + 8, 0x5000); /* module without a string */
	b_mmap(&B, NULL, 0, 24);             /* map without entries */
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.module_count, 1);
	CHECK_EQ(bi.modules[0].start, 0x5000);
	CHECK_STR(bi.modules[0].string, "");
	CHECK_EQ(bi.memmap_source, MEMMAP_E820);
	CHECK_EQ(bi.memmap_count, 0);
}

TEST(tag_overrun)
{
	u8 *t;
	u32 total;

	b_init(&B);
	b_string(&B, 1, "abc", true);
	t = b_tag(&B, 2, 16);
	total = b_end(&B);
	put32(t + 4, total - 24 + 1); /* one byte past the end */
	CHECK_EQ(parse(&B), MB2_TAG_OVERRUN);
	CHECK(strstr(errbuf, "type 2") != NULL);
	CHECK(strstr(errbuf, "offset 0x18") != NULL);
	put32(t + 4, 0xfffffff0); /* must not wrap the offset arithmetic */
	CHECK_EQ(parse(&B), MB2_TAG_OVERRUN);
	put32(t + 4, total - 24); /* exactly to the end: no room for end tag */
	CHECK_EQ(parse(&B), MB2_NO_END_TAG);
}

TEST(tag_header_overrun)
{
	b_init(&B);
	b_string(&B, 1, "abc", true);
	b_end(&B);
	b_set_total(&B, B.off - 4); /* end tag header cut in half */
	CHECK_EQ(parse(&B), MB2_TAG_OVERRUN);
}

TEST(missing_end_tag)
{
	b_init(&B);
	b_string(&B, 1, "abc", true);
	b_meminfo(&B, 639, 1024);
	b_set_total(&B, B.off);
	CHECK_EQ(parse(&B), MB2_NO_END_TAG);
	CHECK(strstr(errbuf, "end tag") != NULL);
	/* Tags parsed before the failure may be filled in. */
	CHECK_STR(bi.cmdline, "abc");
}

TEST(mmap_bad_entry_size)
{
	static const u32 sizes[] = { 0, 1, 8, 16, 23 };
	struct e820 e = { 0x100000, 0x100000, 1 };

	for (u32 i = 0; i < ARRAY_SIZE(sizes); i++) {
		b_init(&B);
		b_mmap(&B, &e, 1, 24);
		put32(bytes(&B) + 16, sizes[i]);
		b_end(&B);
		CHECK_EQ(parse(&B), MB2_BAD_TAG_SIZE);
		CHECK(strstr(errbuf, "entry_size") != NULL);
	}
}

TEST(mmap_entry_stride)
{
	static const struct e820 e[] = {
		{ 0x100000, 0x100000, 1 }, { 0x300000, 0x1000, 2 },
		{ 0x400000, 0x2000, 9 },
	};

	b_init(&B);
	b_mmap(&B, e, 3, 40); /* larger entries: the extra bytes are skipped */
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.memmap_count, 3);
	CHECK_EQ(bi.memmap[1].base, 0x300000);
	CHECK_EQ(bi.memmap[2].length, 0x2000);
	CHECK_EQ(bi.memmap[2].type, MEM_RESERVED);

	/* A trailing partial entry is ignored. */
	b_init(&B);
	b_mmap(&B, e, 2, 24);
	put32(bytes(&B) + 12, 16 + 24 + 20);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.memmap_count, 1);
}

TEST(mmap_too_many_entries)
{
	struct e820 e[BOOT_MEMMAP_MAX + 5];

	for (u32 i = 0; i < ARRAY_SIZE(e); i++)
		e[i] = (struct e820){ (u64)i << 20, 0x1000, 1 };
	b_init(&B);
	b_mmap(&B, e, ARRAY_SIZE(e), 24);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.memmap_count, BOOT_MEMMAP_MAX);
	CHECK_EQ(bi.memmap_dropped, 5);
	CHECK_EQ(bi.memmap[BOOT_MEMMAP_MAX - 1].base,
		 (u64)(BOOT_MEMMAP_MAX - 1) << 20);
}

static const struct efi_desc efi_map[17] = {
	{ 0, 0x0, 1 },        { 1, 0x1000, 2 },    { 2, 0x3000, 1 },
	{ 3, 0x4000, 1 },     { 4, 0x5000, 1 },    { 5, 0x6000, 1 },
	{ 6, 0x7000, 1 },     { 7, 0x100000, 256 }, { 8, 0x200000, 1 },
	{ 9, 0x201000, 1 },   { 10, 0x202000, 1 }, { 11, 0xfee00000, 1 },
	{ 12, 0x203000, 1 },  { 13, 0x204000, 1 }, { 14, 0x205000, 1 },
	{ 15, 0x206000, 1 },  { 7, 0x207000, 0 },
};

static void check_efi_map(void)
{
	static const u32 want[] = {
		MEM_RESERVED,     MEM_USABLE,   MEM_USABLE,   MEM_USABLE,
		MEM_USABLE,       MEM_RESERVED, MEM_RESERVED, MEM_USABLE,
		MEM_BAD,          MEM_ACPI_RECLAIM, MEM_ACPI_NVS, MEM_RESERVED,
		MEM_RESERVED,     MEM_RESERVED, MEM_RESERVED, MEM_RESERVED,
	};

	CHECK_EQ(bi.memmap_source, MEMMAP_EFI);
	CHECK_EQ(bi.memmap_count, ARRAY_SIZE(want)); /* 0 pages dropped */
	for (u32 i = 0; i < ARRAY_SIZE(want); i++) {
		CHECK_EQ(bi.memmap[i].type, want[i]);
		CHECK_EQ(bi.memmap[i].base, efi_map[i].start);
		CHECK_EQ(bi.memmap[i].length, efi_map[i].pages << 12);
	}
}

TEST(efi_map_types)
{
	b_init(&B);
	b_efi_mmap(&B, efi_map, ARRAY_SIZE(efi_map), 48);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	check_efi_map();
}

TEST(efi_map_bad_descriptor_size)
{
	b_init(&B);
	b_efi_mmap(&B, efi_map, 2, 40);
	put32(bytes(&B) + 16, 39);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_BAD_TAG_SIZE);
	CHECK(strstr(errbuf, "descriptor_size") != NULL);
	put32(bytes(&B) + 16, 0);
	CHECK_EQ(parse(&B), MB2_BAD_TAG_SIZE);
}

TEST(efi_map_huge_pages_saturate)
{
	struct efi_desc d = { 7, 0x100000, ~0ULL >> 4 };

	b_init(&B);
	b_efi_mmap(&B, &d, 1, 40);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.memmap[0].length, ~0ULL);
}

TEST(efi_map_preferred_both_orders)
{
	struct e820 e = { 0x100000, 0x100000, 1 };

	b_init(&B);
	b_meminfo(&B, 639, 1024);
	b_mmap(&B, &e, 1, 24);
	b_efi_mmap(&B, efi_map, ARRAY_SIZE(efi_map), 40);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	check_efi_map();

	b_init(&B);
	b_efi_mmap(&B, efi_map, ARRAY_SIZE(efi_map), 40);
	b_mmap(&B, &e, 1, 24);
	b_meminfo(&B, 639, 1024);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	check_efi_map();
}

TEST(ignored_mmap_still_validated)
{
	struct e820 e = { 0x100000, 0x100000, 1 };

	b_init(&B);
	b_efi_mmap(&B, efi_map, 2, 40);
	b_mmap(&B, &e, 1, 24);
	put32(bytes(&B) + B.off - 40 + 8, 8); /* entry_size of tag 6 */
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_BAD_TAG_SIZE);
}

TEST(e820_preferred_over_basic)
{
	struct e820 e = { 0x100000, 0x200000, 1 };

	b_init(&B);
	b_meminfo(&B, 639, 1024);
	b_mmap(&B, &e, 1, 24);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.memmap_source, MEMMAP_E820);
	CHECK_EQ(bi.memmap_count, 1);
	CHECK_EQ(bi.memmap[0].length, 0x200000);

	b_init(&B);
	b_mmap(&B, &e, 1, 24);
	b_meminfo(&B, 639, 1024);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.memmap_source, MEMMAP_E820);
	CHECK_EQ(bi.memmap_count, 1);
}

TEST(basic_meminfo_only)
{
	b_init(&B);
	b_meminfo(&B, 639, 130048);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.memmap_source, MEMMAP_BASIC);
	CHECK_EQ(bi.memmap_count, 2);
	CHECK_EQ(bi.memmap[0].base, 0);
	CHECK_EQ(bi.memmap[0].length, 639 * 1024);
	CHECK_EQ(bi.memmap[0].type, MEM_USABLE);
	CHECK_EQ(bi.memmap[1].base, MIB);
	CHECK_EQ(bi.memmap[1].length, 130048ULL * 1024);
	CHECK_EQ(bi.memmap[1].type, MEM_USABLE);
}

TEST(strings_without_nul)
{
	char big[BOOT_MODULE_STRING_MAX + 44];

	b_init(&B);
	b_string(&B, 1, "abc", false); /* size 11; padding is 0xee */
	b_string(&B, 2, "loader", false);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_STR(bi.cmdline, "abc");
	CHECK_STR(bi.loader_name, "loader");

	/* Longer than the destination: truncated and terminated. */
	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	b_init(&B);
	b_string(&B, 2, big, false);
	b_module(&B, 0x1000, 0x2000, big);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(strlen(bi.loader_name), BOOT_NAME_MAX - 1);
	CHECK_EQ(strlen(bi.modules[0].string), BOOT_MODULE_STRING_MAX - 1);

	/* An empty string tag (header only). */
	b_init(&B);
	b_tag(&B, 1, 8);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_STR(bi.cmdline, "");
}

TEST(too_many_modules)
{
	char name[16];

	b_init(&B);
	for (u32 i = 0; i < BOOT_MODULES_MAX + 4; i++) {
		snprintf(name, sizeof(name), "mod%u", i);
		b_module(&B, 0x1000000 + i * 0x1000, 0x1001000 + i * 0x1000,
			 name);
	}
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.module_count, BOOT_MODULES_MAX);
	CHECK_EQ(bi.modules_dropped, 4);
	CHECK_STR(bi.modules[BOOT_MODULES_MAX - 1].string, "mod15");
}

TEST(new_rsdp_preferred)
{
	b_init(&B);
	b_rsdp(&B, 14, 20, 0x11);
	b_rsdp(&B, 15, 36, 0x22);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.rsdp_revision, 2);
	CHECK_EQ(bi.rsdp_length, 36);
	CHECK_EQ(bi.rsdp[0], 0x22);

	b_init(&B);
	b_rsdp(&B, 15, 36, 0x22);
	b_rsdp(&B, 14, 20, 0x11);
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.rsdp_revision, 2);
	CHECK_EQ(bi.rsdp[0], 0x22);
	CHECK_EQ(bi.rsdp[35], 0x22);

	b_init(&B);
	b_rsdp(&B, 14, 24, 0x11); /* extra bytes are not copied */
	b_end(&B);
	CHECK_EQ(parse(&B), MB2_OK);
	CHECK_EQ(bi.rsdp_revision, 1);
	CHECK_EQ(bi.rsdp_length, 20);
	CHECK_EQ(bi.rsdp[19], 0x11);
	CHECK_EQ(bi.rsdp[20], 0);
}

TEST(framebuffer_types)
{
	static const u8 want[] = { FB_INDEXED, FB_RGB, FB_EGA_TEXT, FB_NONE };

	for (u8 t = 0; t < ARRAY_SIZE(want); t++) {
		b_init(&B);
		b_fb(&B, 0xb8000, t);
		b_end(&B);
		CHECK_EQ(parse(&B), MB2_OK);
		CHECK_EQ(bi.fb.type, want[t]);
	}
}

TEST(err_buffer_handling)
{
	char small[8];

	b_init(&B);
	b_tag(&B, 6, 12);
	b_end(&B);
	/* NULL / zero-length error buffers are allowed. */
	CHECK_EQ(mb2_parse(MB2_BOOTLOADER_MAGIC, B.words, 64, 0, &bi, NULL,
			   100), MB2_BAD_TAG_SIZE);
	memset(small, 'x', sizeof(small));
	CHECK_EQ(mb2_parse(MB2_BOOTLOADER_MAGIC, B.words, 64, 0, &bi, small,
			   0), MB2_BAD_TAG_SIZE);
	CHECK_EQ(small[0], 'x');
	CHECK_EQ(mb2_parse(MB2_BOOTLOADER_MAGIC, B.words, 64, 0, &bi, small,
			   sizeof(small)), MB2_BAD_TAG_SIZE);
	CHECK_EQ(strlen(small), sizeof(small) - 1);
}

TEST(status_names)
{
	CHECK_STR(mb2_status_name(MB2_OK), "ok");
	CHECK_STR(mb2_status_name(MB2_BAD_MAGIC), "bad magic");
	CHECK_STR(mb2_status_name(MB2_NO_END_TAG), "no end tag");
	CHECK_STR(mb2_status_name((enum mb2_status)99), "unknown status");
	for (int s = MB2_OK; s <= MB2_NO_END_TAG; s++)
		CHECK(strcmp(mb2_status_name(s), "unknown status") != 0);
}

static u32 lcg_state;

static u32 lcg(void)
{
	lcg_state = lcg_state * 1664525u + 1013904223u;
	return lcg_state >> 8;
}

/* Invariants any result must satisfy, successful or not. */
static void check_sane(enum mb2_status st, size_t avail)
{
	CHECK(st >= MB2_OK && st <= MB2_NO_END_TAG);
	CHECK(bi.module_count <= BOOT_MODULES_MAX);
	CHECK(bi.memmap_count <= BOOT_MEMMAP_MAX);
	CHECK(bi.rsdp_length <= sizeof(bi.rsdp));
	CHECK(memchr(bi.cmdline, 0, sizeof(bi.cmdline)) != NULL);
	CHECK(memchr(bi.loader_name, 0, sizeof(bi.loader_name)) != NULL);
	for (u32 i = 0; i < bi.module_count; i++)
		CHECK(memchr(bi.modules[i].string, 0, BOOT_MODULE_STRING_MAX));
	CHECK(bi.info_end - bi.info_start <= avail);
	CHECK(strlen(errbuf) < sizeof(errbuf));
	if (st != MB2_OK)
		CHECK(errbuf[0] != '\0');
}

/* Mutates a few bytes, biased toward the size fields of tag headers
 * and the total_size, which is where parsers go wrong. */
static void mutate(struct mb2_buf *b, u32 total)
{
	u32 flips = 1 + lcg() % 6;

	for (u32 k = 0; k < flips; k++) {
		u32 pos = lcg() % total;

		switch (lcg() % 4) {
		case 0:
			bytes(b)[pos] = (u8)lcg();
			break;
		case 1:
			bytes(b)[pos] ^= (u8)(1u << (lcg() % 8));
			break;
		case 2: /* a plausible small size/count field */
			put32(bytes(b) + (pos & ~3u), lcg() % 64);
			break;
		default:
			bytes(b)[(pos & ~7u) | 4] = (u8)lcg();
			break;
		}
	}
}

/* ---- modules the hypervisor must refuse (hv/memmap.c) -------------- */

#define IMAGE_START 0x100000ULL
#define IMAGE_END 0x180000ULL

/* A GRUB-like block (639 KiB of RAM, 127 MiB more from 1 MiB, reserved
 * MMIO at 0xfec00000, 1 GiB at 4 GiB) with a good module and one at
 * [start, end); returns why the hypervisor refuses the latter, or NULL. */
static const char *module_problem(u32 start, u32 end)
{
	static const struct e820 e[] = {
		{ 0, 0x9fc00, 1 },           { 0x9fc00, 0x400, 2 },
		{ 0x100000, 0x7f00000, 1 },  { 0xfec00000, 0x1000, 2 },
		{ 0x100000000ULL, 0x40000000, 1 },
	};
	static struct mem_range norm[16];
	int n;

	b_init(&B);
	b_string(&B, 2, "GRUB 2.06", true);
	b_module(&B, 0x200000, 0x280000, "good");
	b_module(&B, start, end, "crafted");
	b_mmap(&B, e, ARRAY_SIZE(e), 24);
	b_end(&B);
	if (parse(&B) != MB2_OK || bi.module_count != 2)
		return "parse failed";
	n = memmap_normalize(bi.memmap, bi.memmap_count, norm, ARRAY_SIZE(norm));
	if (n <= 0)
		return "normalize failed";
	if (memmap_module_problem(&bi.modules[0], norm, (u32)n, IMAGE_START, IMAGE_END))
		return "the good module refused";
	return memmap_module_problem(&bi.modules[1], norm, (u32)n, IMAGE_START, IMAGE_END);
}

TEST(module_accepted)
{
	CHECK(module_problem(0x300000, 0x301000) == NULL);
	CHECK(module_problem(0x180000, 0x8000000) == NULL);  /* right after the image, to RAM's end */
	CHECK(module_problem(0x1000, 0x9f000) == NULL);      /* below 640 KiB */
	CHECK(module_problem(0x500000, 0x500000) == NULL);   /* empty */
}

TEST(module_ending_before_it_starts)
{
	CHECK_STR(module_problem(0x400000, 0x300000), "it ends before it starts");
	CHECK_STR(module_problem(0x400001, 0x400000), "it ends before it starts");
}

TEST(module_over_the_hypervisor)
{
	CHECK_STR(module_problem(0x100000, 0x101000), "it overlaps the hypervisor image");
	CHECK_STR(module_problem(0x17f000, 0x190000), "it overlaps the hypervisor image");
	CHECK_STR(module_problem(0xf0000, 0x100001), "it overlaps the hypervisor image");
	CHECK_STR(module_problem(0x120000, 0x130000), "it overlaps the hypervisor image");
}

TEST(module_outside_ram)
{
	CHECK_STR(module_problem(0x8000000, 0x8001000), "it is not in usable RAM");   /* past RAM */
	CHECK_STR(module_problem(0x7fff000, 0x8000001), "it is not in usable RAM");   /* its end */
	CHECK_STR(module_problem(0x9f000, 0xa0000), "it is not in usable RAM");       /* into reserved */
	CHECK_STR(module_problem(0xfec00000, 0xfec01000), "it is not in usable RAM"); /* MMIO */
	CHECK_STR(module_problem(0xf0000000, 0xf0001000), "it is not in usable RAM"); /* no map entry */
	CHECK_STR(module_problem(0x90000, 0x100000), "it is not in usable RAM");   /* over the gap */
}

TEST(fuzz)
{
	static struct mb2_buf orig;
	u32 total = build_full(&orig, true);
	u32 ok = 0, claimed;
	enum mb2_status st;

	lcg_state = 12345;
	for (u32 it = 0; it < 20000 && !check_failed_in_test; it++) {
		B = orig;
		mutate(&B, total);
		memcpy(&claimed, B.words, 4);
		/* Half the time give exactly the claimed size (when it fits)
		 * so ASan also catches reads past total_size. */
		if ((it & 1) && claimed <= total)
			st = parse_avail(&B, claimed);
		else
			st = parse_avail(&B, total);
		check_sane(st, total);
		ok += st == MB2_OK;
	}
	CHECK(ok > 0);
}

RUN_TESTS("mb2",
	  T(good_all_tags), T(minimal_block), T(out_zeroed_first),
	  T(bad_magic), T(misaligned_pointer), T(bad_total_size),
	  T(truncated_buffer), T(tag_size_below_header),
	  T(tag_smaller_than_fixed_part), T(tag_with_only_fixed_part),
	  T(tag_overrun),
	  T(tag_header_overrun), T(missing_end_tag), T(mmap_bad_entry_size),
	  T(mmap_entry_stride), T(mmap_too_many_entries), T(efi_map_types),
	  T(efi_map_bad_descriptor_size), T(efi_map_huge_pages_saturate),
	  T(efi_map_preferred_both_orders), T(ignored_mmap_still_validated),
	  T(e820_preferred_over_basic), T(basic_meminfo_only),
	  T(strings_without_nul), T(too_many_modules), T(new_rsdp_preferred),
	  T(framebuffer_types), T(err_buffer_handling), T(status_names),
	  T(module_accepted), T(module_ending_before_it_starts),
	  T(module_over_the_hypervisor), T(module_outside_ram),
	  T(fuzz))
