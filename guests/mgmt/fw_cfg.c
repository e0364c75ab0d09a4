/* QEMU's fw_cfg legacy I/O interface (see fw_cfg.h). */
#include "guests/mgmt/fw_cfg.h"
#include "lib/errno.h"
#include "lib/string.h"

#define KEY_INDEX(key) ((key) & (u16) ~(FW_CFG_WRITE_CHANNEL | FW_CFG_ARCH_LOCAL))

/* Byte i of the width-byte big-endian form of v. */
static u8 be_byte(u32 v, u32 width, u32 i)
{
	return (u8)(v >> (8 * (width - 1 - i)));
}

static void set_value(struct fw_cfg_value *v, u16 key, u64 val, u8 len)
{
	v->key = key;
	v->len = len;
	for (u8 i = 0; i < len; i++)
		v->bytes[i] = (u8)(val >> (8 * i)); /* little-endian */
}

void fw_cfg_init(struct fw_cfg *f, u16 nb_cpus, u16 max_cpus, u64 ram_size)
{
	memset(f, 0, sizeof(*f));
	set_value(&f->values[0], FW_CFG_SIGNATURE,
		  'Q' | 'E' << 8 | 'M' << 16 | (u32)'U' << 24, 4);
	set_value(&f->values[1], FW_CFG_ID, FW_CFG_ID_TRADITIONAL, 4);
	set_value(&f->values[2], FW_CFG_RAM_SIZE, ram_size, 8);
	set_value(&f->values[3], FW_CFG_NB_CPUS, nb_cpus, 2);
	set_value(&f->values[4], FW_CFG_MAX_CPUS, max_cpus, 2);
	fw_cfg_reset(f);
}

void fw_cfg_reset(struct fw_cfg *f)
{
	f->key = FW_CFG_SIGNATURE;
	f->offset = 0;
}

int fw_cfg_add_file(struct fw_cfg *f, const char *name, const void *data, u32 len)
{
	size_t n = strnlen(name, FW_CFG_NAME_LEN);

	if (n == 0 || n == FW_CFG_NAME_LEN)
		return -EINVAL;
	for (u32 i = 0; i < f->nfiles; i++)
		if (!strcmp(f->files[i].name, name))
			return -EEXIST;
	if (f->nfiles == FW_CFG_FILES_MAX)
		return -ENOSPC;
	memcpy(f->files[f->nfiles].name, name, n + 1);
	f->files[f->nfiles].data = data;
	f->files[f->nfiles].len = len;
	return FW_CFG_FILE_FIRST + (int)f->nfiles++;
}

/* Byte off of the file directory, which is 4 + 64 * nfiles bytes. */
static u8 dir_byte(const struct fw_cfg *f, u32 off)
{
	const struct fw_cfg_file *file;
	u32 at;

	if (off < 4)
		return be_byte(f->nfiles, 4, off);
	file = &f->files[(off - 4) / FW_CFG_DIR_ENTRY_LEN];
	at = (off - 4) % FW_CFG_DIR_ENTRY_LEN;
	if (at < 4)
		return be_byte(file->len, 4, at);
	if (at < 6)
		return be_byte((u32)(FW_CFG_FILE_FIRST + (file - f->files)), 2, at - 4);
	if (at < 8)
		return 0;
	return (u8)file->name[at - 8];
}

/* The selected item's length, with its byte at off when off is inside. */
static u32 item_byte(const struct fw_cfg *f, u32 off, u8 *byte)
{
	u16 index = KEY_INDEX(f->key);
	u32 len = 0;

	if (f->key & FW_CFG_ARCH_LOCAL)
		return 0; /* no architecture items */
	for (size_t i = 0; i < ARRAY_SIZE(f->values); i++) {
		if (f->values[i].key != index)
			continue;
		len = f->values[i].len;
		if (off < len)
			*byte = f->values[i].bytes[off];
	}
	if (index == FW_CFG_FILE_DIR) {
		len = 4 + FW_CFG_DIR_ENTRY_LEN * f->nfiles;
		if (off < len)
			*byte = dir_byte(f, off);
	}
	if (index >= FW_CFG_FILE_FIRST && (u32)(index - FW_CFG_FILE_FIRST) < f->nfiles) {
		const struct fw_cfg_file *file = &f->files[index - FW_CFG_FILE_FIRST];

		len = file->len;
		if (off < len)
			*byte = ((const u8 *)file->data)[off];
	}
	return len;
}

bool fw_cfg_claims(u16 port)
{
	return port == FW_CFG_PORT_SEL || port == FW_CFG_PORT_DATA;
}

u32 fw_cfg_read(struct fw_cfg *f, u16 port, u8 size)
{
	u8 byte = 0;

	if (!fw_cfg_claims(port) || size != 1)
		return size >= 4 ? ~0u : (1u << (8 * size)) - 1;
	if (f->offset < item_byte(f, f->offset, &byte))
		f->offset++;
	return byte;
}

void fw_cfg_write(struct fw_cfg *f, u16 port, u8 size, u32 val)
{
	if (port == FW_CFG_PORT_SEL && size == 2) {
		f->key = (u16)val;
		f->offset = 0;
		return;
	}
	f->ignored_writes++;
}
