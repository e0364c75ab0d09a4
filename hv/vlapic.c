/* The virtual local APIC: register semantics of Intel SDM vol. 3, chapter
 * "Advanced Programmable Interrupt Controller (APIC)". Registers are
 * named by their index in the xAPIC page (offset / 16), which is also
 * the x2APIC MSR minus 0x800. The timer is not ticked: its state is the
 * vCPU TSC at which the count next reaches 0, and the current count is
 * derived from the TSC the caller passes. */
#include "hv/vlapic.h"

enum {
	REG_ID = 0x02,
	REG_VER = 0x03,
	REG_TPR = 0x08,
	REG_APR = 0x09,
	REG_PPR = 0x0a,
	REG_EOI = 0x0b,
	REG_RRD = 0x0c,
	REG_LDR = 0x0d,
	REG_DFR = 0x0e,
	REG_SVR = 0x0f,
	REG_ISR = 0x10, /* 8 registers each: ISR, TMR, IRR */
	REG_TMR = 0x18,
	REG_IRR = 0x20,
	REG_ESR = 0x28,
	REG_ICR = 0x30,
	REG_ICR_HI = 0x31,
	REG_LVT = 0x32, /* VLAPIC_LVT_COUNT registers */
	REG_TIMER_INITIAL = 0x38,
	REG_TIMER_CURRENT = 0x39,
	REG_TIMER_DCR = 0x3e,
	REG_SELF_IPI = 0x3f,
	REG_COUNT = 0x40,
};

#define REG(r) BIT(r)
#define REGS(first, n) (((BIT(n) - 1)) << (first))

/* The registers each access path has (bit n: register index n). */
#define X2APIC_READABLE                                                        \
	(REG(REG_ID) | REG(REG_VER) | REG(REG_TPR) | REG(REG_PPR) |            \
	 REG(REG_LDR) | REG(REG_SVR) | REGS(REG_ISR, 24) | REG(REG_ESR) |      \
	 REG(REG_ICR) | REGS(REG_LVT, VLAPIC_LVT_COUNT) |                      \
	 REG(REG_TIMER_INITIAL) | REG(REG_TIMER_CURRENT) | REG(REG_TIMER_DCR))
#define X2APIC_WRITABLE                                                        \
	(REG(REG_TPR) | REG(REG_EOI) | REG(REG_SVR) | REG(REG_ESR) |           \
	 REG(REG_ICR) | REGS(REG_LVT, VLAPIC_LVT_COUNT) |                      \
	 REG(REG_TIMER_INITIAL) | REG(REG_TIMER_DCR) | REG(REG_SELF_IPI))
#define XAPIC_DECODED                                                          \
	(X2APIC_READABLE | REG(REG_APR) | REG(REG_EOI) | REG(REG_RRD) |        \
	 REG(REG_DFR) | REG(REG_ICR_HI))

/* Integrated APIC (0x14), highest LVT index 5 (six entries, no CMCI),
 * no EOI-broadcast suppression (bit 24 clear). */
#define VLAPIC_VERSION 0x00050014u

#define SVR_ENABLE BIT(8)
#define SVR_WRITABLE 0x3ffu /* spurious vector, enable, focus checking */
#define LVT_MASKED BIT(16)
#define LVT_TIMER_MODE (3u << 17)
#define ICR_WRITABLE 0x000ccfffu /* vector, mode, dest mode, level, trigger, shorthand */
#define ICR_BUSY BIT(12)
#define XAPIC_DEST_MASK 0xff000000u /* LDR and ICR high: bits 31:24 */
#define DFR_MODEL_MASK 0xf0000000u
#define DCR_WRITABLE 0xbu

#define ESR_SEND_ILLEGAL BIT(5)
#define ESR_RECV_ILLEGAL BIT(6)
#define ESR_ILLEGAL_REG BIT(7)

enum { TIMER_ONESHOT, TIMER_PERIODIC, TIMER_TSC_DEADLINE };

