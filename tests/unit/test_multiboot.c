/* The multiboot information hvctl writes (guests/mgmt/multiboot.c)
 * against a child's memory kept in a host buffer: QEMU's layout (the
 * module list and strings after the page-aligned image, each module at
 * the next page boundary counted from the image's base, the map at
 * 0x9000 and the block at 0x9500), QEMU's command line with its trailing
 * space, the e820 numbers, the list moved off the information block for
 * an image ending below 0x9000, and the refusals. */
#include "check.h"
#include <stdarg.h>
#include "../../guests/mgmt/multiboot.c"

#define MEM (16u << 20)

static u8 mem[MEM];

long child_copy(u32 vm, u64 gpa, const void *src, u64 len)
{
	(void)vm;
	CHECK(gpa + len <= MEM);
	memcpy(mem + gpa, src, len);
	return 0;
}

long child_zero(u32 vm, u64 gpa, u64 len)
{
	(void)vm;
	memset(mem + gpa, 0, len);
	return 0;
}

bool child_range_ok(const struct child *c, u64 gpa, u64 len, char *err, size_t errlen)
{
	if (gpa + len <= c->mem)
		return true;
	hv_snprintf(err, errlen, "does not fit");
	return false;
}

const struct e820_map *child_memory_map(const struct child *c)
{
	static struct e820_map map;

	e820_build(&map, c->mem, 0, 0);
	return &map;
}

int elf_probe(struct image *img, u8 *bits, char *err, size_t len)
{
	(void)img, (void)bits, (void)err, (void)len;
	return -1;
}

int elf_copy(struct child *c, struct image *img, char *err, size_t len)
{
	(void)c, (void)img, (void)err, (void)len;
	return -1;
}

int hv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

const char *err_name(long err)
{
	(void)err;
	return "error";
}

static struct child child = { .mem = MEM };
static u8 mod_a[0xd088], mod_b[0x6578];
static struct hv_boot_module mods[2] = {
	{ 0, sizeof(mod_a), "hello one two" },
	{ 0, sizeof(mod_b), "mbhello" },
};
static char err[160];

static const struct mb1_info *info(void)
{
	return (const struct mb1_info *)(mem + CHILD_MB_INFO);
}

static const struct mb1_module *module(u32 i)
{
	return (const struct mb1_module *)(mem + info()->mods_addr) + i;
}

static int write_info(u64 start, u64 end, const char *cmdline, u32 nmods)
{
	struct image img = { .start = start, .end = end };
	struct mb1_boot b = { cmdline, nmods, { &mods[0], &mods[1] } };

	mods[0].gpa = (u64)mod_a;
	mods[1].gpa = (u64)mod_b;
	memset(mod_a, 0xaa, sizeof(mod_a));
	memset(mod_b, 0xbb, sizeof(mod_b));
	memset(mem, 0, sizeof(mem));
	err[0] = '\0';
	return mb1_write_info(&child, &img, &b, err, sizeof(err));
}

/* mbmods under QEMU: image 0x100000-0x105004, list at 0x106000, the
 * modules at 0x107000 and 0x115000. */
TEST(qemu_layout)
{
	CHECK_EQ(write_info(0x100000, 0x105004, "mbmods alpha beta", 2), 0);
	CHECK_EQ(info()->flags, 0x24f);
	CHECK_EQ(info()->boot_device, 0x8000ffff);
	CHECK_EQ(info()->mods_count, 2);
	CHECK_EQ(info()->mods_addr, 0x106000);
	CHECK_EQ(module(0)->start, 0x107000);
	CHECK_EQ(module(0)->end, 0x114088);
	CHECK_EQ(module(1)->start, 0x115000);
	CHECK_EQ(module(1)->end, 0x11b578);
	CHECK_EQ(mem[0x107000], 0xaa);
	CHECK_EQ(mem[0x115000 + sizeof(mod_b) - 1], 0xbb);
	CHECK_STR((const char *)mem + module(0)->string, "hello one two");
	CHECK_EQ(module(0)->string, 0x106000 + 2 * 16);
	CHECK_STR((const char *)mem + module(1)->string, "mbhello");
	CHECK_STR((const char *)mem + info()->cmdline, "mbmods alpha beta");
	CHECK_EQ(info()->cmdline, module(1)->string + sizeof("mbhello"));
	CHECK_STR((const char *)mem + info()->boot_loader_name, "hvctl");
	CHECK_EQ(info()->boot_loader_name, info()->cmdline + sizeof("mbmods alpha beta"));
}

/* The e820 map of a 16 MiB child without a PC: RAM to 0x9FC00, the EBDA
 * and the BIOS area reserved, RAM from 1 MiB. */
TEST(memory_from_e820)
{
	const u8 *e = mem + CHILD_MB_MMAP;
	u64 addr;

	CHECK_EQ(write_info(0x100000, 0x101000, "k x", 0), 0);
	CHECK_EQ(info()->mem_lower, 639);
	CHECK_EQ(info()->mem_upper, 15 * 1024);
	CHECK_EQ(info()->mmap_addr, CHILD_MB_MMAP);
	CHECK_EQ(info()->mmap_length, 4 * 24);
	memcpy(&addr, e + 3 * 24 + 4, 8);
	CHECK_EQ(addr, 0x100000);
	CHECK_EQ(info()->mods_count, 0);
}

/* QEMU's "%s %s": no arguments leave a trailing space. */
TEST(cmdline_trailing_space)
{
	CHECK_EQ(write_info(0x100000, 0x101000, "kernel", 0), 0);
	CHECK_STR((const char *)mem + info()->cmdline, "kernel ");
}

/* Pages count from the image's base, as QEMU's buffer offsets do. */
TEST(unaligned_base)
{
	CHECK_EQ(write_info(0x100800, 0x101804, "k", 1), 0);
	CHECK_EQ(info()->mods_addr, 0x102800);
	CHECK_EQ(module(0)->start, 0x103800);
}

/* An image ending below 0x9000: the list goes after the block at 0x9500,
 * the module after the list. */
TEST(low_image_list_moved)
{
	CHECK_EQ(write_info(0x8000, 0x8162, "mbreal", 1), 0);
	CHECK_EQ(info()->mods_addr, 0xa000);
	CHECK_EQ(module(0)->start, 0xb000);
	CHECK_STR((const char *)mem + info()->cmdline, "mbreal ");
}

TEST(refusals)
{
	CHECK_EQ(write_info(0x8000, 0x9004, "k", 0), -1);
	CHECK(strstr(err, "overlaps the multiboot information"));
	CHECK_EQ(write_info(MEM - 0x2000, MEM - 0x1000, "k", 1), -1);
	CHECK(strstr(err, "does not fit"));
}

RUN_TESTS("multiboot", T(qemu_layout), T(memory_from_e820), T(cmdline_trailing_space),
	  T(unaligned_base), T(low_image_list_moved), T(refusals))
