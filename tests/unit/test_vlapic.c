/* The virtual local APIC (hv/vlapic.c) against the rules of Intel SDM
 * vol. 3, chapter "Advanced Programmable Interrupt Controller": reset
 * state, priority classes and PPR, EOI order, ESR latching, ICR encoding,
 * logical and physical destinations, x2APIC MSR #GP cases, IA32_APIC_BASE
 * transitions, and the timer in TSC terms. */
#include "check.h"
#include "../../hv/vlapic.c"

/* xAPIC page offsets */
#define ID 0x20
#define VER 0x30
#define TPR 0x80
#define APR 0x90
#define PPR 0xa0
#define EOI 0xb0
#define LDR 0xd0
#define DFR 0xe0
#define SVR 0xf0
#define ISR0 0x100
#define TMR0 0x180
#define IRR0 0x200
#define ESR 0x280
#define ICR_LO 0x300
#define ICR_HI 0x310
#define LVT_TIMER 0x320
#define LVT_LINT0 0x350
#define LVT_ERROR 0x370
#define TIMER_INIT 0x380
#define TIMER_CUR 0x390
#define TIMER_DCR 0x3e0

#define X2(off) (0x800 + ((off) >> 4))

#define BASE_XAPIC (VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EN)
#define BASE_X2APIC (BASE_XAPIC | VLAPIC_BASE_EXTD)

static u32 rd(struct vlapic *a, u32 off)
{
	return vlapic_mmio_read(a, off, 0);
}

static void wr(struct vlapic *a, u32 off, u32 v)
{
	vlapic_mmio_write(a, off, v, 0);
}

/* An APIC after reset, software-enabled with spurious vector 0xff. */
static struct vlapic enabled(u32 id)
{
	struct vlapic a;

	vlapic_reset(&a, id, id == 0);
	wr(&a, SVR, 0x1ff);
	return a;
}

static struct vlapic x2apic(u32 id)
{
	struct vlapic a = enabled(id);

	CHECK(vlapic_set_base(&a, BASE_X2APIC, true));
	return a;
}

/* Takes the highest pending vector the way a vCPU would. */
static int take(struct vlapic *a)
{
	int v = vlapic_pending(a);

	if (v >= 0)
		vlapic_ack(a, (u8)v);
	return v;
}

TEST(reset_state)
{
	struct vlapic a;

	vlapic_reset(&a, 3, false);
	CHECK_EQ(vlapic_base(&a), BASE_XAPIC);
	CHECK(vlapic_hw_enabled(&a) && !vlapic_sw_enabled(&a) && !vlapic_x2apic(&a));
	CHECK_EQ(rd(&a, ID), 3u << 24);
	CHECK_EQ(rd(&a, VER), 0x50014);
	CHECK_EQ(rd(&a, SVR), 0xff);
	CHECK_EQ(rd(&a, DFR), 0xffffffff);
	CHECK_EQ(rd(&a, LDR), 0);
	CHECK_EQ(rd(&a, TPR), 0);
	for (u32 off = LVT_TIMER; off <= LVT_ERROR; off += 0x10)
		CHECK_EQ(rd(&a, off), LVT_MASKED);
	CHECK_EQ(vlapic_mmio_page(&a), 0xfee00000);
	CHECK_EQ(vlapic_timer_deadline(&a), 0);

	vlapic_reset(&a, 0, true);
	CHECK_EQ(vlapic_base(&a), BASE_XAPIC | VLAPIC_BASE_BSP);
}

TEST(init_keeps_base_and_id)
{
	struct vlapic a = enabled(2);

	CHECK(vlapic_set_base(&a, 0xfed00000 | VLAPIC_BASE_EN, false));
	wr(&a, TPR, 0x40);
	vlapic_accept(&a, 0x50, false);
	vlapic_init_signal(&a);
	CHECK_EQ(vlapic_base(&a), 0xfed00000 | VLAPIC_BASE_EN);
	CHECK_EQ(rd(&a, ID), 2u << 24);
	CHECK_EQ(rd(&a, TPR), 0);
	CHECK_EQ(rd(&a, SVR), 0xff);
	CHECK_EQ(rd(&a, IRR0 + 0x20), 0);
}

