/* The Linux boot protocol loader (guests/mgmt/linux_boot.c) against
 * Documentation/arch/x86/boot.rst: setup header checks and refusals on a
 * synthetic bzImage, the zero page's fields at their documented offsets,
 * where the kernel, initrd and boot data go, the identity map and the
 * 64-bit entry state. When a real kernel is at hand (/boot/vmlinuz-*, or
 * the file named by $LINUX_BZIMAGE) it is parsed and placed too. */
#include <glob.h>
#include "check.h"
#include "../../lib/printf.c"
#include "../../guests/mgmt/linux_boot.c"
#include "../../guests/mgmt/e820.c"

#define SETUP_SECTS 4
#define KERNEL_BYTES 0x3000
#define IMAGE_LEN ((SETUP_SECTS + 1) * 512 + KERNEL_BYTES)
#define INIT_SIZE 0x3000000 /* 48 MiB */

static u8 img[IMAGE_LEN];
static char err[160];

/* A bzImage as the kernel's build writes one, protocol 2.15, with a
 * protected-mode kernel of KERNEL_BYTES bytes. */
static void make_image(void)
{
	memset(img, 0, sizeof(img));
	img[LINUX_SETUP_SECTS] = SETUP_SECTS;
	put32(img + LINUX_SYSSIZE, KERNEL_BYTES / 16);
	put16(img + LINUX_BOOT_FLAG, 0xaa55);
	img[LINUX_JUMP] = 0xeb;
	img[LINUX_JUMP + 1] = 0x6a; /* the header ends at 0x26c */
	memcpy(img + LINUX_HEADER, "HdrS", 4);
	put16(img + LINUX_VERSION, 0x020f);
	img[LINUX_LOADFLAGS] = LINUX_LOADED_HIGH;
	put32(img + LINUX_INITRD_ADDR_MAX, 0x7fffffff);
	put32(img + LINUX_KERNEL_ALIGNMENT, 0x200000);
	img[LINUX_RELOCATABLE] = 1;
	put16(img + LINUX_XLOADFLAGS, 0x0003);
	put32(img + LINUX_CMDLINE_SIZE, 2047);
	put64(img + LINUX_PREF_ADDRESS, 0x1000000);
	put32(img + LINUX_INIT_SIZE, INIT_SIZE);
	img[0x26b] = 0x5a;          /* the header's last byte */
	img[0x26c] = 0xee;          /* past the header: not copied */
}

static struct linux_image parsed(void)
{
	struct linux_image li;

	CHECK_EQ(linux_parse(&li, img, sizeof(img), err, sizeof(err)), 0);
	return li;
}

/* A PC with `mib` MiB of RAM (e820.c): conventional memory, the BIOS
 * area, RAM from 1 MiB. */
static struct e820_map pc_map(u64 mib)
{
	struct e820_map m;

	CHECK_EQ(e820_build(&m, mib * MIB, 0, 0), 0);
	return m;
}

static int place(struct linux_layout *lay, const struct linux_image *li,
		 u64 mib, size_t cmdline_len, u64 initrd)
{
	struct e820_map m = pc_map(mib);

	return linux_place(lay, li, &m, cmdline_len, initrd, err, sizeof(err));
}

static int parse_err(void)
{
	struct linux_image li;

	err[0] = '\0';
	return linux_parse(&li, img, sizeof(img), err, sizeof(err));
}

TEST(parse_header_fields)
{
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(li.version, 0x020f);
	CHECK_EQ(li.setup_sects, 4);
	CHECK_EQ(li.kernel_offset, 0xa00);
	CHECK_EQ(li.kernel_size, KERNEL_BYTES);
	CHECK_EQ(li.header_len, 0x26c - 0x1f1);
	CHECK_EQ(li.loadflags, 0x01);
	CHECK_EQ(li.xloadflags, 0x0003);
	CHECK_EQ(li.kernel_alignment, 0x200000);
	CHECK_EQ(li.relocatable, 1);
	CHECK_EQ(li.pref_address, 0x1000000);
	CHECK_EQ(li.init_size, INIT_SIZE);
	CHECK_EQ(li.cmdline_size, 2047);
	CHECK_EQ(li.initrd_addr_max, 0x7fffffff);
	CHECK(li.data == img);
}

