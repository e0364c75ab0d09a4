/* The TSC frequency, for guests that would rather not calibrate (CPUID
 * leaf HV_CPUID_TSC) and for VM 0 (CHECK_EXTENSION HV_EXT_TSC). */
#include "arch/x86/tsc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "hv/log.h"

/* PIT channel 2, whose gate and output the keyboard controller's port B
 * exposes: a one-shot count of a known length without an interrupt. */
#define PIT_HZ 1193182u
#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PIT_CH2_ONESHOT 0xb0 /* channel 2, low then high byte, mode 0 */
#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define CALIBRATE_TICKS 11932u /* 10 ms */
#define CALIBRATE_SPINS 100000000u /* no PIT: give up */

static u32 khz;

/* Leaf 0x15: TSC = crystal * EBX / EAX; without the crystal's frequency
 * in ECX, leaf 0x16's base frequency is the TSC's. */
static u32 khz_from_cpuid(void)
{
	u32 max = cpuid(0, 0).eax;
	struct cpuid_regs r;

	if (max < 0x15)
		return 0;
	r = cpuid(0x15, 0);
	if (r.eax && r.ebx && r.ecx)
		return (u32)((u64)r.ecx * r.ebx / r.eax / 1000);
	return max >= 0x16 ? (cpuid(0x16, 0).eax & 0xffff) * 1000 : 0;
}

/* TSC cycles over CALIBRATE_TICKS of the PIT; 0 when its output never
 * rises. */
static u64 cycles_over_pit_count(void)
{
	u8 port_b = inb(PORT_B);
	u64 start, cycles = 0;

	outb(PORT_B, (port_b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_MODE, PIT_CH2_ONESHOT);
	outb(PIT_CH2_DATA, CALIBRATE_TICKS & 0xff);
	outb(PIT_CH2_DATA, CALIBRATE_TICKS >> 8);
	start = rdtsc();
	for (u32 i = 0; i < CALIBRATE_SPINS; i++)
		if (inb(PORT_B) & PORT_B_OUT2) {
			cycles = rdtsc() - start;
			break;
		}
	outb(PORT_B, port_b);
	return cycles;
}

void tsc_init(void)
{
	const char *source = "CPUID";

	khz = khz_from_cpuid();
	if (!khz) {
		source = "the PIT";
		khz = (u32)(cycles_over_pit_count() * PIT_HZ / CALIBRATE_TICKS / 1000);
	}
	log_info("tsc: %u kHz, from %s", khz, source);
}

u32 tsc_khz(void)
{
	return khz;
}