TEST(software_disabled_drops_and_masks)
{
	struct vlapic a;

	vlapic_reset(&a, 0, true);
	vlapic_accept(&a, 0x40, false);
	CHECK_EQ(vlapic_pending(&a), -1);
	wr(&a, LVT_TIMER, 0x30);
	CHECK_EQ(rd(&a, LVT_TIMER), LVT_MASKED | 0x30); /* mask stays set */

	a = enabled(0);
	wr(&a, LVT_LINT0, 0x700);
	CHECK(vlapic_lint0_extint(&a));
	vlapic_accept(&a, 0x40, false);
	wr(&a, SVR, 0xff); /* disable: every LVT masked, nothing delivered */
	CHECK_EQ(rd(&a, LVT_LINT0), 0x700 | LVT_MASKED);
	CHECK(!vlapic_lint0_extint(&a));
	CHECK_EQ(vlapic_pending(&a), -1);
	wr(&a, SVR, 0x1ff); /* re-enable: the IRR was held, masks stay */
	CHECK_EQ(vlapic_pending(&a), 0x40);
	CHECK_EQ(rd(&a, LVT_LINT0), 0x700 | LVT_MASKED);
}

TEST(priority_classes_and_ppr)
{
	struct vlapic a = enabled(0);

	vlapic_accept(&a, 0x31, false);
	vlapic_accept(&a, 0x3f, false);
	vlapic_accept(&a, 0x52, false);
	CHECK_EQ(rd(&a, IRR0 + 0x10), BIT(0x31 - 32) | BIT(0x3f - 32));
	wr(&a, TPR, 0x52); /* class 5 holds back 0x52 and below */
	CHECK_EQ(rd(&a, PPR), 0x52);
	CHECK_EQ(vlapic_pending(&a), -1);
	wr(&a, TPR, 0x4f);
	CHECK_EQ(take(&a), 0x52);
	/* the ISR class 5 beats TPR 0x4f: PPR is the class only */
	CHECK_EQ(rd(&a, PPR), 0x50);
	CHECK_EQ(rd(&a, ISR0 + 0x20), BIT(0x52 - 64));
	CHECK_EQ(vlapic_pending(&a), -1);
	vlapic_accept(&a, 0x61, false);
	CHECK_EQ(vlapic_pending(&a), 0x61); /* a higher class nests */
	CHECK_EQ(take(&a), 0x61);
	wr(&a, EOI, 0); /* clears the highest ISR bit: 0x61 */
	CHECK_EQ(rd(&a, PPR), 0x50);
	wr(&a, EOI, 0);
	CHECK_EQ(rd(&a, PPR), 0x4f);
	wr(&a, TPR, 0);
	/* same class: highest vector first, the next waits for its EOI */
	CHECK_EQ(take(&a), 0x3f);
	CHECK_EQ(vlapic_pending(&a), -1);
	wr(&a, EOI, 0);
	CHECK_EQ(take(&a), 0x31);
	wr(&a, EOI, 0);
	CHECK_EQ(vlapic_pending(&a), -1);
	CHECK_EQ(rd(&a, PPR), 0);
}

TEST(arbitration_priority)
{
	struct vlapic a = enabled(0);

	wr(&a, TPR, 0x35);
	CHECK_EQ(vlapic_arb_priority(&a), 0x35);
	CHECK_EQ(rd(&a, APR), 0x35);
	vlapic_accept(&a, 0x70, false);
	CHECK_EQ(vlapic_arb_priority(&a), 0x70);
	vlapic_ack(&a, 0x70);
	CHECK_EQ(vlapic_arb_priority(&a), 0x70);
	wr(&a, EOI, 0);
	CHECK_EQ(vlapic_arb_priority(&a), 0x35);
}

TEST(level_eoi_and_tmr)
{
	struct vlapic a = enabled(0);

	vlapic_accept(&a, 0x41, true);
	CHECK_EQ(rd(&a, TMR0 + 0x20), BIT(1));
	take(&a);
	CHECK_EQ(vlapic_take_level_eoi(&a), -1);
	wr(&a, EOI, 0);
	CHECK_EQ(vlapic_take_level_eoi(&a), 0x41);
	CHECK_EQ(vlapic_take_level_eoi(&a), -1);
	vlapic_accept(&a, 0x41, false); /* edge clears the TMR bit */
	CHECK_EQ(rd(&a, TMR0 + 0x20), 0);
	take(&a);
	wr(&a, EOI, 0);
	CHECK_EQ(vlapic_take_level_eoi(&a), -1);
	wr(&a, EOI, 0); /* nothing in service: no effect */
	CHECK_EQ(vlapic_pending(&a), -1);
}

