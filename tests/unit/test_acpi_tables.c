/* The ACPI tables of a child (guests/mgmt/acpi_tables.c) against the
 * ACPI 6.x specification, chapter 5.2: the RSDP and its scan, checksums,
 * lengths, every field the platform depends on, the DSDT's AML, and then
 * iasl (Debian acpica-tools): every table but the RSDP (iasl cannot load
 * one from a file) is disassembled without errors, the output names the
 * expected values, and iasl compiles its own output back to our bytes. */
#include "check.h"
#include "../../guests/mgmt/acpi_tables.c"

#include <stdlib.h>
#include <unistd.h>

#define GPA ACPI_TABLES_GPA
#define BIOS_AREA 0xe0000u
#define BIOS_AREA_END 0x100000u

static u8 blk[ACPI_TABLES_MAX];
static struct acpi_layout lay;

/* Builds the tables for vcpus at GPA into blk; returns the size. */
static int build(u32 vcpus)
{
	struct acpi_config cfg = { .vcpus = vcpus, .ram_bytes = 256 * MIB };

	return acpi_build_tables(&cfg, GPA, blk, sizeof(blk), &lay);
}

static u32 rd32(u32 off)
{
	u32 v;

	memcpy(&v, blk + off, 4);
	return v;
}

static u64 rd64(u32 off)
{
	u64 v;

	memcpy(&v, blk + off, 8);
	return v;
}

static u16 rd16(u32 off)
{
	return (u16)(blk[off] | blk[off + 1] << 8);
}

static u8 sum(const u8 *p, u32 len)
{
	u8 s = 0;

	for (u32 i = 0; i < len; i++)
		s = (u8)(s + p[i]);
	return s;
}

/* The length field of the table at off. */
static u32 table_len(u32 off)
{
	return rd32(off + 4);
}

/* FADT field offsets (ACPI 6.x table 5.9) */
#define F_FACS 36
#define F_DSDT 40
#define F_SCI 46
#define F_SMI_CMD 48
#define F_PM1A_EVT 56
#define F_PM1A_CNT 64
#define F_PM_TMR 76
#define F_PM1_EVT_LEN 88
#define F_PM1_CNT_LEN 89
#define F_PM_TMR_LEN 91
#define F_CENTURY 108
#define F_BOOT_ARCH 109
#define F_FLAGS 112
#define F_RESET_REG 116
#define F_RESET_VALUE 128
#define F_X_FACS 132
#define F_X_DSDT 140
#define F_X_PM1A_EVT 148
#define F_X_PM1A_CNT 172
#define F_X_PM_TMR 208

TEST(rsdp_has_revision_2_length_36_and_both_checksums)
{
	CHECK(build(1) > 0);
	CHECK_EQ(lay.rsdp, 0);
	CHECK(!memcmp(blk, "RSD PTR ", 8));
	CHECK(!memcmp(blk + 9, "MHV   ", 6));
	CHECK_EQ(blk[15], 2);
	CHECK_EQ(rd32(20), 36);
	CHECK_EQ(sum(blk, 20), 0);
	CHECK_EQ(sum(blk, 36), 0);
	CHECK_EQ(rd32(16), GPA + lay.rsdt);
	CHECK_EQ(rd64(24), GPA + lay.xsdt);
	CHECK_EQ(blk[33] | blk[34] | blk[35], 0);
}

/* The BIOS way: every 16-byte boundary of 0xE0000-0xFFFFF, the
 * signature and the ACPI 1.0 checksum; -1 when there is none. */
static long scan_for_rsdp(const u8 *area)
{
	for (u32 off = 0; off + 20 <= BIOS_AREA_END - BIOS_AREA; off += 16)
		if (!memcmp(area + off, "RSD PTR ", 8) && sum(area + off, 20) == 0)
			return BIOS_AREA + off;
	return -1;
}

