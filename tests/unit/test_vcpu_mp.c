/* INIT and SIPI (hv/vcpu_mp.c) against the SDM: the register state after
 * INIT (vol. 3, table of processor states after power-up, reset or
 * INIT), the real-mode start at the SIPI vector, a SIPI outside
 * wait-for-SIPI ignored, and which vCPUs of a VM start waiting. */
#include "check.h"
#include "../../hv/vcpu_mp.c"

#define SIGNATURE 0x000806f1u /* leaf 1 EAX the fake CPUID answers */

static struct vm vm;
static struct guest_sregs sregs[VM_MAX_VCPUS];
static int apic_inits, set_sregs_result, events_cancelled;

/* hv/event.c's: the backend takes the queued event back */
void vcpu_cancel_queued_event(struct vcpu *v)
{
	events_cancelled += v->event_queued;
	v->event_queued = false;
}

void guest_cpuid(const struct cpuid_vcpu_state *st, u32 leaf, u32 subleaf,
		 struct cpuid_result *r)
{
	(void)st;
	(void)subleaf;
	*r = (struct cpuid_result){ .eax = leaf == 1 ? SIGNATURE : 0 };
}

void vlapic_init_signal(struct vlapic *a)
{
	(void)a;
	apic_inits++;
}

static void fake_get_sregs(struct vcpu *v, struct guest_sregs *s)
{
	*s = sregs[v->id];
}

static int fake_set_sregs(struct vcpu *v, const struct guest_sregs *s)
{
	if (!set_sregs_result)
		sregs[v->id] = *s;
	return set_sregs_result;
}

static const struct virt_ops fake_ops = {
	.get_sregs = fake_get_sregs,
	.set_sregs = fake_set_sregs,
};
const struct virt_ops *virt = &fake_ops;

/* A VM with n vCPUs, as created: in long mode, never run. */
static void make_vm(u32 n, bool lapic)
{
	memset(&vm, 0, sizeof(vm));
	memset(sregs, 0, sizeof(sregs));
	vm.lapic = lapic;
	vm.vcpu_count = n;
	for (u32 i = 0; i < n; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		vm.vcpus[i].regs.rip = 0x100000;
		vm.vcpus[i].regs.rax = 0x1234;
		sregs[i].cr0 = 0x80000011;
		sregs[i].efer = 0x500;
		sregs[i].cs.selector = 8;
	}
	apic_inits = 0;
	set_sregs_result = 0;
}

static void check_real_segment(const struct segment *s, u16 sel, u64 base, u16 attr)
{
	CHECK_EQ(s->selector, sel);
	CHECK_EQ(s->base, base);
	CHECK_EQ(s->limit, 0xffff);
	CHECK_EQ(s->attr, attr);
}

/* Everything but CS and IP as the table gives it after INIT. */
static void check_init_state(const struct vcpu *v, u64 cr0)
{
	const struct guest_sregs *s = &sregs[v->id];

	check_real_segment(&s->ds, 0, 0, 0x93);
	check_real_segment(&s->ss, 0, 0, 0x93);
	check_real_segment(&s->gs, 0, 0, 0x93);
	check_real_segment(&s->ldtr, 0, 0, 0x82);
	check_real_segment(&s->tr, 0, 0, 0x8b);
	CHECK_EQ(s->gdt_base, 0);
	CHECK_EQ(s->gdt_limit, 0xffff);
	CHECK_EQ(s->idt_limit, 0xffff);
	CHECK_EQ(s->cr0, cr0);
	CHECK_EQ(s->cr3, 0);
	CHECK_EQ(s->cr4, 0);
	CHECK_EQ(s->efer, 0);
	CHECK_EQ(v->regs.rflags, 2);
	CHECK_EQ(v->regs.rdx, SIGNATURE);
	CHECK_EQ(v->regs.rax, 0);
	CHECK_EQ(v->regs.rsp, 0);
	CHECK_EQ(v->xcr0, 1);
}

TEST(application_processors_of_a_lapic_vm_wait_for_sipi)
{
	make_vm(3, true);
	CHECK(!vcpu_waits_for_sipi(&vm.vcpus[0]));
	CHECK(vcpu_waits_for_sipi(&vm.vcpus[1]));
	CHECK(vcpu_waits_for_sipi(&vm.vcpus[2]));
	vcpu_start(&vm.vcpus[0]);
	vcpu_start(&vm.vcpus[1]);
	CHECK_EQ(vm.vcpus[0].regs.rip, 0x100000); /* vCPU 0 runs as its VMM set it */
	CHECK_EQ(vm.vcpus[1].regs.rip, 0xfff0);
	check_real_segment(&sregs[1].cs, 0xf000, 0xffff0000, 0x9b);
	check_init_state(&vm.vcpus[1], 0x10);
}

TEST(without_the_lapic_every_vcpu_runs)
{
	make_vm(2, false);
	CHECK(!vcpu_waits_for_sipi(&vm.vcpus[0]));
	CHECK(!vcpu_waits_for_sipi(&vm.vcpus[1]));
	vcpu_sipi(&vm.vcpus[1], 0x10); /* nothing to start: ignored */
	CHECK_EQ(vm.vcpus[1].regs.rip, 0x100000);
	CHECK_EQ(sregs[1].cs.selector, 8);
}

