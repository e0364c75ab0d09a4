/* The I/O APIC of guests/mgmt/ioapic.c against the 82093AA datasheet:
 * the IOREGSEL/IOWIN window, ID, version and arbitration registers,
 * writable and read-only redirection bits, edge delivery, level delivery
 * with remote IRR and EOI, masking while a pin is asserted, and the
 * message's destination, mode, vector and trigger. */
#include "check.h"
#include "../../guests/mgmt/ioapic.c"

static struct ioapic io;

struct msg {
	u32 dest;
	bool logical;
	u8 vector;
	u8 mode;
	bool level;
};

static struct msg msgs[16];
static int n_msgs;

static void record_msi(void *ctx, u32 dest, bool logical, u8 vector, u8 mode, bool level)
{
	(void)ctx;
	if (n_msgs < (int)ARRAY_SIZE(msgs))
		msgs[n_msgs] = (struct msg){ dest, logical, vector, mode, level };
	n_msgs++;
}

static const struct pc_irq_sink sink = { .msi = record_msi };

static void fresh(void)
{
	n_msgs = 0;
	memset(msgs, 0, sizeof(msgs));
	ioapic_reset(&io, &sink);
}

static u32 rd(u8 reg)
{
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, reg);
	return ioapic_mmio_read(&io, IOAPIC_IOWIN, 4);
}

static void wr(u8 reg, u32 val)
{
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, reg);
	ioapic_mmio_write(&io, IOAPIC_IOWIN, 4, val);
}

static u8 lo(unsigned pin)
{
	return IOAPIC_REG_REDTBL + 2 * pin;
}

static void route(unsigned pin, u32 low, u8 dest)
{
	wr(lo(pin) + 1, (u32)dest << 24);
	wr(lo(pin), low);
}

#define EDGE(vec) (vec)
#define LEVEL(vec) ((vec) | 0x8000u)
#define REMOTE_IRR 0x4000u
#define MASKED 0x10000u

TEST(reset_state)
{
	fresh();
	CHECK_EQ(rd(IOAPIC_REG_ID), 0);
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		CHECK_EQ(rd(lo(pin)), 0x00010000);
		CHECK_EQ(rd(lo(pin) + 1), 0);
	}
	ioapic_set_irq(&io, 4, true);
	CHECK_EQ(n_msgs, 0);
}

TEST(version_register)
{
	fresh();
	CHECK_EQ(rd(IOAPIC_REG_VER), 0x00170011);
	wr(IOAPIC_REG_VER, 0xffffffff);
	CHECK_EQ(rd(IOAPIC_REG_VER), 0x00170011);
}

TEST(id_register_writable_bits)
{
	fresh();
	wr(IOAPIC_REG_ID, 0xffffffff);
	CHECK_EQ(rd(IOAPIC_REG_ID), 0x0f000000);
	wr(IOAPIC_REG_ID, 0x02000000);
	CHECK_EQ(rd(IOAPIC_REG_ID), 0x02000000);
}

TEST(arbitration_id_follows_id_and_is_read_only)
{
	fresh();
	CHECK_EQ(rd(IOAPIC_REG_ARB), 0);
	wr(IOAPIC_REG_ID, 0x05000000);
	CHECK_EQ(rd(IOAPIC_REG_ARB), 0x05000000);
	wr(IOAPIC_REG_ARB, 0x0a000000);
	CHECK_EQ(rd(IOAPIC_REG_ARB), 0x05000000);
	CHECK_EQ(rd(IOAPIC_REG_ID), 0x05000000);
}

TEST(ioregsel_reads_back)
{
	fresh();
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, 0x12345617);
	CHECK_EQ(ioapic_mmio_read(&io, IOAPIC_IOREGSEL, 4), 0x17);
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 1, 0x01);
	CHECK_EQ(ioapic_mmio_read(&io, IOAPIC_IOREGSEL, 1), 0x01);
	CHECK_EQ(ioapic_mmio_read(&io, IOAPIC_IOWIN, 4), 0x00170011);
}

TEST(window_byte_reads)
{
	fresh();
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, IOAPIC_REG_VER);
	CHECK_EQ(ioapic_mmio_read(&io, IOAPIC_IOWIN, 1), 0x11);
	CHECK_EQ(ioapic_mmio_read(&io, IOAPIC_IOWIN + 2, 1), 0x17);
	CHECK_EQ(ioapic_mmio_read(&io, IOAPIC_IOWIN + 2, 2), 0x0017);
}

