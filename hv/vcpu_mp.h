/* Multiprocessor start of a VM's vCPUs: INIT and the startup IPI (SIPI),
 * as the SDM describes them (vol. 3, "Multiple-Processor Management"
 * and the table of processor states after power-up, reset or INIT).
 *
 * In a VM with the virtual LAPIC, vCPU 0 starts where its VMM set it
 * and every other vCPU starts waiting for a SIPI, as an application
 * processor; a VCPU_RUN of a waiting vCPU returns at once with
 * HV_EXIT_WAIT_SIPI. INIT puts any vCPU of such a VM (the first one
 * too) back into that state; a SIPI starts a waiting vCPU in real mode
 * at the vector's page. A VM without the virtual LAPIC never sees
 * either: its vCPUs run as their VMM set them. */
#ifndef HV_VCPU_MP_H
#define HV_VCPU_MP_H

#include "hv/vm.h"

/* INIT: the vCPU waits for a SIPI, its LAPIC reset now, its registers
 * in the architectural INIT state from its next start (below). */
void vcpu_init_signal(struct vcpu *v);
/* A startup IPI with this vector: a vCPU waiting for it is runnable and
 * starts at vector << 12 in real mode; any other vCPU ignores it. */
void vcpu_sipi(struct vcpu *v, u8 vector);
/* The registers INIT or SIPI gave (start_pending) are loaded on the
 * vCPU's own CPU, since another vCPU's CPU may send them: before any use
 * of its backend state (hv/hc_vcpu.c), after the exit a kick brought it
 * to, or in its HLT. A SIPI that cannot start it (real mode needs VMX's
 * unrestricted guest) leaves it waiting for one. True when it can run. */
bool vcpu_start_load(struct vcpu *v);
static inline void vcpu_start(struct vcpu *v)
{
	if (v->start_pending)
		vcpu_start_load(v);
}
/* Its VMM set the whole register state (VCPU_SET_REGS with SREGS, after
 * vcpu_start): the vCPU runs from there, whether or not it waited for a
 * SIPI (a VMM that starts its vCPUs itself, as a firmware would). */
void vcpu_started_by_vmm(struct vcpu *v);
/* Whether the vCPU waits for a SIPI now (a new application processor
 * of a VM with the virtual LAPIC is put into that state here). */
bool vcpu_waits_for_sipi(struct vcpu *v);

#endif