TEST(esr_latches_on_write)
{
	struct vlapic a = enabled(0);

	vlapic_accept(&a, 7, false); /* received illegal vector */
	CHECK_EQ(vlapic_pending(&a), -1);
	CHECK_EQ(rd(&a, ESR), 0); /* not visible until ESR is written */
	wr(&a, ESR, 0);
	CHECK_EQ(rd(&a, ESR), ESR_RECV_ILLEGAL);
	wr(&a, ICR_LO, 0x4003); /* fixed IPI with vector 3: send illegal */
	CHECK(!vlapic_take_ipi(&a, &(struct vlapic_ipi){ 0 }));
	CHECK_EQ(rd(&a, ESR), ESR_RECV_ILLEGAL);
	wr(&a, ESR, 0);
	CHECK_EQ(rd(&a, ESR), ESR_SEND_ILLEGAL);
	rd(&a, 0x40); /* reserved register */
	wr(&a, ESR, 0);
	CHECK_EQ(rd(&a, ESR), ESR_ILLEGAL_REG);
	wr(&a, ESR, 0);
	CHECK_EQ(rd(&a, ESR), 0);
	/* an unmasked error LVT raises its vector */
	wr(&a, LVT_ERROR, 0xfe);
	vlapic_accept(&a, 1, false);
	CHECK_EQ(vlapic_pending(&a), 0xfe);
}

TEST(icr_encode_decode)
{
	struct vlapic a = enabled(0);
	struct vlapic_ipi ipi;

	wr(&a, ICR_HI, 0x05123456);
	CHECK_EQ(rd(&a, ICR_HI), 0x05000000);
	wr(&a, ICR_LO, 0xfffc7931); /* others, assert, logical, lowest prio; reserved bits */
	CHECK_EQ(rd(&a, ICR_LO), 0xc4931 | ICR_BUSY);
	CHECK(vlapic_take_ipi(&a, &ipi));
	CHECK_EQ(rd(&a, ICR_LO), 0xc4931);
	CHECK_EQ(ipi.vector, 0x31);
	CHECK_EQ(ipi.mode, VLAPIC_DM_LOWEST);
	CHECK(ipi.logical && ipi.assert && !ipi.level);
	CHECK_EQ(ipi.shorthand, VLAPIC_SH_OTHERS);
	CHECK_EQ(ipi.dest, 5);
	CHECK(!vlapic_take_ipi(&a, &ipi));
	wr(&a, ICR_LO, 0x0c500); /* INIT, level, assert, physical */
	CHECK(vlapic_take_ipi(&a, &ipi));
	CHECK(ipi.mode == VLAPIC_DM_INIT && ipi.level && ipi.assert && !ipi.logical);
	wr(&a, ICR_LO, 0x00608); /* SIPI vector 8: not an illegal vector */
	CHECK(vlapic_take_ipi(&a, &ipi));
	CHECK(ipi.mode == VLAPIC_DM_SIPI && ipi.vector == 8);
}

TEST(physical_and_broadcast_destinations)
{
	struct vlapic a = enabled(3);

	CHECK(vlapic_match_dest(&a, 3, false));
	CHECK(!vlapic_match_dest(&a, 2, false));
	CHECK(vlapic_match_dest(&a, 0xff, false));
	CHECK(vlapic_match_dest(&a, 0xff, true));
	CHECK(vlapic_set_base(&a, VLAPIC_BASE_DEFAULT, false));
	CHECK(!vlapic_match_dest(&a, 3, false)); /* a disabled APIC takes none */
}

TEST(logical_flat_and_cluster)
{
	struct vlapic a = enabled(1);

	CHECK(!vlapic_match_dest(&a, 0x01, true)); /* LDR 0 */
	wr(&a, LDR, 0x04ffffff);
	CHECK_EQ(rd(&a, LDR), 0x04000000);
	CHECK(vlapic_match_dest(&a, 0x06, true));
	CHECK(!vlapic_match_dest(&a, 0x0b, true));
	wr(&a, DFR, 0x0fffffff - 0x123); /* cluster model; low bits read 1 */
	CHECK_EQ(rd(&a, DFR), 0x0fffffff);
	wr(&a, LDR, 0x32000000); /* cluster 3, member bit 1 */
	CHECK(vlapic_match_dest(&a, 0x32, true));
	CHECK(vlapic_match_dest(&a, 0x3f, true));
	CHECK(!vlapic_match_dest(&a, 0x31, true));
	CHECK(!vlapic_match_dest(&a, 0x22, true));
	CHECK(vlapic_match_dest(&a, 0xf2, true)); /* cluster 15: all */
	CHECK(vlapic_match_dest(&a, 0xff, true));
}