TEST(probe_bzimage)
{
	make_image();
	CHECK(linux_is_bzimage(img, sizeof(img)));
	CHECK(linux_is_bzimage(img, 0x206));
	CHECK(!linux_is_bzimage(img, 0x205));
	img[LINUX_HEADER] = 'h';
	CHECK(!linux_is_bzimage(img, sizeof(img)));
}

TEST(setup_sects_zero_means_four)
{
	struct linux_image li;

	make_image();
	img[LINUX_SETUP_SECTS] = 0;
	li = parsed();
	CHECK_EQ(li.setup_sects, 4);
	CHECK_EQ(li.kernel_offset, 5 * 512);
	img[LINUX_SETUP_SECTS] = 1;
	li = parsed();
	CHECK_EQ(li.kernel_offset, 2 * 512);
	CHECK_EQ(li.kernel_size, IMAGE_LEN - 1024);
}

TEST(refuse_bad_magic)
{
	make_image();
	img[LINUX_HEADER + 3] = 'Z';
	CHECK_EQ(parse_err(), -ENOEXEC);
	CHECK_STR(err, "not a bzImage: no \"HdrS\" at 0x202");
}

TEST(refuse_image_too_short_for_header)
{
	struct linux_image li;

	make_image();
	CHECK_EQ(linux_parse(&li, img, 0x207, err, sizeof(err)), -ENOEXEC);
	CHECK(strstr(err, "HdrS") != NULL);
	CHECK_EQ(linux_parse(&li, img, 0x260, err, sizeof(err)), -ENOEXEC);
	CHECK_STR(err, "truncated: the setup header ends before init_size");
}

TEST(refuse_bad_boot_flag)
{
	make_image();
	put16(img + LINUX_BOOT_FLAG, 0x55aa);
	CHECK_EQ(parse_err(), -ENOEXEC);
	CHECK_STR(err, "not a bzImage: no boot flag 0xaa55 at 0x1fe");
}

TEST(refuse_old_version)
{
	make_image();
	put16(img + LINUX_VERSION, 0x0205);
	CHECK_EQ(parse_err(), -ENOEXEC);
	CHECK_STR(err, "boot protocol 2.05 is too old (2.06 needed)");
	put16(img + LINUX_VERSION, 0x0202);
	img[LINUX_JUMP + 1] = 0x20; /* a 2.02 header is short */
	CHECK_EQ(parse_err(), -ENOEXEC);
	CHECK_STR(err, "boot protocol 2.02 is too old (2.06 needed)");
}

TEST(refuse_before_xloadflags)
{
	make_image();
	put16(img + LINUX_VERSION, 0x020b);
	CHECK_EQ(parse_err(), -ENOEXEC);
	CHECK_STR(err, "no 64-bit entry: boot protocol before 2.12 has no xloadflags");
	put16(img + LINUX_VERSION, 0x020c);
	CHECK_EQ(parse_err(), 0);
}

TEST(refuse_no_64bit_entry)
{
	make_image();
	put16(img + LINUX_XLOADFLAGS, 0x0002);
	CHECK_EQ(parse_err(), -ENOEXEC);
	CHECK_STR(err, "no 64-bit entry: xloadflags has no XLF_KERNEL_64");
}

TEST(refuse_not_loaded_high)
{
	make_image();
	img[LINUX_LOADFLAGS] = 0;
	CHECK_EQ(parse_err(), -ENOEXEC);
	CHECK_STR(err, "not a bzImage: loadflags has no LOADED_HIGH");
}

