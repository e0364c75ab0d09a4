#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define ELF_MAX_PHDRS 64

/* One program header, widened to 64 bits whatever the class. */
struct phdr {
	u32 type;
	u64 offset, paddr, filesz, memsz;
};

static u64 rd(const u8 *p, int n)
{
	u64 v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int fail(char *err, size_t len, const char *why)
{
	hv_snprintf(err, len, "%s", why);
	return -ENOEXEC;
}

static void read_phdr(const u8 *img, u64 off, u8 bits, struct phdr *ph)
{
	const u8 *p = img + off;

	ph->type = rd(p, 4);
	if (bits == 64) {
		ph->offset = rd(p + 8, 8);
		ph->paddr = rd(p + 24, 8);
		ph->filesz = rd(p + 32, 8);
		ph->memsz = rd(p + 40, 8);
	} else {
		ph->offset = rd(p + 4, 4);
		ph->paddr = rd(p + 12, 4);
		ph->filesz = rd(p + 16, 4);
		ph->memsz = rd(p + 20, 4);
	}
}

static bool segment_fits(const struct phdr *ph, u64 size)
{
	return ph->filesz <= ph->memsz && ph->offset <= size &&
	       ph->filesz <= size - ph->offset && ph->paddr + ph->memsz >= ph->paddr;
}

static int check_header(const u8 *img, u64 size, struct elf_info *info,
			u64 *phoff, u32 *phnum, char *err, size_t len)
{
	u64 entsize, need;

	if (size < 52 || memcmp(img, "\177ELF", 4))
		return fail(err, len, "not an ELF file");
	if (img[EI_DATA] != ELFDATA2LSB || rd(img + 16, 2) != ET_EXEC)
		return fail(err, len, "not a little-endian ELF executable");
	info->bits = img[EI_CLASS] == ELFCLASS64 ? 64 : img[EI_CLASS] == ELFCLASS32 ? 32 : 0;
	if ((info->bits == 64 && (size < 64 || rd(img + 18, 2) != EM_X86_64)) ||
	    (info->bits == 32 && rd(img + 18, 2) != EM_386) || !info->bits)
		return fail(err, len, "not an x86-64 or i386 ELF");
	info->entry = info->bits == 64 ? rd(img + 24, 8) : rd(img + 24, 4);
	*phoff = info->bits == 64 ? rd(img + 32, 8) : rd(img + 28, 4);
	entsize = rd(img + (info->bits == 64 ? 54 : 42), 2);
	*phnum = rd(img + (info->bits == 64 ? 56 : 44), 2);
	need = info->bits == 64 ? 56 : 32;
	if (entsize < need || !*phnum || *phnum > ELF_MAX_PHDRS)
		return fail(err, len, "bad program header table");
	if (*phoff > size || (u64)*phnum * entsize > size - *phoff)
		return fail(err, len, "program headers outside the file");
	return 0;
}

static u64 phdr_entsize(const u8 *img, u8 bits)
{
	return rd(img + (bits == 64 ? 54 : 42), 2);
}

/* First pass: every PT_LOAD must fit the file and not wrap. */
static int check_segments(const u8 *img, u64 size, u64 phoff, u32 phnum,
			  struct elf_info *info, char *err, size_t len)
{
	u64 entsize = phdr_entsize(img, info->bits);
	u32 loads = 0;

	info->lowest_paddr = ~0ULL;
	info->highest_paddr = 0;
	for (u32 i = 0; i < phnum; i++) {
		struct phdr ph;

		read_phdr(img, phoff + i * entsize, info->bits, &ph);
		if (ph.type != PT_LOAD)
			continue;
		if (!segment_fits(&ph, size))
			return fail(err, len, "a segment lies outside the file or wraps");
		info->lowest_paddr = MIN(info->lowest_paddr, ph.paddr);
		info->highest_paddr = MAX(info->highest_paddr, ph.paddr + ph.memsz);
		loads++;
	}
	if (!loads)
		return fail(err, len, "no loadable segment");
	return 0;
}

int elf_load(const u8 *img, u64 size, elf_segment_fn load, void *ctx,
	     struct elf_info *info, char *err, size_t errlen)
{
	u64 phoff, entsize;
	u32 phnum;
	int rc;

	memset(info, 0, sizeof(*info));
	rc = check_header(img, size, info, &phoff, &phnum, err, errlen);
	if (!rc)
		rc = check_segments(img, size, phoff, phnum, info, err, errlen);
	if (rc || !load)
		return rc;
	entsize = phdr_entsize(img, info->bits);
	for (u32 i = 0; i < phnum; i++) {
		struct phdr ph;

		read_phdr(img, phoff + i * entsize, info->bits, &ph);
		if (ph.type == PT_LOAD &&
		    (rc = load(ctx, ph.paddr, img + ph.offset, ph.filesz, ph.memsz)))
			return rc;
	}
	return 0;
}
