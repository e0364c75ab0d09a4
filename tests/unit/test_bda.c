/* The BIOS data area hvctl gives a PC child (guests/mgmt/bda.c), byte for
 * byte as a PC/AT BIOS (and QEMU's SeaBIOS) leaves it for 639 KiB of
 * conventional memory and COM1 at 0x3F8. */
#include "check.h"
#include "../../guests/mgmt/bda.c"

static u8 bda[BDA_SIZE];

static unsigned word(u32 off)
{
	return bda[off] | bda[off + 1] << 8;
}

TEST(com1_alone_in_the_port_table)
{
	bda_build(bda, 0x3f8, 0x9fc00);
	CHECK_EQ(word(0x00), 0x3f8u);
	CHECK_EQ(word(0x02), 0u);
	CHECK_EQ(word(0x04), 0u);
	CHECK_EQ(word(0x06), 0u);
	CHECK_EQ(word(0x08), 0u); /* no parallel ports */
}

TEST(ebda_segment_and_base_memory_agree)
{
	bda_build(bda, 0x3f8, 0x9fc00);
	CHECK_EQ(word(0x0e), 0x9fc0u);
	CHECK_EQ(word(0x13), 639u);
}

TEST(equipment_word_one_serial_port_fpu_colour_text)
{
	bda_build(bda, 0x3f8, 0x9fc00);
	CHECK_EQ(word(0x10), 0x0222u);
	CHECK_EQ((word(0x10) >> 9) & 7, 1u); /* bits 9-11: serial ports */
}

TEST(everything_else_zero)
{
	memset(bda, 0xaa, sizeof(bda));
	bda_build(bda, 0x3f8, 0x9fc00);
	for (u32 i = 0x15; i < BDA_SIZE; i++)
		CHECK_EQ(bda[i], 0);
	CHECK_EQ(bda[0x12], 0);
}

RUN_TESTS("bda",
	  T(com1_alone_in_the_port_table),
	  T(ebda_segment_and_base_memory_agree),
	  T(equipment_word_one_serial_port_fpu_colour_text),
	  T(everything_else_zero))
