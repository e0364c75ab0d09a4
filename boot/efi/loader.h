/* hv.efi, the UEFI loader of the hypervisor: shared declarations of its
 * parts. loader.c has the flow; efiutil.c the console, errors, page
 * bookkeeping and files; image.c the embedded hypervisor image;
 * firmware.c what the firmware tells (ACPI, GOP, memory map). */
#ifndef BOOT_EFI_LOADER_H
#define BOOT_EFI_LOADER_H

#include <efi.h>

#include "boot/efi/config.h"
#include "boot/boot_info.h"
#include "lib/types.h"

extern EFI_SYSTEM_TABLE *efi_st;
extern EFI_BOOT_SERVICES *efi_bs;
extern EFI_HANDLE efi_image;

/* --- efiutil.c --------------------------------------------------------- */

void con_printf(const char *fmt, ...) __printf(1, 2);

/* "Not Found" and the like. */
const char *efi_status_name(EFI_STATUS s);

/* Set once ExitBootServices has been called: boot services may be half
 * gone, so fail() neither waits nor frees (the console is best effort). */
extern bool efi_boot_services_gone;

/* Prints "hv.efi: error: <message>" and the run's verdict line
 * "HV-RESULT: FAIL hv.efi: <what>" (also on port 0xE9 for test runners),
 * waits a little so a human can read it, frees every page the loader
 * took, and returns `status` for efi_main to hand back to the firmware. */
EFI_STATUS fail(EFI_STATUS status, const char *what, const char *fmt, ...)
	__printf(3, 4);

/* AllocatePages, remembered so fail() can give them back. */
EFI_STATUS pages_alloc(EFI_ALLOCATE_TYPE how, EFI_MEMORY_TYPE type, u64 pages,
		       u64 *addr);

/* Zeroed pages for `bytes` below 4 GiB, where the hypervisor's boot
 * identity map reaches; a failure is reported (through fail()) as no room
 * for `what`. */
EFI_STATUS pages_below_4g(u64 bytes, const char *what, u64 *addr);

/* Files on the partition hv.efi was loaded from; paths are ASCII,
 * '\'-separated, from the partition's root. */
EFI_STATUS fs_init(EFI_LOADED_IMAGE **li); /* also hv.efi's loaded image */
EFI_STATUS file_open(const char *path, EFI_FILE_HANDLE *f, u64 *size,
		     bool *is_dir);
/* Reads `size` bytes and closes f. */
EFI_STATUS file_read(EFI_FILE_HANDLE f, void *buf, u64 size);

/* --- image.c ----------------------------------------------------------- */

/* Validates the embedded hypervisor ELF, loads it at its fixed
 * addresses and finds its UEFI entry. Returns EFI_SUCCESS or the result
 * of fail(). */
EFI_STATUS hv_image_load(u64 *entry);

/* --- firmware.c -------------------------------------------------------- */

void fw_find_rsdp(struct boot_info *bi);
void fw_find_framebuffer(struct boot_info *bi);
void fw_loader_name(struct boot_info *bi);

/* Converts a GetMemoryMap() result into bi->memmap (MEMMAP_EFI).
 * Called after ExitBootServices: pure computation. */
void fw_convert_memmap(struct boot_info *bi, const u8 *map, u64 map_size,
		       u64 desc_size);

#endif