TEST(x2apic_ids_and_logical)
{
	struct vlapic a = x2apic(0x13);
	u64 v;

	CHECK(vlapic_x2apic(&a));
	CHECK_EQ(vlapic_mmio_page(&a), ~0ull); /* the page is not decoded */
	CHECK(vlapic_msr_read(&a, X2(ID), &v, 0) && v == 0x13);
	CHECK(vlapic_msr_read(&a, X2(LDR), &v, 0) && v == (1u << 16 | BIT(3)));
	CHECK(vlapic_match_dest(&a, 0x13, false));
	CHECK(!vlapic_match_dest(&a, 0xff, false));
	CHECK(vlapic_match_dest(&a, 0xffffffff, false));
	CHECK(vlapic_match_dest(&a, 0x1000c, true));
	CHECK(!vlapic_match_dest(&a, 0x20008, true));
	CHECK(!vlapic_match_dest(&a, 0x10004, true));
}

TEST(x2apic_msr_gp_cases)
{
	struct vlapic a = enabled(0);
	u64 v;

	CHECK(!vlapic_msr_read(&a, X2(ID), &v, 0)); /* xAPIC mode */
	CHECK(!vlapic_msr_write(&a, X2(TPR), 0, 0));
	a = x2apic(0);
	CHECK(!vlapic_msr_read(&a, X2(EOI), &v, 0));     /* write-only */
	CHECK(!vlapic_msr_read(&a, 0x83f, &v, 0));       /* SELF_IPI */
	CHECK(!vlapic_msr_read(&a, X2(DFR), &v, 0));     /* reserved */
	CHECK(!vlapic_msr_read(&a, X2(APR), &v, 0));
	CHECK(!vlapic_msr_read(&a, 0x831, &v, 0));       /* no ICR high */
	CHECK(!vlapic_msr_read(&a, 0x82f, &v, 0));       /* no CMCI LVT */
	CHECK(!vlapic_msr_read(&a, 0x840, &v, 0));
	CHECK(!vlapic_msr_read(&a, 0x8ff, &v, 0));
	CHECK(!vlapic_msr_write(&a, X2(ID), 0, 0));      /* read-only */
	CHECK(!vlapic_msr_write(&a, X2(VER), 0, 0));
	CHECK(!vlapic_msr_write(&a, X2(LDR), 0, 0));
	CHECK(!vlapic_msr_write(&a, X2(PPR), 0, 0));
	CHECK(!vlapic_msr_write(&a, X2(ISR0), 0, 0));
	CHECK(!vlapic_msr_write(&a, X2(TIMER_CUR), 0, 0));
	CHECK(!vlapic_msr_write(&a, X2(EOI), 1, 0));     /* non-zero EOI */
	CHECK(!vlapic_msr_write(&a, X2(ESR), 1, 0));
	CHECK(!vlapic_msr_write(&a, X2(TPR), BIT(32), 0));
	CHECK(vlapic_msr_write(&a, X2(TPR), 0x20, 0));
	CHECK(vlapic_msr_read(&a, X2(TPR), &v, 0) && v == 0x20);
	CHECK(vlapic_msr_read(&a, X2(VER), &v, 0) && v == 0x50014);
	CHECK(vlapic_msr_write(&a, X2(EOI), 0, 0));
}

