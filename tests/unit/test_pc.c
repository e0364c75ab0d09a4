/* The wiring of a child's PC (guests/mgmt/pc.c, pc_io.c) with the real
 * device models and the hypervisor calls recorded: the port table's
 * claims and unclaimed ports, ISA IRQ 0 to the PIC and to IOAPIC GSI 2,
 * an IOAPIC message as VM_IRQ, the PIC's INTR as an ExtINT whose INTA is
 * kept only when the hypervisor took it (-EBUSY: tried again), the IOAPIC
 * page through MMIO exits, and the power requests ending the child as
 * poweroff or reset (S5, 0xCF9, the keyboard controller, port 0x92, the
 * Bochs shutdown string), or with reset=restart a reset restarting it. */
#include "check.h"
#include <stdarg.h>
/* The models are linked beside (Makefile: PC_MODEL_SRCS); their static
 * helpers share names. */
#include "../../guests/mgmt/pc.c"
#include "../../guests/mgmt/pc_io.c"

/* --- what the wiring calls outside the models ------------------------ */

struct irq_call {
	u32 vm, vcpu, dest, flags;
	u8 vector, mode;
};

static struct irq_call irq_calls[16];
static int n_irq_calls;
static long irq_answer; /* what hv_vm_irq returns */
static int n_copies;
static u8 low_copy[BDA_SIZE]; /* the BIOS data area as copied */
static u8 ebda_copy;
static enum child_state ended = CHILD_RUNNING;

long hv_vm_irq(u32 vm, u32 vcpu, u32 dest, u8 vector, u8 mode, u32 flags)
{
	if (n_irq_calls < 16)
		irq_calls[n_irq_calls++] = (struct irq_call){ vm, vcpu, dest, flags, vector, mode };
	return irq_answer;
}

long child_copy(u32 vm, u64 gpa, const void *src, u64 len)
{
	(void)vm;
	if (gpa == BDA_GPA && len == BDA_SIZE)
		memcpy(low_copy, src, len);
	else if (gpa == PC_EBDA_BASE && len == 1)
		ebda_copy = *(const u8 *)src;
	else
		CHECK(gpa == ACPI_TABLES_GPA && len > 0 && len <= ACPI_TABLES_MAX);
	n_copies++;
	return 0;
}

void child_end(struct child *c, enum child_state st, const char *fmt, ...)
{
	c->state = st;
	ended = st;
	(void)fmt;
}

static int restarts;

bool child_restart(struct child *c)
{
	(void)c;
	restarts++;
	return true;
}

void gprintf(const char *fmt, ...)
{
	(void)fmt;
}

/* The BIOS stubs' glue (bios_io.c) is tested apart (test_bios.c). */
static int bios_places, bios_exits;
static bool bios_goes_on = true;

long bios_place(struct child *c)
{
	(void)c;
	bios_places++;
	return 0;
}

bool bios_port_exit(struct child *c)
{
	(void)c;
	bios_exits++;
	return bios_goes_on;
}

void bios_print(const struct child *c)
{
	(void)c;
}

const char *err_name(long err)
{
	(void)err;
	return "error";
}

/* --- a child and its exits ------------------------------------------- */

static struct child child;

static void make_child(void)
{
	memset(&child, 0, sizeof(child));
	n_copies = 0;
	child.id = 7;
	child.vcpus = 1;
	child.mem = 64ULL << 20;
	child.state = CHILD_RUNNING;
	n_irq_calls = 0;
	irq_answer = 0;
	ended = CHILD_RUNNING;
	restarts = 0;
	bios_places = bios_exits = 0;
	bios_goes_on = true;
	CHECK_EQ(pc_create(&child), 0);
	CHECK_EQ(bios_places, 1);
	CHECK(child.pc != NULL);
}

static enum pc_io out(u16 port, u8 size, u32 val)
{
	struct hv_exit_io io = { .port = port, .size = size, .direction = 0, .value = val };

	return pc_port_io(&child, &io);
}

