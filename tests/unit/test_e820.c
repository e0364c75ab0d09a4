/* The PC memory map of a child (guests/mgmt/e820.c): exact maps for
 * 256 MiB, 3 GiB and 6 GiB children and the edges around them, the ACPI
 * tables' block, multiboot's mem_lower/mem_upper, and the byte layouts of
 * the Linux boot protocol's e820 table and multiboot v1's memory map. */
#include "check.h"
#include "../../guests/mgmt/e820.c"

#define ACPI_AT 0xe0000ULL
#define ACPI_LEN 0x400u

static struct e820_map map;

#define E(a, s, t) { (a), (s), (t) }
#define EXPECT(...)                                                          \
	do {                                                                 \
		static const struct e820_entry w_[] = { __VA_ARGS__ };       \
		check_map(w_, ARRAY_SIZE(w_));                               \
	} while (0)

static void check_map(const struct e820_entry *want, u32 n)
{
	CHECK_EQ(map.n, n);
	for (u32 i = 0; i < n && i < map.n; i++) {
		CHECK_EQ(map.e[i].addr, want[i].addr);
		CHECK_EQ(map.e[i].size, want[i].size);
		CHECK_EQ(map.e[i].type, want[i].type);
	}
}

TEST(map_of_256_mib)
{
	CHECK_EQ(e820_build(&map, 256 * MIB, ACPI_AT, ACPI_LEN), 0);
	EXPECT(E(0, 0x9fc00, E820_RAM),
	       E(0x9fc00, 0x400, E820_RESERVED),
	       E(0xe0000, 0x400, E820_ACPI),
	       E(0xe0400, 0x1fc00, E820_RESERVED),
	       E(0x100000, 0xff00000, E820_RAM));
}

TEST(map_of_256_mib_without_acpi_tables)
{
	CHECK_EQ(e820_build(&map, 256 * MIB, 0, 0), 0);
	EXPECT(E(0, 0x9fc00, E820_RAM),
	       E(0x9fc00, 0x400, E820_RESERVED),
	       E(0xe0000, 0x20000, E820_RESERVED),
	       E(0x100000, 0xff00000, E820_RAM));
}

TEST(map_of_3_gib_fills_the_low_window_exactly)
{
	CHECK_EQ(e820_build(&map, 3 * GIB, ACPI_AT, ACPI_LEN), 0);
	EXPECT(E(0, 0x9fc00, E820_RAM),
	       E(0x9fc00, 0x400, E820_RESERVED),
	       E(0xe0000, 0x400, E820_ACPI),
	       E(0xe0400, 0x1fc00, E820_RESERVED),
	       E(0x100000, 0xbff00000, E820_RAM));
}

TEST(map_of_6_gib_puts_3_gib_above_4_gib)
{
	CHECK_EQ(e820_build(&map, 6 * GIB, ACPI_AT, ACPI_LEN), 0);
	EXPECT(E(0, 0x9fc00, E820_RAM),
	       E(0x9fc00, 0x400, E820_RESERVED),
	       E(0xe0000, 0x400, E820_ACPI),
	       E(0xe0400, 0x1fc00, E820_RESERVED),
	       E(0x100000, 0xbff00000, E820_RAM),
	       E(0x100000000, 0xc0000000, E820_RAM));
}

TEST(one_page_over_3_gib_goes_to_4_gib)
{
	CHECK_EQ(e820_build(&map, 3 * GIB + PAGE_SIZE, 0, 0), 0);
	CHECK_EQ(map.n, 5);
	CHECK_EQ(map.e[3].addr + map.e[3].size, 0xc0000000);
	CHECK_EQ(map.e[4].addr, 0x100000000);
	CHECK_EQ(map.e[4].size, PAGE_SIZE);
}

TEST(no_ram_lies_in_the_legacy_or_pci_holes)
{
	static const u64 sizes[] = { 512 * 1024, MIB, 2 * MIB, 256 * MIB, 3 * GIB, 6 * GIB,
				     64 * GIB };

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		u64 ram = 0;

		CHECK_EQ(e820_build(&map, sizes[s], ACPI_AT, ACPI_LEN), 0);
		for (u32 i = 0; i < map.n; i++) {
			const struct e820_entry *e = &map.e[i];

			CHECK(i == 0 || e->addr >= map.e[i - 1].addr + map.e[i - 1].size);
			if (e->type != E820_RAM)
				continue;
			ram += e->size;
			CHECK(e->addr + e->size <= PC_EBDA_BASE || e->addr >= PC_HIGH_MEMORY);
			CHECK(e->addr + e->size <= PC_LOW_RAM_END || e->addr >= PC_HIGH_RAM);
		}
		/* all of it but what the 0x9FC00-1 MiB hole shadows */
		CHECK_EQ(ram, sizes[s] - (MIN(sizes[s], PC_HIGH_MEMORY) - MIN(sizes[s], PC_EBDA_BASE)));
	}
}

TEST(a_child_under_640_kib_has_only_conventional_ram)
{
	CHECK_EQ(e820_build(&map, 512 * 1024, 0, 0), 0);
	EXPECT(E(0, 0x80000, E820_RAM),
	       E(0x9fc00, 0x400, E820_RESERVED),
	       E(0xe0000, 0x20000, E820_RESERVED));
}

TEST(acpi_tables_in_ram_split_that_ram)
{
	CHECK_EQ(e820_build(&map, 256 * MIB, 0x7000000, 0x2000), 0);
	EXPECT(E(0, 0x9fc00, E820_RAM),
	       E(0x9fc00, 0x400, E820_RESERVED),
	       E(0xe0000, 0x20000, E820_RESERVED),
	       E(0x100000, 0x6f00000, E820_RAM),
	       E(0x7000000, 0x2000, E820_ACPI),
	       E(0x7002000, 0x8ffe000, E820_RAM));
}