TEST(rsdp_is_found_by_the_bios_area_scan)
{
	static u8 area[BIOS_AREA_END - BIOS_AREA];
	static const u32 places[] = { 0xe0000, 0xf0000, 0xffc00, 0xe1230 };

	for (size_t i = 0; i < ARRAY_SIZE(places); i++) {
		struct acpi_config cfg = { .vcpus = 2 };
		int n = acpi_build_tables(&cfg, places[i], blk, sizeof(blk), &lay);

		memset(area, 0, sizeof(area));
		CHECK(n > 0 && places[i] + (u32)n <= BIOS_AREA_END);
		memcpy(area + places[i] - BIOS_AREA, blk, (size_t)n);
		CHECK_EQ(scan_for_rsdp(area), places[i]);
		/* and the XSDT it names is in the block */
		CHECK_EQ(rd64(24) - places[i], lay.xsdt);
	}
}

TEST(every_table_sums_to_zero_over_its_length)
{
	for (u32 n = 1; n <= ACPI_MAX_VCPUS; n += 51) {
		CHECK(build(n) > 0);
		const u32 tables[] = { lay.xsdt, lay.rsdt, lay.fadt, lay.madt, lay.dsdt };

		for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
			CHECK_EQ(sum(blk + tables[i], table_len(tables[i])), 0);
	}
}

TEST(table_lengths_and_signatures)
{
	CHECK_EQ(build(3), lay.size);
	CHECK(!memcmp(blk + lay.xsdt, "XSDT", 4));
	CHECK_EQ(table_len(lay.xsdt), 36 + 2 * 8);
	CHECK(!memcmp(blk + lay.rsdt, "RSDT", 4));
	CHECK_EQ(table_len(lay.rsdt), 36 + 2 * 4);
	CHECK(!memcmp(blk + lay.fadt, "FACP", 4));
	CHECK_EQ(table_len(lay.fadt), 276);
	CHECK_EQ(blk[lay.fadt + 8], 6);
	CHECK(!memcmp(blk + lay.madt, "APIC", 4));
	CHECK_EQ(table_len(lay.madt), 36 + 8 + 3 * 8 + 12 + 2 * 10 + 6);
	CHECK(!memcmp(blk + lay.dsdt, "DSDT", 4));
	CHECK_EQ(blk[lay.dsdt + 8], 2);
	CHECK_EQ(lay.dsdt + table_len(lay.dsdt), lay.size);
	CHECK(!memcmp(blk + lay.facs, "FACS", 4));
	CHECK_EQ(table_len(lay.facs), 64);
	CHECK_EQ(blk[lay.facs + 32], 2);
}

TEST(tables_are_aligned_and_do_not_overlap)
{
	CHECK(build(ACPI_MAX_VCPUS) > 0);
	CHECK(lay.size <= ACPI_TABLES_MAX);
	CHECK_EQ(lay.facs % 64, 0);
	CHECK_EQ(lay.xsdt % 16 + lay.rsdt % 16 + lay.fadt % 16 + lay.madt % 16 + lay.dsdt % 16, 0);
	CHECK(36 <= lay.facs);
	CHECK(lay.facs + 64 <= lay.xsdt);
	CHECK(lay.xsdt + table_len(lay.xsdt) <= lay.rsdt);
	CHECK(lay.rsdt + table_len(lay.rsdt) <= lay.fadt);
	CHECK(lay.fadt + table_len(lay.fadt) <= lay.madt);
	CHECK(lay.madt + table_len(lay.madt) <= lay.dsdt);
}

TEST(oem_ids_default_to_mhv_and_can_be_chosen)
{
	struct acpi_config cfg = { .vcpus = 1, .oem_id = "ABCDEFG", .oem_table_id = "T1" };

	CHECK(build(1) > 0);
	CHECK(!memcmp(blk + lay.madt + 10, "MHV   MHVPC   ", 14));
	CHECK(!memcmp(blk + lay.madt + 28, "MHV ", 4));
	CHECK_EQ(rd32(lay.madt + 24), 1);
	CHECK(acpi_build_tables(&cfg, GPA, blk, sizeof(blk), &lay) > 0);
	CHECK(!memcmp(blk + 9, "ABCDEF", 6));
	CHECK(!memcmp(blk + lay.fadt + 10, "ABCDEFT1      ", 14));
	CHECK(!memcmp(blk + lay.dsdt + 10, "ABCDEFT1      ", 14));
	CHECK_EQ(sum(blk + lay.fadt, 276), 0);
}

