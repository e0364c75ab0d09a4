/* QEMU's fw_cfg legacy I/O interface (guests/mgmt/fw_cfg.c) against
 * QEMU's fw_cfg specification: the selector and data ports, the fixed
 * items' keys and byte order, the file directory's big-endian layout,
 * files by key, reads past the end, and what is ignored. */
#include "check.h"
#include "../../guests/mgmt/fw_cfg.c"

static struct fw_cfg fc;

static void init(void)
{
	fw_cfg_init(&fc, 2, 4, 0x123456000ULL);
}

static void select_key(u16 key)
{
	fw_cfg_write(&fc, FW_CFG_PORT_SEL, 2, key);
}

/* Reads n bytes from the data port into out. */
static void read_bytes(u8 *out, u32 n)
{
	for (u32 i = 0; i < n; i++)
		out[i] = (u8)fw_cfg_read(&fc, FW_CFG_PORT_DATA, 1);
}

/* Selects key, reads n bytes and compares them with want. */
static bool item_is(u16 key, const void *want, u32 n)
{
	u8 got[512];

	select_key(key);
	read_bytes(got, n);
	return !memcmp(got, want, n);
}

TEST(ports_are_0x510_and_0x511_without_dma)
{
	CHECK(fw_cfg_claims(0x510));
	CHECK(fw_cfg_claims(0x511));
	CHECK(!fw_cfg_claims(0x50f));
	CHECK(!fw_cfg_claims(0x512));
	CHECK(!fw_cfg_claims(0x514)); /* DMA address register */
	CHECK(!fw_cfg_claims(0x518));
}

TEST(signature_is_qemu_then_zeros)
{
	init();
	CHECK(item_is(FW_CFG_SIGNATURE, "QEMU\0\0\0\0", 8));
}

TEST(init_and_reset_select_the_signature)
{
	u8 b[4];

	init();
	read_bytes(b, 4);
	CHECK(!memcmp(b, "QEMU", 4));
	select_key(FW_CFG_NB_CPUS);
	read_bytes(b, 1);
	fw_cfg_reset(&fc);
	read_bytes(b, 4);
	CHECK(!memcmp(b, "QEMU", 4));
}

TEST(id_offers_the_traditional_interface_only)
{
	init();
	CHECK(item_is(FW_CFG_ID, "\x01\0\0\0", 4));
}

TEST(ram_size_is_64_bit_little_endian)
{
	init();
	CHECK(item_is(FW_CFG_RAM_SIZE, "\x00\x60\x45\x23\x01\0\0\0" "\0", 9));
}

TEST(cpu_counts_are_16_bit_little_endian)
{
	init();
	CHECK(item_is(FW_CFG_NB_CPUS, "\x02\x00\x00", 3));
	CHECK(item_is(FW_CFG_MAX_CPUS, "\x04\x00\x00", 3));
	fw_cfg_init(&fc, 0x1234, 0xabcd, 0);
	CHECK(item_is(FW_CFG_NB_CPUS, "\x34\x12", 2));
	CHECK(item_is(FW_CFG_MAX_CPUS, "\xcd\xab", 2));
	CHECK(item_is(FW_CFG_RAM_SIZE, "\0\0\0\0\0\0\0\0", 8));
}

TEST(selecting_restarts_at_offset_0)
{
	u8 b[2];

	init();
	select_key(FW_CFG_SIGNATURE);
	read_bytes(b, 2);
	CHECK(!memcmp(b, "QE", 2));
	CHECK(item_is(FW_CFG_SIGNATURE, "QEMU", 4));
}

TEST(reads_past_the_end_give_zero_and_stay_there)
{
	u8 b[300];

	init();
	select_key(FW_CFG_NB_CPUS);
	read_bytes(b, sizeof(b));
	CHECK_EQ(b[0], 2);
	for (u32 i = 1; i < sizeof(b); i++)
		CHECK_EQ(b[i], 0);
	CHECK_EQ(fc.offset, 2);
}

