/* The virtual local APIC of one vCPU (Intel SDM vol. 3, chapter "Advanced
 * Programmable Interrupt Controller"): its registers, priorities and
 * timer as pure state, reached through the xAPIC page (MMIO) or the
 * x2APIC MSRs. Nothing here touches hardware: the core feeds it the
 * vCPU's TSC (now_tsc), routes what it sends (vlapic_take_ipi), injects
 * what it has pending (vlapic_pending, vlapic_ack) and runs its timer
 * (vlapic_timer_deadline, vlapic_timer_expire). docs/abi.md, "Virtual
 * local APIC", lists what a guest sees. */
#ifndef HV_VLAPIC_H
#define HV_VLAPIC_H

#include "lib/types.h"

#define VLAPIC_BASE_DEFAULT 0xfee00000ull
#define VLAPIC_BASE_BSP BIT(8)
#define VLAPIC_BASE_EXTD BIT(10) /* x2APIC mode */
#define VLAPIC_BASE_EN BIT(11)

#define MSR_TSC_DEADLINE 0x6e0
#define MSR_X2APIC_FIRST 0x800
#define MSR_X2APIC_LAST 0x8ff

/* ICR / IPI delivery modes and destination shorthands (ICR bits 10:8, 19:18) */
enum {
	VLAPIC_DM_FIXED = 0,
	VLAPIC_DM_LOWEST = 1,
	VLAPIC_DM_SMI = 2,
	VLAPIC_DM_NMI = 4,
	VLAPIC_DM_INIT = 5,
	VLAPIC_DM_SIPI = 6,
	VLAPIC_DM_EXTINT = 7,
};
enum {
	VLAPIC_SH_NONE = 0,
	VLAPIC_SH_SELF = 1,
	VLAPIC_SH_ALL = 2,       /* all including self */
	VLAPIC_SH_OTHERS = 3,    /* all excluding self */
};

/* The local vector table, in register order from 0x320. */
enum {
	VLAPIC_LVT_TIMER,
	VLAPIC_LVT_THERMAL,
	VLAPIC_LVT_PERF,
	VLAPIC_LVT_LINT0,
	VLAPIC_LVT_LINT1,
	VLAPIC_LVT_ERROR,
	VLAPIC_LVT_COUNT,
};

/* An interrupt message an ICR write sends: mode VLAPIC_DM_*, shorthand
 * VLAPIC_SH_*, dest the destination field (xAPIC: 8 bits, x2APIC: 32). */
struct vlapic_ipi {
	u8 vector, mode, shorthand;
	bool logical, level, assert;
	u32 dest;
};

struct vlapic {
	u64 base;          /* IA32_APIC_BASE */
	u32 id;            /* the APIC id (xAPIC uses bits 7:0) */
	u8 phys_bits;      /* the VM's MAXPHYADDR for APIC_BASE checks (0 or above 52: 52) */
	u32 tpr, ldr, dfr, svr;
	u32 isr[8], tmr[8], irr[8];
	u32 esr;           /* what the last ESR write latched */
	u32 esr_pending;   /* errors since */
	u32 icr_lo, icr_hi;
	u32 lvt[VLAPIC_LVT_COUNT];
	u32 timer_initial; /* initial count */
	u32 timer_dcr;     /* divide configuration */
	bool timer_running; /* one-shot/periodic: counting */
	u64 timer_next;    /* TSC at which the count reaches 0 next */
	u64 tsc_deadline;  /* IA32_TSC_DEADLINE (TSC-deadline mode); 0: disarmed */
	bool ipi_queued;   /* an ICR write left ipi for vlapic_take_ipi */
	struct vlapic_ipi ipi;
	int eoi_level;     /* a level-triggered vector's EOI, or -1 (vlapic_take_level_eoi) */
};

/* Power-on/RESET state (SDM "Local APIC State After Power-Up or Reset"):
 * APIC_BASE 0xfee00000 enabled in xAPIC mode, BSP bit as given. */