TEST(xsdt_and_rsdt_list_the_fadt_then_the_madt)
{
	CHECK(build(1) > 0);
	CHECK_EQ(rd64(lay.xsdt + 36), GPA + lay.fadt);
	CHECK_EQ(rd64(lay.xsdt + 44), GPA + lay.madt);
	CHECK_EQ(rd32(lay.rsdt + 36), GPA + lay.fadt);
	CHECK_EQ(rd32(lay.rsdt + 40), GPA + lay.madt);
}

TEST(madt_local_apic_address_and_pcat_compat)
{
	CHECK(build(1) > 0);
	CHECK_EQ(blk[lay.madt + 8], 5);
	CHECK_EQ(rd32(lay.madt + 36), 0xfee00000);
	CHECK_EQ(rd32(lay.madt + 40), 1);
}

TEST(madt_one_enabled_local_apic_per_vcpu_ids_0_to_n_minus_1)
{
	CHECK(build(4) > 0);
	for (u32 i = 0; i < 4; i++) {
		const u8 want[8] = { 0, 8, (u8)i, (u8)i, 1, 0, 0, 0 };

		CHECK(!memcmp(blk + lay.madt + 44 + 8 * i, want, 8));
	}
	CHECK_EQ(blk[lay.madt + 44 + 32], 1); /* then the IOAPIC */
}

TEST(madt_ioapic_id_0_at_fec00000_gsi_base_0)
{
	const u8 want[12] = { 1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };

	CHECK(build(2) > 0);
	CHECK(!memcmp(blk + lay.madt + 44 + 16, want, 12));
}

TEST(madt_overrides_irq0_to_gsi2_and_sci_level_active_high)
{
	const u8 irq0[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0x00, 0x00 };
	const u8 sci[10] = { 2, 10, 0, 9, 9, 0, 0, 0, 0x0d, 0x00 };
	u32 at;

	CHECK(build(1) > 0);
	at = lay.madt + 44 + 8 + 12;
	CHECK(!memcmp(blk + at, irq0, 10));
	CHECK(!memcmp(blk + at + 10, sci, 10));
}

TEST(madt_nmi_on_lint1_of_every_processor_ends_the_table)
{
	const u8 nmi[6] = { 4, 6, 0xff, 0, 0, 1 };

	CHECK(build(1) > 0);
	CHECK(!memcmp(blk + lay.madt + table_len(lay.madt) - 6, nmi, 6));
}

TEST(fadt_pm1_blocks_and_the_32_bit_pm_timer)
{
	CHECK(build(1) > 0);
	CHECK_EQ(rd32(lay.fadt + F_PM1A_EVT), 0x600);
	CHECK_EQ(blk[lay.fadt + F_PM1_EVT_LEN], 4);
	CHECK_EQ(rd32(lay.fadt + F_PM1A_CNT), 0x604);
	CHECK_EQ(blk[lay.fadt + F_PM1_CNT_LEN], 2);
	CHECK_EQ(rd32(lay.fadt + F_PM_TMR), 0x608);
	CHECK_EQ(blk[lay.fadt + F_PM_TMR_LEN], 4);
	CHECK(rd32(lay.fadt + F_FLAGS) & BIT(8)); /* TMR_VAL_EXT */
	/* no PM1b, PM2 or GPE blocks */
	for (u32 off = 60; off < 88; off += 4)
		if (off != F_PM1A_CNT && off != F_PM_TMR)
			CHECK_EQ(rd32(lay.fadt + off), 0);
}

/* A GAS: space, bit width, bit offset, access size, address. */
static void check_gas(u32 off, u8 space, u8 width, u8 access, u64 addr)
{
	CHECK_EQ(blk[off], space);
	CHECK_EQ(blk[off + 1], width);
	CHECK_EQ(blk[off + 2], 0);
	CHECK_EQ(blk[off + 3], access);
	CHECK_EQ(rd64(off + 4), addr);
}

TEST(fadt_x_blocks_match_the_legacy_ones)
{
	CHECK(build(1) > 0);
	check_gas(lay.fadt + F_X_PM1A_EVT, 1, 32, 2, 0x600);
	check_gas(lay.fadt + F_X_PM1A_CNT, 1, 16, 2, 0x604);
	check_gas(lay.fadt + F_X_PM_TMR, 1, 32, 3, 0x608);
	check_gas(lay.fadt + F_X_PM1A_EVT + 12, 0, 0, 0, 0); /* X_PM1b_EVT */
}

