/* The port and MMIO dispatch of a child's PC (pc.h): a table of port
 * ranges and their handlers, the IOAPIC page, and the power requests the
 * accesses make (ACPI S5, reset through 0xCF9, the keyboard controller
 * or port 0x92, the Bochs shutdown string at 0x8900), the BIOS stubs'
 * port (bios.h): the end of the
 * child, or for a reset with reset=restart its restart (create.c). Ports
 * no row claims go back to vmm.c: the UART, the exit device, the scratch
 * registers, else unclaimed (all-ones, counted). */
#include "guests/mgmt/pc.h"

#if HV_ABI_HEADER_REVISION >= 2 /* MMIO exits and VM_IRQ are post-v1 */

#define PORT_KBC_CMD 0x64
#define PORT_POST 0x80
#define PORT_A20 0x92
#define PORT_BOCHS_SHUTDOWN 0x8900
#define A20_FAST_RESET 0x01

static const char bochs_shutdown[] = "Shutdown";

typedef u32 (*port_read_fn)(struct pc *p, u16 port, u8 size);
typedef void (*port_write_fn)(struct pc *p, u16 port, u8 size, u32 val);

struct port_range {
	u16 first, last;
	port_read_fn read;
	port_write_fn write;
};

/* Byte-wide models: an access of size bytes is one byte per port. */
static u32 bytes_read(struct pc *p, u16 port, u8 size, u8 (*rd)(struct pc *, u16))
{
	u32 v = 0;

	for (u8 i = 0; i < size; i++)
		v |= (u32)rd(p, port + i) << (8 * i);
	return v;
}

static void bytes_write(struct pc *p, u16 port, u8 size, u32 val, void (*wr)(struct pc *, u16, u8))
{
	for (u8 i = 0; i < size; i++)
		wr(p, port + i, (u8)(val >> (8 * i)));
}

static u32 pic_rd(struct pc *p, u16 port, u8 size)
{
	return pic_io_read(&p->pic, port, size);
}

static void pic_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	pic_io_write(&p->pic, port, size, val);
}

static u8 pit_rd1(struct pc *p, u16 port)
{
	return pit_read(&p->pit, port, p->now_ns);
}

static void pit_wr1(struct pc *p, u16 port, u8 v)
{
	pit_write(&p->pit, port, v, p->now_ns);
}

static u32 pit_rd(struct pc *p, u16 port, u8 size)
{
	return bytes_read(p, port, size, pit_rd1);
}

static void pit_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	bytes_write(p, port, size, val, pit_wr1);
}

static u8 rtc_rd1(struct pc *p, u16 port)
{
	return rtc_read(&p->rtc, port, p->now_ns);
}

static void rtc_wr1(struct pc *p, u16 port, u8 v)
{
	rtc_write(&p->rtc, port, v, p->now_ns);
}

static u32 rtc_rd(struct pc *p, u16 port, u8 size)
{
	return bytes_read(p, port, size, rtc_rd1);
}

static void rtc_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	bytes_write(p, port, size, val, rtc_wr1);
}

static u32 pm_rd(struct pc *p, u16 port, u8 size)
{
	return acpi_pm_read(&p->pm, port, size, p->now_ns);
}

static void pm_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	acpi_pm_write(&p->pm, port, size, val, p->now_ns);
}

static u32 fw_cfg_rd(struct pc *p, u16 port, u8 size)
{
	return fw_cfg_read(&p->fw_cfg, port, size);
}

static void fw_cfg_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	fw_cfg_write(&p->fw_cfg, port, size, val);
}

/* The keyboard controller's status: both buffers empty, so a kernel that
 * waits to send the reset pulse sends it at once. */
static u32 kbc_rd(struct pc *p, u16 port, u8 size)
{
	(void)p, (void)port, (void)size;
	return 0;
}

static void kbc_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	(void)port, (void)size;
	acpi_pm_kbc_command(&p->pm, (u8)val);
}

/* Port 0x80, the POST code: a write only delays, a read gives all-ones. */
static u32 post_rd(struct pc *p, u16 port, u8 size)
{
	(void)p, (void)port;
	return size >= 4 ? ~0u : (1u << (8 * size)) - 1;
}

static void post_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	(void)p, (void)port, (void)size, (void)val;
}

/* Port 0x92, system control port A: A20 in bit 1 (kept, the child's
 * memory is not wrapped), a fast reset on bit 0's rising edge. */
static u32 a20_rd(struct pc *p, u16 port, u8 size)
{
	(void)port, (void)size;
	return p->port92;
}

static void a20_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	(void)port, (void)size;
	if ((val & A20_FAST_RESET) && !(p->port92 & A20_FAST_RESET))
		p->request = PM_REQUEST_RESET;
	p->port92 = (u8)val;
}

