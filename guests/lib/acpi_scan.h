/* ACPI tables as a PC kernel finds them: the RSDP by the standard scan of
 * the BIOS area (0xE0000-0xFFFFF, 16-byte steps, checksum over the first
 * 20 bytes), then a table through the RSDT. Physical addresses are read
 * directly: for guests whose low 4 GiB are identity-mapped. */
#ifndef GUESTS_LIB_ACPI_SCAN_H
#define GUESTS_LIB_ACPI_SCAN_H

#include "lib/types.h"

/* Little-endian 32-bit field at p. */
u32 acpi_rd32(const u8 *p);
/* Whether the len bytes at p sum to zero. */
bool acpi_sum_ok(const u8 *p, u32 len);
/* The RSDP, or NULL. */
const u8 *acpi_find_rsdp(void);
/* The table with signature sig (4 characters) listed in rsdp's RSDT,
 * both with valid checksums, or NULL. */
const u8 *acpi_find_table(const u8 *rsdp, const char *sig);

#endif
