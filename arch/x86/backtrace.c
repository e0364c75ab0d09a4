/* Frame-pointer backtraces (the hypervisor is built with
 * -fno-omit-frame-pointer). Every frame is checked to lie on one of this
 * CPU's stacks before it is read, so a corrupt chain ends the walk instead
 * of faulting. */
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "hv/arch.h"
#include "hv/log.h"
#include "hv/symbols.h"

#define BACKTRACE_MAX_FRAMES 32

/* Return addresses are looked up one byte back, inside the call. */
static void print_frame(int depth, u64 rip, bool is_return_address)
{
	char sym[96];

	symbol_format(rip - is_return_address, sym, sizeof(sym));
	hv_printf("  #%d 0x%016llx %s\n", depth, (unsigned long long)rip, sym);
}

void arch_backtrace(u64 rip, u64 rbp)
{
	hv_printf("backtrace:\n");
	print_frame(0, rip, false);
	for (int depth = 1; depth < BACKTRACE_MAX_FRAMES; depth++) {
		const u64 *frame = (const u64 *)rbp;

		if (!rbp || (rbp & 7) || !percpu_on_stack(rbp, 16))
			break;
		if (!frame[1])
			break;
		print_frame(depth, frame[1], true);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

void arch_backtrace_here(void)
{
	const u64 *frame = __builtin_frame_address(0);

	arch_backtrace(frame[1], frame[0]);
}
