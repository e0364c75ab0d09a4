/* The ELF loader used for VM 0: headers and segments are checked against
 * the file size before anything is loaded. */
#include "check.h"
#include "../../lib/printf.c"
#include "../../lib/elf.c"

#include <stdint.h>

struct seg_log {
	int calls;
	u64 paddr[4], filesz[4], memsz[4];
};

static int log_segment(void *ctx, u64 paddr, const u8 *src, u64 filesz, u64 memsz)
{
	struct seg_log *l = ctx;

	(void)src;
	if (l->calls < 4) {
		l->paddr[l->calls] = paddr;
		l->filesz[l->calls] = filesz;
		l->memsz[l->calls] = memsz;
	}
	l->calls++;
	return 0;
}

static void put(u8 *p, u64 v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* A minimal ELF64 with one PT_LOAD of 0x100 file bytes (0x200 in memory)
 * at paddr 1 MiB, in a 0x300-byte image. */
static void make_elf64(u8 *img)
{
	memset(img, 0, 0x300);
	memcpy(img, "\177ELF", 4);
	img[4] = 2;
	img[5] = 1;
	put(img + 16, 2, 2);
	put(img + 18, 62, 2);
	put(img + 24, 0x100010, 8);
	put(img + 32, 64, 8);
	put(img + 54, 56, 2);
	put(img + 56, 1, 2);
	put(img + 64, 1, 4);          /* PT_LOAD */
	put(img + 64 + 8, 0x200, 8);  /* offset */
	put(img + 64 + 24, 0x100000, 8);
	put(img + 64 + 32, 0x100, 8); /* filesz */
	put(img + 64 + 40, 0x200, 8); /* memsz */
}

static int load(const u8 *img, u64 size, struct seg_log *l, struct elf_info *info)
{
	char err[96];

	memset(l, 0, sizeof(*l));
	return elf_load(img, size, log_segment, l, info, err, sizeof(err));
}

TEST(valid_elf64_loads_its_segment)
{
	u8 img[0x300];
	struct seg_log l;
	struct elf_info info;

	make_elf64(img);
	CHECK_EQ(load(img, sizeof(img), &l, &info), 0);
	CHECK_EQ(info.bits, 64);
	CHECK_EQ(info.entry, 0x100010);
	CHECK_EQ(l.calls, 1);
	CHECK_EQ(l.paddr[0], 0x100000);
	CHECK_EQ(l.filesz[0], 0x100);
	CHECK_EQ(l.memsz[0], 0x200);
	CHECK_EQ(info.highest_paddr, 0x100200);
}

TEST(rejects_without_loading_anything)
{
	u8 img[0x300];
	struct seg_log l;
	struct elf_info info;

	make_elf64(img);
	img[0] = 'X';
	CHECK_EQ(load(img, sizeof(img), &l, &info), -ENOEXEC);
	make_elf64(img);
	put(img + 18, 40, 2); /* ARM */
	CHECK_EQ(load(img, sizeof(img), &l, &info), -ENOEXEC);
	make_elf64(img);
	put(img + 64 + 32, 0x300, 8); /* filesz > memsz and past the file */
	CHECK_EQ(load(img, sizeof(img), &l, &info), -ENOEXEC);
	make_elf64(img);
	put(img + 64 + 8, UINT64_MAX - 8, 8); /* offset wraps */
	CHECK_EQ(load(img, sizeof(img), &l, &info), -ENOEXEC);
	make_elf64(img);
	put(img + 64 + 24, UINT64_MAX - 0x10, 8); /* paddr + memsz wraps */
	CHECK_EQ(load(img, sizeof(img), &l, &info), -ENOEXEC);
	make_elf64(img);
	put(img + 32, 0x2f0, 8); /* program headers past the end */
	CHECK_EQ(load(img, sizeof(img), &l, &info), -ENOEXEC);
	make_elf64(img);
	put(img + 64, 4, 4); /* no PT_LOAD at all */
	CHECK_EQ(load(img, sizeof(img), &l, &info), -ENOEXEC);
	CHECK_EQ(l.calls, 0);
}

TEST(every_truncation_is_rejected_or_safe)
{
	u8 full[0x300];
	struct seg_log l;
	struct elf_info info;

	make_elf64(full);
	for (u64 n = 0; n < 0x300; n++) {
		u8 *copy = malloc(n ? n : 1);

		memcpy(copy, full, n);
		CHECK_EQ(load(copy, n, &l, &info), -ENOEXEC);
		free(copy);
	}
}

TEST(elf32_reports_32_bits)
{
	u8 img[0x200];
	struct seg_log l;
	struct elf_info info;

	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	img[4] = 1;
	img[5] = 1;
	put(img + 16, 2, 2);
	put(img + 18, 3, 2);
	put(img + 24, 0x100000, 4);
	put(img + 28, 52, 4);
	put(img + 42, 32, 2);
	put(img + 44, 1, 2);
	put(img + 52, 1, 4);
	put(img + 52 + 4, 0x100, 4);
	put(img + 52 + 12, 0x100000, 4);
	put(img + 52 + 16, 0x80, 4);
	put(img + 52 + 20, 0x80, 4);
	CHECK_EQ(load(img, sizeof(img), &l, &info), 0);
	CHECK_EQ(info.bits, 32);
	CHECK_EQ(l.calls, 1);
	CHECK_EQ(l.paddr[0], 0x100000);
}

RUN_TESTS("elf", T(valid_elf64_loads_its_segment), T(rejects_without_loading_anything),
	  T(every_truncation_is_rejected_or_safe), T(elf32_reports_32_bits))