/* Bits software may set in each LVT entry; the rest read 0 (delivery
 * status and remote IRR are never busy here). */
static const u32 lvt_writable[VLAPIC_LVT_COUNT] = {
	[VLAPIC_LVT_TIMER] = 0x000700ff,   /* vector, mask, timer mode */
	[VLAPIC_LVT_THERMAL] = 0x000107ff, /* vector, delivery mode, mask */
	[VLAPIC_LVT_PERF] = 0x000107ff,
	[VLAPIC_LVT_LINT0] = 0x0001a7ff,   /* and polarity, trigger mode */
	[VLAPIC_LVT_LINT1] = 0x0001a7ff,
	[VLAPIC_LVT_ERROR] = 0x000100ff,   /* vector, mask */
};

/* --- 256-bit vector registers (IRR, ISR, TMR) --- */

static bool vec_test(const u32 *r, u8 v)
{
	return r[v >> 5] & (1u << (v & 31));
}

static void vec_set(u32 *r, u8 v)
{
	r[v >> 5] |= 1u << (v & 31);
}

static void vec_clear(u32 *r, u8 v)
{
	r[v >> 5] &= ~(1u << (v & 31));
}

/* The highest vector set, or -1. */
static int vec_highest(const u32 *r)
{
	for (int i = 7; i >= 0; i--)
		if (r[i])
			return i * 32 + 31 - __builtin_clz(r[i]);
	return -1;
}

static u32 class_of(int vector)
{
	return vector < 0 ? 0 : (u32)vector & 0xf0;
}

/* --- state --- */

bool vlapic_hw_enabled(const struct vlapic *a)
{
	return a->base & VLAPIC_BASE_EN;
}

bool vlapic_sw_enabled(const struct vlapic *a)
{
	return vlapic_hw_enabled(a) && (a->svr & SVR_ENABLE);
}

bool vlapic_x2apic(const struct vlapic *a)
{
	return vlapic_hw_enabled(a) && (a->base & VLAPIC_BASE_EXTD);
}

u64 vlapic_base(const struct vlapic *a)
{
	return a->base;
}

u64 vlapic_mmio_page(const struct vlapic *a)
{
	if (!vlapic_hw_enabled(a) || vlapic_x2apic(a))
		return ~0ull;
	return a->base & PAGE_MASK;
}

/* Every register to its power-up value; APIC_BASE, the ID and MAXPHYADDR
 * stay (SDM "Local APIC State After Power-Up or Reset" and "... After
 * It Has Been Software Disabled" / INIT). */
static void reset_registers(struct vlapic *a)
{
	*a = (struct vlapic){ .base = a->base, .id = a->id,
			      .phys_bits = a->phys_bits, .dfr = ~0u,
			      .svr = 0xff, .eoi_level = -1 };
	for (u32 i = 0; i < VLAPIC_LVT_COUNT; i++)
		a->lvt[i] = LVT_MASKED;
}

void vlapic_reset(struct vlapic *a, u32 apic_id, bool bsp)
{
	a->base = VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN | (bsp ? VLAPIC_BASE_BSP : 0);
	a->id = apic_id;
	a->phys_bits = 52;
	reset_registers(a);
}

void vlapic_init_signal(struct vlapic *a)
{
	reset_registers(a);
}

/* The mode bits EN and EXTD of an IA32_APIC_BASE value. */
static u64 base_mode(u64 base)
{
	return base & (VLAPIC_BASE_EN | VLAPIC_BASE_EXTD);
}

/* SDM "x2APIC State Transitions": xAPIC <-> disabled, xAPIC -> x2APIC,
 * x2APIC -> disabled; never EXTD without EN, x2APIC -> xAPIC or
 * disabled -> x2APIC. */
static bool mode_transition_ok(u64 from, u64 to)
{
	const u64 x2 = VLAPIC_BASE_EN | VLAPIC_BASE_EXTD;

	if (to == VLAPIC_BASE_EXTD)
		return false;
	if (from == x2 && to == VLAPIC_BASE_EN)
		return false;
	return !(from == 0 && to == x2);
}