/* The value an IN returns, or ~0 when no row claims the port. */
static u64 in(u16 port, u8 size)
{
	struct hv_exit_io io = { .port = port, .size = size, .direction = 1 };

	child.vcpu[0].complete = false;
	if (pc_port_io(&child, &io) == PC_IO_UNCLAIMED)
		return ~0ULL;
	CHECK(child.vcpu[0].complete);
	return child.vcpu[0].complete_value;
}

static bool mmio(u32 offset, bool write, u32 val, u64 *got)
{
	struct hv_exit_mmio m = { .gpa = IOAPIC_BASE + offset, .data = val, .size = 4,
				  .flags = write ? HV_MMIO_WRITE : 0 };
	bool claimed = pc_mmio(&child, &m);

	*got = child.vcpu[0].complete_value;
	return claimed;
}

static void ioapic_write_reg(u32 reg, u32 val)
{
	u64 ignored;

	CHECK(mmio(IOAPIC_IOREGSEL, true, reg, &ignored));
	CHECK(mmio(IOAPIC_IOWIN, true, val, &ignored));
}

/* --- tests ------------------------------------------------------------ */

TEST(creation_builds_tables_map_and_fw_cfg)
{
	make_child();
	CHECK_EQ(n_copies, 3);
	CHECK_EQ(low_copy[BDA_BASE_MEMORY] | low_copy[BDA_BASE_MEMORY + 1] << 8, 639);
	CHECK_EQ(low_copy[BDA_EBDA_SEGMENT] | low_copy[BDA_EBDA_SEGMENT + 1] << 8, 0x9fc0);
	CHECK_EQ(low_copy[BDA_COM_PORTS] | low_copy[BDA_COM_PORTS + 1] << 8, 0x3f8);
	CHECK_EQ(ebda_copy, 1);
	CHECK(child.pc->acpi_size > 0);
	CHECK(child.pc->e820.n >= 4);
	CHECK_EQ(out(FW_CFG_PORT_SEL, 2, FW_CFG_SIGNATURE), PC_IO_DONE);
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 'Q');
	CHECK_EQ(in(FW_CFG_PORT_DATA, 1), 'E');
	CHECK_EQ(out(RTC_PORT_INDEX, 1, RTC_CENTURY), PC_IO_DONE);
	CHECK_EQ(in(RTC_PORT_DATA, 1), 0x20);
}

TEST(unclaimed_ports_go_back_to_the_vmm)
{
	make_child();
	CHECK_EQ(in(0x3f8, 1), ~0ULL); /* the UART: vmm.c's */
	CHECK_EQ(in(0xf4, 1), ~0ULL);  /* the exit device: vmm.c's */
	CHECK_EQ(in(0x1234, 2), ~0ULL);
	CHECK_EQ(in(0x21, 2), ~0ULL);  /* runs past the master PIC's row */
	CHECK_EQ(in(0x80, 1), 0xff);
	CHECK_EQ(in(0x92, 1), 0x02);
	CHECK_EQ(in(0x64, 1), 0);
}

TEST(bios_port_out_is_a_bios_call)
{
	make_child();
	CHECK_EQ(out(BIOS_PORT, 1, 0x20), PC_IO_DONE);
	CHECK_EQ(bios_exits, 1);
	bios_goes_on = false;
	CHECK_EQ(out(BIOS_PORT, 1, 0x20), PC_IO_ENDED);
	CHECK_EQ(in(BIOS_PORT, 1), ~0ULL); /* an IN is not a call */
	CHECK_EQ(bios_exits, 2);
}

