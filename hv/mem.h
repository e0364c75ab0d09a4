#ifndef HV_MEM_H
#define HV_MEM_H

#include "boot/boot_info.h"
#include "hv/frame.h"

/* All RAM the hypervisor may hand out; guarded by hv_lock (hv/lock.h). */
extern struct frame_alloc hv_frames;

/* Builds the frame allocator from the boot memory map, keeping out the
 * first MiB, the image, the modules and the boot information, and reports
 * the totals. Returns the highest RAM address (for the identity map). */
u64 mem_init(const struct boot_info *bi);

/* Allocation round trip on the live allocator; false on any mismatch. */
bool mem_selftest(void);

#endif
