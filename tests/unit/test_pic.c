/* The 8259A pair of guests/mgmt/pic.c against the 8259A datasheet: the
 * ICW1-ICW4 sequence as Linux writes it, OCW1 masking, OCW2 EOIs and
 * rotation, OCW3 register select, poll and special mask mode, edge and
 * level (ELCR) inputs, cascade through IR2, auto-EOI, special fully
 * nested mode, spurious IR7/IR15 and the INTR output. */
#include "check.h"
#include "../../guests/mgmt/pic.c"

#define M 0x20 /* master command port */
#define S 0xa0 /* slave command port */

static struct pic pic;
static bool intr_level;
static int intr_calls;

static void record_intr(void *ctx, bool level)
{
	(void)ctx;
	intr_level = level;
	intr_calls++;
}

static const struct pc_irq_sink sink = { .intr = record_intr };

static void out(u16 port, u8 val)
{
	pic_io_write(&pic, port, 1, val);
}

static u8 in(u16 port)
{
	return pic_io_read(&pic, port, 1);
}

static void fresh(void)
{
	intr_level = false;
	intr_calls = 0;
	pic_reset(&pic, &sink);
}

/* Linux's init_8259A(): ICW1 0x11, ICW2 0x20/0x28, ICW3 4/2, ICW4
 * with icw4 as given, both masks clear. */
static void init_icw4(u8 icw4_master, u8 icw4_slave)
{
	fresh();
	out(M, 0x11);
	out(M + 1, 0x20);
	out(M + 1, 0x04);
	out(M + 1, icw4_master);
	out(S, 0x11);
	out(S + 1, 0x28);
	out(S + 1, 0x02);
	out(S + 1, icw4_slave);
	out(M + 1, 0x00);
	out(S + 1, 0x00);
}

static void init(void)
{
	init_icw4(0x01, 0x01);
}

static u8 irr(u16 port)
{
	out(port, 0x0a);
	return in(port);
}

static u8 isr(u16 port)
{
	out(port, 0x0b);
	return in(port);
}

static void pulse(unsigned irq)
{
	pic_set_irq(&pic, irq, true);
	pic_set_irq(&pic, irq, false);
}

TEST(reset_state_is_quiet)
{
	fresh();
	CHECK_EQ(in(M), 0);
	CHECK_EQ(in(M + 1), 0);
	CHECK_EQ(in(S + 1), 0);
	CHECK_EQ(in(0x4d0), 0);
	CHECK_EQ(in(0x4d1), 0);
	CHECK(!pic.intr);
	CHECK_EQ(intr_calls, 0);
}

TEST(linux_init_sequence_sets_vector_bases)
{
	init();
	out(M + 1, 0xfa); /* after ICW4 the odd port is OCW1 */
	out(S + 1, 0xbe);
	CHECK_EQ(in(M + 1), 0xfa);
	CHECK_EQ(in(S + 1), 0xbe);
	out(M + 1, 0);
	out(S + 1, 0);
	pulse(0);
	CHECK_EQ(pic_intack(&pic), 0x20);
	out(M, 0x20);
	pulse(8);
	CHECK_EQ(pic_intack(&pic), 0x28);
	pulse(15);
	out(S, 0x20);
	out(M, 0x20);
	CHECK_EQ(pic_intack(&pic), 0x2f);
	CHECK_EQ(isr(S), 0x80); /* a real IR15, not a spurious one */
}

TEST(icw2_low_three_bits_are_ignored)
{
	fresh();
	out(M, 0x11);
	out(M + 1, 0x27);
	out(M + 1, 0x04);
	out(M + 1, 0x01);
	pulse(1);
	CHECK_EQ(pic_intack(&pic), 0x21);
}

TEST(icw1_clears_mask_isr_and_selects_irr)
{
	init();
	out(M + 1, 0xf0);
	pulse(0);
	pic_intack(&pic);
	pic_set_irq(&pic, 1, true);
	CHECK_EQ(isr(M), 0x01); /* leaves ISR selected */
	out(M, 0x11);
	CHECK_EQ(in(M + 1), 0x00); /* IMR cleared by ICW1 */
	out(M + 1, 0x20);
	out(M + 1, 0x04);
	out(M + 1, 0x01);
	CHECK_EQ(in(M + 1), 0x00);
	CHECK_EQ(in(M), 0x00); /* IRR: the edge latch of IRQ1 is cleared */
	CHECK_EQ(isr(M), 0x00);
}

