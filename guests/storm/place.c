/* Where the storm's structs go, and what the ABI's size rules (§4.1,
 * §4.2) make of them. VM 0's RAM is [0, ram_end); the hypervisor may only
 * ever write into a vCPU's scratch area: vCPU 0's is the top SCRATCH_SIZE
 * bytes of RAM, the others' lie below it (smp.c). Input structs start in
 * its lower half, output buffers anywhere in it; a range starting in
 * vCPU 0's is either RAM or runs off the end of RAM. The other vCPUs
 * place no struct across the end of RAM (it is vCPU 0's), and a copy
 * into the upper half of theirs may run on into the guard above it,
 * which is theirs too (writable_end). */
#include "guests/storm/storm.h"
#include "lib/string.h"

#define STRUCT_MAX 512 /* the largest struct plus room for a short tail */
#define WRITE_MAX (TAIL_MAX_CHECKED + STRUCT_MAX)

u64 ram_end;
PER_VCPU u64 scratch, writable_end;

static PER_VCPU u8 image[WRITE_MAX];  /* a struct as it goes into memory */
static PER_VCPU u8 snap[STRUCT_MAX];  /* and as it was before the call */
static PER_VCPU u32 snap_len;

extern const u8 _start[];

u64 readable(u64 gpa)
{
	return gpa < ram_end ? ram_end - gpa : 0;
}

bool at_ram_end(void)
{
	return scratch + SCRATCH_SIZE == ram_end;
}

u64 own_bytes(u64 gpa)
{
	return gpa >= scratch && gpa < writable_end ? writable_end - gpa : 0;
}

u64 unmapped_gpa(void)
{
	switch (rnd_below(6)) {
	case 0:
		return ram_end + rnd_below(64 * PAGE_SIZE);
	case 1:
		return 0x40000000 + rnd_below(GIB);
	case 2:
		return 0xfee00000 + rnd_below(PAGE_SIZE); /* the local APIC */
	case 3:
		return ~0ULL - rnd_below(PAGE_SIZE);      /* ranges that wrap */
	case 4:
		return 1ULL << (32 + rnd_below(32));
	default:
		return rnd() | (1ULL << 63);
	}
}

u64 place(u32 len)
{
	u32 r = (u32)rnd_below(100);
	u64 page;

	len = MAX(len, 2u);
	if (r < 62)
		return scratch + ALIGN_DOWN(rnd_below(SCRATCH_STRUCTS), 8);
	if (r < 72)
		return scratch + rnd_below(SCRATCH_STRUCTS);
	if (r < 84) { /* across a page boundary */
		page = scratch + PAGE_SIZE * (1 + rnd_below(SCRATCH_STRUCTS / PAGE_SIZE - 1));
		return page - 1 - rnd_below(len - 1);
	}
	if (r < 93 && at_ram_end()) /* across the end of RAM, or just before it */
		return ram_end - 1 - rnd_below(len + 8);
	return unmapped_gpa();
}

u64 place_readonly(u64 len)
{
	u64 here = (u64)&len; /* the stack */

	switch (rnd_below(8)) {
	case 0:
		return (u64)_start + rnd_below(64 * 1024);  /* code and data */
	case 1:
		return 0x2000 + rnd_below(0x6000);           /* page tables */
	case 2:
		return here - rnd_below(256);
	case 3:
		return rnd_below(ram_end);
	case 4:
		return ram_end - 1 - rnd_below(len + 8);
	case 5:
		return unmapped_gpa();
	default:
		return scratch + rnd_below(SCRATCH_SIZE);
	}
}

void put_bytes(u64 gpa, const void *src, u64 len)
{
	if (gpa >= ram_end)
		return;
	if (gpa < scratch || own_bytes(gpa) < MIN(len, readable(gpa)))
		guest_panic("storm: a write to 0x%llx, outside the scratch area",
			    (unsigned long long)gpa);
	memcpy((void *)gpa, src, MIN(len, readable(gpa)));
}