TEST(x2apic_icr_and_self_ipi)
{
	struct vlapic a = x2apic(0);
	struct vlapic_ipi ipi;
	u64 v;

	CHECK(vlapic_msr_write(&a, 0x830, 0x0000000700004841ull, 0));
	CHECK(vlapic_msr_read(&a, 0x830, &v, 0) && v == 0x0000000700004841ull);
	CHECK(vlapic_take_ipi(&a, &ipi));
	CHECK(ipi.vector == 0x41 && ipi.dest == 7 && ipi.logical);
	CHECK(vlapic_msr_write(&a, 0x83f, 0x1ee, 0)); /* vector 0xee */
	CHECK(vlapic_take_ipi(&a, &ipi));
	CHECK(ipi.vector == 0xee && ipi.mode == VLAPIC_DM_FIXED &&
	      ipi.shorthand == VLAPIC_SH_SELF);
	CHECK(vlapic_msr_write(&a, 0x83f, 0x05, 0)); /* illegal: ESR */
	CHECK(!vlapic_take_ipi(&a, &ipi));
	CHECK(vlapic_msr_write(&a, X2(ESR), 0, 0));
	CHECK(vlapic_msr_read(&a, X2(ESR), &v, 0) && v == ESR_SEND_ILLEGAL);
}

TEST(apic_base_transitions)
{
	struct vlapic a = enabled(1);
	const u64 disabled = VLAPIC_BASE_DEFAULT;

	CHECK(!vlapic_set_base(&a, BASE_X2APIC, false)); /* not offered */
	CHECK(!vlapic_set_base(&a, VLAPIC_BASE_DEFAULT | VLAPIC_BASE_EXTD, true));
	CHECK(!vlapic_set_base(&a, BASE_XAPIC | BIT(9), true)); /* reserved */
	CHECK(!vlapic_set_base(&a, BASE_XAPIC | 1, true));
	a.phys_bits = 0xff; /* nonsense from a VMM's CPUID: 52 */
	CHECK(!vlapic_set_base(&a, BASE_XAPIC | BIT(52), true));
	a.phys_bits = 36;
	CHECK(!vlapic_set_base(&a, BASE_XAPIC | BIT(36), true));
	CHECK(vlapic_set_base(&a, 0xfedc0000 | VLAPIC_BASE_EN | VLAPIC_BASE_BSP, true));
	CHECK_EQ(vlapic_base(&a), 0xfedc0000 | VLAPIC_BASE_EN); /* BSP read-only */
	CHECK_EQ(vlapic_mmio_page(&a), 0xfedc0000);
	CHECK(vlapic_set_base(&a, BASE_XAPIC, true));
	wr(&a, TPR, 0x20);
	CHECK(vlapic_set_base(&a, BASE_X2APIC, true));     /* xAPIC -> x2APIC */
	CHECK_EQ(a.tpr, 0x20);                             /* state kept */
	CHECK(!vlapic_set_base(&a, BASE_XAPIC, true));     /* x2APIC -> xAPIC */
	CHECK(vlapic_set_base(&a, BASE_X2APIC, true));     /* x2APIC -> x2APIC */
	CHECK(vlapic_set_base(&a, disabled, true));        /* x2APIC -> disabled */
	CHECK(!vlapic_hw_enabled(&a));
	CHECK_EQ(vlapic_mmio_page(&a), ~0ull);
	CHECK(vlapic_lint0_extint(&a)); /* LINT0 wired to INTR */
	CHECK(!vlapic_set_base(&a, BASE_X2APIC, true));    /* disabled -> x2APIC */
	CHECK(vlapic_set_base(&a, BASE_XAPIC, true));      /* disabled -> xAPIC */
	/* global disable reset the registers */
	CHECK_EQ(rd(&a, TPR), 0);
	CHECK_EQ(rd(&a, SVR), 0xff);
	CHECK_EQ(rd(&a, ID), 1u << 24);
	CHECK(vlapic_set_base(&a, disabled, false));       /* xAPIC -> disabled */
	CHECK(vlapic_set_base(&a, BASE_XAPIC, false));
}

TEST(global_disable_drops_state)
{
	struct vlapic a = enabled(0);

	vlapic_accept(&a, 0x80, false);
	wr(&a, TIMER_INIT, 100);
	CHECK(vlapic_set_base(&a, VLAPIC_BASE_DEFAULT, false));
	CHECK(vlapic_set_base(&a, BASE_XAPIC, false));
	wr(&a, SVR, 0x1ff);
	CHECK_EQ(vlapic_pending(&a), -1);
	CHECK_EQ(vlapic_timer_deadline(&a), 0);
}

