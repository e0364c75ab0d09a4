/* What hv/vm.c needs around it in unit tests that link it: a log that
 * prints nothing, hv_strlcpy over snprintf, one CPU (one_cpu.h, and
 * vCPUs that never move), lazily switched guest state that needs
 * nothing, and the frame allocator over the test's RAM (frames_over). */
#ifndef TESTS_UNIT_VM_STUBS_H
#define TESTS_UNIT_VM_STUBS_H

void hv_log(enum log_level level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

size_t hv_strlcpy(char *dst, const char *src, size_t size)
{
	return (size_t)snprintf(dst, size, "%s", src);
}

#include "one_cpu.h"

/* One CPU: a vCPU is never taken over from another. */
int vcpu_claim_from(struct vcpu *v, u32 here)
{
	v->home_cpu = here;
	return 0;
}

int guest_state_alloc(struct vcpu *v)
{
	(void)v;
	return 0;
}

void guest_state_free(struct vcpu *v)
{
	(void)v;
}

struct frame_alloc hv_frames;
static u64 *frame_bitmap;

/* hv_frames anew over [ram, ram + size), all free. */
static void frames_over(u8 *ram, u64 size)
{
	struct mem_range r = { .base = (u64)(uintptr_t)ram, .length = size,
			       .type = MEM_USABLE };

	free(frame_bitmap);
	frame_bitmap = malloc(frame_bitmap_bytes(r.base, r.base + r.length));
	frame_init(&hv_frames, &r, 1, frame_bitmap);
}

#endif
