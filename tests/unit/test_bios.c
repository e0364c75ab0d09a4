/* The BIOS hvctl gives a PC child (guests/mgmt/bios.c): the IVT and the
 * stubs byte for byte, the vector of a stub's OUT, and the calls: INT 15h
 * E820h walked to the end exactly as e820.c's map, E801h and 88h for 256
 * MiB, 8 MiB and 3 GiB, INT 12h, 11h, 10h, 13h, 16h, 1Ah, the unsupported
 * ones, CF and ZF in the FLAGS image, and the IRQ vectors' EOIs. */
#include "check.h"
#include "../../guests/mgmt/bios.c"
#include "../../guests/mgmt/e820.c"

#define ACPI_AT 0xe0000ULL
#define ACPI_LEN 0x400u
#define FLAGS_IF 0x0200
#define EQUIPMENT 0x0223

static struct e820_map map;
static struct bios_env env = { .map = &map, .equipment = EQUIPMENT };

static void pc_of(u64 mem)
{
	CHECK_EQ(e820_build(&map, mem, ACPI_AT, ACPI_LEN), 0);
	env.secs_of_day_ns = 0;
}

static struct bios_call call(u8 vector, u32 eax, u32 ebx, u32 ecx, u32 edx, u16 flags)
{
	struct bios_call c = { .eax = eax, .ebx = ebx, .ecx = ecx, .edx = edx, .flags = flags };

	bios_service(vector, &c, &env);
	return c;
}

static u16 word(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}

TEST(ivt_points_every_vector_at_its_stub)
{
	static u8 ivt[BIOS_IVT_SIZE];

	memset(ivt, 0xaa, sizeof(ivt));
	bios_build_ivt(ivt);
	for (u32 v = 0; v < BIOS_VECTORS; v++) {
		CHECK_EQ(word(&ivt[4 * v]), v * 4);       /* offset */
		CHECK_EQ(word(&ivt[4 * v + 2]), 0xf000u); /* segment */
	}
}

TEST(stubs_are_out_e2_iret_nop)
{
	static u8 stubs[BIOS_STUBS_SIZE];

	bios_build_stubs(stubs);
	for (u32 v = 0; v < BIOS_VECTORS; v++) {
		CHECK_EQ(stubs[4 * v], 0xe6);
		CHECK_EQ(stubs[4 * v + 1], 0xe2);
		CHECK_EQ(stubs[4 * v + 2], 0xcf);
		CHECK_EQ(stubs[4 * v + 3], 0x90);
	}
	CHECK(BIOS_STUBS_GPA >= ACPI_AT + 0x1000); /* above the ACPI block's most */
	CHECK(BIOS_STUBS_GPA + BIOS_STUBS_SIZE <= PC_HIGH_MEMORY);
}

TEST(vector_from_the_address_after_the_out)
{
	static u8 ivt[BIOS_IVT_SIZE];

	bios_build_ivt(ivt);
	for (u32 v = 0; v < BIOS_VECTORS; v++) {
		u64 linear = ((u64)word(&ivt[4 * v + 2]) << 4) + word(&ivt[4 * v]);

		CHECK_EQ(bios_vector_at(linear + BIOS_OUT_LEN), (int)v);
	}
	CHECK_EQ(bios_vector_at(0xf0000), -1);
	CHECK_EQ(bios_vector_at(0xf0001), -1);
	CHECK_EQ(bios_vector_at(0xf0003), -1); /* inside a stub, not after the OUT */
	CHECK_EQ(bios_vector_at(0xf0402), -1); /* past the last */
	CHECK_EQ(bios_vector_at(0x8002), -1);
	CHECK_EQ(bios_vector_at(0), -1);
}