TEST(icw4_skipped_when_ic4_clear)
{
	fresh();
	out(M, 0x10);
	out(M + 1, 0x30);
	out(M + 1, 0x04);
	out(M + 1, 0x03); /* already OCW1, not an ICW4 with AEOI */
	CHECK_EQ(in(M + 1), 0x03);
	out(M + 1, 0);
	pulse(4);
	CHECK_EQ(pic_intack(&pic), 0x34);
	CHECK_EQ(isr(M), 0x10);
}

TEST(single_mode_skips_icw3)
{
	fresh();
	out(M, 0x13);
	out(M + 1, 0x40);
	out(M + 1, 0x01); /* ICW4 */
	out(M + 1, 0x55); /* OCW1 */
	CHECK_EQ(in(M + 1), 0x55);
}

TEST(edge_request_sets_irr_and_intr)
{
	init();
	pic_set_irq(&pic, 1, true);
	CHECK_EQ(irr(M), 0x02);
	CHECK(intr_level);
	CHECK_EQ(intr_calls, 1);
	CHECK_EQ(pic_intack(&pic), 0x21);
	CHECK_EQ(irr(M), 0x00);
	CHECK_EQ(isr(M), 0x02);
	CHECK(!intr_level);
	CHECK_EQ(intr_calls, 2);
}

TEST(edge_pulse_stays_latched)
{
	init();
	pulse(3);
	CHECK_EQ(irr(M), 0x08);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x23);
}

TEST(edge_held_high_requests_once)
{
	init();
	pic_set_irq(&pic, 3, true);
	CHECK_EQ(pic_intack(&pic), 0x23);
	out(M, 0x20);
	pic_set_irq(&pic, 3, true);
	CHECK_EQ(irr(M), 0x00);
	CHECK(!intr_level);
	pic_set_irq(&pic, 3, false);
	pic_set_irq(&pic, 3, true);
	CHECK_EQ(irr(M), 0x08);
	CHECK(intr_level);
}

TEST(level_irr_follows_line)
{
	init();
	out(0x4d0, 0x20);
	pic_set_irq(&pic, 5, true);
	CHECK_EQ(irr(M), 0x20);
	CHECK(intr_level);
	pic_set_irq(&pic, 5, false);
	CHECK_EQ(irr(M), 0x00);
	CHECK(!intr_level);
}

TEST(level_requests_again_after_eoi_while_asserted)
{
	init();
	out(0x4d0, 0x20);
	pic_set_irq(&pic, 5, true);
	CHECK_EQ(pic_intack(&pic), 0x25);
	CHECK_EQ(irr(M), 0x20); /* the acknowledge does not clear a level */
	CHECK_EQ(isr(M), 0x20);
	CHECK(!intr_level);
	out(M, 0x20);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x25);
	pic_set_irq(&pic, 5, false);
	out(M, 0x20);
	CHECK(!intr_level);
	CHECK_EQ(irr(M), 0x00);
}

TEST(mask_holds_request_in_irr)
{
	init();
	out(M + 1, 0x02);
	pulse(1);
	CHECK_EQ(irr(M), 0x02);
	CHECK(!intr_level);
	CHECK_EQ(intr_calls, 0);
	out(M + 1, 0x00);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x21);
}

TEST(lower_irq_number_wins)
{
	init();
	pulse(4);
	pulse(1);
	CHECK_EQ(pic_intack(&pic), 0x21);
	CHECK(!intr_level); /* IRQ4 waits below in-service IRQ1 */
	CHECK_EQ(irr(M), 0x10);
	out(M, 0x20);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x24);
}

TEST(higher_priority_nests_over_in_service)
{
	init();
	pulse(4);
	CHECK_EQ(pic_intack(&pic), 0x24);
	pulse(1);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x21);
	CHECK_EQ(isr(M), 0x12);
	pulse(6);
	CHECK(!intr_level);
}

TEST(nonspecific_eoi_clears_highest_in_service)
{
	init();
	pulse(4);
	pic_intack(&pic);
	pulse(1);
	pic_intack(&pic);
	out(M, 0x20);
	CHECK_EQ(isr(M), 0x10);
	out(M, 0x20);
	CHECK_EQ(isr(M), 0x00);
	out(M, 0x20); /* nothing in service: no effect */
	CHECK_EQ(isr(M), 0x00);
}

TEST(specific_eoi_clears_named_level)
{
	init();
	pulse(4);
	pic_intack(&pic);
	pulse(1);
	pic_intack(&pic);
	out(M, 0x64);
	CHECK_EQ(isr(M), 0x02);
	out(M, 0x61);
	CHECK_EQ(isr(M), 0x00);
}