TEST(pit_irq0_reaches_ioapic_gsi2_as_vm_irq)
{
	make_child();
	ioapic_write_reg(IOAPIC_REG_REDTBL + 2 * 2 + 1, 0);
	ioapic_write_reg(IOAPIC_REG_REDTBL + 2 * 2, 0x30);
	pc_set_isa_irq(child.pc, PC_IRQ_PIT, false);
	pc_set_isa_irq(child.pc, PC_IRQ_PIT, true);
	CHECK_EQ(n_irq_calls, 1);
	CHECK_EQ(irq_calls[0].vm, 7);
	CHECK_EQ(irq_calls[0].vector, 0x30);
	CHECK_EQ(irq_calls[0].mode, HV_IRQ_FIXED);
	CHECK_EQ(irq_calls[0].flags, 0);
	CHECK_EQ(child.pc->irqs, 1);
}

TEST(isa_irq8_reaches_gsi8_level_logical)
{
	make_child();
	ioapic_write_reg(IOAPIC_REG_REDTBL + 2 * 8 + 1, 0x03000000);
	ioapic_write_reg(IOAPIC_REG_REDTBL + 2 * 8, 0x41 | IOAPIC_RTE_LEVEL | IOAPIC_RTE_LOGICAL);
	pc_set_isa_irq(child.pc, PC_IRQ_RTC, true);
	CHECK_EQ(n_irq_calls, 1);
	CHECK_EQ(irq_calls[0].dest, 3);
	CHECK_EQ(irq_calls[0].flags, HV_IRQ_LEVEL | HV_IRQ_LOGICAL);
}

TEST(refused_vm_irq_is_counted)
{
	make_child();
	irq_answer = -HV_EINVAL;
	ioapic_write_reg(IOAPIC_REG_REDTBL + 2 * 4, 0x44);
	pc_set_isa_irq(child.pc, PC_IRQ_COM1, true);
	CHECK_EQ(child.pc->irq_errors, 1);
	CHECK_EQ(child.pc->last_irq_error, -HV_EINVAL);
}

static void pic_init(void)
{
	static const u8 master[] = { 0x11, 0x20, 0x04, 0x01 }, slave[] = { 0x11, 0x28, 0x02, 0x01 };

	out(0x20, 1, master[0]);
	for (int i = 1; i < 4; i++)
		out(0x21, 1, master[i]);
	out(0xa0, 1, slave[0]);
	for (int i = 1; i < 4; i++)
		out(0xa1, 1, slave[i]);
}

TEST(pic_intr_is_an_extint_with_the_inta_vector)
{
	make_child();
	pic_init();
	pc_set_isa_irq(child.pc, PC_IRQ_PIT, true);
	CHECK(child.pc->pic.intr);
	pc_before_run(&child);
	CHECK_EQ(n_irq_calls, 1);
	CHECK_EQ(irq_calls[0].mode, HV_IRQ_EXTINT);
	CHECK_EQ(irq_calls[0].vector, 0x20);
	CHECK_EQ(child.pc->pic.chip[0].isr, 0x01);
	CHECK_EQ(child.pc->extints, 1);
}

TEST(busy_extint_keeps_the_request_for_the_next_run)
{
	make_child();
	pic_init();
	irq_answer = -HV_EBUSY;
	pc_set_isa_irq(child.pc, PC_IRQ_PIT, true);
	pc_before_run(&child);
	CHECK_EQ(child.pc->pic.chip[0].isr, 0);
	CHECK_EQ(child.pc->pic.chip[0].irr & 1, 1);
	irq_answer = 0;
	pc_before_run(&child);
	CHECK_EQ(child.pc->pic.chip[0].isr, 1);
	CHECK_EQ(n_irq_calls, 2);
	CHECK_EQ(child.pc->irq_errors, 0);
}

TEST(unprogrammed_pic_is_not_delivered)
{
	make_child();
	pc_set_isa_irq(child.pc, PC_IRQ_PIT, true);
	pc_before_run(&child);
	CHECK_EQ(n_irq_calls, 0);
}

TEST(ioapic_page_only)
{
	u64 v;
	struct hv_exit_mmio other = { .gpa = 0xd0000000, .size = 4 };

	make_child();
	CHECK(mmio(IOAPIC_IOREGSEL, true, IOAPIC_REG_VER, &v));
	CHECK(mmio(IOAPIC_IOWIN, false, 0, &v));
	CHECK_EQ(v & 0xff, IOAPIC_VERSION);
	CHECK(!pc_mmio(&child, &other));
}