TEST(keys_without_an_item_read_zero)
{
	static const u8 zeros[16];

	init();
	CHECK(item_is(0x0002, zeros, 16)); /* UUID: none */
	CHECK(item_is(0x0004, zeros, 16));
	CHECK(item_is(FW_CFG_FILE_FIRST, zeros, 16)); /* no files yet */
	CHECK(item_is(0x3fff, zeros, 16));
	CHECK(item_is(FW_CFG_ARCH_LOCAL | FW_CFG_SIGNATURE, zeros, 16));
}

TEST(the_write_channel_bit_still_selects_the_item)
{
	init();
	CHECK(item_is(FW_CFG_WRITE_CHANNEL | FW_CFG_SIGNATURE, "QEMU", 4));
	CHECK(item_is(FW_CFG_WRITE_CHANNEL | FW_CFG_NB_CPUS, "\x02\x00", 2));
}

TEST(data_writes_are_ignored_and_counted)
{
	u8 b[4];

	init();
	select_key(FW_CFG_SIGNATURE);
	fw_cfg_write(&fc, FW_CFG_PORT_DATA, 1, 'X');
	read_bytes(b, 4);
	CHECK(!memcmp(b, "QEMU", 4));
	CHECK_EQ(fc.ignored_writes, 1);
}

TEST(the_selector_takes_only_16_bit_writes)
{
	u8 b[4];

	init();
	fw_cfg_write(&fc, FW_CFG_PORT_SEL, 1, FW_CFG_NB_CPUS);
	fw_cfg_write(&fc, FW_CFG_PORT_SEL, 4, FW_CFG_NB_CPUS);
	fw_cfg_write(&fc, FW_CFG_PORT_DATA, 2, FW_CFG_NB_CPUS);
	read_bytes(b, 4);
	CHECK(!memcmp(b, "QEMU", 4));
	CHECK_EQ(fc.ignored_writes, 3);
}

TEST(wide_reads_give_all_ones_and_do_not_advance)
{
	u8 b[1];

	init();
	CHECK_EQ(fw_cfg_read(&fc, FW_CFG_PORT_DATA, 2), 0xffff);
	CHECK_EQ(fw_cfg_read(&fc, FW_CFG_PORT_DATA, 4), 0xffffffff);
	CHECK_EQ(fw_cfg_read(&fc, FW_CFG_PORT_SEL, 2), 0xffff);
	read_bytes(b, 1);
	CHECK_EQ(b[0], 'Q');
}

TEST(a_byte_read_of_the_selector_port_reads_data)
{
	init();
	CHECK_EQ(fw_cfg_read(&fc, FW_CFG_PORT_SEL, 1), 'Q');
	CHECK_EQ(fw_cfg_read(&fc, FW_CFG_PORT_DATA, 1), 'E');
}

TEST(empty_file_directory_is_a_zero_count)
{
	init();
	CHECK(item_is(FW_CFG_FILE_DIR, "\0\0\0\0\0", 5));
}

TEST(file_directory_lists_size_key_and_name_big_endian)
{
	static const u8 e820[0x104] = { 1, 2, 3 };
	static const u8 cfg[3] = { 9, 8, 7 };
	u8 want[4 + 2 * 64] = { 0, 0, 0, 2 };
	u8 *e = want + 4;

	init();
	CHECK_EQ(fw_cfg_add_file(&fc, "etc/e820", e820, sizeof(e820)), 0x20);
	CHECK_EQ(fw_cfg_add_file(&fc, "opt/org.example/cfg", cfg, sizeof(cfg)), 0x21);
	memcpy(e, "\x00\x00\x01\x04\x00\x20\x00\x00" "etc/e820", 16);
	memcpy(e + 64, "\x00\x00\x00\x03\x00\x21\x00\x00" "opt/org.example/cfg", 27);
	CHECK(item_is(FW_CFG_FILE_DIR, want, sizeof(want)));
	CHECK_EQ(fw_cfg_read(&fc, FW_CFG_PORT_DATA, 1), 0); /* past the end */
}