bool vlapic_set_base(struct vlapic *a, u64 value, bool x2apic_offered)
{
	u32 bits = a->phys_bits && a->phys_bits < 52 ? a->phys_bits : 52;
	u64 addr = (BIT(bits) - 1) & PAGE_MASK;
	u64 allowed = addr | VLAPIC_BASE_BSP | VLAPIC_BASE_EXTD | VLAPIC_BASE_EN;

	if (value & ~allowed)
		return false;
	if ((value & VLAPIC_BASE_EXTD) && !x2apic_offered)
		return false;
	if (!mode_transition_ok(base_mode(a->base), base_mode(value)))
		return false;
	bool disabling = vlapic_hw_enabled(a) && !(value & VLAPIC_BASE_EN);
	a->base = (value & ~VLAPIC_BASE_BSP) | (a->base & VLAPIC_BASE_BSP);
	if (disabling)
		reset_registers(a);
	return true;
}

/* --- priorities, acceptance, EOI --- */

static u32 ppr(const struct vlapic *a)
{
	u32 isr_class = class_of(vec_highest(a->isr));

	return (a->tpr & 0xf0) >= isr_class ? a->tpr : isr_class;
}

u8 vlapic_arb_priority(const struct vlapic *a)
{
	u32 tpr_class = a->tpr & 0xf0;
	u32 isr_class = class_of(vec_highest(a->isr));
	u32 irr_class = class_of(vec_highest(a->irr));

	if (tpr_class >= irr_class && tpr_class > isr_class)
		return (u8)a->tpr;
	return (u8)MAX(tpr_class, MAX(isr_class, irr_class));
}

/* An error: latched for the next ESR write, and the error LVT's
 * interrupt when unmasked. */
static void esr_raise(struct vlapic *a, u32 bit)
{
	u32 lvt = a->lvt[VLAPIC_LVT_ERROR];

	a->esr_pending |= bit;
	if (!(lvt & LVT_MASKED) && (lvt & 0xff) >= 16)
		vlapic_accept(a, lvt & 0xff, false);
}

void vlapic_accept(struct vlapic *a, u8 vector, bool level)
{
	if (!vlapic_sw_enabled(a))
		return;
	if (vector < 16) {
		esr_raise(a, ESR_RECV_ILLEGAL);
		return;
	}
	vec_set(a->irr, vector);
	if (level)
		vec_set(a->tmr, vector);
	else
		vec_clear(a->tmr, vector);
}

int vlapic_pending(const struct vlapic *a)
{
	int v = vec_highest(a->irr);

	if (!vlapic_sw_enabled(a) || v < 0 || class_of(v) <= (ppr(a) & 0xf0))
		return -1;
	return v;
}

void vlapic_ack(struct vlapic *a, u8 vector)
{
	vec_clear(a->irr, vector);
	vec_set(a->isr, vector);
}

static void eoi(struct vlapic *a)
{
	int v = vec_highest(a->isr);

	if (v < 0)
		return;
	vec_clear(a->isr, (u8)v);
	if (vec_test(a->tmr, (u8)v))
		a->eoi_level = v;
}

int vlapic_take_level_eoi(struct vlapic *a)
{
	int v = a->eoi_level;

	a->eoi_level = -1;
	return v;
}

bool vlapic_lint0_extint(const struct vlapic *a)
{
	u32 lvt = a->lvt[VLAPIC_LVT_LINT0];

	/* a globally disabled APIC passes LINT0 straight to INTR */
	if (!vlapic_hw_enabled(a))
		return true;
	return !(lvt & LVT_MASKED) && ((lvt >> 8) & 7) == VLAPIC_DM_EXTINT;
}

/* --- IPIs and destinations --- */

