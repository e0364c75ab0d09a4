/* A guest entered in 32-bit protected mode with paging off: checks the
 * machine state a multiboot-style kernel expects, that exits taken in
 * 32-bit code (CPUID, port I/O, hypercalls through VMCALL/VMMCALL) are
 * completed with the right instruction lengths, and that segment bases
 * written with paging off are there once it has entered long mode. */
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

#define MSR_EFER 0xc0000080
#define EFER_LME 0x100u
#define EFER_LMA 0x400u

/* FS_BASE, GS_BASE, KERNEL_GS_BASE and what each is given, canonical
 * values a 32-bit register could not hold. */
static const uint32_t base_msrs[3] = { 0xc0000100, 0xc0000101, 0xc0000102 };
static const uint64_t base_values[3] = { 0x00001234567890a0ull, 0xffff8000abcd0000ull,
					 0x00007fffdeadb000ull };

/* Identity map of the first GiB in 2 MiB pages, and a GDT with 64-bit
 * code (0x08), 32-bit code (0x10) and data (0x18). */
static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static const uint64_t gdt[4] = { 0, 0x00af9a000000ffffull, 0x00cf9a000000ffffull,
				 0x00cf92000000ffffull };
static struct __attribute__((packed)) {
	uint16_t limit;
	uint32_t base;
} gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };

/* What 64-bit code read: the three bases, then EFER. */
static volatile uint64_t seen[4];

static void wrmsr32(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Paging on with EFER.LME (set through WRMSR, paging off) enters long
 * mode; a far jump to 0x08 runs 64-bit code, which reads the MSRs and
 * returns to 32-bit code (compatibility mode) through 0x10. */
static void enter_long_mode(void)
{
	pml4[0] = (uint32_t)pdpt | 3;
	pdpt[0] = (uint32_t)pd | 3;
	for (uint32_t i = 0; i < 512; i++)
		pd[i] = (uint64_t)i << 21 | 0x83; /* present, writable, 2 MiB */
	for (int i = 0; i < 3; i++)
		wrmsr32(base_msrs[i], base_values[i]);
	asm volatile("lgdt %[gdtr]\n\t"
		     "mov %%cr4, %%eax; or $0x20, %%eax; mov %%eax, %%cr4\n\t" /* PAE */
		     "mov %[pml4], %%cr3\n\t"
		     "mov $0xc0000080, %%ecx; rdmsr; or $0x100, %%eax; wrmsr\n\t"
		     "mov %%cr0, %%eax; or $0x80000000, %%eax; mov %%eax, %%cr0\n\t"
		     "mov $2f, %%esi\n\t"
		     "ljmp $0x08, $1f\n\t"
		     ".code64\n"
		     "1: movl %%edi, %%edi; movl %%esi, %%esi; movl %%esp, %%esp\n\t"
		     "mov $0xc0000100, %%ecx; rdmsr; mov %%eax, 0(%%rdi); mov %%edx, 4(%%rdi)\n\t"
		     "mov $0xc0000101, %%ecx; rdmsr; mov %%eax, 8(%%rdi); mov %%edx, 12(%%rdi)\n\t"
		     "mov $0xc0000102, %%ecx; rdmsr; mov %%eax, 16(%%rdi); mov %%edx, 20(%%rdi)\n\t"
		     "mov $0xc0000080, %%ecx; rdmsr; mov %%eax, 24(%%rdi); mov %%edx, 28(%%rdi)\n\t"
		     "pushq $0x10; pushq %%rsi; lretq\n\t"
		     ".code32\n"
		     "2:"
		     : : [gdtr] "m"(gdtr), [pml4] "r"(pml4), "D"(seen)
		     : "eax", "ecx", "edx", "esi", "memory");
}

static void check_long_mode_bases(void)
{
	enter_long_mode();
	check((seen[3] & (EFER_LME | EFER_LMA)) == (EFER_LME | EFER_LMA), "EFER in long mode",
	      (uint32_t)seen[3]);
	for (int i = 0; i < 3; i++) {
		check(seen[i] == base_values[i], "base MSR low half in long mode",
		      (uint32_t)seen[i]);
		check(seen[i] >> 32 == base_values[i] >> 32, "base MSR high half in long mode",
		      (uint32_t)(seen[i] >> 32));
	}
	if (seen[0] == base_values[0] && seen[1] == base_values[1] &&
	    seen[2] == base_values[2])
		puts32("long mode: FS_BASE, GS_BASE, KERNEL_GS_BASE as written with paging off\n");
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
	check_long_mode_bases();
	puts32(failures ? "Test result: FAILURE\n" : "Test result: SUCCESS\n");
	outl(HV_PORT_EXIT, failures ? 2 : 0);
}