TEST(rotate_on_nonspecific_eoi_makes_level_lowest)
{
	init();
	pulse(1);
	pic_intack(&pic);
	out(M, 0xa0);
	CHECK_EQ(isr(M), 0x00);
	pulse(1);
	pulse(5);
	CHECK_EQ(pic_intack(&pic), 0x25); /* order now 2..7, 0, 1 */
	out(M, 0x20);
	CHECK_EQ(pic_intack(&pic), 0x21);
}

TEST(rotate_on_specific_eoi)
{
	init();
	pulse(6);
	pic_intack(&pic);
	out(M, 0xe6);
	CHECK_EQ(isr(M), 0x00);
	pulse(0);
	pulse(7);
	CHECK_EQ(pic_intack(&pic), 0x27); /* order 7, 0, ... 6 */
	CHECK_EQ(isr(M), 0x80);
}

TEST(set_priority_command)
{
	init();
	out(M, 0xc3); /* IR3 lowest: order 4..7, 0..3 */
	pulse(3);
	pulse(0);
	pulse(4);
	CHECK_EQ(pic_intack(&pic), 0x24);
	out(M, 0x20);
	CHECK_EQ(pic_intack(&pic), 0x20);
	out(M, 0x20);
	CHECK_EQ(pic_intack(&pic), 0x23);
	CHECK_EQ(isr(M), 0x08);
}

TEST(ocw2_nop_changes_nothing)
{
	init();
	pulse(3);
	pic_intack(&pic);
	out(M, 0x40);
	CHECK_EQ(isr(M), 0x08);
}

TEST(auto_eoi_leaves_isr_clear)
{
	init_icw4(0x03, 0x01);
	pulse(1);
	pulse(4);
	CHECK_EQ(pic_intack(&pic), 0x21);
	CHECK_EQ(isr(M), 0x00);
	CHECK(intr_level); /* nothing in service blocks IRQ4 */
	CHECK_EQ(pic_intack(&pic), 0x24);
	CHECK(!intr_level);
}

TEST(rotate_in_auto_eoi_mode)
{
	init_icw4(0x03, 0x01);
	out(M, 0x80);
	pulse(0);
	CHECK_EQ(pic_intack(&pic), 0x20);
	pulse(0);
	pulse(7);
	CHECK_EQ(pic_intack(&pic), 0x27); /* IR0 became lowest */
	out(M, 0x00); /* clear rotate in AEOI: priorities stay */
	CHECK_EQ(pic_intack(&pic), 0x20);
	pulse(0);
	pulse(7);
	CHECK_EQ(pic_intack(&pic), 0x20);
}

TEST(read_register_select)
{
	init();
	out(M + 1, 0x40);
	pulse(6);
	pulse(5);
	pic_intack(&pic);
	CHECK_EQ(in(M), 0x40); /* IRR is selected after init */
	out(M, 0x0b);
	CHECK_EQ(in(M), 0x20);
	CHECK_EQ(in(M + 1), 0x40); /* the odd port always reads IMR */
	out(M, 0x08); /* RR clear: selection kept */
	CHECK_EQ(in(M), 0x20);
	out(M, 0x0a);
	CHECK_EQ(in(M), 0x40);
}

TEST(poll_acknowledges_highest_request)
{
	init();
	out(M + 1, 0x40);
	pulse(5);
	pulse(3);
	out(M, 0x0c);
	CHECK_EQ(in(M), 0x83);
	CHECK_EQ(isr(M), 0x08);
	CHECK_EQ(irr(M), 0x20);
	out(M, 0x0c);
	CHECK_EQ(in(M + 1), 0x00); /* in-service IR3 blocks IR5 */
	CHECK_EQ(in(M + 1), 0x40); /* an IMR read again */
	out(M, 0x20);
	out(M, 0x0c);
	CHECK_EQ(in(M + 1), 0x85);
}

TEST(poll_on_slave)
{
	init();
	pulse(13);
	out(S, 0x0c);
	CHECK_EQ(in(S), 0x85);
	CHECK_EQ(isr(S), 0x20);
	CHECK_EQ(isr(M), 0x00);
}

TEST(special_mask_mode_enables_lower_levels)
{
	init();
	pulse(3);
	CHECK_EQ(pic_intack(&pic), 0x23);
	pulse(5);
	CHECK(!intr_level);
	out(M + 1, 0x08);
	out(M, 0x68);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x25);
	CHECK_EQ(isr(M), 0x28);
	pulse(3);
	CHECK(!intr_level); /* IR3 is masked */
	pulse(6);
	CHECK(intr_level); /* below in-service IR5 */
	out(M, 0x48);
	CHECK(!intr_level);
}