static void send_ipi(struct vlapic *a, u32 lo, u32 dest)
{
	struct vlapic_ipi ipi = {
		.vector = (u8)lo,
		.mode = (lo >> 8) & 7,
		.logical = lo & BIT(11),
		.assert = lo & BIT(14),
		.level = lo & BIT(15),
		.shorthand = (lo >> 18) & 3,
		.dest = dest,
	};

	if ((ipi.mode == VLAPIC_DM_FIXED || ipi.mode == VLAPIC_DM_LOWEST) &&
	    ipi.vector < 16) {
		esr_raise(a, ESR_SEND_ILLEGAL);
		return;
	}
	a->ipi = ipi;
	a->ipi_queued = true;
}

static void write_icr(struct vlapic *a, u64 value)
{
	a->icr_lo = (u32)value & ICR_WRITABLE;
	if (vlapic_x2apic(a)) {
		a->icr_hi = (u32)(value >> 32);
		send_ipi(a, a->icr_lo, a->icr_hi);
	} else {
		send_ipi(a, a->icr_lo, a->icr_hi >> 24);
	}
}

bool vlapic_take_ipi(struct vlapic *a, struct vlapic_ipi *ipi)
{
	if (!a->ipi_queued)
		return false;
	*ipi = a->ipi;
	a->ipi_queued = false;
	return true;
}

static u32 x2apic_ldr(u32 id)
{
	return (id >> 4) << 16 | 1u << (id & 15);
}

static bool match_x2apic(const struct vlapic *a, u32 dest, bool logical)
{
	u32 ldr = x2apic_ldr(a->id);

	if (dest == 0xffffffffu)
		return true;
	if (!logical)
		return dest == a->id;
	return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
}

/* xAPIC: 8-bit destinations; logical ones per DFR: flat (a bit mask of
 * LDR[31:24]) or cluster (cluster id in bits 7:4, 15 meaning all,
 * members in bits 3:0). */
static bool match_xapic(const struct vlapic *a, u8 dest, bool logical)
{
	u8 ldr = (u8)(a->ldr >> 24);

	if (dest == 0xff)
		return true;
	if (!logical)
		return dest == (u8)a->id;
	if ((a->dfr & DFR_MODEL_MASK) == DFR_MODEL_MASK)
		return dest & ldr;
	if ((dest >> 4) != 0xf && (dest >> 4) != (ldr >> 4))
		return false;
	return dest & ldr & 0xf;
}

bool vlapic_match_dest(const struct vlapic *a, u32 dest, bool logical)
{
	if (!vlapic_hw_enabled(a))
		return false;
	if (vlapic_x2apic(a))
		return match_x2apic(a, dest, logical);
	return match_xapic(a, (u8)dest, logical);
}

/* --- timer --- */

static u32 timer_mode(const struct vlapic *a)
{
	return (a->lvt[VLAPIC_LVT_TIMER] & LVT_TIMER_MODE) >> 17;
}

/* log2 of the divisor: DCR bits 3,1:0 as a 3-bit value n divide by
 * 2^(n+1), n = 7 dividing by 1. */
static u32 div_shift(const struct vlapic *a)
{
	u32 n = (a->timer_dcr & 3) | ((a->timer_dcr >> 1) & 4);

	return (n + 1) & 7;
}

static u64 period_tsc(const struct vlapic *a)
{
	return (u64)a->timer_initial << div_shift(a);
}

static u32 current_count(const struct vlapic *a, u64 now)
{
	if (!a->timer_running)
		return 0;
	if (now < a->timer_next)
		return (u32)((a->timer_next - now) >> div_shift(a));
	if (timer_mode(a) != TIMER_PERIODIC)
		return 0;
	u64 p = period_tsc(a);
	return (u32)((p - (now - a->timer_next) % p) >> div_shift(a));
}

static void timer_disarm(struct vlapic *a)
{
	a->timer_initial = 0;
	a->timer_running = false;
	a->tsc_deadline = 0;
}