TEST(window_writes_only_as_dword)
{
	fresh();
	ioapic_mmio_write(&io, IOAPIC_IOREGSEL, 4, lo(3));
	ioapic_mmio_write(&io, IOAPIC_IOWIN, 2, 0x0031);
	ioapic_mmio_write(&io, IOAPIC_IOWIN + 1, 1, 0x00);
	CHECK_EQ(rd(lo(3)), 0x00010000);
}

TEST(other_offsets_read_zero)
{
	fresh();
	CHECK_EQ(ioapic_mmio_read(&io, 0x20, 4), 0);
	CHECK_EQ(ioapic_mmio_read(&io, 0x40, 4), 0);
	ioapic_mmio_write(&io, 0x40, 4, 0x31); /* no EOI register in 0x11 */
	CHECK_EQ(rd(IOAPIC_REG_ID), 0);
}

TEST(undefined_registers_read_zero)
{
	fresh();
	CHECK_EQ(rd(0x03), 0);
	CHECK_EQ(rd(0x0f), 0);
	CHECK_EQ(rd(lo(IOAPIC_PINS)), 0);
	CHECK_EQ(rd(0xff), 0);
	wr(lo(IOAPIC_PINS), 0x31);
	CHECK_EQ(rd(lo(IOAPIC_PINS)), 0);
}

TEST(redirection_writable_and_read_only_bits)
{
	fresh();
	wr(lo(23), 0xffffffff);
	CHECK_EQ(rd(lo(23)), 0x0001afff); /* delivery status, remote IRR read-only */
	wr(lo(23) + 1, 0xffffffff);
	CHECK_EQ(rd(lo(23) + 1), 0xff000000);
	wr(lo(0), 0x0000a931);
	CHECK_EQ(rd(lo(0)), 0x0000a931);
	CHECK_EQ(rd(lo(1)), 0x00010000); /* neighbours untouched */
}

TEST(edge_delivers_on_rising_edge)
{
	fresh();
	route(2, EDGE(0x30), 0x01);
	ioapic_set_irq(&io, 2, true);
	CHECK_EQ(n_msgs, 1);
	CHECK_EQ(msgs[0].dest, 0x01);
	CHECK(!msgs[0].logical);
	CHECK_EQ(msgs[0].vector, 0x30);
	CHECK_EQ(msgs[0].mode, IOAPIC_MODE_FIXED);
	CHECK(!msgs[0].level);
	ioapic_set_irq(&io, 2, true);
	CHECK_EQ(n_msgs, 1);
	ioapic_set_irq(&io, 2, false);
	CHECK_EQ(n_msgs, 1);
	ioapic_set_irq(&io, 2, true);
	CHECK_EQ(n_msgs, 2);
	CHECK_EQ(rd(lo(2)), 0x30); /* no remote IRR for edge */
}

TEST(edge_while_masked_is_lost)
{
	fresh();
	route(4, EDGE(0x34) | MASKED, 0);
	ioapic_set_irq(&io, 4, true);
	CHECK_EQ(n_msgs, 0);
	wr(lo(4), EDGE(0x34));
	CHECK_EQ(n_msgs, 0);
	ioapic_set_irq(&io, 4, false);
	ioapic_set_irq(&io, 4, true);
	CHECK_EQ(n_msgs, 1);
}

TEST(level_sets_remote_irr_until_eoi)
{
	fresh();
	route(9, LEVEL(0x39), 0x00);
	ioapic_set_irq(&io, 9, true);
	CHECK_EQ(n_msgs, 1);
	CHECK(msgs[0].level);
	CHECK_EQ(msgs[0].vector, 0x39);
	CHECK_EQ(rd(lo(9)), 0x8000 | REMOTE_IRR | 0x39);
	ioapic_set_irq(&io, 9, true);
	ioapic_set_irq(&io, 9, false);
	ioapic_set_irq(&io, 9, true);
	CHECK_EQ(n_msgs, 1); /* nothing until the EOI */
	ioapic_set_irq(&io, 9, false);
	ioapic_eoi(&io, 0x39);
	CHECK_EQ(rd(lo(9)), 0x8039);
	CHECK_EQ(n_msgs, 1);
}