TEST(cascade_delivers_slave_vector)
{
	init();
	pic_set_irq(&pic, 10, true);
	CHECK_EQ(irr(M), 0x04);
	CHECK_EQ(irr(S), 0x04);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x2a);
	CHECK_EQ(isr(M), 0x04);
	CHECK_EQ(isr(S), 0x04);
	CHECK_EQ(irr(M), 0x00);
	out(S, 0x20);
	out(M, 0x20);
	CHECK_EQ(isr(S), 0x00);
	CHECK_EQ(isr(M), 0x00);
	CHECK(!intr_level);
}

TEST(cascade_masked_on_master_ir2)
{
	init();
	out(M + 1, 0x04);
	pulse(8);
	CHECK(!intr_level);
	CHECK_EQ(irr(M), 0x04);
	out(M + 1, 0x00);
	CHECK_EQ(pic_intack(&pic), 0x28);
}

TEST(slave_mask_keeps_cascade_quiet)
{
	init();
	out(S + 1, 0x10);
	pulse(12);
	CHECK_EQ(irr(S), 0x10);
	CHECK_EQ(irr(M), 0x00);
	CHECK(!intr_level);
	out(S + 1, 0x00);
	CHECK_EQ(pic_intack(&pic), 0x2c);
}

TEST(cascade_in_service_blocks_slave_until_master_eoi)
{
	init();
	pulse(10);
	CHECK_EQ(pic_intack(&pic), 0x2a);
	pulse(9);
	CHECK(!intr_level);
	out(S, 0x20);
	CHECK(!intr_level); /* master IR2 still in service */
	out(M, 0x20);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x29);
}

TEST(master_irq_priority_around_cascade)
{
	init();
	pulse(10);
	pic_intack(&pic);
	pulse(3);
	CHECK(!intr_level);
	pulse(1);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x21);
}

TEST(special_fully_nested_lets_higher_slave_irq_in)
{
	init_icw4(0x11, 0x01);
	pulse(10);
	CHECK_EQ(pic_intack(&pic), 0x2a);
	pulse(11);
	CHECK(!intr_level); /* lower than in-service IR10 on the slave */
	pulse(9);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x29);
	CHECK_EQ(isr(S), 0x06);
	CHECK_EQ(isr(M), 0x04);
	pulse(3);
	CHECK(!intr_level); /* IR2 still blocks lower master levels */
}

TEST(slave_auto_eoi_requests_again_through_cascade)
{
	init_icw4(0x01, 0x03);
	pulse(8);
	pulse(9);
	CHECK_EQ(pic_intack(&pic), 0x28);
	CHECK_EQ(isr(S), 0x00);
	CHECK_EQ(irr(M), 0x04); /* the slave's INT is seen again */
	CHECK(!intr_level);
	out(M, 0x20);
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x29);
}

TEST(spurious_irq7_when_level_falls)
{
	init();
	out(0x4d0, 0x20);
	pic_set_irq(&pic, 5, true);
	CHECK(intr_level);
	pic_set_irq(&pic, 5, false);
	CHECK(!intr_level);
	CHECK_EQ(pic_intack(&pic), 0x27);
	CHECK_EQ(isr(M), 0x00);
}

TEST(spurious_irq7_when_masked_after_intr)
{
	init();
	pulse(4);
	out(M + 1, 0x10);
	CHECK_EQ(pic_intack(&pic), 0x27);
	CHECK_EQ(isr(M), 0x00);
	CHECK_EQ(irr(M), 0x10);
}

TEST(real_irq7_sets_isr)
{
	init();
	pulse(7);
	CHECK_EQ(pic_intack(&pic), 0x27);
	CHECK_EQ(isr(M), 0x80);
}

TEST(spurious_irq15_leaves_master_ir2_in_service)
{
	init();
	out(0x4d1, 0x04); /* IRQ10 level */
	pic_set_irq(&pic, 10, true);
	CHECK_EQ(irr(M), 0x04);
	pic_set_irq(&pic, 10, false);
	CHECK_EQ(irr(S), 0x00);
	CHECK_EQ(irr(M), 0x04); /* the master latched the edge of INT */
	CHECK(intr_level);
	CHECK_EQ(pic_intack(&pic), 0x2f);
	CHECK_EQ(isr(S), 0x00);
	CHECK_EQ(isr(M), 0x04); /* the handler must EOI the master */
	CHECK(!intr_level);
}