TEST(fadt_sci_9_no_smi_command_century_0x32)
{
	CHECK(build(1) > 0);
	CHECK_EQ(rd16(lay.fadt + F_SCI), 9);
	CHECK_EQ(rd32(lay.fadt + F_SMI_CMD), 0);
	CHECK_EQ(rd32(lay.fadt + F_SMI_CMD + 4), 0); /* enable/disable/S4/PSTATE */
	CHECK_EQ(blk[lay.fadt + F_CENTURY], 0x32);
}

TEST(fadt_reset_register_is_port_cf9_value_6)
{
	CHECK(build(1) > 0);
	check_gas(lay.fadt + F_RESET_REG, 1, 8, 1, 0xcf9);
	CHECK_EQ(blk[lay.fadt + F_RESET_VALUE], 6);
	CHECK(rd32(lay.fadt + F_FLAGS) & BIT(10)); /* RESET_REG_SUP */
}

TEST(fadt_flags_and_boot_arch)
{
	CHECK(build(1) > 0);
	/* WBINVD, PROC_C1, PWR_BUTTON, SLP_BUTTON, TMR_VAL_EXT, RESET_REG_SUP */
	CHECK_EQ(rd32(lay.fadt + F_FLAGS), 0x535);
	/* LEGACY_DEVICES | 8042 */
	CHECK_EQ(rd16(lay.fadt + F_BOOT_ARCH), 0x3);
	CHECK(!(rd32(lay.fadt + F_FLAGS) & BIT(20))); /* not HW_REDUCED_ACPI */
}

TEST(fadt_points_at_the_dsdt_and_facs_both_ways)
{
	CHECK(build(1) > 0);
	CHECK_EQ(rd32(lay.fadt + F_DSDT), GPA + lay.dsdt);
	CHECK_EQ(rd64(lay.fadt + F_X_DSDT), GPA + lay.dsdt);
	CHECK_EQ(rd32(lay.fadt + F_FACS), GPA + lay.facs);
	CHECK_EQ(rd64(lay.fadt + F_X_FACS), GPA + lay.facs);
}

/* Where needle first occurs in the DSDT, or -1. */
static long dsdt_find(const void *needle, size_t n)
{
	u32 len = table_len(lay.dsdt);

	for (u32 i = 36; i + n <= len; i++)
		if (!memcmp(blk + lay.dsdt + i, needle, n))
			return i;
	return -1;
}

TEST(dsdt_s5_package_is_slp_typ_0_first)
{
	/* NameOp "_S5_" PackageOp PkgLength(6) NumElements(4) Zero x4 */
	static const u8 s5[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0 };

	CHECK(build(1) > 0);
	CHECK_EQ(dsdt_find(s5, sizeof(s5)), 36);
}

TEST(dsdt_com1_pnp0501_io_3f8_irq4)
{
	/* Name(_HID, EisaId("PNP0501")) */
	static const u8 hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01 };
	/* Name(_CRS, Buffer(13) { IO 3f8/8, IRQ 4, end }) */
	static const u8 crs[] = { 0x08, '_', 'C', 'R', 'S', 0x11, 0x10, 0x0a, 0x0d,
				  0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08,
				  0x22, 0x10, 0x00, 0x79, 0x00 };
	long dev;

	CHECK(build(1) > 0);
	dev = dsdt_find("\x5b\x82\x25" "COM1", 7);
	CHECK(dev > 0);
	CHECK_EQ(dsdt_find(hid, sizeof(hid)), dev + 7);
	CHECK_EQ(dsdt_find(crs, sizeof(crs)), dev + 7 + sizeof(hid));
}

TEST(dsdt_rtc_pnp0b00_io_70_irq8)
{
	static const u8 hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0b, 0x00 };
	static const u8 io_irq[] = { 0x47, 0x01, 0x70, 0x00, 0x70, 0x00, 0x01, 0x02,
				     0x22, 0x00, 0x01, 0x79, 0x00 };
	long dev;

	CHECK(build(1) > 0);
	dev = dsdt_find("\x5b\x82\x25" "RTC_", 7);
	CHECK(dev > 0);
	CHECK_EQ(dsdt_find(hid, sizeof(hid)), dev + 7);
	CHECK(dsdt_find(io_irq, sizeof(io_irq)) > dev);
}

