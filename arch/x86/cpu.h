/* Thin wrappers over privileged x86 instructions and the registers the
 * core reads. */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include "arch/x86/extable.h"
#include "lib/types.h"

#define CR0_PE BIT(0)
#define CR0_ET BIT(4)
#define CR0_NE BIT(5)
#define CR0_WP BIT(16)
#define CR0_PG BIT(31)
#define CR4_PAE BIT(5)
#define CR4_LA57 BIT(12)
#define CR4_PCIDE BIT(17)
#define CR4_OSXSAVE BIT(18)
#define CR4_SMEP BIT(20)
#define CR4_SMAP BIT(21)
#define CR4_PKE BIT(22)
#define CR4_CET BIT(23)

#define RFLAGS_FIXED BIT(1) /* reads as 1 */
#define RFLAGS_TF BIT(8)
#define RFLAGS_IF BIT(9)

/* DR6 and DR7 at reset. */
#define DR6_RESET 0xffff0ff0ULL
#define DR7_RESET 0x400ULL
#define DR6_BS BIT(14) /* the #DB was a single step */

/* Page-table entry bits (4-level paging). */
#define PTE_P BIT(0)
#define PTE_RW BIT(1)
#define PTE_PS BIT(7) /* a large page, in a PDPT or directory entry */
#define PTE_NX BIT(63)

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(u32 leaf, u32 subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid"
		     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

/* RDMSR that survives a #GP (an MSR the CPU does not have): returns false
 * and leaves *out untouched. The exception-fixup table makes the #GP
 * handler resume at label 2. */
static inline bool rdmsr_safe(u32 msr, u64 *out)
{
	u32 lo = 0, hi = 0;
	int ok = 1;

	asm volatile(EXTABLE_TRY("rdmsr")
		     : "=a"(lo), "=d"(hi), [ok] "+r"(ok)
		     : "c"(msr));
	if (ok)
		*out = ((u64)hi << 32) | lo;
	return ok;
}

#define DEFINE_READ_CR(n)                                                    \
	static inline u64 read_cr##n(void)                                   \
	{                                                                    \
		u64 v;                                                       \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v));                \
		return v;                                                    \
	}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)

/* Loads CR2 only when it differs: a MOV to CR2 is not cheap. */
static inline void load_cr2(u64 value)
{
	if (read_cr2() != value)
		asm volatile("mov %0, %%cr2" : : "r"(value));
}

static inline void write_cr3(u64 v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void write_cr4(u64 v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

#endif
