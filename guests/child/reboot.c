/* A PC child that reboots itself (`vm create NAME reboot pc
 * reset=restart`): it counts its boots in a CMOS NVRAM byte, which a
 * PC's reset keeps, checks that its memory is as a fresh load leaves it,
 * and resets a different way on each boot:
 *
 *   boot 1  port 0xCF9, 0x02 then 0x06, as Linux does
 *   boot 2  the keyboard controller's reset pulse (0xFE to port 0x64)
 *   boot 3  the FADT's reset register, found through the RSDP scan
 *   boot 4  a triple fault (an empty IDT, then INT3), which a PC's
 *           chipset turns into a reset
 *   boot 5  no reset: it ends with REBOOT_DONE through isa-debug-exit
 *
 * Created without reset=restart, its first reset ends it (hvctl:
 * "reset"). A failed check ends it with the test verdict instead. */
#include "guests/lib/acpi_scan.h"
#include "guests/lib/test.h"
#include "lib/string.h"

const char test_title[] = "a PC child that resets itself and counts its boots in CMOS";

#define REBOOT_DONE 5   /* the result after the fifth boot */
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_BOOTS 0x38 /* NVRAM: the boots before this one */

#define RESET_CONTROL 0xcf9
#define KBC_CMD 0x64
#define KBC_PULSE_RESET 0xfe

#define FADT_FLAGS 112
#define FADT_RESET_REG 116 /* a Generic Address Structure */
#define FADT_RESET_VALUE 128
#define FADT_RESET_REG_SUP (1u << 10)
#define GAS_SYSTEM_IO 1

/* RAM no image or boot data uses: zero after each load. */
#define UNTOUCHED_RAM ((volatile u64 *)0x800000)
#define MARK 0x5eb0075eb0075eb0ULL

/* Initialized data: as the image has it on each boot. */
static u32 fresh_data = 0x1234;

static u8 cmos_read(u8 index)
{
	outb(CMOS_INDEX, index);
	return inb(CMOS_DATA);
}

static void cmos_write(u8 index, u8 v)
{
	outb(CMOS_INDEX, index);
	outb(CMOS_DATA, v);
}

/* --- the FADT ----------------------------------------------------------- */

/* Writes the FADT's reset value to its reset register (in I/O space). */
static void reset_through_fadt(void)
{
	const u8 *rsdp = acpi_find_rsdp();
	const u8 *fadt = rsdp ? acpi_find_table(rsdp, "FACP") : NULL;
	u64 port;

	if (!fadt) {
		test_fail("no FADT through the RSDP scan");
		return;
	}
	if (!(acpi_rd32(fadt + FADT_FLAGS) & FADT_RESET_REG_SUP) ||
	    fadt[FADT_RESET_REG] != GAS_SYSTEM_IO) {
		test_fail("the FADT has no reset register in I/O space");
		return;
	}
	memcpy(&port, fadt + FADT_RESET_REG + 4, 8);
	gprintf("resetting through the FADT's reset register: 0x%x to port 0x%llx\n",
		fadt[FADT_RESET_VALUE], (unsigned long long)port);
	outb((u16)port, fadt[FADT_RESET_VALUE]);
}

/* --- the boots ---------------------------------------------------------- */

static void check_fresh_memory(void)
{
	if (fresh_data != 0x1234 || *UNTOUCHED_RAM)
		test_fail("memory not as a fresh load leaves it: data 0x%x, RAM 0x%llx",
			  fresh_data, (unsigned long long)*UNTOUCHED_RAM);
	fresh_data = 0;
	*UNTOUCHED_RAM = MARK;
}

/* INT3 with an IDT of limit 0: #GP, then #DF, then shutdown. */
static void triple_fault(void)
{
	struct {
		u16 limit;
		u64 base;
	} __attribute__((packed)) none = { 0, 0 };

	gprintf("resetting by a triple fault\n");
	asm volatile("lidt %0; int3" : : "m"(none));
}

static void reset(u32 boot)
{
	switch (boot) {
	case 1:
		gprintf("resetting through port 0xcf9\n");
		outb(RESET_CONTROL, 0x02);
		outb(RESET_CONTROL, 0x06);
		break;
	case 2:
		gprintf("resetting through the keyboard controller\n");
		outb(KBC_CMD, KBC_PULSE_RESET);
		break;
	case 3:
		reset_through_fadt();
		break;
	default:
		triple_fault();
		break;
	}
}

void test_main(void)
{
	u32 boot = cmos_read(CMOS_BOOTS) + 1u;

	gprintf("boot %u of %u\n", boot, REBOOT_DONE);
	check_fresh_memory();
	if (boot > REBOOT_DONE) {
		test_fail("boot %u: the count went past %u", boot, REBOOT_DONE);
		return;
	}
	cmos_write(CMOS_BOOTS, (u8)boot);
	if (boot == REBOOT_DONE) {
		gprintf("all %u boots seen; exiting with %u\n", boot, REBOOT_DONE);
		guest_exit(REBOOT_DONE);
	}
	reset(boot);
	test_fail("still running after the reset of boot %u", boot);
}