TEST(e820_walks_the_map_to_ebx_zero)
{
	u32 ebx = 0, i = 0;

	pc_of(256 * MIB);
	do {
		struct bios_call c = call(0x15, 0xe820, ebx, 24, BIOS_SMAP,
					  FLAGS_IF | BIOS_FLAG_CF);
		u64 addr, size;
		u32 type;

		CHECK(i < map.n);
		if (i >= map.n)
			break;
		CHECK_EQ(c.flags, FLAGS_IF); /* CF cleared, the rest kept */
		CHECK_EQ(c.eax, BIOS_SMAP);
		CHECK_EQ(c.ecx, 20u);
		CHECK_EQ(c.out_len, 20);
		memcpy(&addr, c.out, 8);
		memcpy(&size, c.out + 8, 8);
		memcpy(&type, c.out + 16, 4);
		CHECK_EQ(addr, map.e[i].addr);
		CHECK_EQ(size, map.e[i].size);
		CHECK_EQ(type, map.e[i].type);
		ebx = c.ebx;
		i++;
	} while (ebx);
	CHECK_EQ(i, map.n);
	CHECK_EQ(map.n, 5u);
}

TEST(e820_fails_past_the_end_and_on_bad_calls)
{
	struct bios_call c;

	pc_of(256 * MIB);
	c = call(0x15, 0xe820, map.n, 20, BIOS_SMAP, FLAGS_IF);
	CHECK_EQ(c.flags, FLAGS_IF | BIOS_FLAG_CF);
	CHECK_EQ(c.eax, 0x8620u); /* AH 86h, AL kept */
	CHECK_EQ(c.out_len, 0);
	c = call(0x15, 0xe820, 0, 20, 0x12345678, 0); /* not 'SMAP' */
	CHECK(c.flags & BIOS_FLAG_CF);
	c = call(0x15, 0xe820, 0, 19, BIOS_SMAP, 0); /* buffer too small */
	CHECK(c.flags & BIOS_FLAG_CF);
	CHECK_EQ(c.out_len, 0);
}

TEST(e801_and_88h_for_256_mib)
{
	struct bios_call c;

	pc_of(256 * MIB);
	c = call(0x15, 0xe801, 0, 0, 0, BIOS_FLAG_CF);
	CHECK_EQ(c.eax, 0x3c00u); /* 15 MiB in KiB */
	CHECK_EQ(c.ecx, 0x3c00u);
	CHECK_EQ(c.ebx, 0x0f00u); /* 240 MiB in 64 KiB blocks */
	CHECK_EQ(c.edx, 0x0f00u);
	CHECK_EQ(c.flags, 0);
	c = call(0x15, 0x8800, 0, 0, 0, BIOS_FLAG_CF);
	CHECK_EQ(c.eax, 0xffffu); /* 255 MiB, at most 0xFFFF KiB */
	CHECK_EQ(c.flags, 0);
}

TEST(e801_and_88h_small_and_large)
{
	struct bios_call c;

	pc_of(8 * MIB);
	c = call(0x15, 0xe801, 0, 0, 0, 0);
	CHECK_EQ(c.eax, 7168u);
	CHECK_EQ(c.ebx, 0u);
	c = call(0x15, 0x88ff, 0, 0, 0, 0);
	CHECK_EQ(c.eax, 7168u);
	pc_of(4096 * MIB); /* RAM up to the PCI hole at 3 GiB counts */
	c = call(0x15, 0xe801, 0, 0, 0, 0);
	CHECK_EQ(c.ebx, (3072u - 16) * 16);
}

TEST(memory_equipment_and_video)
{
	struct bios_call c;

	pc_of(256 * MIB);
	CHECK_EQ(call(0x12, 0x1234ffff, 0, 0, 0, 0).eax, 0x1234027fu); /* 639 KiB */
	CHECK_EQ(call(0x11, 0xffff, 0, 0, 0, 0).eax, (u32)EQUIPMENT);
	c = call(0x10, 0x0f00, 0x1234, 0, 0, 0);
	CHECK_EQ(c.eax, 0x5003u); /* 80 columns, mode 3 */
	CHECK_EQ(c.ebx, 0x0034u); /* page 0 */
	CHECK(call(0x10, 0x4f00, 0, 0, 0, 0).eax != 0x004fu);
	CHECK(call(0x10, 0x4f15, 1, 0, 0, 0).eax != 0x004fu); /* DDC */
	c = call(0x10, 0x1200, 0x10, 7, 8, FLAGS_IF); /* anything else: nothing */
	CHECK_EQ(c.eax, 0x1200u);
	CHECK_EQ(c.ebx, 0x10u);
	CHECK_EQ(c.flags, FLAGS_IF);
}