/* The Bochs/QEMU shutdown port: "Shutdown" written byte by byte. */
static void bochs_wr(struct pc *p, u16 port, u8 size, u32 val)
{
	(void)port, (void)size;
	if ((u8)val == (u8)bochs_shutdown[p->bochs_matched])
		p->bochs_matched++;
	else
		p->bochs_matched = (u8)val == (u8)bochs_shutdown[0];
	if (p->bochs_matched == sizeof(bochs_shutdown) - 1)
		p->request = PM_REQUEST_POWEROFF;
}

static const struct port_range ports[] = {
	{ PIC_MASTER_PORT, PIC_MASTER_PORT + 1, pic_rd, pic_wr },
	{ PIT_PORT_CH0, PIT_PORT_CTRL, pit_rd, pit_wr },
	{ PIT_PORT_61, PIT_PORT_61, pit_rd, pit_wr },
	{ PORT_KBC_CMD, PORT_KBC_CMD, kbc_rd, kbc_wr },
	{ RTC_PORT_INDEX, RTC_PORT_DATA, rtc_rd, rtc_wr },
	{ PORT_POST, PORT_POST, post_rd, post_wr },
	{ PORT_A20, PORT_A20, a20_rd, a20_wr },
	{ PIC_SLAVE_PORT, PIC_SLAVE_PORT + 1, pic_rd, pic_wr },
	{ PIC_ELCR_PORT, PIC_ELCR_PORT + 1, pic_rd, pic_wr },
	{ FW_CFG_PORT_SEL, FW_CFG_PORT_DATA, fw_cfg_rd, fw_cfg_wr },
	{ ACPI_PM_BASE, ACPI_PM_TMR_BLK + ACPI_PM_TMR_LEN - 1, pm_rd, pm_wr },
	{ ACPI_RESET_PORT, ACPI_RESET_PORT, pm_rd, pm_wr },
	{ PORT_BOCHS_SHUTDOWN, PORT_BOCHS_SHUTDOWN, post_rd, bochs_wr },
};

/* The row holding the whole access, or NULL. */
static const struct port_range *port_row(u16 port, u8 size)
{
	for (u32 i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (port >= ports[i].first && port + size - 1 <= ports[i].last)
			return &ports[i];
	return NULL;
}

/* The power request the access made: the ACPI blocks' (S5, 0xCF9, the
 * keyboard controller) or the other ports'. */
static enum pm_request take_request(struct pc *p)
{
	enum pm_request r = acpi_pm_take_request(&p->pm);

	if (r == PM_REQUEST_NONE)
		r = p->request;
	p->request = PM_REQUEST_NONE;
	return r;
}

/* Ends the child on a power request the access made; a reset restarts
 * it instead when it was created with reset=restart (the slice ends
 * either way). */
static enum pc_io act_on_request(struct child *c)
{
	switch (take_request(c->pc)) {
	case PM_REQUEST_POWEROFF:
		child_end(c, CHILD_POWERED_OFF, "powered off");
		return PC_IO_ENDED;
	case PM_REQUEST_RESET:
		if (c->reset_restarts)
			child_restart(c);
		else
			child_end(c, CHILD_RESET, "reset");
		return PC_IO_ENDED;
	default:
		return PC_IO_DONE;
	}
}

enum pc_io pc_port_io(struct child *c, const struct hv_exit_io *io)
{
	struct pc *p = c->pc;
	const struct port_range *row = port_row(io->port, io->size);
	u32 mask = io->size >= 4 ? ~0u : (1u << (8 * io->size)) - 1;

	if (io->port == BIOS_PORT && !io->direction)
		return bios_port_exit(c) ? PC_IO_DONE : PC_IO_ENDED;
	if (!row)
		return PC_IO_UNCLAIMED;
	p->now_ns = pc_now_ns(p);
	if (io->direction) {
		child_cur(c)->complete = true;
		child_cur(c)->complete_value = row->read(p, io->port, io->size) & mask;
		return PC_IO_DONE;
	}
	row->write(p, io->port, io->size, (u32)io->value & mask);
	return act_on_request(c);
}

bool pc_mmio(struct child *c, const struct hv_exit_mmio *m)
{
	struct pc *p = c->pc;
	u32 off = (u32)(m->gpa - IOAPIC_BASE);
	u8 size = m->size > 4 ? 4 : m->size;

	if (m->gpa < IOAPIC_BASE || m->gpa + m->size > IOAPIC_BASE + IOAPIC_SIZE ||
	    (m->flags & HV_MMIO_UNDECODED))
		return false;
	c->mmio_exits++;
	if (m->flags & HV_MMIO_WRITE) {
		ioapic_mmio_write(&p->ioapic, off, size, (u32)m->data);
		child_cur(c)->complete = false;
	} else {
		child_cur(c)->complete = true;
		child_cur(c)->complete_value = ioapic_mmio_read(&p->ioapic, off, size);
	}
	return true;
}

#endif
