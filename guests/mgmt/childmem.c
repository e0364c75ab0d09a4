/* A child's memory as the image helpers see it: bulk copies into it
 * through a window onto the child's memory (HV_EXT_MEM_WINDOW), or
 * through VM_COPY, at most HV_COPY_MAX (or a chunk of zeros) per call,
 * where there are no windows; and where an image may be placed. */
#include "guests/mgmt/e820.h"
#include "guests/mgmt/mgmt.h"

#define ZERO_CHUNK (64 * 1024)
/* Where hvctl sees a child's memory: above its own RAM, inside the
 * 4 GiB its page tables map. */
#define WINDOW_GPA 0xc0000000ULL

/* Copies src (NULL: zeros) to the child's [gpa, gpa+len) through a
 * window over those pages, unmapped again at once. 0 or -errno. */
#if HV_ABI_HEADER_REVISION >= 2
static long window_copy(u32 vm, u64 gpa, const void *src, u64 len)
{
	u64 base = ALIGN_DOWN(gpa, PAGE_SIZE);
	u8 *dst = (u8 *)(WINDOW_GPA + (gpa - base));
	long err;

	if (disc.ext[HV_EXT_MEM_WINDOW] <= 0)
		return -HV_ENOSYS;
	err = hv_vm_map_window(vm, base, ALIGN_UP(gpa + len, PAGE_SIZE) - base, WINDOW_GPA, 0);
	if (err)
		return err;
	if (src)
		memcpy(dst, src, len);
	else
		memset(dst, 0, len);
	return hv_vm_unmap_window(vm, WINDOW_GPA);
}
#else /* the v1 headers know no windows */
static long window_copy(u32 vm, u64 gpa, const void *src, u64 len)
{
	(void)vm, (void)gpa, (void)src, (void)len;
	return -HV_ENOSYS;
}
#endif

long child_copy(u32 vm, u64 gpa, const void *src, u64 len)
{
	const u8 *p = src;

	if (!len || !window_copy(vm, gpa, src, len))
		return 0;

	while (len) {
		u64 n = MIN(len, (u64)HV_COPY_MAX);
		long err = hv_vm_copy(vm, HV_COPY_TO_VM, gpa, (void *)p, n);

		if (err)
			return err;
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}

long child_zero(u32 vm, u64 gpa, u64 len)
{
	static const u8 zeros[ZERO_CHUNK];

	if (!len || !window_copy(vm, gpa, NULL, len))
		return 0;
	while (len) {
		u64 n = MIN(len, (u64)ZERO_CHUNK);
		long err = hv_vm_copy(vm, HV_COPY_TO_VM, gpa, (void *)zeros, n);

		if (err)
			return err;
		gpa += n;
		len -= n;
	}
	return 0;
}

/* Conventional memory from 0x500 to hvctl's area, or RAM from 1 MiB:
 * where a PC has RAM that no firmware structure holds. */
bool child_range_ok(const struct child *c, u64 gpa, u64 len, char *err, size_t errlen)
{
	u64 end = gpa + len, top = MIN(c->mem, PC_LOW_RAM_END); /* images go below 3 GiB */

	if (end < gpa || gpa > top || len > top - gpa) {
		hv_snprintf(err, errlen, "a segment at 0x%llx-0x%llx does not fit %llu MiB "
			    "(use mem=)", (unsigned long long)gpa, (unsigned long long)end,
			    (unsigned long long)(c->mem >> 20));
		return false;
	}
	if (gpa >= CHILD_LOAD_MIN || (gpa >= CHILD_LOW_MIN && end <= CHILD_AREA))
		return true;
	hv_snprintf(err, errlen, "a segment at 0x%llx-0x%llx overlaps %s", (unsigned long long)gpa,
		    (unsigned long long)end, gpa < CHILD_LOW_MIN
			    ? "the real-mode IVT and BIOS data area (below 0x500)"
			    : "the loader's area and the PC's hole (0x90000-1 MiB)");
	return false;
}
