/* QEMU's firmware configuration device (fw_cfg), its legacy I/O
 * interface as a PC has it: a 16-bit write of a key to the selector port
 * picks an item and restarts it at offset 0; each byte read of the data
 * port returns the item's next byte, and 0 past its end (or for a key
 * with no item). Writes to the data port are ignored, as on QEMU since
 * 2.4; the DMA interface is not offered, which FW_CFG_ID says.
 *
 * Items: the signature "QEMU", the ID (feature bits), the RAM size and
 * the CPU counts (little-endian), and the file directory listing the
 * files the VMM adds (big-endian count, then per file its size, key and
 * name). Keys and formats are those of QEMU's fw_cfg specification. */
#ifndef GUESTS_MGMT_FW_CFG_H
#define GUESTS_MGMT_FW_CFG_H

#include "lib/types.h"

#define FW_CFG_PORT_SEL 0x510
#define FW_CFG_PORT_DATA 0x511

/* keys */
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_ID 0x0001
#define FW_CFG_RAM_SIZE 0x0003
#define FW_CFG_NB_CPUS 0x0005
#define FW_CFG_MAX_CPUS 0x000f
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_FILE_FIRST 0x0020
/* key bits: a write (not offered) and the architecture's own items */
#define FW_CFG_WRITE_CHANNEL 0x4000
#define FW_CFG_ARCH_LOCAL 0x8000

/* FW_CFG_ID bits: the traditional (port) interface; DMA, bit 1, is not */
#define FW_CFG_ID_TRADITIONAL BIT(0)

/* one directory entry: size (BE32), key (BE16), reserved (16), name */
#define FW_CFG_DIR_ENTRY_LEN 64
#define FW_CFG_NAME_LEN 56 /* with the terminating NUL */
#define FW_CFG_FILES_MAX 16

struct fw_cfg_file {
	char name[FW_CFG_NAME_LEN];
	const void *data; /* the VMM's; must outlive the device */
	u32 len;
};

/* An item of a few bytes, held in the device. */
struct fw_cfg_value {
	u16 key;
	u8 len;
	u8 bytes[8];
};

struct fw_cfg {
	u16 key;    /* selected */
	u32 offset; /* of the next byte to read */
	struct fw_cfg_value values[5];
	u32 nfiles;
	struct fw_cfg_file files[FW_CFG_FILES_MAX];
	u64 ignored_writes; /* all but 16-bit writes to the selector */
};

/* A device with the fixed items and no files, selecting the signature. */
void fw_cfg_init(struct fw_cfg *f, u16 nb_cpus, u16 max_cpus, u64 ram_size);
/* The state after a system reset: the signature at offset 0; items and
 * files stay. */
void fw_cfg_reset(struct fw_cfg *f);
/* Adds a file (name under FW_CFG_NAME_LEN characters) whose contents are
 * data[0..len), read in place. Returns its key, or -EINVAL (bad name),
 * -EEXIST (a file of that name) or -ENOSPC (FW_CFG_FILES_MAX files). */
int fw_cfg_add_file(struct fw_cfg *f, const char *name, const void *data, u32 len);

/* True for the device's ports, 0x510 and 0x511 (no DMA ports). */
bool fw_cfg_claims(u16 port);
/* A read of size bytes (1, 2 or 4) at port: one byte read of either port
 * returns the next data byte (the two ports are one register pair in
 * QEMU's pc machine); wider reads return all ones and move nothing. */
u32 fw_cfg_read(struct fw_cfg *f, u16 port, u8 size);
/* A 16-bit write to the selector port selects val; others are ignored. */
void fw_cfg_write(struct fw_cfg *f, u16 port, u8 size, u32 val);

#endif