TEST(files_read_by_their_key)
{
	static const u8 a[5] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4 };
	static const u8 b[2] = { 0xb0, 0xb1 };

	init();
	CHECK_EQ(fw_cfg_add_file(&fc, "a", a, sizeof(a)), FW_CFG_FILE_FIRST);
	CHECK_EQ(fw_cfg_add_file(&fc, "b", b, sizeof(b)), FW_CFG_FILE_FIRST + 1);
	CHECK(item_is(FW_CFG_FILE_FIRST, "\xa0\xa1\xa2\xa3\xa4\0", 6));
	CHECK(item_is(FW_CFG_FILE_FIRST + 1, "\xb0\xb1\0", 3));
	CHECK(item_is(FW_CFG_FILE_FIRST + 2, "\0", 1));
}

TEST(an_empty_file_is_listed_and_reads_zero)
{
	init();
	CHECK_EQ(fw_cfg_add_file(&fc, "etc/empty", NULL, 0), 0x20);
	CHECK(item_is(FW_CFG_FILE_DIR, "\0\0\0\1" "\0\0\0\0" "\0\x20\0\0" "etc/empty", 21));
	CHECK(item_is(0x20, "\0\0", 2));
}

TEST(add_file_refuses_bad_names_duplicates_and_a_full_table)
{
	char name[FW_CFG_NAME_LEN + 1];

	init();
	memset(name, 'n', sizeof(name));
	name[FW_CFG_NAME_LEN] = 0;
	CHECK_EQ(fw_cfg_add_file(&fc, name, NULL, 0), -EINVAL);
	name[FW_CFG_NAME_LEN - 1] = 0; /* 55 characters fit */
	CHECK_EQ(fw_cfg_add_file(&fc, name, NULL, 0), 0x20);
	CHECK_EQ(fw_cfg_add_file(&fc, "", NULL, 0), -EINVAL);
	CHECK_EQ(fw_cfg_add_file(&fc, name, NULL, 0), -EEXIST);
	for (int i = 1; i < FW_CFG_FILES_MAX; i++) {
		char n[8] = { 'f', (char)('a' + i) };

		CHECK_EQ(fw_cfg_add_file(&fc, n, NULL, 0), 0x20 + i);
	}
	CHECK_EQ(fw_cfg_add_file(&fc, "one-more", NULL, 0), -ENOSPC);
	CHECK_EQ(fc.nfiles, FW_CFG_FILES_MAX);
}

TEST(a_full_directory_has_every_entry)
{
	u8 b[4 + FW_CFG_FILES_MAX * 64];

	init();
	for (int i = 0; i < FW_CFG_FILES_MAX; i++) {
		char n[8] = { 'f', (char)('a' + i) };

		fw_cfg_add_file(&fc, n, NULL, (u32)i * 0x01010101u);
	}
	select_key(FW_CFG_FILE_DIR);
	read_bytes(b, sizeof(b));
	CHECK_EQ(b[3], FW_CFG_FILES_MAX);
	for (int i = 0; i < FW_CFG_FILES_MAX; i++) {
		const u8 *e = b + 4 + 64 * i;

		CHECK_EQ(e[0] + e[1] + e[2] + e[3], 4 * i);
		CHECK_EQ(e[4] << 8 | e[5], 0x20 + i);
		CHECK_EQ(e[9], 'a' + i);
		CHECK_EQ(e[10], 0);
	}
}

RUN_TESTS("fw_cfg",
	  T(ports_are_0x510_and_0x511_without_dma),
	  T(signature_is_qemu_then_zeros),
	  T(init_and_reset_select_the_signature),
	  T(id_offers_the_traditional_interface_only),
	  T(ram_size_is_64_bit_little_endian),
	  T(cpu_counts_are_16_bit_little_endian),
	  T(selecting_restarts_at_offset_0),
	  T(reads_past_the_end_give_zero_and_stay_there),
	  T(keys_without_an_item_read_zero),
	  T(the_write_channel_bit_still_selects_the_item),
	  T(data_writes_are_ignored_and_counted),
	  T(the_selector_takes_only_16_bit_writes),
	  T(wide_reads_give_all_ones_and_do_not_advance),
	  T(a_byte_read_of_the_selector_port_reads_data),
	  T(empty_file_directory_is_a_zero_count),
	  T(file_directory_lists_size_key_and_name_big_endian),
	  T(files_read_by_their_key),
	  T(an_empty_file_is_listed_and_reads_zero),
	  T(add_file_refuses_bad_names_duplicates_and_a_full_table),
	  T(a_full_directory_has_every_entry))
