/* The guest runtime: console on COM1, port I/O, the hypercall instruction,
 * exceptions with fixups, and the end of a run. */
#ifndef GUESTS_LIB_GUEST_H
#define GUESTS_LIB_GUEST_H

#include "abi/hv_boot.h"
#include "lib/types.h"

/* The runtime's entry (_start) sets boot_info, installs the IDT
 * (traps_init) and then calls guest_entry(boot_info). The guest defines
 * it, or libhvtest.a does for guests with test_main() (test.h). */
extern const struct hv_boot_info *boot_info;
/* The VM's id as RSI held it at entry: hvctl's children get theirs, VM 0
 * gets 0 from the hypervisor's loader. */
extern u32 boot_vm_id;
void guest_entry(const struct hv_boot_info *info);

void gprintf(const char *fmt, ...) __printf(1, 2);
/* Text of any length, as it is (\n becomes CR LF). */
void gputs(const char *s);
__noreturn void guest_exit(u32 code);

/* What the runtime does with an exception no fixup claims; each program
 * kind (XTF test, management guest) defines it. */
__noreturn void guest_panic(const char *fmt, ...) __printf(1, 2);

/* Port I/O. */
/* A turn of a spin-wait (PAUSE). */
static inline void cpu_relax(void) { asm volatile("pause" ::: "memory"); }
static inline void outb(u16 p, u8 v) { asm volatile("outb %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outw(u16 p, u16 v) { asm volatile("outw %0, %1" : : "a"(v), "Nd"(p)); }
static inline void outl(u16 p, u32 v) { asm volatile("outl %0, %1" : : "a"(v), "Nd"(p)); }
static inline u8 inb(u16 p) { u8 v; asm volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline u16 inw(u16 p) { u16 v; asm volatile("inw %1, %0" : "=a"(v) : "Nd"(p)); return v; }
static inline u32 inl(u16 p) { u32 v; asm volatile("inl %1, %0" : "=a"(v) : "Nd"(p)); return v; }

/* Control and debug registers. */
#define DEFINE_GUEST_REG(name, reg)                                          \
	static inline u64 read_##name(void)                                  \
	{                                                                    \
		u64 v;                                                       \
		asm volatile("mov %%" #reg ", %0" : "=r"(v));                \
		return v;                                                    \
	}                                                                    \
	static inline void write_##name(u64 v)                               \
	{                                                                    \
		asm volatile("mov %0, %%" #reg : : "r"(v) : "memory");       \
	}
DEFINE_GUEST_REG(cr4, cr4)
DEFINE_GUEST_REG(dr7, dr7)

struct cpuid_out {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_out guest_cpuid(u32 leaf, u32 sub)
{
	struct cpuid_out r;

	asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
		     : "a"(leaf), "c"(sub));
	return r;
}

/* Hypercalls: RAX = number, RDI = argument; returns RAX. hypercall()
 * uses the instruction native to the CPU vendor; the other two force one
 * (both must work on both vendors). */
long hypercall(u64 nr, u64 arg);
long hypercall_vmcall(u64 nr, u64 arg);
long hypercall_vmmcall(u64 nr, u64 arg);
/* A call that takes its arguments in RDI, RSI and RDX (VCPU_RUN_PAGED). */
long hypercall3(u64 nr, u64 rdi, u64 rsi, u64 rdx);
long hypercall3_insn(bool vmmcall, u64 nr, u64 rdi, u64 rsi, u64 rdx);
/* Whether the CPU is AMD's (VMMCALL is its native instruction). */
bool cpu_is_amd(void);

/* Exceptions: installs the IDT (_start does, before guest_entry); an
 * exception with no fixup goes to guest_panic(). */
void traps_init(void);
/* Points IDT vector `vector` at `handler` (an interrupt gate that code
 * running at CPL <= dpl may invoke with INT n). */
void traps_set_gate(u8 vector, const void *handler, u8 dpl);
/* The vector of the last exception a fixup resumed from (or -1), and its
 * error code (0 for vectors without one). */
extern volatile int last_fixup_vector;

/* The last #DB: every #DB is noted here and the guest resumes. */
struct debug_event {
	u32 count;
	u64 rip; /* where it was raised (after the instruction, for traps) */
	u64 dr6;
};
extern volatile struct debug_event last_debug;
extern volatile u64 last_fixup_error;

/* Inline assembly for one instruction that may fault: an exception at it
 * resumes right after it with the operand %[ok] (an int, set to 1 by the
 * caller) cleared. */
#define FIXUP_ASM(insn)                                                      \
	"1: " insn "\n"                                                      \
	"2:\n"                                                               \
	".pushsection .guest_extable, \"a\"\n"                               \
	".balign 8\n"                                                        \
	".quad 1b, 3f\n"                                                     \
	".popsection\n"                                                      \
	".pushsection .text.fixup, \"ax\"\n"                                 \
	"3: xorl %[ok], %[ok]\n"                                             \
	"jmp 2b\n"                                                           \
	".popsection\n"

/* Executes UD2 and returns the vector the guest received (6 when the
 * hypervisor reflects the #UD). */
int ud2_vector(void);

/* WRMSR/RDMSR that return false when the instruction faulted. */
bool wrmsr_safe(u32 msr, u64 v);
bool rdmsr_safe(u32 msr, u64 *v);
/* XSETBV that returns false when the instruction faulted. */
bool xsetbv_safe(u32 xcr, u64 v);
/* Executes INT1 (ICEBP); false when the CPU raised #UD instead of #DB. */
bool int1_safe(void);

#endif