TEST(lvt_reserved_bits)
{
	struct vlapic a = enabled(0);

	wr(&a, LVT_TIMER, 0xffffffff);
	CHECK_EQ(rd(&a, LVT_TIMER), 0x700ff);
	wr(&a, LVT_LINT0, 0xffffffff);
	CHECK_EQ(rd(&a, LVT_LINT0), 0x1a7ff);
	wr(&a, LVT_ERROR, 0xffffffff);
	CHECK_EQ(rd(&a, LVT_ERROR), 0x100ff);
	wr(&a, 0x330, 0xffffffff); /* thermal: storage */
	CHECK_EQ(rd(&a, 0x330), 0x107ff);
	wr(&a, 0x340, 0x400);
	CHECK_EQ(rd(&a, 0x340), 0x400);
	wr(&a, SVR, 0xffffffff);
	CHECK_EQ(rd(&a, SVR), 0x3ff);
	wr(&a, TIMER_DCR, 0xff);
	CHECK_EQ(rd(&a, TIMER_DCR), 0xb);
	wr(&a, ID, 0x7000000); /* the ID is read-only here */
	CHECK_EQ(rd(&a, ID), 0);
}

TEST(divide_configuration)
{
	static const u32 dcr_divisor[][2] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
	};

	for (u32 i = 0; i < ARRAY_SIZE(dcr_divisor); i++) {
		struct vlapic a = enabled(0);

		wr(&a, TIMER_DCR, dcr_divisor[i][0]);
		vlapic_mmio_write(&a, TIMER_INIT, 1000, 5000);
		CHECK_EQ(vlapic_timer_deadline(&a), 5000 + 1000 * dcr_divisor[i][1]);
		CHECK_EQ(vlapic_mmio_read(&a, TIMER_CUR, 5000), 1000);
		CHECK_EQ(vlapic_mmio_read(&a, TIMER_CUR, 5000 + 10 * dcr_divisor[i][1]), 990);
	}
}

TEST(timer_one_shot)
{
	struct vlapic a = enabled(0);

	wr(&a, LVT_TIMER, 0x40);
	wr(&a, TIMER_DCR, 0x1); /* divide by 4 */
	vlapic_mmio_write(&a, TIMER_INIT, 250, 1000); /* 1000 TSC ticks */
	CHECK_EQ(vlapic_timer_deadline(&a), 2000);
	CHECK_EQ(vlapic_mmio_read(&a, TIMER_CUR, 1400), 150);
	vlapic_timer_expire(&a, 1999);
	CHECK_EQ(vlapic_pending(&a), -1);
	vlapic_timer_expire(&a, 2500);
	CHECK_EQ(vlapic_pending(&a), 0x40);
	CHECK_EQ(vlapic_timer_deadline(&a), 0);
	CHECK_EQ(vlapic_mmio_read(&a, TIMER_CUR, 2500), 0);
	CHECK_EQ(rd(&a, TIMER_INIT), 250);
	/* a new divisor applies to what is left */
	vlapic_mmio_write(&a, TIMER_INIT, 100, 10000);
	vlapic_mmio_write(&a, TIMER_DCR, 0xb, 10200); /* 50 left, now by 1 */
	CHECK_EQ(vlapic_timer_deadline(&a), 10250);
	/* initial count 0 stops it */
	wr(&a, TIMER_INIT, 0);
	CHECK_EQ(vlapic_timer_deadline(&a), 0);
}

TEST(timer_masked_still_counts)
{
	struct vlapic a = enabled(0);

	wr(&a, LVT_TIMER, LVT_MASKED | 0x40);
	wr(&a, TIMER_DCR, 0xb);
	vlapic_mmio_write(&a, TIMER_INIT, 10, 0);
	CHECK_EQ(vlapic_mmio_read(&a, TIMER_CUR, 4), 6);
	vlapic_timer_expire(&a, 10);
	CHECK_EQ(vlapic_pending(&a), -1);
	CHECK_EQ(vlapic_timer_deadline(&a), 0);
}

TEST(timer_periodic)
{
	struct vlapic a = enabled(0);

	wr(&a, LVT_TIMER, 0x20000 | 0x41);
	wr(&a, TIMER_DCR, 0x0); /* divide by 2 */
	vlapic_mmio_write(&a, TIMER_INIT, 50, 0); /* period 100 ticks */
	CHECK_EQ(vlapic_timer_deadline(&a), 100);
	vlapic_timer_expire(&a, 100);
	CHECK_EQ(take(&a), 0x41);
	CHECK_EQ(vlapic_timer_deadline(&a), 200);
	CHECK_EQ(vlapic_mmio_read(&a, TIMER_CUR, 120), 40);
	/* late by more than a period: one interrupt, next on the grid */
	CHECK_EQ(vlapic_mmio_read(&a, TIMER_CUR, 330), 35);
	vlapic_timer_expire(&a, 330);
	CHECK_EQ(vlapic_timer_deadline(&a), 400);
	CHECK_EQ(vlapic_pending(&a), -1); /* 0x41 still in service */
	CHECK_EQ(rd(&a, IRR0 + 0x20), BIT(1));
	/* switching mode disarms */
	wr(&a, LVT_TIMER, 0x41);
	CHECK_EQ(vlapic_timer_deadline(&a), 0);
	CHECK_EQ(rd(&a, TIMER_INIT), 0);
}