TEST(no_disks_no_keys)
{
	struct bios_call c;

	pc_of(256 * MIB);
	c = call(0x13, 0x4100, 0x55aa, 0, 0x80, FLAGS_IF);
	CHECK_EQ(c.flags, FLAGS_IF | BIOS_FLAG_CF);
	CHECK_EQ(c.eax >> 8 & 0xff, 0x01u);
	CHECK_EQ(c.ebx, 0x55aau); /* no EDD signature back */
	c = call(0x16, 0x0100, 0, 0, 0, 0);
	CHECK_EQ(c.flags, BIOS_FLAG_ZF);
	CHECK_EQ(call(0x16, 0x0000, 0, 0, 0, 0).eax, 0u);
}

TEST(ticks_since_midnight)
{
	struct bios_call c;

	pc_of(256 * MIB);
	c = call(0x1a, 0x00ff, 0, 0xffff, 0xffff, BIOS_FLAG_CF);
	CHECK_EQ(c.ecx, 0u);
	CHECK_EQ(c.edx, 0u);
	CHECK_EQ(c.eax, 0u); /* AL: midnight not passed */
	CHECK_EQ(c.flags, 0);
	env.secs_of_day_ns = 3600ULL * 1000000000ULL; /* 01:00: 65543 ticks */
	c = call(0x1a, 0, 0, 0, 0, 0);
	CHECK_EQ(c.ecx << 16 | c.edx, 65543u);
	c = call(0x1a, 0x0200, 0, 0, 0, 0); /* the RTC's time: not offered */
	CHECK(c.flags & BIOS_FLAG_CF);
}

TEST(unsupported_calls)
{
	struct bios_call c;

	pc_of(256 * MIB);
	c = call(0x15, 0xc000, 0, 0, 0, FLAGS_IF);
	CHECK_EQ(c.flags, FLAGS_IF | BIOS_FLAG_CF);
	CHECK_EQ(c.eax, 0x8600u);
	c = call(0x15, 0xec00, 2, 0, 0, 0); /* the long mode hint */
	CHECK(c.flags & BIOS_FLAG_CF);
	c = call(0x20, 0x1234, 5, 6, 7, FLAGS_IF); /* any other vector: nothing */
	CHECK_EQ(c.eax, 0x1234u);
	CHECK_EQ(c.ebx, 5u);
	CHECK_EQ(c.flags, FLAGS_IF);
	CHECK_EQ(c.out_len, 0);
}

TEST(irq_vectors_end_with_eois)
{
	CHECK_EQ(bios_irq_eois(0x08, 0x08, 0x70), 1u);
	CHECK_EQ(bios_irq_eois(0x0f, 0x08, 0x70), 1u);
	CHECK_EQ(bios_irq_eois(0x70, 0x08, 0x70), 3u); /* slave, then master */
	CHECK_EQ(bios_irq_eois(0x77, 0x08, 0x70), 3u);
	CHECK_EQ(bios_irq_eois(0x10, 0x08, 0x70), 0u);
	CHECK_EQ(bios_irq_eois(0x6f, 0x08, 0x70), 0u);
	CHECK_EQ(bios_irq_eois(0x08, 0x20, 0x28), 0u); /* reprogrammed */
	CHECK_EQ(bios_irq_eois(0x21, 0x20, 0x28), 1u);
}

RUN_TESTS("bios",
	  T(ivt_points_every_vector_at_its_stub),
	  T(stubs_are_out_e2_iret_nop),
	  T(vector_from_the_address_after_the_out),
	  T(e820_walks_the_map_to_ebx_zero),
	  T(e820_fails_past_the_end_and_on_bad_calls),
	  T(e801_and_88h_for_256_mib),
	  T(e801_and_88h_small_and_large),
	  T(memory_equipment_and_video),
	  T(no_disks_no_keys),
	  T(ticks_since_midnight),
	  T(unsupported_calls),
	  T(irq_vectors_end_with_eois))
