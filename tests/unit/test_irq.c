/* Interrupt routing and injection (hv/irq.c) over the real virtual LAPIC
 * (hv/vlapic.c) and a backend stub: destinations in physical and logical
 * mode, lowest-priority arbitration, the shorthands, NMI/INIT/SIPI and
 * ExtINT through LINT0 (SDM vol. 3, "Advanced Programmable Interrupt
 * Controller"); and before an entry, what goes in when the vCPU can take
 * it, the window exit when it cannot. */
#include "check.h"
#include "../../hv/vlapic.c"
#include "../../hv/irq.c"
#include "../../hv/vcpu_mp.h"

/* INIT and SIPI as they reach their target, recorded per vCPU id; what
 * they do there is hv/vcpu_mp.c's (the multi-vCPU start, test_vcpu_mp). */
static bool init_seen[VM_MAX_VCPUS], sipi_seen[VM_MAX_VCPUS];
static u8 sipi_seen_vector[VM_MAX_VCPUS];

#include "trace_stub.h"

void vcpu_init_signal(struct vcpu *v)
{
	init_seen[v->id] = true;
}

void vcpu_sipi(struct vcpu *v, u8 vector)
{
	sipi_seen[v->id] = true;
	sipi_seen_vector[v->id] = vector;
}

/* The start state INIT or SIPI left pending is loaded: an INIT's leaves
 * the vCPU waiting for a SIPI. */
static int starts_loaded;

bool vcpu_start_load(struct vcpu *v)
{
	starts_loaded++;
	if (v->start_pending == VCPU_START_INIT)
		v->mp_state = VCPU_MP_WAIT_SIPI;
	v->start_pending = VCPU_START_NONE;
	return v->mp_state == VCPU_MP_RUNNABLE;
}

/* One CPU: nothing is ever kicked. */
u32 arch_cpu_id(void)
{
	return 0;
}

void arch_kick_cpu(u32 cpu)
{
	(void)cpu;
}

#define TPR 0x80
#define LDR 0xd0
#define SVR 0xf0
#define ICR_LO 0x300
#define ICR_HI 0x310
#define LVT_LINT0 0x350
#define NCPUS 4

static struct vm vm;
static bool allowed;    /* what the stub backend answers */
static int injected;    /* the last vector injected, -1 none */
static u8 injected_type;

static bool stub_allowed(struct vcpu *v)
{
	(void)v;
	return allowed;
}

static void stub_inject(struct vcpu *v, const struct event *e)
{
	(void)v;
	injected = e->vector;
	injected_type = e->type;
}

static void stub_window(struct vcpu *v, bool on)
{
	(void)v;
	(void)on;
}

static const struct virt_ops stub_ops = {
	.interrupt_allowed = stub_allowed, .nmi_allowed = stub_allowed,
	.inject_event = stub_inject, .set_irq_window = stub_window,
	.set_nmi_window = stub_window,
};
const struct virt_ops *virt = &stub_ops;

/* NCPUS vCPUs with software-enabled LAPICs, ids 0..3, logical ids 1, 2,
 * 4, 8 in the flat model. */
static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	memset(init_seen, 0, sizeof(init_seen));
	memset(sipi_seen, 0, sizeof(sipi_seen));
	vm.lapic = true;
	vm.vcpu_count = NCPUS;
	for (u32 i = 0; i < NCPUS; i++) {
		struct vcpu *v = &vm.vcpus[i];

		v->vm = &vm;
		v->id = i;
		vlapic_reset(&v->apic, i, i == 0);
		vlapic_mmio_write(&v->apic, SVR, 0x1ff, 0);
		vlapic_mmio_write(&v->apic, LDR, (1u << i) << 24, 0);
	}
	allowed = true;
	injected = -1;
}

static struct irq_msg msg(u8 mode, u32 dest, bool logical, u8 vector)
{
	return (struct irq_msg){ .dest = dest, .logical = logical, .vector = vector,
				 .mode = mode, .assert = true };
}

/* Bit i: vCPU i's LAPIC would deliver vector. */
static u32 have(u8 vector)
{
	u32 mask = 0;

	for (u32 i = 0; i < NCPUS; i++)
		if (vlapic_pending(&vm.vcpus[i].apic) == vector)
			mask |= 1u << i;
	return mask;
}

