/* The stage-2 layer both backends share: what a VM reaches without
 * exits, memory through its stage-2 tables (in the backend's entry
 * format: svm/npt.c, vmx/ept.c) and ports through its I/O permission
 * bitmap. The core calls it directly; a backend only supplies the format,
 * the bitmap size and the TLB flush. A backend's per-VM state (vm->arch)
 * begins with its struct stage2. */
#ifndef ARCH_X86_STAGE2_H
#define ARCH_X86_STAGE2_H

#include "arch/x86/pt.h"

struct vm;

struct stage2 {
	struct pt pt;
	/* One bit per port, 1 = exit: SVM's IOPM, VMX's bitmaps A then B. */
	u8 *io_bitmap;
	u32 io_pages;
	/* Drops translations that an unmap made stale. */
	void (*flush)(struct stage2 *s2);
};

/* Empty tables and an all-exiting bitmap. -ENOMEM; after a failure
 * stage2_destroy() frees what was allocated. */
int stage2_init(struct stage2 *s2, const struct pt_format *fmt, u32 io_pages,
		void (*flush)(struct stage2 *s2));
void stage2_destroy(struct stage2 *s2);

/* pt_map and pt_unmap (PT_* permissions) on vm's tables; unmap flushes
 * stale translations. */
int stage2_map(struct vm *vm, u64 gpa, u64 hpa, u64 size, u32 perms);
long stage2_unmap(struct vm *vm, u64 gpa, u64 size);

/* Lets the VM reach ports [port, port+count) without exits. */
void stage2_io_allow(struct vm *vm, u16 port, u16 count);

#endif