TEST(refuse_bad_alignment)
{
	make_image();
	put32(img + LINUX_KERNEL_ALIGNMENT, 0x300000);
	CHECK_EQ(parse_err(), -ENOEXEC);
	CHECK_STR(err, "kernel_alignment is not a power of two");
	img[LINUX_RELOCATABLE] = 0; /* then it is not used */
	CHECK_EQ(parse_err(), 0);
}

TEST(refuse_truncated_kernel)
{
	struct linux_image li;

	make_image();
	CHECK_EQ(linux_parse(&li, img, 5 * 512, err, sizeof(err)), -ENOEXEC);
	CHECK_STR(err, "truncated: no kernel after the setup sectors");
	CHECK_EQ(linux_parse(&li, img, IMAGE_LEN - 16, err, sizeof(err)), -ENOEXEC);
	CHECK_STR(err, "truncated: syssize says 12288 kernel bytes, the image has 12272");
	/* syssize rounds up to 16 bytes */
	CHECK_EQ(linux_parse(&li, img, IMAGE_LEN - 15, err, sizeof(err)), 0);
}

TEST(header_copy_stops_before_edd_buffer)
{
	struct linux_image li;

	make_image();
	img[LINUX_JUMP + 1] = 0xff; /* would end at 0x301 */
	li = parsed();
	CHECK_EQ(li.header_len, 0x290 - 0x1f1);
}

TEST(zero_page_fields)
{
	static u8 zp[4096];
	struct e820_map m = pc_map(256);
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	put64(img + LINUX_SETUP_DATA, 0x1234);
	li = parsed();
	CHECK_EQ(linux_place(&lay, &li, &m, 20, 0x200000, err, sizeof(err)), 0);
	memset(zp, 0xcc, sizeof(zp));
	linux_zero_page(zp, &li, &lay, &m);
	/* the setup header, from the image */
	CHECK_EQ(zp[0x1f1], 4);
	CHECK_EQ(get16(zp + 0x1fe), 0xaa55);
	CHECK_EQ(get32(zp + 0x202), 0x53726448);
	CHECK_EQ(get16(zp + 0x206), 0x020f);
	CHECK_EQ(get32(zp + 0x230), 0x200000);
	CHECK_EQ(get16(zp + 0x236), 0x0003);
	CHECK_EQ(get64(zp + 0x258), 0x1000000);
	CHECK_EQ(zp[0x26b], 0x5a);
	CHECK_EQ(zp[0x26c], 0);
	/* the loader's fields */
	CHECK_EQ(zp[0x210], 0xff);
	CHECK_EQ(zp[0x211], 0x81); /* LOADED_HIGH | CAN_USE_HEAP */
	CHECK_EQ(get16(zp + 0x224), 0xfe00);
	CHECK_EQ(get32(zp + 0x228), 0x20000);
	CHECK_EQ(get32(zp + 0x0c8), 0);
	CHECK_EQ(get32(zp + 0x218), lay.initrd);
	CHECK_EQ(get32(zp + 0x21c), 0x200000);
	CHECK_EQ(get32(zp + 0x0c0), 0);
	CHECK_EQ(get32(zp + 0x0c4), 0);
	CHECK_EQ(get64(zp + 0x250), 0); /* no setup_data */
	/* e820 */
	CHECK_EQ(zp[0x1e8], 4);
	CHECK_EQ(get64(zp + 0x2d0), 0);
	CHECK_EQ(get64(zp + 0x2d8), 0x9fc00);
	CHECK_EQ(get32(zp + 0x2e0), 1);
	CHECK_EQ(get64(zp + 0x2e4), 0x9fc00);
	CHECK_EQ(get32(zp + 0x2f4), 2);
	CHECK_EQ(get64(zp + 0x30c), MIB);
	CHECK_EQ(get64(zp + 0x314), 255 * MIB);
	CHECK_EQ(get32(zp + 0x31c), 1);
	CHECK_EQ(get64(zp + 0x320), 0); /* no fifth entry */
	/* everything else zero, the sentinel included */
	CHECK_EQ(zp[0x1ef], 0);
	for (int i = 0; i < 0x1e8; i++)
		if (i < 0xc0 || i >= 0xcc)
			CHECK_EQ(zp[i], 0);
	for (int i = 0x320; i < 4096; i++)
		CHECK_EQ(zp[i], 0);
}