TEST(elcr_writable_bits)
{
	fresh();
	out(0x4d0, 0xff);
	out(0x4d1, 0xff);
	CHECK_EQ(in(0x4d0), 0xf8);
	CHECK_EQ(in(0x4d1), 0xde);
	CHECK_EQ(pic_io_read(&pic, 0x4d0, 2), 0xdef8);
	pic_io_write(&pic, 0x4d0, 2, 0x0c20);
	CHECK_EQ(in(0x4d0), 0x20);
	CHECK_EQ(in(0x4d1), 0x0c);
}

TEST(intr_reported_on_change_only)
{
	init();
	pulse(0);
	pulse(1);
	CHECK_EQ(intr_calls, 1);
	CHECK(intr_level);
	pic_intack(&pic);
	CHECK_EQ(intr_calls, 2);
	CHECK(!intr_level);
	out(M, 0x20);
	CHECK_EQ(intr_calls, 3);
	CHECK(intr_level);
}

TEST(irq2_input_is_the_cascade)
{
	init();
	pic_set_irq(&pic, 2, true);
	pic_set_irq(&pic, 16, true);
	CHECK_EQ(irr(M), 0x00);
	CHECK(!intr_level);
}

TEST(ports_owned_and_unowned)
{
	init();
	CHECK(pic_owns_port(0x20));
	CHECK(pic_owns_port(0x21));
	CHECK(pic_owns_port(0xa0));
	CHECK(pic_owns_port(0xa1));
	CHECK(pic_owns_port(0x4d0));
	CHECK(pic_owns_port(0x4d1));
	CHECK(!pic_owns_port(0x22));
	CHECK(!pic_owns_port(0x1f));
	CHECK(!pic_owns_port(0x4d2));
	CHECK_EQ(pic_io_read(&pic, 0x21, 4), 0xffffff00);
	pic_io_write(&pic, 0x20, 2, 0xfe0b); /* OCW3 then OCW1 */
	CHECK_EQ(in(0x21), 0xfe);
	CHECK_EQ(pic_io_read(&pic, 0xa0, 2), 0x0000);
}

TEST(no_sink_is_fine)
{
	pic_reset(&pic, NULL);
	pulse(1);
	CHECK(pic.intr);
	CHECK_EQ(pic_intack(&pic), 0x01);
}

RUN_TESTS("pic",
	  T(reset_state_is_quiet),
	  T(linux_init_sequence_sets_vector_bases),
	  T(icw2_low_three_bits_are_ignored),
	  T(icw1_clears_mask_isr_and_selects_irr),
	  T(icw4_skipped_when_ic4_clear),
	  T(single_mode_skips_icw3),
	  T(edge_request_sets_irr_and_intr),
	  T(edge_pulse_stays_latched),
	  T(edge_held_high_requests_once),
	  T(level_irr_follows_line),
	  T(level_requests_again_after_eoi_while_asserted),
	  T(mask_holds_request_in_irr),
	  T(lower_irq_number_wins),
	  T(higher_priority_nests_over_in_service),
	  T(nonspecific_eoi_clears_highest_in_service),
	  T(specific_eoi_clears_named_level),
	  T(rotate_on_nonspecific_eoi_makes_level_lowest),
	  T(rotate_on_specific_eoi),
	  T(set_priority_command),
	  T(ocw2_nop_changes_nothing),
	  T(auto_eoi_leaves_isr_clear),
	  T(rotate_in_auto_eoi_mode),
	  T(read_register_select),
	  T(poll_acknowledges_highest_request),
	  T(poll_on_slave),
	  T(special_mask_mode_enables_lower_levels),
	  T(cascade_delivers_slave_vector),
	  T(cascade_masked_on_master_ir2),
	  T(slave_mask_keeps_cascade_quiet),
	  T(cascade_in_service_blocks_slave_until_master_eoi),
	  T(master_irq_priority_around_cascade),
	  T(special_fully_nested_lets_higher_slave_irq_in),
	  T(slave_auto_eoi_requests_again_through_cascade),
	  T(spurious_irq7_when_level_falls),
	  T(spurious_irq7_when_masked_after_intr),
	  T(real_irq7_sets_isr),
	  T(spurious_irq15_leaves_master_ir2_in_service),
	  T(elcr_writable_bits),
	  T(intr_reported_on_change_only),
	  T(irq2_input_is_the_cascade),
	  T(ports_owned_and_unowned),
	  T(no_sink_is_fine));
