/* Multiboot2 information parsing: a pure function from the raw tag list
 * GRUB hands over to the normalized struct boot_info. It never trusts a
 * length: every tag is checked against the total size before it is read. */
#ifndef BOOT_MB2_H
#define BOOT_MB2_H

#include "boot/boot_info.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u
#define MB2_INFO_MAX_SIZE (1u << 20) /* refuse absurd total_size values */

enum mb2_status {
	MB2_OK = 0,
	MB2_BAD_MAGIC,
	MB2_BAD_ALIGNMENT,  /* info block not 8-byte aligned */
	MB2_BAD_TOTAL_SIZE, /* total_size < 16, > MB2_INFO_MAX_SIZE, or > avail */
	MB2_BAD_TAG_SIZE,   /* a tag shorter than its header/fixed fields */
	MB2_TAG_OVERRUN,    /* a tag runs past total_size */
	MB2_NO_END_TAG,     /* the list ends without a type-0 end tag */
};

/* Parses the multiboot2 information block at `info` (the bytes as they
 * sit in memory; `info_phys` is its physical address, recorded in
 * out->info_start/info_end). `avail` is how many bytes may be read at
 * `info` (the boot path passes MB2_INFO_MAX_SIZE; tests pass the buffer
 * size). On failure `out` may be partly filled and `err` (if non-NULL)
 * holds a one-line explanation (at most errlen bytes incl. NUL). */
enum mb2_status mb2_parse(u32 magic, const void *info, size_t avail,
			  u64 info_phys, struct boot_info *out, char *err,
			  size_t errlen);

const char *mb2_status_name(enum mb2_status st);

#endif