TEST(zero_page_ext_fields_above_4g)
{
	static u8 zp[4096];
	static const struct e820_map none;
	struct linux_layout lay = { .cmdline = 0x123456000ULL,
				    .initrd = 0x234567000ULL,
				    .initrd_size = 0x100001000ULL };
	struct linux_image li;

	make_image();
	li = parsed();
	linux_zero_page(zp, &li, &lay, &none);
	CHECK_EQ(get32(zp + 0x228), 0x23456000);
	CHECK_EQ(get32(zp + 0x0c8), 0x1);
	CHECK_EQ(get32(zp + 0x218), 0x34567000);
	CHECK_EQ(get32(zp + 0x0c0), 0x2);
	CHECK_EQ(get32(zp + 0x21c), 0x00001000);
	CHECK_EQ(get32(zp + 0x0c4), 0x1);
	CHECK_EQ(zp[0x1e8], 0);
}

TEST(kernel_at_pref_address)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 0), 0);
	CHECK_EQ(lay.kernel, 0x1000000);
	CHECK_EQ(lay.kernel_end, 0x1000000 + INIT_SIZE);
	CHECK_EQ(lay.zero_page, 0x10000);
	CHECK_EQ(lay.gdt, 0x11000);
	CHECK_EQ(lay.page_tables, 0x12000);
	CHECK_EQ(lay.cmdline, 0x20000);
	CHECK_EQ(lay.initrd, 0);
	CHECK_EQ(lay.initrd_size, 0);
}

TEST(kernel_alignment_when_relocatable)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	put64(img + LINUX_PREF_ADDRESS, 0x1100000);
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 0), 0);
	CHECK_EQ(lay.kernel, 0x1200000);
	img[LINUX_RELOCATABLE] = 0; /* must go where it asks */
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 0), 0);
	CHECK_EQ(lay.kernel, 0x1100000);
}

TEST(kernel_at_16mib_without_pref_address)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	put64(img + LINUX_PREF_ADDRESS, 0);
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 0), 0);
	CHECK_EQ(lay.kernel, 16 * MIB);
	put32(img + LINUX_KERNEL_ALIGNMENT, 0x2000000);
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 0), 0);
	CHECK_EQ(lay.kernel, 32 * MIB);
}

/* init_size, not the image size, is what the kernel needs. */
TEST(kernel_needs_init_size_of_ram)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(place(&lay, &li, 64, 0, 0), 0);
	CHECK_EQ(place(&lay, &li, 63, 0, 0), -ENOMEM);
	CHECK_STR(err, "no RAM for the kernel at 0x1000000-0x4000000");
}

TEST(initrd_highest_page_below_ram_end)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 0x123456), 0);
	CHECK_EQ(lay.initrd, 0xfedc000);
	CHECK_EQ(lay.initrd_size, 0x123456);
}

TEST(initrd_below_initrd_addr_max)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	put32(img + LINUX_INITRD_ADDR_MAX, 0x07ffffff);
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 0x200000), 0);
	CHECK_EQ(lay.initrd, 0x7e00000);
	/* exactly up to the last byte allowed */
	CHECK_EQ(lay.initrd + lay.initrd_size - 1, 0x07ffffff);
}

TEST(initrd_clear_of_kernel)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	li = parsed();
	/* above the kernel's 16-64 MiB only 1 MiB is left: below it */
	CHECK_EQ(place(&lay, &li, 65, 0, 2 * MIB), 0);
	CHECK_EQ(lay.initrd, 14 * MIB);
	CHECK_EQ(place(&lay, &li, 65, 0, MIB), 0);
	CHECK_EQ(lay.initrd, 64 * MIB);
}