TEST(dsdt_sb_scope_has_a_two_byte_pkglength)
{
	long scope;

	CHECK(build(1) > 0);
	scope = dsdt_find("\x10", 1);
	CHECK_EQ(scope, 48);
	/* body: "_SB_" + two devices of 2 + 0x25 bytes; with 2 bytes of length */
	CHECK_EQ(blk[lay.dsdt + scope + 1], 0x40 | ((4 + 2 * 0x27 + 2) & 0xf));
	CHECK_EQ(blk[lay.dsdt + scope + 2], (4 + 2 * 0x27 + 2) >> 4);
	CHECK_EQ(lay.dsdt + scope + 1 + 4 + 2 * 0x27 + 2, lay.size);
}

TEST(aml_pkglength_uses_1_2_or_3_bytes)
{
	static u8 buf[0x2000];
	static const struct {
		u32 body;
		u8 n;
		u8 enc[3];
	} cases[] = {
		{ 0, 1, { 0x01 } },
		{ 62, 1, { 0x3f } },
		{ 63, 2, { 0x41, 0x04 } },
		{ 0xffd, 2, { 0x4f, 0xff } },
		{ 0xffe, 3, { 0x81, 0x00, 0x01 } },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct aml a = { buf, 0, sizeof(buf) };
		u32 start = aml_open(&a);

		for (u32 j = 0; j < cases[i].body; j++)
			aml_byte(&a, 0xaa);
		aml_close(&a, start);
		CHECK_EQ(a.len, cases[i].body + cases[i].n);
		CHECK(!memcmp(buf, cases[i].enc, cases[i].n));
		CHECK_EQ(buf[a.len - 1], cases[i].body ? 0xaa : cases[i].enc[0]);
	}
}

TEST(aml_eisa_id_compresses_three_letters_and_four_digits)
{
	u8 buf[8];
	struct aml a = { buf, 0, sizeof(buf) };
	static const u8 want[] = { 0x0c, 0x41, 0xd0, 0x0a, 0x03, 0x0c, 0x41, 0xd0, 0x0c, 0x0a };

	aml_eisa_id(&a, "PNP0A03");
	CHECK(!memcmp(buf, want, 5));
	a.len = 0;
	aml_eisa_id(&a, "PNP0C0A");
	CHECK(!memcmp(buf, want + 5, 5));
}

TEST(bad_configs_are_refused)
{
	struct acpi_config cfg = { .vcpus = 0 };

	CHECK_EQ(acpi_build_tables(&cfg, GPA, blk, sizeof(blk), &lay), -EINVAL);
	cfg.vcpus = ACPI_MAX_VCPUS + 1;
	CHECK_EQ(acpi_build_tables(&cfg, GPA, blk, sizeof(blk), &lay), -EINVAL);
	cfg.vcpus = 1;
	CHECK_EQ(acpi_build_tables(&cfg, GPA + 8, blk, sizeof(blk), &lay), -EINVAL);
	CHECK_EQ(acpi_build_tables(&cfg, 0xffffff00, blk, sizeof(blk), &lay), -EINVAL);
	CHECK(acpi_build_tables(&cfg, 0xfffff000, blk, sizeof(blk), &lay) > 0);
}

TEST(a_small_buffer_gives_enospc_and_the_exact_size_fits)
{
	struct acpi_config cfg = { .vcpus = 2 };
	int size = build(2);

	CHECK(size > 0);
	CHECK_EQ(acpi_build_tables(&cfg, GPA, blk, 64, &lay), -ENOSPC);
	CHECK_EQ(acpi_build_tables(&cfg, GPA, blk, (u32)size - 1, &lay), -ENOSPC);
	CHECK_EQ(acpi_build_tables(&cfg, GPA, blk, (u32)size, &lay), size);
	CHECK_EQ(sum(blk + lay.dsdt, table_len(lay.dsdt)), 0);
}

/* ---- iasl --------------------------------------------------------------- */

static char dir[] = "/tmp/test_acpi_tables.XXXXXX";
static char dsl[65536], log_text[16384];

/* DIR/name into buf as a string; false when it cannot be read. */
static bool read_text(const char *name, char *buf, size_t cap)
{
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	fclose(f);
	return true;
}