TEST(init_gives_the_architectural_state_and_resets_the_lapic)
{
	struct vcpu *v;

	make_vm(1, true);
	v = &vm.vcpus[0];
	sregs[0].cr0 = 0xe0000011; /* PG CD NW PE: INIT keeps CD and NW */
	v->pending = VMM_PENDING_IN;
	v->reinject = true;
	v->event_queued = true;
	vcpu_init_signal(v);
	CHECK(vcpu_waits_for_sipi(v));
	CHECK_EQ(apic_inits, 1);
	vcpu_start(v);
	CHECK_EQ(v->regs.rip, 0xfff0);
	check_real_segment(&sregs[0].cs, 0xf000, 0xffff0000, 0x9b);
	check_init_state(v, 0x60000010);
	CHECK_EQ(v->pending, VMM_PENDING_NONE);
	CHECK(!v->reinject && !v->event_queued);
	CHECK_EQ(events_cancelled, 1);
}

TEST(sipi_starts_a_waiting_vcpu_at_its_vector)
{
	struct vcpu *v;

	make_vm(2, true);
	v = &vm.vcpus[1];
	vcpu_sipi(v, 0x9a);
	CHECK(!vcpu_waits_for_sipi(v));
	vcpu_start(v);
	CHECK_EQ(v->regs.rip, 0);
	check_real_segment(&sregs[1].cs, 0x9a00, 0x9a000, 0x9b);
	check_init_state(v, 0x10);
}

TEST(a_second_sipi_is_ignored)
{
	struct vcpu *v;

	make_vm(2, true);
	v = &vm.vcpus[1];
	vcpu_init_signal(v);
	vcpu_sipi(v, 0x20);
	vcpu_start(v);
	v->regs.rip = 0x42; /* it ran a little */
	vcpu_sipi(v, 0x30);
	vcpu_start(v);
	CHECK_EQ(v->regs.rip, 0x42);
	CHECK_EQ(sregs[1].cs.selector, 0x2000);
	vcpu_sipi(&vm.vcpus[0], 0x30); /* vCPU 0 never waited */
	CHECK_EQ(vm.vcpus[0].regs.rip, 0x100000);
}

TEST(init_then_sipi_restarts_vcpu_0)
{
	make_vm(2, true);
	vcpu_init_signal(&vm.vcpus[0]);
	CHECK(vcpu_waits_for_sipi(&vm.vcpus[0]));
	vcpu_sipi(&vm.vcpus[0], 0x08);
	CHECK(!vcpu_waits_for_sipi(&vm.vcpus[0]));
	vcpu_start(&vm.vcpus[0]);
	check_real_segment(&sregs[0].cs, 0x0800, 0x8000, 0x9b);
}

TEST(a_cpu_without_real_mode_leaves_it_waiting)
{
	make_vm(2, true);
	CHECK(vcpu_waits_for_sipi(&vm.vcpus[1]));
	set_sregs_result = -95; /* -EOPNOTSUPP: VMX without unrestricted guest */
	vcpu_sipi(&vm.vcpus[1], 0x10);
	vcpu_start(&vm.vcpus[1]);
	CHECK(vcpu_waits_for_sipi(&vm.vcpus[1]));
}

TEST(the_vmm_starts_a_vcpu_by_setting_its_state)
{
	make_vm(3, true);
	vcpu_started_by_vmm(&vm.vcpus[1]); /* before it ever ran */
	CHECK(!vcpu_waits_for_sipi(&vm.vcpus[1]));
	CHECK_EQ(vm.vcpus[1].regs.rip, 0x100000);
	CHECK(vcpu_waits_for_sipi(&vm.vcpus[2]));
	vcpu_start(&vm.vcpus[2]); /* as VCPU_SET_REGS does first */
	vcpu_started_by_vmm(&vm.vcpus[2]); /* after INIT */
	CHECK(!vcpu_waits_for_sipi(&vm.vcpus[2]));
	vcpu_sipi(&vm.vcpus[2], 0x10); /* running now: ignored */
	CHECK_EQ(sregs[2].cs.selector, 0xf000);
}

/* Another CPU's INIT and SIPI touch no register of the vCPU: its own CPU
 * loads them (vcpu_start), the SIPI's alone when both came. */
TEST(signals_load_nothing_until_the_vcpu_starts)
{
	struct vcpu *v;

	make_vm(2, true);
	v = &vm.vcpus[0];
	vcpu_init_signal(v);
	CHECK(vcpu_waits_for_sipi(v));
	CHECK_EQ(apic_inits, 1); /* the LAPIC at once */
	CHECK_EQ(v->regs.rip, 0x100000);
	CHECK_EQ(sregs[0].cs.selector, 8);
	vcpu_sipi(v, 0x30);
	CHECK(!vcpu_waits_for_sipi(v));
	CHECK_EQ(v->start_pending, VCPU_START_SIPI);
	CHECK_EQ(sregs[0].cs.selector, 8);
	vcpu_start(v);
	CHECK_EQ(v->start_pending, VCPU_START_NONE);
	CHECK_EQ(v->regs.rip, 0);
	check_real_segment(&sregs[0].cs, 0x3000, 0x30000, 0x9b);
}

RUN_TESTS("vcpu_mp", T(application_processors_of_a_lapic_vm_wait_for_sipi),
	  T(without_the_lapic_every_vcpu_runs),
	  T(init_gives_the_architectural_state_and_resets_the_lapic),
	  T(sipi_starts_a_waiting_vcpu_at_its_vector),
	  T(a_second_sipi_is_ignored),
	  T(init_then_sipi_restarts_vcpu_0),
	  T(a_cpu_without_real_mode_leaves_it_waiting),
	  T(the_vmm_starts_a_vcpu_by_setting_its_state),
	  T(signals_load_nothing_until_the_vcpu_starts))