TEST(level_redelivers_after_eoi_while_asserted)
{
	fresh();
	route(9, LEVEL(0x39), 0x00);
	ioapic_set_irq(&io, 9, true);
	ioapic_eoi(&io, 0x39);
	CHECK_EQ(n_msgs, 2);
	CHECK(msgs[1].level);
	CHECK_EQ(msgs[1].vector, 0x39);
	CHECK_EQ(rd(lo(9)), 0x8000 | REMOTE_IRR | 0x39);
	ioapic_set_irq(&io, 9, false);
	ioapic_eoi(&io, 0x39);
	CHECK_EQ(n_msgs, 2);
	CHECK_EQ(rd(lo(9)), 0x8039);
}

TEST(eoi_of_other_vector_ignored)
{
	fresh();
	route(10, LEVEL(0x3a), 0x00);
	ioapic_set_irq(&io, 10, true);
	ioapic_eoi(&io, 0x3b);
	CHECK_EQ(rd(lo(10)), 0x8000 | REMOTE_IRR | 0x3a);
	CHECK_EQ(n_msgs, 1);
}

TEST(eoi_clears_every_entry_with_the_vector)
{
	fresh();
	route(10, LEVEL(0x40), 0x00);
	route(11, LEVEL(0x40), 0x00);
	ioapic_set_irq(&io, 10, true);
	ioapic_set_irq(&io, 11, true);
	CHECK_EQ(n_msgs, 2);
	ioapic_set_irq(&io, 10, false);
	ioapic_eoi(&io, 0x40);
	CHECK_EQ(rd(lo(10)), 0x8040);
	CHECK_EQ(rd(lo(11)), 0x8000 | REMOTE_IRR | 0x40);
	CHECK_EQ(n_msgs, 3); /* pin 11 is still asserted */
}

TEST(remote_irr_cannot_be_written)
{
	fresh();
	route(5, LEVEL(0x35) | REMOTE_IRR, 0);
	CHECK_EQ(rd(lo(5)), 0x8035);
	ioapic_set_irq(&io, 5, true);
	wr(lo(5), LEVEL(0x35)); /* rewriting without the bit keeps it */
	CHECK_EQ(rd(lo(5)), 0x8000 | REMOTE_IRR | 0x35);
	CHECK_EQ(n_msgs, 1);
}

TEST(level_masked_while_asserted_delivers_on_unmask)
{
	fresh();
	route(12, LEVEL(0x3c) | MASKED, 0x02);
	ioapic_set_irq(&io, 12, true);
	CHECK_EQ(n_msgs, 0);
	CHECK_EQ(rd(lo(12)), 0x18000 | 0x3c);
	wr(lo(12), LEVEL(0x3c));
	CHECK_EQ(n_msgs, 1);
	CHECK_EQ(msgs[0].dest, 0x02);
	CHECK_EQ(rd(lo(12)), 0x8000 | REMOTE_IRR | 0x3c);
}

TEST(level_deasserted_while_masked_is_not_delivered)
{
	fresh();
	route(12, LEVEL(0x3c) | MASKED, 0);
	ioapic_set_irq(&io, 12, true);
	ioapic_set_irq(&io, 12, false);
	wr(lo(12), LEVEL(0x3c));
	CHECK_EQ(n_msgs, 0);
}

TEST(mask_while_awaiting_eoi)
{
	fresh();
	route(12, LEVEL(0x3c), 0);
	ioapic_set_irq(&io, 12, true);
	wr(lo(12), LEVEL(0x3c) | MASKED);
	ioapic_eoi(&io, 0x3c);
	CHECK_EQ(n_msgs, 1);
	CHECK_EQ(rd(lo(12)), 0x18000 | 0x3c);
	wr(lo(12), LEVEL(0x3c));
	CHECK_EQ(n_msgs, 2);
}

TEST(logical_lowest_priority_message)
{
	fresh();
	route(7, 0x0941, 0x0f); /* lowest priority, logical, vector 0x41 */
	ioapic_set_irq(&io, 7, true);
	CHECK_EQ(n_msgs, 1);
	CHECK_EQ(msgs[0].dest, 0x0f);
	CHECK(msgs[0].logical);
	CHECK_EQ(msgs[0].vector, 0x41);
	CHECK_EQ(msgs[0].mode, IOAPIC_MODE_LOWEST);
	CHECK(!msgs[0].level);
}

