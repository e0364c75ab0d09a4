/* The PC a child created with `vm create ... pc` sees: the device models
 * (PIC pair, IOAPIC, PIT, RTC, ACPI PM, fw_cfg; the UART stays in vmm.c
 * for every child) wired together, to the child's virtual LAPIC through
 * HV_CALL_VM_IRQ, and to its port and MMIO exits; its ACPI tables and
 * memory map, built at creation; the real-mode BIOS (bios.h).
 *
 * Wiring: an ISA line goes to the PIC input of the same number and to
 * the IOAPIC GSI of the same number, except IRQ 0 which is GSI 2 (the
 * MADT's override). The IOAPIC's messages become VM_IRQ calls; the PIC's
 * INTR becomes an ExtINT with the vector of its INTA cycle, taken at
 * delivery, before a run of the child. A level-triggered IOAPIC entry
 * keeps its remote IRR until the child's EOI of its vector comes back
 * as HV_EXIT_EOI (docs/abi.md §6.5); a hypervisor without that exit
 * leaves such an entry stuck after its first interrupt.
 *
 * Time: the devices run on the child's virtual time in nanoseconds,
 * counted from VM 0's TSC since creation at the frequency CPUID
 * 0x40000010 reports (the child's TSC runs at the same rate). */
#ifndef GUESTS_MGMT_PC_H
#define GUESTS_MGMT_PC_H

#include "guests/mgmt/acpi_pm.h"
#include "guests/mgmt/acpi_tables.h"
#include "guests/mgmt/bios.h"
#include "guests/mgmt/e820.h"
#include "guests/mgmt/fw_cfg.h"
#include "guests/mgmt/ioapic.h"
#include "guests/mgmt/pic.h"
#include "guests/mgmt/pit.h"
#include "guests/mgmt/rtc.h"
#include "guests/mgmt/mgmt.h"

/* The RTC's time at a child's creation (2026-01-01 00:00:00 UTC): a
 * fixed date, hvctl has no wall clock of its own. */
#define PC_RTC_START_SECS 1767225600ULL

struct pc {
	struct child *child;
	struct pc_irq_sink sink;
	struct pic pic;
	struct ioapic ioapic;
	struct pit pit;
	struct rtc rtc;
	struct acpi_pm pm;
	struct fw_cfg fw_cfg;
	struct e820_map e820;            /* for the loaders as well */
	u8 e820_file[E820_MAX * E820_BOOT_ENTRY_LEN]; /* fw_cfg etc/e820 */
	struct acpi_layout acpi_layout;
	u8 acpi[ACPI_TABLES_MAX];        /* the block at ACPI_TABLES_GPA */
	u32 acpi_size;
	u64 tsc_start;                   /* VM 0's TSC at creation */
	u32 tsc_khz;
	u64 now_ns;                      /* the child's time at this exit */
	u8 port92;                       /* A20 (bit 1) as written */
	u8 bochs_matched;                /* of "Shutdown" at port 0x8900 */
	enum pm_request request;         /* from port 0x92 or 0x8900 */
	u64 irqs, extints;               /* VM_IRQ calls that went in */
	u64 eois;                        /* HV_EXIT_EOIs */
	struct bios bios;                /* the real-mode BIOS calls */
	u64 irq_errors;                  /* VM_IRQ calls refused */
	long last_irq_error;
};

struct hv_exit_mmio; /* not in the v1 headers, where no child is a PC */
struct hv_exit_msr;

/* How a port access ended. */
enum pc_io {
	PC_IO_UNCLAIMED, /* not the PC's: the VMM's other ports */
	PC_IO_DONE,      /* answered, the child goes on */
	PC_IO_ENDED,     /* it powered the child off or reset it */
};

/* Makes c a PC (c->pc) before its image is loaded: devices at reset,
 * the ACPI tables copied into it, the e820 map, fw_cfg and the RTC's
 * memory bytes. 0, or -errno with the reason printed. */
long pc_create(struct child *c);
/* The child's time now, in nanoseconds since its creation. */
u64 pc_now_ns(const struct pc *p);
/* Brings every device to the child's now and delivers what is pending;
 * before each run of one of its vCPUs. */
void pc_before_run(struct child *c);
#define PC_NO_EVENT (~0ULL)
/* When the next device interrupt may come (PIT, RTC, ACPI PM timer), in
 * the child's ns; PC_NO_EVENT if none will without the child's doing. */
u64 pc_next_event_ns(const struct pc *p, u64 now_ns);
/* The VM 0 TSC a run should return by (HV_RUN_DEADLINE) for the next
 * device event after pc_before_run's now; 0 for none, or one further off
 * than any time slice. */
u64 pc_run_deadline(const struct pc *p);
/* A port exit of a PC child. An IN is answered through the vCPU's
 * completion. */
enum pc_io pc_port_io(struct child *c, const struct hv_exit_io *io);
/* An MMIO exit of a PC child; false when the address is not the PC's. */
bool pc_mmio(struct child *c, const struct hv_exit_mmio *m);
/* An MSR exit of a PC child (pc_msr.c), answered through the vCPU's
 * completion: the value of a read, or #GP. */
void pc_msr(struct child *c, const struct hv_exit_msr *m);
/* The child's EOI of a level-triggered vector (HV_EXIT_EOI): the
 * IOAPIC's remote IRR, and delivery again while the line is high. */
void pc_eoi(struct child *c, u8 vector);
/* An ISA interrupt line at a level, for devices outside struct pc (the
 * UART's IRQ 4). */
void pc_set_isa_irq(struct pc *p, unsigned line, bool level);
/* `vm info`'s lines about the PC. */
void pc_print(const struct child *c);

#endif