static void write_initial_count(struct vlapic *a, u32 value, u64 now)
{
	if (timer_mode(a) == TIMER_TSC_DEADLINE)
		return;
	a->timer_initial = value;
	a->timer_running = value != 0;
	a->timer_next = now + period_tsc(a);
}

/* A new divisor applies to the counts still to go. */
static void write_dcr(struct vlapic *a, u32 value, u64 now)
{
	u32 left = current_count(a, now);

	a->timer_dcr = value & DCR_WRITABLE;
	if (a->timer_running)
		a->timer_next = now + ((u64)left << div_shift(a));
}

u64 vlapic_timer_deadline(const struct vlapic *a)
{
	if (timer_mode(a) == TIMER_TSC_DEADLINE)
		return a->tsc_deadline;
	return a->timer_running ? a->timer_next : 0;
}

void vlapic_timer_expire(struct vlapic *a, u64 now_tsc)
{
	u64 due = vlapic_timer_deadline(a);
	u32 lvt = a->lvt[VLAPIC_LVT_TIMER];

	if (!due || now_tsc < due)
		return;
	if (timer_mode(a) == TIMER_TSC_DEADLINE) {
		a->tsc_deadline = 0;
	} else if (timer_mode(a) == TIMER_PERIODIC) {
		u64 p = period_tsc(a);
		a->timer_next += p * (1 + (now_tsc - due) / p);
	} else {
		a->timer_running = false;
	}
	if (!(lvt & LVT_MASKED))
		vlapic_accept(a, (u8)lvt, false);
}

/* --- registers --- */

static void write_svr(struct vlapic *a, u32 value)
{
	a->svr = value & SVR_WRITABLE;
	if (!(a->svr & SVR_ENABLE))
		for (u32 i = 0; i < VLAPIC_LVT_COUNT; i++)
			a->lvt[i] |= LVT_MASKED;
}

/* A software-disabled APIC keeps every LVT masked; changing the timer
 * mode disarms the timer (SDM "APIC Timer"). */
static void write_lvt(struct vlapic *a, u32 n, u32 value)
{
	u32 v = value & lvt_writable[n];

	if (!vlapic_sw_enabled(a))
		v |= LVT_MASKED;
	if (n == VLAPIC_LVT_TIMER && ((v ^ a->lvt[n]) & LVT_TIMER_MODE))
		timer_disarm(a);
	a->lvt[n] = v;
}

static u64 reg_read(struct vlapic *a, u32 r, u64 now)
{
	bool x2 = vlapic_x2apic(a);

	if (r >= REG_ISR && r < REG_TMR)
		return a->isr[r - REG_ISR];
	if (r >= REG_TMR && r < REG_IRR)
		return a->tmr[r - REG_TMR];
	if (r >= REG_IRR && r < REG_IRR + 8)
		return a->irr[r - REG_IRR];
	if (r >= REG_LVT && r < REG_LVT + VLAPIC_LVT_COUNT)
		return a->lvt[r - REG_LVT];
	switch (r) {
	case REG_ID:
		return x2 ? a->id : a->id << 24;
	case REG_VER:
		return VLAPIC_VERSION;
	case REG_TPR:
		return a->tpr;
	case REG_APR:
		return vlapic_arb_priority(a);
	case REG_PPR:
		return ppr(a);
	case REG_LDR:
		return x2 ? x2apic_ldr(a->id) : a->ldr;
	case REG_DFR:
		return a->dfr;
	case REG_SVR:
		return a->svr;
	case REG_ESR:
		return a->esr;
	case REG_ICR:
		if (x2)
			return (u64)a->icr_hi << 32 | a->icr_lo;
		return a->icr_lo | (a->ipi_queued ? ICR_BUSY : 0);
	case REG_ICR_HI:
		return a->icr_hi;
	case REG_TIMER_INITIAL:
		return a->timer_initial;
	case REG_TIMER_CURRENT:
		return current_count(a, now);
	case REG_TIMER_DCR:
		return a->timer_dcr;
	default:
		return 0; /* RRD, write-only EOI */
	}
}

