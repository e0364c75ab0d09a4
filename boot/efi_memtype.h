/* UEFI memory descriptor types mapped onto the hypervisor's mem_type.
 * Shared by both boot paths that see an EFI memory map: the multiboot2
 * parser (tag 17, boot/mb2.c) and the UEFI loader (GetMemoryMap,
 * boot/efi/loader.c). Header-only so each user stays a single
 * translation unit (the unit tests #include the source under test). */
#ifndef BOOT_EFI_MEMTYPE_H
#define BOOT_EFI_MEMTYPE_H

#include "boot/boot_info.h"

/* The UEFI type numbers (UEFI 2.10, 7.2 EFI_MEMORY_TYPE) that efi_mem_type
 * tells apart; every other type is reserved. */
enum {
	EFI_MT_LOADER_CODE = 1,
	EFI_MT_LOADER_DATA = 2,
	EFI_MT_BOOT_SERVICES_CODE = 3,
	EFI_MT_BOOT_SERVICES_DATA = 4,
	EFI_MT_CONVENTIONAL = 7,
	EFI_MT_UNUSABLE = 8,
	EFI_MT_ACPI_RECLAIM = 9,
	EFI_MT_ACPI_NVS = 10,
};

/* The descriptor layout every UEFI version starts with; descriptors are
 * stepped by the firmware's descriptor_size, which may be larger. */
#define EFI_MEMDESC_MIN_SIZE 40u
#define EFI_MEMDESC_TYPE_OFF 0u
#define EFI_MEMDESC_PHYS_OFF 8u
#define EFI_MEMDESC_PAGES_OFF 24u
#define EFI_PAGE_SHIFT 12

/* Which memory the hypervisor may use once boot services are gone:
 * loader and boot-services memory is free then; runtime services,
 * MMIO, persistent and unknown types stay reserved. */
static inline u32 efi_mem_type(u32 t)
{
	static const u8 types[] = {
		[EFI_MT_LOADER_CODE] = MEM_USABLE,
		[EFI_MT_LOADER_DATA] = MEM_USABLE,
		[EFI_MT_BOOT_SERVICES_CODE] = MEM_USABLE,
		[EFI_MT_BOOT_SERVICES_DATA] = MEM_USABLE,
		[EFI_MT_CONVENTIONAL] = MEM_USABLE,
		[EFI_MT_UNUSABLE] = MEM_BAD,
		[EFI_MT_ACPI_RECLAIM] = MEM_ACPI_RECLAIM,
		[EFI_MT_ACPI_NVS] = MEM_ACPI_NVS,
	};

	return t < ARRAY_SIZE(types) && types[t] ? types[t] : MEM_RESERVED;
}

/* EFI lengths come in 4 KiB pages; saturate instead of wrapping. */
static inline u64 efi_pages_to_bytes(u64 pages)
{
	if (pages > (~0ULL >> EFI_PAGE_SHIFT))
		return ~0ULL;
	return pages << EFI_PAGE_SHIFT;
}

#endif
