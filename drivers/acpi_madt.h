/* ACPI's Multiple APIC Description Table: found from the RSDP (through
 * the XSDT, or the RSDT of an ACPI 1.0 RSDP) and read for the processors
 * it lists. Pure: every physical address is reached through the caller's
 * map function, which refuses ranges that are not there, so a malformed
 * table can never make it read outside what was mapped. */
#ifndef DRIVERS_ACPI_MADT_H
#define DRIVERS_ACPI_MADT_H

#include "lib/types.h"

#define MADT_CPUS_MAX 64

/* [pa, pa + len) as a pointer, or NULL when it cannot be read. */
typedef const void *(*acpi_map_fn)(u64 pa, u64 len, void *ctx);

struct madt_info {
	u64 lapic_base;      /* the local APICs' MMIO address */
	u32 count;           /* enabled processors, their APIC ids in apic_ids[] */
	u32 online_capable;  /* disabled now, could be brought online later */
	u32 disabled;        /* listed, neither enabled nor online-capable */
	u32 dropped;         /* enabled ones beyond MADT_CPUS_MAX */
	u32 apic_ids[MADT_CPUS_MAX]; /* in table order, each once */
};

/* Finds the MADT from a copy of the RSDP (rsdp_len bytes) and reads it
 * into *out. Returns NULL, or why there is no usable MADT. */
const char *madt_read(const u8 *rsdp, u32 rsdp_len, acpi_map_fn map, void *ctx,
		      struct madt_info *out);

/* Reads the processors of a MADT of `len` bytes whose header and
 * checksum were checked. Returns NULL, or what is wrong with it. */
const char *madt_parse(const u8 *madt, u32 len, struct madt_info *out);

#endif
