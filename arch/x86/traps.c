/* Exception handling for the hypervisor itself. An exception with a
 * registered fixup resumes there; an NMI is logged; anything else is a bug
 * in the hypervisor: dump the machine state with a symbolic backtrace and
 * end the run with a FAIL verdict. */
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "hv/arch.h"
#include "hv/console.h"
#include "hv/log.h"
#include "lib/string.h"
#include "hv/symbols.h"
#include "hv/verdict.h"

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault",
	"coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization exception",
	"#CP control protection",
};

static const char *vector_name(u64 vec)
{
	if (vec < 32 && exception_names[vec])
		return exception_names[vec];
	return vec < 32 ? "reserved" : "external interrupt";
}

static void print_page_fault_cause(u64 error)
{
	hv_printf("  page fault: %s %s%s%s, CR2 0x%016llx\n",
		  error & BIT(0) ? "protection violation on" : "not-present",
		  error & BIT(4) ? "instruction fetch" :
		  error & BIT(1) ? "write" : "read",
		  error & BIT(2) ? " from user mode" : "",
		  error & BIT(3) ? " (reserved bit set)" : "",
		  (unsigned long long)read_cr2());
}

struct named_reg {
	const char *name;
	u64 value;
};

static void print_registers(const struct trap_frame *f)
{
	const struct named_reg regs[] = {
		{ "RAX", f->rax }, { "RBX", f->rbx }, { "RCX", f->rcx },
		{ "RDX", f->rdx }, { "RSI", f->rsi }, { "RDI", f->rdi },
		{ "RBP", f->rbp }, { "RSP", f->rsp }, { "R8", f->r8 },
		{ "R9", f->r9 }, { "R10", f->r10 }, { "R11", f->r11 },
		{ "R12", f->r12 }, { "R13", f->r13 }, { "R14", f->r14 },
		{ "R15", f->r15 }, { "RFLAGS", f->rflags }, { "CS", f->cs },
		{ "SS", f->ss }, { "CR0", read_cr0() }, { "CR2", read_cr2() },
		{ "CR3", read_cr3() },
		{ "CR4", read_cr4() },
	};
	u32 n = ARRAY_SIZE(regs);

	for (u32 i = 0; i < n; i++)
		hv_printf("  %-6s 0x%016llx%s", regs[i].name,
			  (unsigned long long)regs[i].value,
			  (i % 3 == 2 || i == n - 1) ? "\n" : "");
}

static void dump_exception(const struct trap_frame *f, const char *sym)
{
	hv_printf("\nEXCEPTION %s (vector %llu, error code 0x%llx) on CPU %u\n",
		  vector_name(f->vector), (unsigned long long)f->vector,
		  (unsigned long long)f->error, this_cpu()->cpu_id);
	hv_printf("  RIP    0x%016llx <%s>\n", (unsigned long long)f->rip, sym);
	if (f->vector == VEC_PF)
		print_page_fault_cause(f->error);
	print_registers(f);
	arch_backtrace(f->rip, f->rbp);
}

static __noreturn void trap_fatal(const struct trap_frame *f)
{
	struct percpu *pc = this_cpu();
	char sym[96];

	if (++pc->exception_depth > 1) {
		hv_printf("\nnested exception, vector %llu at 0x%llx\n",
			  (unsigned long long)f->vector, (unsigned long long)f->rip);
		console_flush();
		arch_poweroff(VERDICT_CODE_FAIL);
	}
	symbol_format(f->rip, sym, sizeof(sym));
	dump_exception(f, sym);
	hv_finish(VERDICT_FAIL, "exception %s at %s", vector_name(f->vector), sym);
}

void trap_handler(struct trap_frame *f)
{
	if (f->vector >= 32) {
		arch_irq(f->vector);
		return;
	}
	if (extable_fixup(f))
		return;
	if (f->vector == VEC_NMI) {
		log_warn("NMI at 0x%llx", (unsigned long long)f->rip);
		return;
	}
	trap_fatal(f);
}

void arch_raise_test_fault(const char *kind)
{
	if (!strcmp(kind, "ud"))
		asm volatile("ud2");
	if (!strcmp(kind, "gp"))
		*(volatile u64 *)0x8000000000000000ULL = 0; /* non-canonical */
	if (!strcmp(kind, "pf")) {
		u64 addr = 8; /* page 0 is never mapped */

		asm volatile("" : "+r"(addr)); /* hide the constant from -Warray-bounds */
		*(volatile u64 *)addr = 0;
	}
}