TEST(timer_tsc_deadline)
{
	struct vlapic a = enabled(0);
	u64 v;

	/* outside TSC-deadline mode the MSR reads 0 and ignores writes */
	CHECK(vlapic_msr_write(&a, MSR_TSC_DEADLINE, 5000, 0));
	CHECK(vlapic_msr_read(&a, MSR_TSC_DEADLINE, &v, 0) && v == 0);
	wr(&a, LVT_TIMER, 0x40000 | 0x42);
	vlapic_mmio_write(&a, TIMER_INIT, 100, 0); /* ignored in this mode */
	CHECK_EQ(rd(&a, TIMER_INIT), 0);
	CHECK_EQ(vlapic_mmio_read(&a, TIMER_CUR, 0), 0);
	CHECK(vlapic_msr_write(&a, MSR_TSC_DEADLINE, 5000, 0));
	CHECK(vlapic_msr_read(&a, MSR_TSC_DEADLINE, &v, 0) && v == 5000);
	CHECK_EQ(vlapic_timer_deadline(&a), 5000);
	vlapic_timer_expire(&a, 4999);
	CHECK_EQ(vlapic_pending(&a), -1);
	vlapic_timer_expire(&a, 5000);
	CHECK_EQ(vlapic_pending(&a), 0x42);
	CHECK(vlapic_msr_read(&a, MSR_TSC_DEADLINE, &v, 0) && v == 0);
	CHECK_EQ(vlapic_timer_deadline(&a), 0);
	/* writing 0 disarms */
	CHECK(vlapic_msr_write(&a, MSR_TSC_DEADLINE, 9000, 0));
	CHECK(vlapic_msr_write(&a, MSR_TSC_DEADLINE, 0, 0));
	CHECK_EQ(vlapic_timer_deadline(&a), 0);
	/* leaving the mode disarms */
	CHECK(vlapic_msr_write(&a, MSR_TSC_DEADLINE, 9000, 0));
	wr(&a, LVT_TIMER, 0x42);
	CHECK_EQ(vlapic_timer_deadline(&a), 0);
	wr(&a, LVT_TIMER, 0x40042);
	CHECK(vlapic_msr_read(&a, MSR_TSC_DEADLINE, &v, 0) && v == 0);
}

TEST(mmio_odd_offsets)
{
	struct vlapic a = enabled(0);

	CHECK_EQ(rd(&a, TPR + 4), 0);
	wr(&a, TPR + 4, 0x30);
	CHECK_EQ(rd(&a, TPR), 0);
	wr(&a, ESR, 0);
	CHECK_EQ(rd(&a, ESR), 0); /* inside a register: not an illegal address */
	CHECK_EQ(rd(&a, 0x3f0), 0); /* SELF_IPI is x2APIC only */
	wr(&a, ESR, 0);
	CHECK_EQ(rd(&a, ESR), ESR_ILLEGAL_REG);
}

RUN_TESTS("vlapic", T(reset_state), T(init_keeps_base_and_id),
	  T(software_disabled_drops_and_masks), T(priority_classes_and_ppr),
	  T(arbitration_priority), T(level_eoi_and_tmr), T(esr_latches_on_write),
	  T(icr_encode_decode), T(physical_and_broadcast_destinations),
	  T(logical_flat_and_cluster), T(x2apic_ids_and_logical),
	  T(x2apic_msr_gp_cases), T(x2apic_icr_and_self_ipi),
	  T(apic_base_transitions), T(global_disable_drops_state),
	  T(lvt_reserved_bits), T(divide_configuration), T(timer_one_shot),
	  T(timer_masked_still_counts), T(timer_periodic), T(timer_tsc_deadline),
	  T(mmio_odd_offsets))
