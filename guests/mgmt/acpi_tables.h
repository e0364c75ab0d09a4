/* The ACPI tables hvctl gives a child: RSDP, XSDT, RSDT, FADT, FACS, MADT
 * and a DSDT, built into one block of bytes that the VMM copies into the
 * child's low memory at a guest-physical address chosen by the caller.
 * The tables point at each other by guest-physical address, so the block
 * is built for that address. The RSDP comes first in the block, so a
 * block placed on a 16-byte boundary in 0xE0000-0xFFFFF is found by the
 * standard RSDP scan (e.g. at ACPI_TABLES_GPA).
 *
 * The platform the tables describe (ACPI 6.x, chapters 5.2 and 19):
 * one local APIC per vCPU (ids 0..n-1), one IOAPIC, the PM1a event and
 * control blocks and a 32-bit PM timer in I/O space at ACPI_PM_BASE, the
 * SCI on ISA IRQ ACPI_SCI_IRQ, reset through port 0xCF9, and in the DSDT
 * the \_S5 package with ACPI_S5_SLP_TYP, COM1 and the RTC. */
#ifndef GUESTS_MGMT_ACPI_TABLES_H
#define GUESTS_MGMT_ACPI_TABLES_H

#include "guests/mgmt/acpi_pm.h"
#include "lib/types.h"

/* The PM registers the tables announce, the SCI, S5's sleep type and
 * the reset port: the PM device model's (acpi_pm.h). */
/* The RTC's CMOS index of the century byte. */
#define ACPI_RTC_CENTURY 0x32

#define ACPI_LAPIC_ADDR 0xfee00000u
#define ACPI_IOAPIC_ADDR 0xfec00000u
#define ACPI_IOAPIC_ID 0

/* Where hvctl puts the block in a child, the start of the BIOS area. */
#define ACPI_TABLES_GPA 0xe0000u
/* APIC ids are bytes and 0xff is the broadcast id. */
#define ACPI_MAX_VCPUS 254
/* Large enough for ACPI_MAX_VCPUS. */
#define ACPI_TABLES_MAX 0x1000

struct acpi_config {
	u32 vcpus;     /* 1..ACPI_MAX_VCPUS */
	u64 ram_bytes; /* not described by any table today */
	/* NULL for the project's own ids ("MHV", "MHVPC"); space padded */
	const char *oem_id;       /* up to 6 characters */
	const char *oem_table_id; /* up to 8 characters */
};

/* Offsets of the tables in the block, and its size. */
struct acpi_layout {
	u32 rsdp, facs, xsdt, rsdt, fadt, madt, dsdt;
	u32 size;
};

/* Builds the tables for a block that will sit at guest-physical gpa
 * (16-byte aligned, the whole block below 4 GiB) into buf[0..cap). Fills
 * *layout and returns the block's size, or -EINVAL (bad config or gpa)
 * or -ENOSPC (cap too small). Bytes of buf[0..cap) between tables are
 * zero. */
int acpi_build_tables(const struct acpi_config *cfg, u32 gpa, void *buf, u32 cap,
		      struct acpi_layout *layout);

/* The byte that makes buf[0..len) sum to zero, given that it is zero. */
u8 acpi_checksum(const void *buf, u32 len);

#endif