TEST(s5_powers_off)
{
	make_child();
	CHECK_EQ(out(ACPI_PM1A_CNT_BLK, 2, ACPI_PM1_SCI_EN), PC_IO_DONE);
	CHECK_EQ(ended, CHILD_RUNNING);
	CHECK_EQ(out(ACPI_PM1A_CNT_BLK, 2, ACPI_PM1_SLP_EN | ACPI_S5_SLP_TYP << 10), PC_IO_ENDED);
	CHECK_EQ(ended, CHILD_POWERED_OFF);
}

TEST(resets_end_the_child_as_reset)
{
	make_child();
	CHECK_EQ(out(ACPI_RESET_PORT, 1, ACPI_RESET_VALUE), PC_IO_ENDED);
	CHECK_EQ(ended, CHILD_RESET);
	make_child();
	CHECK_EQ(out(0x64, 1, 0xfe), PC_IO_ENDED);
	CHECK_EQ(ended, CHILD_RESET);
	make_child();
	CHECK_EQ(out(0x92, 1, 0x02), PC_IO_DONE);
	CHECK_EQ(out(0x92, 1, 0x03), PC_IO_ENDED);
	CHECK_EQ(ended, CHILD_RESET);
}

/* reset=restart: each way of resetting restarts the child instead;
 * poweroff still ends it. */
TEST(resets_restart_a_reset_restart_child)
{
	make_child();
	child.reset_restarts = true;
	CHECK_EQ(out(ACPI_RESET_PORT, 1, 0x02), PC_IO_DONE);
	CHECK_EQ(out(ACPI_RESET_PORT, 1, ACPI_RESET_VALUE), PC_IO_ENDED);
	CHECK_EQ(out(0x64, 1, 0xfe), PC_IO_ENDED);
	CHECK_EQ(out(0x92, 1, 0x01), PC_IO_ENDED);
	CHECK_EQ(restarts, 3);
	CHECK_EQ(ended, CHILD_RUNNING);
	CHECK_EQ(out(ACPI_PM1A_CNT_BLK, 2, ACPI_PM1_SLP_EN | ACPI_S5_SLP_TYP << 10), PC_IO_ENDED);
	CHECK_EQ(ended, CHILD_POWERED_OFF);
	CHECK_EQ(restarts, 3);
}

TEST(bochs_shutdown_string_powers_off)
{
	const char *s = "xShutShutdown";

	make_child();
	for (; s[1]; s++)
		CHECK_EQ(out(0x8900, 1, (u8)*s), PC_IO_DONE);
	CHECK_EQ(out(0x8900, 1, (u8)*s), PC_IO_ENDED);
	CHECK_EQ(ended, CHILD_POWERED_OFF);
}

TEST(time_goes_forward)
{
	u64 t0;

	make_child();
	t0 = pc_now_ns(child.pc);
	for (volatile int i = 0; i < 100000; i++)
		;
	CHECK(pc_now_ns(child.pc) > t0);
}

RUN_TESTS("pc",
	  T(creation_builds_tables_map_and_fw_cfg),
	  T(unclaimed_ports_go_back_to_the_vmm),
	  T(bios_port_out_is_a_bios_call),
	  T(pit_irq0_reaches_ioapic_gsi2_as_vm_irq),
	  T(isa_irq8_reaches_gsi8_level_logical),
	  T(refused_vm_irq_is_counted),
	  T(pic_intr_is_an_extint_with_the_inta_vector),
	  T(busy_extint_keeps_the_request_for_the_next_run),
	  T(unprogrammed_pic_is_not_delivered),
	  T(ioapic_page_only),
	  T(s5_powers_off),
	  T(resets_end_the_child_as_reset),
	  T(resets_restart_a_reset_restart_child),
	  T(bochs_shutdown_string_powers_off),
	  T(time_goes_forward))