TEST(destination_is_full_byte)
{
	fresh();
	route(1, EDGE(0x31), 0xff);
	ioapic_set_irq(&io, 1, true);
	CHECK_EQ(msgs[0].dest, 0xff);
}

TEST(nmi_is_edge_even_with_level_bit)
{
	fresh();
	route(3, LEVEL(0) | IOAPIC_MODE_NMI << 8, 0);
	ioapic_set_irq(&io, 3, true);
	CHECK_EQ(n_msgs, 1);
	CHECK_EQ(msgs[0].mode, IOAPIC_MODE_NMI);
	CHECK(!msgs[0].level);
	CHECK_EQ(rd(lo(3)), 0x8400);
	ioapic_set_irq(&io, 3, true);
	CHECK_EQ(n_msgs, 1);
}

TEST(extint_message)
{
	fresh();
	route(0, IOAPIC_MODE_EXTINT << 8, 0);
	ioapic_set_irq(&io, 0, true);
	CHECK_EQ(n_msgs, 1);
	CHECK_EQ(msgs[0].mode, IOAPIC_MODE_EXTINT);
}

TEST(switch_to_edge_clears_remote_irr)
{
	fresh();
	route(6, LEVEL(0x36), 0);
	ioapic_set_irq(&io, 6, true);
	CHECK_EQ(rd(lo(6)), 0x8000 | REMOTE_IRR | 0x36);
	wr(lo(6), EDGE(0x36));
	CHECK_EQ(rd(lo(6)), 0x36);
	CHECK_EQ(n_msgs, 1); /* no edge: the pin stayed asserted */
}

TEST(polarity_is_stored_not_applied)
{
	fresh();
	route(16, EDGE(0x50) | 0x2000, 0);
	CHECK_EQ(rd(lo(16)), 0x2050);
	ioapic_set_irq(&io, 16, true);
	CHECK_EQ(n_msgs, 1);
	CHECK_EQ(msgs[0].vector, 0x50);
}

TEST(pins_beyond_23_ignored)
{
	fresh();
	route(23, EDGE(0x57), 0);
	ioapic_set_irq(&io, 24, true);
	ioapic_set_irq(&io, 1000, true);
	CHECK_EQ(n_msgs, 0);
	ioapic_set_irq(&io, 23, true);
	CHECK_EQ(n_msgs, 1);
	CHECK_EQ(msgs[0].vector, 0x57);
}

TEST(no_sink_is_fine)
{
	ioapic_reset(&io, NULL);
	route(9, LEVEL(0x39), 0);
	ioapic_set_irq(&io, 9, true);
	CHECK_EQ(rd(lo(9)), 0x8000 | REMOTE_IRR | 0x39);
}

RUN_TESTS("ioapic",
	  T(reset_state),
	  T(version_register),
	  T(id_register_writable_bits),
	  T(arbitration_id_follows_id_and_is_read_only),
	  T(ioregsel_reads_back),
	  T(window_byte_reads),
	  T(window_writes_only_as_dword),
	  T(other_offsets_read_zero),
	  T(undefined_registers_read_zero),
	  T(redirection_writable_and_read_only_bits),
	  T(edge_delivers_on_rising_edge),
	  T(edge_while_masked_is_lost),
	  T(level_sets_remote_irr_until_eoi),
	  T(level_redelivers_after_eoi_while_asserted),
	  T(eoi_of_other_vector_ignored),
	  T(eoi_clears_every_entry_with_the_vector),
	  T(remote_irr_cannot_be_written),
	  T(level_masked_while_asserted_delivers_on_unmask),
	  T(level_deasserted_while_masked_is_not_delivered),
	  T(mask_while_awaiting_eoi),
	  T(logical_lowest_priority_message),
	  T(destination_is_full_byte),
	  T(nmi_is_edge_even_with_level_bit),
	  T(extint_message),
	  T(switch_to_edge_clears_remote_irr),
	  T(polarity_is_stored_not_applied),
	  T(pins_beyond_23_ignored),
	  T(no_sink_is_fine));
