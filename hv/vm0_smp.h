/* VM 0 on every CPU: one vCPU per CPU that runs virtualized (at most
 * VM_MAX_VCPUS), vCPU i pinned to CPU i. vCPU 0 starts at the entry;
 * the others wait, their CPUs halted, until VM 0 starts them
 * (HV_CALL_VCPU_START), and then run VM 0's usual run loop there. */
#ifndef HV_VM0_SMP_H
#define HV_VM0_SMP_H

#include "hv/vm.h"

/* Adds VM 0's waiting vCPUs, one for each further CPU; fewer when memory
 * runs out (logged). */
void vm0_smp_create(struct vm *vm0);

/* A secondary CPU with virtualization on, parked: waits, interrupts on,
 * until its VM 0 vCPU is started, then runs it until VM 0 stops. */
void vm0_smp_cpu_main(void);

/* hv/hc_vcpu_start.c: waits, interrupts on, until CPU cpu's VM 0 vCPU is
 * started, and returns it; the state VM 0 started it in. */
struct vcpu *vm0_vcpu_wait_start(u32 cpu);
const struct guest_sregs *vm0_vcpu_start_sregs(u32 cpu);

#endif