/* How iasl reports a table it had to repair or could not decode: it
 * still exits 0 for most of them. */
static bool iasl_complained(void)
{
	static const char *const in_dsl[] = { "****", "Invalid", "Incorrect" };
	static const char *const in_log[] = { "Error", "Warning" };

	for (size_t i = 0; i < ARRAY_SIZE(in_dsl); i++)
		if (strstr(dsl, in_dsl[i]))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(in_log); i++)
		if (strstr(log_text, in_log[i]))
			return true;
	return false;
}

/* Writes the table at off (len bytes) to DIR/name.dat and disassembles
 * it; the .dsl ends up in dsl, iasl's messages in log_text. False when
 * iasl failed or complained. */
static bool disassemble(const char *name, u32 off, u32 len)
{
	char path[128], cmd[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(blk + off, 1, len, f) != len || fclose(f))
		return false;
	snprintf(cmd, sizeof(cmd), "cd %s && iasl -d %s.dat >%s.log 2>&1", dir, name, name);
	if (system(cmd) != 0)
		return false;
	snprintf(path, sizeof(path), "%s.dsl", name);
	if (!read_text(path, dsl, sizeof(dsl)))
		return false;
	snprintf(path, sizeof(path), "%s.log", name);
	return read_text(path, log_text, sizeof(log_text)) && !iasl_complained();
}

/* iasl compiles the .dsl back; the result must equal our table after the
 * header (the compiler id in the header is iasl's own). */
