/* The memory map of a child as a PC's firmware reports it (the BIOS's
 * e820 call): for a child of N bytes of RAM,
 *
 *   0        - 0x9FC00      RAM (639 KiB of conventional memory)
 *   0x9FC00  - 0xA0000      reserved (the extended BIOS data area)
 *   0xA0000  - 0xE0000      not listed (VGA window, option ROMs)
 *   0xE0000  - 0x100000     reserved (the BIOS area; the ACPI tables'
 *                           block in it is listed as ACPI data)
 *   1 MiB    - min(N, 3 GiB)  RAM
 *   3 GiB    - 4 GiB        not listed (the PCI/MMIO hole: the IOAPIC,
 *                           the LAPIC, hvctl's test device at 0xD0000000)
 *   4 GiB    - 4 GiB + (N - 3 GiB)  RAM, when N is larger than 3 GiB
 *
 * The child's RAM beyond 3 GiB thus sits above 4 GiB in guest-physical
 * terms. Entries are in address order and do not overlap. Converters
 * give the map in the layouts of the Linux boot protocol
 * (boot_params.e820_table) and of multiboot v1 (mmap_addr). */
#ifndef GUESTS_MGMT_E820_H
#define GUESTS_MGMT_E820_H

#include "lib/types.h"

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3 /* ACPI tables: reclaimable once read */
#define E820_NVS 4

#define PC_EBDA_BASE 0x9fc00ULL
#define PC_EBDA_END 0xa0000ULL
#define PC_BIOS_AREA 0xe0000ULL
#define PC_HIGH_MEMORY (1ULL << 20)
#define PC_LOW_RAM_END 0xc0000000ULL /* where the PCI hole starts */
#define PC_HIGH_RAM (1ULL << 32)

#define E820_MAX 16

struct e820_entry {
	u64 addr;
	u64 size;
	u32 type;
};

struct e820_map {
	u32 n;
	struct e820_entry e[E820_MAX];
};

/* The map of a child of ram_bytes (> 0) with the ACPI tables' block at
 * [acpi_base, acpi_base + acpi_size) (size 0: none), which must lie in
 * one RAM or reserved entry. 0, or -EINVAL. */
int e820_build(struct e820_map *m, u64 ram_bytes, u64 acpi_base, u32 acpi_size);

/* Multiboot's mem_lower and mem_upper: KiB of RAM from 0, and of RAM
 * from 1 MiB up to the first byte that is not RAM. */
u32 e820_mem_lower_kb(const struct e820_map *m);
u32 e820_mem_upper_kb(const struct e820_map *m);

/* The Linux boot protocol's struct boot_e820_entry {u64 addr; u64 size;
 * u32 type;}, packed: 20 bytes each. */
#define E820_BOOT_ENTRY_LEN 20
/* Writes at most max entries to out; the count for e820_entries. */
u32 e820_to_boot_params(const struct e820_map *m, void *out, u32 max);

/* Multiboot v1's memory map entry {u32 size (20, not counting itself);
 * u64 base_addr; u64 length; u32 type;}: 24 bytes each, types as e820's
 * (1 available RAM, 3 ACPI, 4 NVS, others reserved). */
#define E820_MB1_ENTRY_LEN 24
/* Writes the entries that fit in cap bytes; the bytes written, for
 * mmap_length. */
u32 e820_to_multiboot(const struct e820_map *m, void *out, u32 cap);

#endif