TEST(acpi_tables_at_the_end_of_the_bios_area)
{
	CHECK_EQ(e820_build(&map, 256 * MIB, 0xff000, 0x1000), 0);
	CHECK_EQ(map.n, 5);
	CHECK_EQ(map.e[2].addr, 0xe0000);
	CHECK_EQ(map.e[2].size, 0x1f000);
	CHECK_EQ(map.e[2].type, E820_RESERVED);
	CHECK_EQ(map.e[3].addr, 0xff000);
	CHECK_EQ(map.e[3].type, E820_ACPI);
	CHECK_EQ(map.e[4].addr, 0x100000);
}

TEST(bad_requests_are_refused)
{
	CHECK_EQ(e820_build(&map, 0, 0, 0), -EINVAL);
	/* in the unlisted 0xA0000-0xE0000 hole, across entries, beyond RAM */
	CHECK_EQ(e820_build(&map, 256 * MIB, 0xa0000, 0x100), -EINVAL);
	CHECK_EQ(e820_build(&map, 256 * MIB, 0xffc00, 0x800), -EINVAL);
	CHECK_EQ(e820_build(&map, 256 * MIB, 256 * MIB, 0x100), -EINVAL);
	CHECK_EQ(e820_build(&map, 256 * MIB, ~0ULL - 0x10, 0x100), -EINVAL);
	CHECK_EQ(e820_build(&map, ~0ULL, 0, 0), -EINVAL);
}

TEST(multiboot_mem_lower_and_mem_upper)
{
	CHECK_EQ(e820_build(&map, 256 * MIB, ACPI_AT, ACPI_LEN), 0);
	CHECK_EQ(e820_mem_lower_kb(&map), 639);
	CHECK_EQ(e820_mem_upper_kb(&map), 255 * 1024);
	CHECK_EQ(e820_build(&map, 6 * GIB, ACPI_AT, ACPI_LEN), 0);
	CHECK_EQ(e820_mem_lower_kb(&map), 639);
	CHECK_EQ(e820_mem_upper_kb(&map), 3 * 1024 * 1024 - 1024);
	CHECK_EQ(e820_build(&map, 512 * 1024, 0, 0), 0);
	CHECK_EQ(e820_mem_lower_kb(&map), 512);
	CHECK_EQ(e820_mem_upper_kb(&map), 0);
	/* tables in RAM end the RAM that mem_upper counts */
	CHECK_EQ(e820_build(&map, 256 * MIB, 0x7000000, 0x2000), 0);
	CHECK_EQ(e820_mem_upper_kb(&map), 0x6f00000 >> 10);
}

TEST(boot_params_entries_are_20_packed_bytes)
{
	u8 out[8 * E820_BOOT_ENTRY_LEN];
	static const u8 first_two[40] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xfc, 0x09, 0, 0, 0, 0, 0, 1, 0, 0, 0,
		0x00, 0xfc, 0x09, 0, 0, 0, 0, 0, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
	};
	static const u8 last[20] = {
		0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 1, 0, 0, 0,
	};

	CHECK_EQ(e820_build(&map, 6 * GIB, ACPI_AT, ACPI_LEN), 0);
	memset(out, 0xee, sizeof(out));
	CHECK_EQ(e820_to_boot_params(&map, out, 8), 6);
	CHECK(!memcmp(out, first_two, sizeof(first_two)));
	CHECK(!memcmp(out + 5 * 20, last, sizeof(last)));
	CHECK_EQ(out[6 * 20], 0xee);
	CHECK_EQ(e820_to_boot_params(&map, out, 2), 2);
}

TEST(multiboot_entries_are_24_bytes_with_size_20)
{
	u8 out[8 * E820_MB1_ENTRY_LEN];
	static const u8 acpi[24] = {
		20, 0, 0, 0, 0, 0, 0x0e, 0, 0, 0, 0, 0, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0,
	};

	CHECK_EQ(e820_build(&map, 256 * MIB, ACPI_AT, ACPI_LEN), 0);
	memset(out, 0xee, sizeof(out));
	CHECK_EQ(e820_to_multiboot(&map, out, sizeof(out)), 5 * 24);
	CHECK(!memcmp(out + 2 * 24, acpi, sizeof(acpi)));
	CHECK_EQ(out[4 * 24], 20);
	CHECK_EQ(out[4 * 24 + 4 + 2], 0x10); /* base 0x100000 */
	CHECK_EQ(out[5 * 24], 0xee);
	/* only whole entries fit */
	CHECK_EQ(e820_to_multiboot(&map, out, 2 * 24 + 23), 2 * 24);
}

RUN_TESTS("e820",
	  T(map_of_256_mib),
	  T(map_of_256_mib_without_acpi_tables),
	  T(map_of_3_gib_fills_the_low_window_exactly),
	  T(map_of_6_gib_puts_3_gib_above_4_gib),
	  T(one_page_over_3_gib_goes_to_4_gib),
	  T(no_ram_lies_in_the_legacy_or_pci_holes),
	  T(a_child_under_640_kib_has_only_conventional_ram),
	  T(acpi_tables_in_ram_split_that_ram),
	  T(acpi_tables_at_the_end_of_the_bios_area),
	  T(bad_requests_are_refused),
	  T(multiboot_mem_lower_and_mem_upper),
	  T(boot_params_entries_are_20_packed_bytes),
	  T(multiboot_entries_are_24_bytes_with_size_20))
