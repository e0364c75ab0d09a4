/* A guest entered in 32-bit protected mode with paging off: checks the
 * machine state a multiboot-style kernel expects, and that exits taken in
 * 32-bit code (CPUID, port I/O, hypercalls through VMCALL/VMMCALL) are
 * completed with the right instruction lengths. */
#include "abi/hv_boot.h"
#include "guests/test32/io32.h"
#include <stdint.h>

#define ENOSYS 38

static int failures;

static void check(int ok, const char *what, uint32_t value)
{
	if (ok)
		return;
	puts32("Failure: ");
	puts32(what);
	puts32(" ");
	puthex(value);
	puts32("\n");
	failures++;
}

static uint32_t read_cr0(void)
{
	uint32_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static long vmcall32(uint32_t nr)
{
	long r;

	asm volatile("vmcall" : "=a"(r) : "a"(nr), "D"(0) : "memory");
	return r;
}

static long vmmcall32(uint32_t nr)
{
	long r;

	asm volatile("vmmcall" : "=a"(r) : "a"(nr), "D"(0) : "memory");
	return r;
}

void guest32_main(uint32_t magic, const struct hv_boot_info *info);

void guest32_main(uint32_t magic, const struct hv_boot_info *info)
{
	uint32_t a, b, c, d;

	puts32("--- 32-bit protected-mode guest ---\n");
	check(magic == HV_BOOT_MAGIC, "EAX magic", magic);
	check(info->magic == HV_BOOT_MAGIC, "boot info magic", info->magic);
	check((read_cr0() & 0x80000001u) == 1, "CR0 (PE on, PG off)", read_cr0());
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(HV_CPUID_BASE), "c"(0));
	check(b == 0x7263694d, "hypervisor signature", b); /* "Micr" */
	outl(HV_PORT_SCRATCH, 0xcafe0032);
	check(inl(HV_PORT_SCRATCH) == 0xcafe0032, "scratch register", inl(HV_PORT_SCRATCH));
	check(vmcall32(0xdead) == -ENOSYS, "vmcall unknown", (uint32_t)vmcall32(0xdead));
	check(vmmcall32(0) == HV_ABI_VERSION, "vmmcall abi_version", (uint32_t)vmmcall32(0));
	puts32(failures ? "Test result: FAILURE\n" : "Test result: SUCCESS\n");
	outl(HV_PORT_EXIT, failures ? 2 : 0);
}