void vlapic_reset(struct vlapic *a, u32 apic_id, bool bsp);
/* The INIT state: as RESET but APIC_BASE and the ID are kept. */
void vlapic_init_signal(struct vlapic *a);

bool vlapic_hw_enabled(const struct vlapic *a); /* IA32_APIC_BASE.EN */
bool vlapic_sw_enabled(const struct vlapic *a); /* and SVR bit 8 */
bool vlapic_x2apic(const struct vlapic *a);
u64 vlapic_base(const struct vlapic *a); /* the IA32_APIC_BASE value */
/* Guest-physical address of the xAPIC page while the xAPIC page is
 * decoded (enabled, not x2APIC), else ~0. */
u64 vlapic_mmio_page(const struct vlapic *a);
/* A WRMSR to IA32_APIC_BASE: false means #GP (reserved bits, a base at or
 * above MAXPHYADDR, an illegal mode transition, x2APIC not offered). */
bool vlapic_set_base(struct vlapic *a, u64 value, bool x2apic_offered);

/* The xAPIC page: offset within the page, 4-byte registers at 16-byte
 * strides. Reserved offsets read 0 and set ESR "illegal register
 * address"; writes to read-only registers are ignored. */
u32 vlapic_mmio_read(struct vlapic *a, u32 offset, u64 now_tsc);
void vlapic_mmio_write(struct vlapic *a, u32 offset, u32 value, u64 now_tsc);

/* x2APIC MSRs 0x800-0x8ff and IA32_TSC_DEADLINE (0x6e0; the caller checks
 * that the VM's CPUID offers it). false: #GP. */
bool vlapic_msr_read(struct vlapic *a, u32 msr, u64 *value, u64 now_tsc);
bool vlapic_msr_write(struct vlapic *a, u32 msr, u64 value, u64 now_tsc);

/* A fixed or lowest-priority interrupt arrives: IRR (and TMR when level).
 * Vectors 0-15 set ESR "received illegal vector" instead. A disabled APIC
 * (hardware or software) drops it. */
void vlapic_accept(struct vlapic *a, u8 vector, bool level);
/* Highest IRR vector whose priority class beats PPR, else -1 (a
 * software-disabled APIC: none). */
int vlapic_pending(const struct vlapic *a);
/* The vCPU takes vector: IRR -> ISR, PPR follows. */
void vlapic_ack(struct vlapic *a, u8 vector);
/* The vector of the last EOI when its TMR bit was set (the IOAPIC's
 * remote IRR), once; -1 when none. */
int vlapic_take_level_eoi(struct vlapic *a);
/* Whether vlapic_take_level_eoi has a vector (cheap: after every exit). */
static inline bool vlapic_level_eoi_pending(const struct vlapic *a)
{
	return a->eoi_level >= 0;
}

/* An ICR write (or x2APIC SELF_IPI, as a fixed self IPI) queued one:
 * take it once. Until taken the xAPIC ICR reads delivery status busy. */
bool vlapic_take_ipi(struct vlapic *a, struct vlapic_ipi *ipi);
/* Whether this APIC is a destination of dest in the given mode:
 * physical (its id, or broadcast 0xff / x2APIC 0xffffffff), logical flat
 * and cluster (xAPIC DFR) or x2APIC cluster, logical broadcast. */
bool vlapic_match_dest(const struct vlapic *a, u32 dest, bool logical);
/* Arbitration priority, for lowest-priority delivery (lowest wins). */
u8 vlapic_arb_priority(const struct vlapic *a);

/* The vCPU TSC at which the timer fires next; 0: not armed. */
u64 vlapic_timer_deadline(const struct vlapic *a);
/* If due at now_tsc: IRR per the LVT timer unless masked; periodic
 * re-arms, one-shot stops, TSC-deadline clears the MSR. */
void vlapic_timer_expire(struct vlapic *a, u64 now_tsc);

/* LINT0 unmasked in ExtINT mode (a PIC's INTR reaches this vCPU). */
bool vlapic_lint0_extint(const struct vlapic *a);

#endif
