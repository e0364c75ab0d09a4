/* ELF executables as boot modules: validation and segment iteration.
 * Pure; unit-tested with malformed images. */
#ifndef LIB_ELF_H
#define LIB_ELF_H

#include "lib/types.h"

struct elf_info {
	u8 bits;   /* 64 (x86-64) or 32 (i386) */
	u64 entry;
	u64 lowest_paddr;
	u64 highest_paddr; /* end of the highest segment in memory */
};

/* Called for each PT_LOAD segment: copy filesz bytes from src to paddr
 * and zero up to memsz. Returns 0 or a negative errno that stops loading. */
typedef int (*elf_segment_fn)(void *ctx, u64 paddr, const u8 *src, u64 filesz,
			      u64 memsz);

/* Checks every header and segment bound against `size` first (nothing is
 * loaded from an image that fails), then calls `load` per segment when it
 * is non-NULL. Returns 0 or -ENOEXEC with a reason in err. */
int elf_load(const u8 *img, u64 size, elf_segment_fn load, void *ctx,
	     struct elf_info *info, char *err, size_t errlen);

#endif