TEST(fixed_physical)
{
	setup();
	irq_deliver(&vm, &(struct irq_msg){ .dest = 2, .vector = 0x40, .assert = true });
	CHECK_EQ(have(0x40), 1u << 2);
	irq_deliver(&vm, &(struct irq_msg){ .dest = 0xff, .vector = 0x41, .assert = true });
	CHECK_EQ(have(0x41), 0xfu); /* physical broadcast */
	irq_deliver(&vm, &(struct irq_msg){ .dest = 7, .vector = 0x42, .assert = true });
	CHECK_EQ(have(0x42), 0u);
}

TEST(fixed_logical)
{
	struct irq_msg m = msg(VLAPIC_DM_FIXED, 0x5, true, 0x40);

	setup();
	irq_deliver(&vm, &m);
	CHECK_EQ(have(0x40), 0x5u);
}

/* Arbitration priority follows TPR; the lowest wins, ties the lowest id;
 * only destinations take part. */
TEST(lowest_priority)
{
	struct irq_msg m = msg(VLAPIC_DM_LOWEST, 0xe, true, 0x40);

	setup();
	vlapic_mmio_write(&vm.vcpus[0].apic, TPR, 0x00, 0);
	vlapic_mmio_write(&vm.vcpus[1].apic, TPR, 0x30, 0);
	vlapic_mmio_write(&vm.vcpus[2].apic, TPR, 0x10, 0);
	vlapic_mmio_write(&vm.vcpus[3].apic, TPR, 0x10, 0);
	irq_deliver(&vm, &m);
	CHECK_EQ(have(0x40), 1u << 2);
	vlapic_mmio_write(&vm.vcpus[1].apic, TPR, 0x10, 0);
	m.vector = 0x41;
	irq_deliver(&vm, &m);
	CHECK_EQ(have(0x41), 1u << 1);
}

TEST(shorthands)
{
	struct irq_msg m = msg(VLAPIC_DM_FIXED, 0, false, 0x40);

	setup();
	m.source = &vm.vcpus[1];
	m.shorthand = VLAPIC_SH_SELF;
	irq_deliver(&vm, &m);
	CHECK_EQ(have(0x40), 1u << 1);
	m.shorthand = VLAPIC_SH_OTHERS;
	m.vector = 0x50;
	irq_deliver(&vm, &m);
	CHECK_EQ(have(0x50), 0xdu);
	m.shorthand = VLAPIC_SH_ALL;
	m.vector = 0x60;
	irq_deliver(&vm, &m);
	CHECK_EQ(have(0x60), 0xfu);
}

/* NMI, INIT (not its level de-assert) and SIPI reach exactly their
 * destinations. */
TEST(nmi_init_sipi)
{
	struct irq_msg m = msg(VLAPIC_DM_NMI, 3, false, 0);

	setup();
	irq_deliver(&vm, &m);
	CHECK(vm.vcpus[3].irq.nmi_pending && !vm.vcpus[2].irq.nmi_pending);
	m = msg(VLAPIC_DM_INIT, 1, false, 0);
	m.level = true;
	m.assert = false;
	irq_deliver(&vm, &m);
	CHECK(!init_seen[1]);
	m.assert = true;
	irq_deliver(&vm, &m);
	CHECK(init_seen[1] && !init_seen[0]);
	m = msg(VLAPIC_DM_SIPI, 1, false, 0x9a);
	irq_deliver(&vm, &m);
	CHECK(sipi_seen[1]);
	CHECK_EQ(sipi_seen_vector[1], 0x9a);
}

/* ExtINT goes to the vCPU whose LINT0 is unmasked in ExtINT mode, the
 * destination field aside; nobody listens after reset (LINT0 masked). */
