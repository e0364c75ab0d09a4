/* ELF images into a child: lib/elf.c checks every header and bound, then
 * hands over each PT_LOAD segment, which goes to its physical address in
 * the child through VM_COPY (the rest of memsz zeroed). */
#include "guests/mgmt/mgmt.h"
#include "lib/elf.h"

struct seg_ctx {
	struct child *c;
	char *err;
	size_t len;
	u64 start, end;
};

int elf_probe(struct image *img, u8 *bits, char *err, size_t len)
{
	struct elf_info info;

	if (elf_load(img->data, img->size, NULL, NULL, &info, err, len))
		return -1;
	*bits = info.bits;
	img->entry = info.entry;
	img->start = info.lowest_paddr;
	img->end = info.highest_paddr;
	return 0;
}

static int load_segment(void *ctx, u64 paddr, const u8 *src, u64 filesz, u64 memsz)
{
	struct seg_ctx *s = ctx;
	long r;

	if (!child_range_ok(s->c, paddr, memsz, s->err, s->len))
		return -1;
	r = child_copy(s->c->id, paddr, src, filesz);
	if (!r && memsz > filesz)
		r = child_zero(s->c->id, paddr + filesz, memsz - filesz);
	if (r) {
		hv_snprintf(s->err, s->len, "copying a segment to 0x%llx: %s",
			    (unsigned long long)paddr, err_name(r));
		return -1;
	}
	s->start = MIN(s->start, paddr);
	s->end = MAX(s->end, paddr + memsz);
	return 0;
}

int elf_copy(struct child *c, struct image *img, char *err, size_t len)
{
	struct seg_ctx s = { c, err, len, ~0ULL, 0 };
	struct elf_info info;
	char why[96];

	why[0] = '\0';
	if (elf_load(img->data, img->size, load_segment, &s, &info, why, sizeof(why))) {
		if (why[0])
			hv_snprintf(err, len, "%s", why);
		return -1;
	}
	img->entry = info.entry;
	img->start = s.start;
	img->end = s.end;
	return 0;
}
