/* hv.cfg, the configuration file hv.efi reads next to itself on the EFI
 * system partition:
 *
 *     # a comment (whole lines only; blank lines are ignored)
 *     cmdline=loglevel=info onidle=exit
 *     module=\EFI\hv\hello.elf hello demo=1
 *     module="\EFI\hv\my file.bin" its string
 *
 * `cmdline` (at most once) is the hypervisor's command line; each
 * `module` line names a file (then, after blanks, the module's string) in
 * boot order: the first is VM 0's kernel. Paths starting with '\' are
 * from the root of the partition, others from hv.efi's directory; '/'
 * works as a separator too. Blanks around keys, '=' and values are
 * ignored. ASCII only; LF or CRLF line ends, the last one optional; a
 * UTF-8 byte-order mark is skipped and UTF-16LE with a byte-order mark is
 * accepted (UEFI editors write it).
 *
 * Pure: host unit-tested (tests/unit/test_efi_config.c). */
#ifndef BOOT_EFI_CONFIG_H
#define BOOT_EFI_CONFIG_H

#include "boot/boot_info.h"

#define EFI_CFG_FILE_NAME "hv.cfg"
#define EFI_CFG_FILE_MAX (64 * 1024) /* bytes */
#define EFI_CFG_LINE_MAX 1536	     /* characters, without the line end */
#define EFI_CFG_PATH_MAX 256	     /* bytes, with the NUL */

enum efi_cfg_status {
	EFI_CFG_OK = 0,
	EFI_CFG_TOO_LARGE,	  /* file over EFI_CFG_FILE_MAX */
	EFI_CFG_BAD_ENCODING,	  /* UTF-16BE, odd-length UTF-16LE */
	EFI_CFG_BAD_CHAR,	  /* NUL, control, non-ASCII, lone CR */
	EFI_CFG_LINE_TOO_LONG,
	EFI_CFG_NO_EQUALS,
	EFI_CFG_UNKNOWN_KEY,
	EFI_CFG_DUPLICATE,	  /* cmdline given twice */
	EFI_CFG_VALUE_TOO_LONG,	  /* cmdline, path or module string */
	EFI_CFG_EMPTY_PATH,
	EFI_CFG_BAD_PATH,	  /* bad quoting or a character FAT refuses */
	EFI_CFG_TOO_MANY_MODULES,
};

enum efi_cfg_encoding {
	EFI_CFG_ASCII = 0,
	EFI_CFG_UTF8_BOM,
	EFI_CFG_UTF16LE,
};

struct efi_cfg_module {
	char path[EFI_CFG_PATH_MAX]; /* as written, quotes removed */
	char string[BOOT_MODULE_STRING_MAX];
	u32 line;
};

struct efi_cfg {
	char cmdline[BOOT_CMDLINE_MAX];
	u32 cmdline_line; /* 0: no cmdline= line (empty command line) */
	u32 module_count;
	struct efi_cfg_module modules[BOOT_MODULES_MAX];
	u32 encoding;	/* enum efi_cfg_encoding */
	u32 error_line; /* the line an error was found on, 0 for the file */
};

/* Parses `len` bytes of file content. On failure `out` is partly filled
 * and `err` (if non-NULL) holds one line saying where ("line N: ") and
 * what was wrong and, where it helps, what was expected. */
enum efi_cfg_status efi_cfg_parse(const void *buf, size_t len,
				  struct efi_cfg *out, char *err,
				  size_t errlen);

const char *efi_cfg_status_name(enum efi_cfg_status st);

/* The directory part of a '\'-separated file path ("\EFI\BOOT\X.EFI" ->
 * "\EFI\BOOT"; "X.EFI" or "\X.EFI" -> ""). False if it does not fit. */
bool efi_cfg_dirname(const char *path, char *dir, size_t dirlen);

/* A module path from the file resolved against `dir` (from
 * efi_cfg_dirname): '/' becomes '\', a relative path is put under `dir`,
 * and the result always starts with '\'. False if it does not fit. */
bool efi_cfg_resolve(const char *dir, const char *path, char *out,
		     size_t outlen);

#endif