TEST(extint_lint0)
{
	struct irq_msg m = msg(VLAPIC_DM_EXTINT, 0, false, 0x30);

	setup();
	irq_deliver(&vm, &m);
	for (u32 i = 0; i < NCPUS; i++)
		CHECK(!vm.vcpus[i].irq.ext_pending);
	vlapic_mmio_write(&vm.vcpus[2].apic, LVT_LINT0, 0x700, 0);
	CHECK(irq_extint_target(&vm) == &vm.vcpus[2]);
	irq_deliver(&vm, &m);
	CHECK(vm.vcpus[2].irq.ext_pending);
	CHECK_EQ(vm.vcpus[2].irq.ext_vector, 0x30);
	irq_before_entry(&vm.vcpus[2], false);
	CHECK_EQ(injected, 0x30);
	CHECK(!vm.vcpus[2].irq.ext_pending);
}

/* Held while the vCPU cannot take it (window armed), held while another
 * event goes in, then injected and moved IRR -> ISR: the same class
 * waits for EOI. */
TEST(inject_when_allowed)
{
	struct vcpu *v;

	setup();
	v = &vm.vcpus[0];
	vlapic_accept(&v->apic, 0x45, false);
	vlapic_accept(&v->apic, 0x41, false);
	allowed = false;
	irq_before_entry(v, false);
	CHECK_EQ(injected, -1);
	CHECK(v->irq.window_on);
	allowed = true;
	irq_before_entry(v, true);
	CHECK_EQ(injected, -1);
	irq_before_entry(v, false);
	CHECK_EQ(injected, 0x45);
	CHECK_EQ(injected_type, EVENT_EXTERNAL);
	CHECK_EQ(vlapic_pending(&v->apic), -1); /* 0x41: same class as 0x45 in service */
	CHECK(!v->irq.window_on);
}

TEST(nmi_first)
{
	struct vcpu *v;

	setup();
	v = &vm.vcpus[0];
	vlapic_accept(&v->apic, 0x45, false);
	irq_set_nmi(v);
	irq_before_entry(v, false);
	CHECK_EQ(injected_type, EVENT_NMI);
	CHECK(!v->irq.nmi_pending);
	irq_before_entry(v, false);
	CHECK_EQ(injected, 0x45);
}

/* With injections traced, each injection is one record: its vector, and
 * arg 1 for an NMI; nothing while tracing is off. */
TEST(inject_traced)
{
	struct vcpu *v;

	setup();
	v = &vm.vcpus[0];
	traced = 0;
	tracebuf_events = 1u << HV_TRACE_EV_INJECT;
	vlapic_accept(&v->apic, 0x45, false);
	irq_set_nmi(v);
	irq_before_entry(v, false);
	CHECK_EQ(traced, 1);
	CHECK_EQ(traced_code, 2);
	CHECK_EQ(traced_arg, 1);
	irq_before_entry(v, false);
	CHECK_EQ(traced, 2);
	CHECK_EQ(traced_code, 0x45);
	CHECK_EQ(traced_arg, 0);
	tracebuf_events = 0;
	vlapic_accept(&v->apic, 0x81, false);
	irq_before_entry(v, false);
	CHECK_EQ(injected, 0x81);
	CHECK_EQ(traced, 2);
}

/* An ICR write queues an IPI; the exit hook routes it to its target. */
TEST(ipi_after_exit)
{
	setup();
	vlapic_mmio_write(&vm.vcpus[0].apic, ICR_HI, 3u << 24, 0);
	vlapic_mmio_write(&vm.vcpus[0].apic, ICR_LO, 0x4051, 0); /* fixed, level assert */
	CHECK(irq_after_exit(&vm.vcpus[0], true));
	CHECK_EQ(have(0x51), 1u << 3);
	CHECK(irq_after_exit(&vm.vcpus[0], true)); /* taken once */
	CHECK_EQ(have(0x51), 1u << 3);
}

/* setup(), then vCPU i reporting its exits to the VMM through *out. */
static struct vcpu *setup_vmm_vcpu(u32 i, struct hv_exit *out)
{
	setup();
	vm.vcpus[i].vmm_exit = out;
	return &vm.vcpus[i];
}

/* The VMM's window request ends the run only when the vCPU can take an
 * interrupt. */