TEST(initrd_only_in_ram_below_4g)
{
	const struct e820_map m = { 5, {
		{ 0, 0x9fc00, E820_RAM },
		{ MIB, 199 * MIB, E820_RAM },
		{ 200 * MIB, 56 * MIB, E820_RESERVED },
		{ 0xfec00000, 0x1000, E820_RESERVED },
		{ 4 * GIB, 4 * GIB, E820_RAM },
	} };
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	put32(img + LINUX_INITRD_ADDR_MAX, 0xffffffff);
	li = parsed();
	CHECK_EQ(linux_place(&lay, &li, &m, 0, 0x1000, err, sizeof(err)), 0);
	CHECK_EQ(lay.initrd, 200 * MIB - 0x1000);
}

TEST(refuse_initrd_too_big)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 200 * MIB), -ENOMEM);
	CHECK_STR(err, "no RAM for an initrd of 209715200 bytes below 0x80000000");
}

TEST(command_line_length)
{
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 2047, 0), 0);
	CHECK_EQ(place(&lay, &li, 256, 2048, 0), -E2BIG);
	CHECK_STR(err, "command line of 2048 bytes, the kernel takes 2047");
}

TEST(refuse_without_low_ram)
{
	const struct e820_map m = { 1, { { MIB, 255 * MIB, E820_RAM } } };
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(linux_place(&lay, &li, &m, 0, 0, err, sizeof(err)), -ENOMEM);
	CHECK_STR(err, "no RAM for the boot data at 0x10000-0x2ffff");
}

static bool mapped(const struct linux_layout *lay, u64 addr)
{
	return addr < lay->map_end;
}

TEST(identity_map_covers_everything)
{
	static u64 pt[LINUX_PT_PAGES_MAX * 512];
	struct e820_map m = pc_map(3072);
	struct linux_layout lay;
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 100, MIB), 0);
	CHECK_EQ(lay.map_end, GIB);
	CHECK_EQ(lay.pt_pages, 3);
	CHECK_EQ(linux_place(&lay, &li, &m, 100, MIB, err, sizeof(err)), 0);
	CHECK_EQ(lay.initrd, 0x7ff00000);
	CHECK_EQ(lay.map_end, 2 * GIB);
	CHECK_EQ(lay.pt_pages, 4);
	CHECK(mapped(&lay, lay.kernel_end - 1));
	CHECK(mapped(&lay, lay.initrd + lay.initrd_size - 1));
	CHECK(mapped(&lay, lay.zero_page + 4095));
	CHECK(mapped(&lay, lay.cmdline + 100));
	memset(pt, 0xcc, sizeof(pt));
	linux_page_tables(pt, &lay);
	CHECK_EQ(pt[0], 0x13003);         /* PML4[0] -> PDPT */
	CHECK_EQ(pt[1], 0);
	CHECK_EQ(pt[512], 0x14003);       /* PDPT[0] -> PD 0 */
	CHECK_EQ(pt[513], 0x15003);
	CHECK_EQ(pt[514], 0);
	CHECK_EQ(pt[1024], 0x83);         /* 2 MiB pages, identity */
	CHECK_EQ(pt[1025], 0x200083);
	CHECK_EQ(pt[1024 + 511], 0x3fe00083);
	CHECK_EQ(pt[1024 + 512], 0x40000083);
	CHECK_EQ(pt[1024 + 1023], 0x7fe00083);
	CHECK_EQ(pt[2048], 0xcccccccccccccccc); /* past pt_pages: untouched */
}

