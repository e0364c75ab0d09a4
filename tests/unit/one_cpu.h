/* What hv/vm.c needs of several CPUs, for unit tests that link it: one
 * CPU, so no other runs a vCPU and none is kicked or waited for. */
#ifndef TESTS_UNIT_ONE_CPU_H
#define TESTS_UNIT_ONE_CPU_H

u32 arch_cpu_id(void) { return 0; }
void arch_kick_cpu(u32 cpu) { (void)cpu; }
u64 arch_cpu_guest_exits(u32 cpu) { (void)cpu; return 0; }
bool arch_cpu_left_guest_since(u32 cpu, u64 exits) { (void)cpu; (void)exits; return true; }
void hv_lock_wait_until(bool (*done)(const void *arg), const void *arg)
{
	(void)done;
	(void)arg;
}

#endif