TEST(window_exit_for_vmm)
{
	struct hv_exit out = { 0 };
	struct vcpu *v = setup_vmm_vcpu(0, &out);

	v->irq.window_exit = true;
	allowed = false;
	CHECK(irq_window_exit(v));
	allowed = true;
	CHECK(!irq_window_exit(v));
	CHECK_EQ(out.reason, HV_EXIT_IRQ_WINDOW);
	CHECK(!v->irq.window_exit);
	/* at the run's start: not while an interrupt of its own goes in */
	v->irq.window_exit = true;
	vlapic_accept(&v->apic, 0x45, false);
	CHECK(irq_run_start(v));
	irq_before_entry(v, false);
	CHECK_EQ(injected, 0x45);
	out.reason = 0;
	CHECK(!irq_run_start(v));
	CHECK_EQ(out.reason, HV_EXIT_IRQ_WINDOW);
}

/* A level-triggered vector taken and EOIed: HV_EXIT_EOI with it when the
 * VMM enabled the exit, once the instruction is complete (go_on). */
static void take_and_eoi(struct vcpu *v, u8 vector, bool level)
{
	vlapic_accept(&v->apic, vector, level);
	vlapic_ack(&v->apic, vector);
	vlapic_mmio_write(&v->apic, 0xb0, 0, 0); /* EOI */
}

TEST(eoi_exit_for_vmm)
{
	struct hv_exit out = { 0 };
	struct vcpu *v = setup_vmm_vcpu(0, &out);

	vm.exit_reasons = BIT(HV_EXIT_EOI);
	take_and_eoi(v, 0x61, false); /* edge: nothing */
	CHECK(irq_after_exit(v, true));
	take_and_eoi(v, 0x62, true);
	CHECK(!irq_after_exit(v, false)); /* not complete: kept for later */
	CHECK_EQ(out.reason, 0);
	CHECK(!irq_after_exit(v, true));
	CHECK_EQ(out.reason, HV_EXIT_EOI);
	CHECK_EQ(out.u.eoi.vector, 0x62);
	CHECK(irq_after_exit(v, true)); /* once */
}

TEST(eoi_exit_not_enabled)
{
	struct hv_exit out = { 0 };
	struct vcpu *v = setup_vmm_vcpu(0, &out);

	vm.exit_reasons = BIT(HV_EXIT_MSR);
	take_and_eoi(v, 0x62, true);
	CHECK(irq_after_exit(v, true));
	CHECK_EQ(out.reason, 0);
	vm.exit_reasons = BIT(HV_EXIT_EOI); /* the old EOI was dropped */
	CHECK(irq_after_exit(v, true));
	CHECK_EQ(out.reason, 0);
}

/* An INIT or SIPI another CPU sent while the vCPU ran (a kick brought
 * it out): loaded after the exit, once the exit's instruction is
 * complete; after INIT the run ends waiting for a SIPI, after a SIPI it
 * goes on from the new state. */
TEST(start_signal_after_exit)
{
	struct hv_exit out = { 0 };
	struct vcpu *v = setup_vmm_vcpu(1, &out);

	starts_loaded = 0;
	v->start_pending = VCPU_START_INIT;
	CHECK(!irq_after_exit(v, false));
	CHECK_EQ(starts_loaded, 0);
	CHECK(!irq_after_exit(v, true));
	CHECK_EQ(starts_loaded, 1);
	CHECK_EQ(out.reason, HV_EXIT_WAIT_SIPI);
	out.reason = 0;
	v->start_pending = VCPU_START_SIPI;
	v->mp_state = VCPU_MP_RUNNABLE;
	CHECK(irq_after_exit(v, true));
	CHECK_EQ(starts_loaded, 2);
	CHECK_EQ(out.reason, 0);
	CHECK(irq_after_exit(v, true)); /* once */
	CHECK_EQ(starts_loaded, 2);
}

RUN_TESTS("irq", T(fixed_physical), T(fixed_logical), T(lowest_priority), T(shorthands),
	  T(nmi_init_sipi), T(extint_lint0), T(inject_when_allowed), T(nmi_first),
	  T(inject_traced), T(start_signal_after_exit),
	  T(ipi_after_exit), T(window_exit_for_vmm), T(eoi_exit_for_vmm),
	  T(eoi_exit_not_enabled))