static void put_u32(void *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

/* The caller's size for a struct the hypervisor knows as `known` bytes
 * (first published: `first`); *nonzero is an offset in the tail that is
 * not zero (0: the tail is all zero). */
static u32 pick_size(u32 known, u32 first, u32 *nonzero)
{
	u32 r = (u32)rnd_below(100), size;

	*nonzero = 0;
	if (r < 60)
		return known;
	if (r < 70)
		return first + (u32)rnd_below(known - first + 1);
	if (r < 76)
		return (u32)rnd_below(first);
	if (r < 86)
		return known + 1 + (u32)rnd_below(chance(80) ? 64 : 4096);
	if (r < 94) {
		size = known + 1 + (u32)rnd_below(256);
		*nonzero = known + (u32)rnd_below(size - known);
		return size;
	}
	if (r < 97)
		return TAIL_MAX_CHECKED + 1 + (u32)rnd_below(0xffffffffu - TAIL_MAX_CHECKED);
	return (u32)rnd();
}

/* What the size rules answer, before the fields are looked at. */
static outcomes size_errors(u64 gpa, u32 size, u32 known, u32 first, u32 nonzero)
{
	u64 r = readable(gpa);
	outcomes e = 0;

	if (r < sizeof(u32))
		return E(EFAULT); /* not even the size can be read */
	if (size < first) {
		e |= E(EINVAL);
	} else if (size > known) {
		if (size > TAIL_MAX_CHECKED || (nonzero && nonzero < r))
			e |= E(E2BIG);
		else if (size > r)
			e |= E(EFAULT);
	}
	if (r < MIN(size, known))
		e |= E(EFAULT);
	return e;
}

void sized_put(struct sized *s, void *body, u32 known, u32 first)
{
	u32 nonzero, len;

	s->size = pick_size(known, first, &nonzero);
	len = s->size > known && s->size <= TAIL_MAX_CHECKED ? s->size : known;
	s->gpa = place(MIN(len, (u32)STRUCT_MAX));
	memcpy(image, body, known);
	put_u32(image, s->size);
	memset(image + known, 0, len - known);
	if (nonzero)
		image[nonzero] = (u8)(1 + rnd_below(255));
	/* bytes past a smaller size are garbage the hypervisor must not see */
	for (u32 i = MAX(s->size, (u32)sizeof(u32)); i < known; i++) {
		image[i] = (u8)rnd();
		((u8 *)body)[i] = 0;
	}
	put_u32(body, s->size);
	put_bytes(s->gpa, image, len);
	s->len = len;
	s->errors = size_errors(s->gpa, s->size, known, first, nonzero);
	s->decoded = !s->errors;
	s->out_gpa = s->out_len = 0;
}

outcomes sized_allow(const struct sized *s, outcomes fields)
{
	return s->decoded ? fields : s->errors;
}

void sized_snapshot(const struct sized *s, u32 len)
{
	snap_len = (u32)MIN(MIN((u64)len, (u64)sizeof(snap)), readable(s->gpa));
	memcpy(snap, (const void *)s->gpa, snap_len);
}

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

void sized_check(const struct sized *s, const struct hc *c, u32 known)
{
	u32 now;

	if (overlaps(s->gpa, snap_len, s->out_gpa, s->out_len))
		return; /* the call's output went over it */
	if (c->ret == -HV_E2BIG && snap_len >= sizeof(u32)) {
		memcpy(&now, (const void *)s->gpa, sizeof(now));
		if (now != known)
			unexpected(c, "-E2BIG wrote size %u back, want %u", now, known);
		memcpy((void *)s->gpa, snap, sizeof(now));
	}
	if (memcmp(snap, (const void *)s->gpa, snap_len))
		unexpected(c, "the input struct changed");
}

/* Output structs: the argsz the caller claims. */
static u32 pick_argsz(u32 full, u32 min)
{
	u32 r = (u32)rnd_below(100);

	if (r < 60)
		return full;
	if (r < 70)
		return full + 1 + (u32)rnd_below(4096);
	if (r < 80)
		return min + (u32)rnd_below(full - min + 1);
	if (r < 88)
		return (u32)rnd_below(min);
	if (r < 95)
		return (u32)rnd();
	return min;
}

outcomes outbuf_put(struct outbuf *o, void *head, u32 head_len, u32 full, u32 min)
{
	u64 r;

	o->argsz = pick_argsz(full, min);
	put_u32(head, o->argsz);
	o->gpa = place(full);
	put_bytes(o->gpa, head, head_len);
	r = readable(o->gpa);
	o->decoded = r >= head_len;
	if (!o->decoded)
		return E(EFAULT);
	return (o->argsz < min ? E(EINVAL) : 0) | (MIN(o->argsz, full) > r ? E(EFAULT) : 0);
}