static bool recompiles_to_the_same(const char *name, u32 off, u32 len, u32 from)
{
	char path[128], cmd[256];
	static u8 aml[8192];
	FILE *f;
	size_t n;

	snprintf(cmd, sizeof(cmd), "cd %s && iasl -p %s-rt %s.dsl >%s-rt.log 2>&1", dir, name,
		 name, name);
	if (system(cmd) != 0)
		return false;
	snprintf(path, sizeof(path), "%s/%s-rt.aml", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return false;
	n = fread(aml, 1, sizeof(aml), f);
	fclose(f);
	return n == len && !memcmp(aml + from, blk + off + from, len - from);
}

static void check_table(const char *name, u32 off, const char *const *want)
{
	u32 len = !memcmp(blk + off, "FACS", 4) ? 64 : table_len(off);

	CHECK(disassemble(name, off, len));
	for (; *want; want++)
		if (!strstr(dsl, *want)) {
			printf("  %s.dsl lacks \"%s\"\n", name, *want);
			CHECK(0);
		}
	CHECK(recompiles_to_the_same(name, off, len, strcmp(name, "facs") ? 36 : 0));
}

TEST(iasl_disassembles_the_madt)
{
	static const char *const want[] = {
		"Local Apic Address : FEE00000", "PC-AT Compatibility : 1",
		"Local Apic ID : 01", "Subtable Type : 01 [I/O APIC]", "Address : FEC00000",
		"Subtable Type : 02 [Interrupt Source Override]", "Interrupt : 00000002",
		"Flags (decoded below) : 000D", "Subtable Type : 04 [Local APIC NMI]",
		"Interrupt Input LINT : 01", NULL
	};

	CHECK(build(2) > 0);
	check_table("apic", lay.madt, want);
}

TEST(iasl_disassembles_the_fadt)
{
	static char dsdt[64];
	const char *const want[] = {
		"Revision : 06", "SCI Interrupt : 0009", "SMI Command Port : 00000000",
		"PM1A Event Block Address : 00000600", "PM1A Control Block Address : 00000604",
		"PM Timer Block Address : 00000608", "PM Timer Block Length : 04",
		"RTC Century Index : 32", "Legacy Devices Supported (V2) : 1",
		"8042 Present on ports 60/64 (V2) : 1", "32-bit PM Timer (V1) : 1",
		"Reset Register Supported (V2) : 1", "Address : 0000000000000CF9",
		"Value to cause reset : 06", "Address : 0000000000000608", dsdt, NULL
	};

	CHECK(build(1) > 0);
	snprintf(dsdt, sizeof(dsdt), "DSDT Address : %016X", GPA + lay.dsdt);
	check_table("facp", lay.fadt, want);
}

TEST(iasl_disassembles_the_dsdt)
{
	static const char *const want[] = {
		"Name (_S5, Package (0x04)", "Device (COM1)", "EisaId (\"PNP0501\")",
		"0x03F8,             // Range Minimum", "{4}", "Device (RTC)",
		"EisaId (\"PNP0B00\")", "{8}", NULL
	};

	CHECK(build(1) > 0);
	check_table("dsdt", lay.dsdt, want);
}

TEST(iasl_disassembles_xsdt_rsdt_and_facs)
{
	static char fadt64[64], fadt32[64];
	const char *const xsdt[] = { fadt64, NULL };
	const char *const rsdt[] = { fadt32, NULL };
	static const char *const facs[] = { "Signature : \"FACS\"", "Length : 00000040",
					    "Version : 02", NULL };

	CHECK(build(1) > 0);
	snprintf(fadt64, sizeof(fadt64), "ACPI Table Address   0 : %016X", GPA + lay.fadt);
	snprintf(fadt32, sizeof(fadt32), "ACPI Table Address   0 : %08X", GPA + lay.fadt);
	check_table("xsdt", lay.xsdt, xsdt);
	check_table("rsdt", lay.rsdt, rsdt);
	check_table("facs", lay.facs, facs);
}

int main(void)
{
	static const struct check_case pure[] = {
		T(rsdp_has_revision_2_length_36_and_both_checksums),
		T(rsdp_is_found_by_the_bios_area_scan),
		T(every_table_sums_to_zero_over_its_length),
		T(table_lengths_and_signatures),
		T(tables_are_aligned_and_do_not_overlap),
		T(oem_ids_default_to_mhv_and_can_be_chosen),
		T(xsdt_and_rsdt_list_the_fadt_then_the_madt),
		T(madt_local_apic_address_and_pcat_compat),
		T(madt_one_enabled_local_apic_per_vcpu_ids_0_to_n_minus_1),
		T(madt_ioapic_id_0_at_fec00000_gsi_base_0),
		T(madt_overrides_irq0_to_gsi2_and_sci_level_active_high),
		T(madt_nmi_on_lint1_of_every_processor_ends_the_table),
		T(fadt_pm1_blocks_and_the_32_bit_pm_timer),
		T(fadt_x_blocks_match_the_legacy_ones),
		T(fadt_sci_9_no_smi_command_century_0x32),
		T(fadt_reset_register_is_port_cf9_value_6),
		T(fadt_flags_and_boot_arch),
		T(fadt_points_at_the_dsdt_and_facs_both_ways),
		T(dsdt_s5_package_is_slp_typ_0_first),
		T(dsdt_com1_pnp0501_io_3f8_irq4),
		T(dsdt_rtc_pnp0b00_io_70_irq8),
		T(dsdt_sb_scope_has_a_two_byte_pkglength),
		T(aml_pkglength_uses_1_2_or_3_bytes),
		T(aml_eisa_id_compresses_three_letters_and_four_digits),
		T(bad_configs_are_refused),
		T(a_small_buffer_gives_enospc_and_the_exact_size_fits),
	};
	static const struct check_case with_iasl[] = {
		T(iasl_disassembles_the_madt),
		T(iasl_disassembles_the_fadt),
		T(iasl_disassembles_the_dsdt),
		T(iasl_disassembles_xsdt_rsdt_and_facs),
	};
	int rc = check_run("acpi_tables", pure, ARRAY_SIZE(pure));
	char cmd[64];

	if (system("command -v iasl >/dev/null 2>&1") != 0) {
		for (size_t i = 0; i < ARRAY_SIZE(with_iasl); i++)
			printf("SKIP unit/acpi_tables/%s: no iasl (Debian acpica-tools; "
			       "make deps installs it)\n", with_iasl[i].name);
		return rc;
	}
	if (!mkdtemp(dir)) {
		printf("FAIL unit/acpi_tables/iasl: cannot make a temporary directory\n");
		return 1;
	}
	rc = check_run("acpi_tables", with_iasl, ARRAY_SIZE(with_iasl));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (rc != 0)
		printf("  iasl's input and output are kept in %s\n", dir);
	else if (system(cmd) != 0)
		printf("  could not remove %s\n", dir);
	return rc;
}