TEST(entry_state_64bit)
{
	struct linux_layout lay;
	struct linux_entry e;
	struct linux_image li;

	make_image();
	li = parsed();
	CHECK_EQ(place(&lay, &li, 256, 0, 0), 0);
	linux_entry_state(&e, &lay);
	CHECK_EQ(e.rip, 0x1000200);
	CHECK_EQ(e.rsi, 0x10000);
	CHECK_EQ(e.cs, 0x10);
	CHECK_EQ(e.ds, 0x18);
	CHECK_EQ(e.gdt_base, 0x11000);
	CHECK_EQ(e.gdt_limit, 31);
	CHECK_EQ(e.gdt[0], 0);
	CHECK_EQ(e.gdt[1], 0);
	CHECK_EQ(e.gdt[2], 0x00af9b000000ffffULL); /* flat, L, execute/read */
	CHECK_EQ(e.gdt[3], 0x00cf93000000ffffULL); /* flat, read/write */
	CHECK_EQ(e.rflags, 0x2);                   /* IF clear */
	CHECK_EQ(e.cr0, 0x80010031);
	CHECK_EQ(e.cr3, 0x12000);
	CHECK_EQ(e.cr4, 0x20);
	CHECK_EQ(e.efer, 0x500);
}

/* A real kernel, when this machine has one. */
static u8 *read_file_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	u8 *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void check_real_kernel(const char *path)
{
	static u8 zp[4096];
	struct e820_map m = pc_map(256);
	struct linux_layout lay;
	struct linux_image li;
	size_t len = 0;
	u8 *k = read_file_all(path, &len);

	CHECK(k != NULL);
	if (!k)
		return;
	CHECK_EQ(linux_parse(&li, k, len, err, sizeof(err)), 0);
	printf("  %s: protocol %u.%02u, xloadflags %#x, init_size %#x\n",
	       path, (unsigned)(li.version >> 8), (unsigned)(li.version & 0xff),
	       (unsigned)li.xloadflags, li.init_size);
	CHECK(li.version >= 0x020c);
	CHECK(li.xloadflags & LINUX_XLF_KERNEL_64);
	CHECK(li.loadflags & LINUX_LOADED_HIGH);
	CHECK_EQ(linux_place(&lay, &li, &m, 30, 16 * MIB, err, sizeof(err)), 0);
	CHECK(lay.initrd >= lay.kernel_end);
	linux_zero_page(zp, &li, &lay, &m);
	CHECK(memcmp(zp + 0x202, "HdrS", 4) == 0);
	CHECK_EQ(zp[0x210], 0xff);
	free(k);
}

TEST(real_kernel_if_present)
{
	const char *env = getenv("LINUX_BZIMAGE");
	glob_t g;

	if (env && *env) {
		check_real_kernel(env);
		return;
	}
	if (glob("/boot/vmlinuz-*", 0, NULL, &g) != 0) {
		printf("  skipped: no /boot/vmlinuz-* on this machine\n");
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_real_kernel(g.gl_pathv[i]);
	globfree(&g);
}

RUN_TESTS("linux_boot",
	  T(parse_header_fields), T(probe_bzimage),
	  T(setup_sects_zero_means_four),
	  T(refuse_bad_magic), T(refuse_image_too_short_for_header),
	  T(refuse_bad_boot_flag), T(refuse_old_version),
	  T(refuse_before_xloadflags), T(refuse_no_64bit_entry),
	  T(refuse_not_loaded_high), T(refuse_bad_alignment),
	  T(refuse_truncated_kernel), T(header_copy_stops_before_edd_buffer),
	  T(zero_page_fields), T(zero_page_ext_fields_above_4g),
	  T(kernel_at_pref_address), T(kernel_alignment_when_relocatable),
	  T(kernel_at_16mib_without_pref_address),
	  T(kernel_needs_init_size_of_ram), T(initrd_highest_page_below_ram_end),
	  T(initrd_below_initrd_addr_max), T(initrd_clear_of_kernel),
	  T(initrd_only_in_ram_below_4g), T(refuse_initrd_too_big),
	  T(command_line_length), T(refuse_without_low_ram),
	  T(identity_map_covers_everything),
	  T(entry_state_64bit), T(real_kernel_if_present))