/* Writes to read-only registers do nothing here: the x2APIC path has
 * refused them before. */
static void reg_write(struct vlapic *a, u32 r, u64 value, u64 now)
{
	u32 v = (u32)value;

	if (r >= REG_LVT && r < REG_LVT + VLAPIC_LVT_COUNT) {
		write_lvt(a, r - REG_LVT, v);
		return;
	}
	switch (r) {
	case REG_TPR:
		a->tpr = v & 0xff;
		break;
	case REG_EOI:
		eoi(a);
		break;
	case REG_LDR:
		a->ldr = v & XAPIC_DEST_MASK;
		break;
	case REG_DFR:
		a->dfr = v | ~DFR_MODEL_MASK;
		break;
	case REG_SVR:
		write_svr(a, v);
		break;
	case REG_ESR:
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		break;
	case REG_ICR:
		write_icr(a, value);
		break;
	case REG_ICR_HI:
		a->icr_hi = v & XAPIC_DEST_MASK;
		break;
	case REG_TIMER_INITIAL:
		write_initial_count(a, v, now);
		break;
	case REG_TIMER_DCR:
		write_dcr(a, v, now);
		break;
	case REG_SELF_IPI:
		send_ipi(a, (v & 0xff) | VLAPIC_SH_SELF << 18, 0);
		break;
	default:
		break;
	}
}

/* A 16-byte-aligned offset of a register the xAPIC page has; anything
 * else reads 0 and is not written. */
static bool mmio_register(struct vlapic *a, u32 offset, u32 *r)
{
	*r = (offset & 0xfff) >> 4;
	if (offset & 0xf)
		return false;
	if (!(XAPIC_DECODED & BIT(*r))) {
		esr_raise(a, ESR_ILLEGAL_REG);
		return false;
	}
	return true;
}

u32 vlapic_mmio_read(struct vlapic *a, u32 offset, u64 now_tsc)
{
	u32 r;

	return mmio_register(a, offset, &r) ? (u32)reg_read(a, r, now_tsc) : 0;
}

void vlapic_mmio_write(struct vlapic *a, u32 offset, u32 value, u64 now_tsc)
{
	u32 r;

	if (mmio_register(a, offset, &r))
		reg_write(a, r, value, now_tsc);
}

/* IA32_TSC_DEADLINE: outside TSC-deadline mode it reads 0 and ignores
 * writes. */
static void tsc_deadline_write(struct vlapic *a, u64 value)
{
	if (timer_mode(a) == TIMER_TSC_DEADLINE && vlapic_hw_enabled(a))
		a->tsc_deadline = value;
}

bool vlapic_msr_read(struct vlapic *a, u32 msr, u64 *value, u64 now_tsc)
{
	u32 r = msr - MSR_X2APIC_FIRST;

	if (msr == MSR_TSC_DEADLINE) {
		*value = timer_mode(a) == TIMER_TSC_DEADLINE ? a->tsc_deadline : 0;
		return true;
	}
	if (!vlapic_x2apic(a) || r >= REG_COUNT || !(X2APIC_READABLE & BIT(r)))
		return false;
	*value = reg_read(a, r, now_tsc);
	return true;
}

/* x2APIC writes #GP on a read-only or reserved register, bits 63:32 of
 * anything but the ICR, and a non-zero EOI or ESR write. */
bool vlapic_msr_write(struct vlapic *a, u32 msr, u64 value, u64 now_tsc)
{
	u32 r = msr - MSR_X2APIC_FIRST;

	if (msr == MSR_TSC_DEADLINE) {
		tsc_deadline_write(a, value);
		return true;
	}
	if (!vlapic_x2apic(a) || r >= REG_COUNT || !(X2APIC_WRITABLE & BIT(r)))
		return false;
	if (r != REG_ICR && (value >> 32))
		return false;
	if ((r == REG_EOI || r == REG_ESR) && value)
		return false;
	reg_write(a, r, value, now_tsc);
	return true;
}
