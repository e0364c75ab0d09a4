/* Ending a run: QEMU's isa-debug-exit device (port 0xf4) exits the
 * emulator with (code << 1) | 1; Bochs shuts down when "Shutdown" is
 * written to port 0x8900. On hardware with neither, the CPU halts. */
#include "arch/x86/io.h"
#include "hv/arch.h"

static void bochs_shutdown(void)
{
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (u8)*s);
}

void arch_poweroff(u8 code)
{
	asm volatile("cli");
	outl(QEMU_DEBUG_EXIT_PORT, code);
	bochs_shutdown();
	for (;;)
		asm volatile("cli; hlt");
}
