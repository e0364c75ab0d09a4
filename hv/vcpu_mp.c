/* INIT and SIPI for a VM's vCPUs: see hv/vcpu_mp.h. */
#include "hv/vcpu_mp.h"
#include "arch/x86/cpu.h"
#include "hv/event.h"
#include "hv/vlapic.h"
#include "lib/string.h"

#define CR0_CD BIT(30)
#define CR0_NW BIT(29)
#define ATTR_CODE 0x9b  /* present, code, read, accessed */
#define ATTR_DATA 0x93  /* present, data, read/write, accessed */
#define ATTR_LDT 0x82   /* present, LDT */
#define ATTR_TSS 0x8b   /* present, busy TSS */

static struct segment real_segment(u16 selector, u64 base, u16 attr)
{
	return (struct segment){ .base = base, .limit = 0xffff, .selector = selector,
				 .attr = attr };
}

/* EDX after INIT: the processor's signature, CPUID leaf 1 EAX as the VM
 * sees it. */
static u64 init_edx(struct vcpu *v)
{
	struct cpuid_vcpu_state st = { .vcpu_id = v->id, .xcr0 = 1, .apic_enabled = true,
				       .table = &v->vm->cpuid };
	struct cpuid_result r;

	guest_cpuid(&st, 1, 0, &r);
	return r.eax;
}

/* The INIT state with CS at cs_selector:cs_base and IP ip. CR0 keeps CD
 * and NW (the SDM: unchanged by INIT) and sets ET; the rest is as after
 * power-up. */
static bool load_start_state(struct vcpu *v, u16 cs_selector, u64 cs_base, u64 ip)
{
	struct guest_sregs s;
	u64 cr0;

	virt->get_sregs(v, &s);
	cr0 = (s.cr0 & (CR0_CD | CR0_NW)) | CR0_ET;
	memset(&s, 0, sizeof(s));
	s.cs = real_segment(cs_selector, cs_base, ATTR_CODE);
	s.ds = s.es = s.fs = s.gs = s.ss = real_segment(0, 0, ATTR_DATA);
	s.ldtr = real_segment(0, 0, ATTR_LDT);
	s.tr = real_segment(0, 0, ATTR_TSS);
	s.gdt_limit = s.idt_limit = 0xffff;
	s.cr0 = cr0;
	if (virt->set_sregs(v, &s)) /* real mode: VMX needs unrestricted guest */
		return false;
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = ip;
	v->regs.rflags = RFLAGS_FIXED;
	v->regs.rdx = init_edx(v);
	v->xcr0 = 1;
	v->pending = VMM_PENDING_NONE;
	vcpu_cancel_queued_event(v);
	v->reinject = false;
	v->halted = false; /* INIT and SIPI end a HLT */
	return true;
}

void vcpu_init_signal(struct vcpu *v)
{
	if (v->vm->lapic)
		vlapic_init_signal(&v->apic);
	v->start_pending = VCPU_START_INIT;
	v->mp_state = VCPU_MP_WAIT_SIPI;
}

/* A SIPI's state replaces an INIT's that is still pending: INIT kept
 * only CR0's CD and NW, which the SIPI's keeps as well. */
bool vcpu_start_load(struct vcpu *v)
{
	u8 vector = v->start_vector;

	if (v->start_pending == VCPU_START_INIT)
		load_start_state(v, 0xf000, 0xffff0000, 0xfff0);
	else if (!load_start_state(v, (u16)(vector << 8), (u64)vector << 12, 0))
		v->mp_state = VCPU_MP_WAIT_SIPI; /* it cannot run: it waits on */
	v->start_pending = VCPU_START_NONE;
	return v->mp_state == VCPU_MP_RUNNABLE;
}

void vcpu_started_by_vmm(struct vcpu *v)
{
	v->mp_state = VCPU_MP_RUNNABLE;
}

bool vcpu_waits_for_sipi(struct vcpu *v)
{
	if (v->mp_state == VCPU_MP_NEW) {
		if (v->vm->lapic && v->id)
			vcpu_init_signal(v);
		else
			v->mp_state = VCPU_MP_RUNNABLE;
	}
	return v->mp_state == VCPU_MP_WAIT_SIPI;
}

void vcpu_sipi(struct vcpu *v, u8 vector)
{
	if (!vcpu_waits_for_sipi(v))
		return;
	v->start_pending = VCPU_START_SIPI;
	v->start_vector = vector;
	v->mp_state = VCPU_MP_RUNNABLE;
}
