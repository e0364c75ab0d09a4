/* Unit tests for drivers/acpi_madt.c: tables are assembled in a fake
 * physical memory by small builders, with their checksums fixed up; the
 * map function hands out only that memory, and madt_parse gets heap
 * copies of exactly the table's length, so ASan flags any read past what
 * the parser may touch. */
#include "check.h"
#include "../../drivers/acpi_madt.c"

#define PHYS_SIZE 0x10000u
#define RSDT_PA 0x1000u
#define XSDT_PA 0x2000u
#define OTHER_PA 0x3000u
#define MADT_PA 0x4000u

static u8 phys[PHYS_SIZE];
static u8 rsdp[36];
static struct madt_info info;

static const void *map_phys(u64 pa, u64 len, void *ctx)
{
	(void)ctx;
	if (pa >= PHYS_SIZE || len > PHYS_SIZE - pa)
		return NULL;
	return phys + pa;
}

static u8 sum(const u8 *p, u32 len)
{
	u8 s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* A table's header (signature, length, checksum fixed up). */
static void seal(u8 *t, const char *sig, u32 len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1; /* revision */
	t[9] = 0;
	t[9] = (u8)-sum(t, len);
}

/* A MADT under construction: its entries appended at `len`. */
struct madt_buf {
	u8 *t;
	u32 len;
};

static struct madt_buf madt_begin(void)
{
	struct madt_buf m = { phys + MADT_PA, 44 };

	memset(m.t, 0, 4096);
	put32(m.t + 36, 0xfee00000);
	put32(m.t + 40, 1); /* PC-AT compatible */
	return m;
}

static void add_lapic(struct madt_buf *m, u8 uid, u8 apic_id, u32 flags)
{
	u8 *e = m->t + m->len;

	e[0] = 0;
	e[1] = 8;
	e[2] = uid;
	e[3] = apic_id;
	put32(e + 4, flags);
	m->len += 8;
}

static void add_x2apic(struct madt_buf *m, u32 apic_id, u32 flags, u32 uid)
{
	u8 *e = m->t + m->len;

	e[0] = 9;
	e[1] = 16;
	put32(e + 4, apic_id);
	put32(e + 8, flags);
	put32(e + 12, uid);
	m->len += 16;
}

static void add_raw(struct madt_buf *m, const u8 *bytes, u32 n)
{
	memcpy(m->t + m->len, bytes, n);
	m->len += n;
}

static void madt_end(struct madt_buf *m)
{
	seal(m->t, "APIC", m->len);
}

static void put_address(u8 *p, u64 pa, u32 size)
{
	if (size == 8)
		put64(p, pa);
	else
		put32(p, (u32)pa);
}

/* A root table of `size`-byte entries listing an unrelated table, then
 * the MADT. */
static void make_root(u32 pa, const char *sig, u32 size)
{
	seal(phys + OTHER_PA, "FACP", 36);
	put_address(phys + pa + 36, OTHER_PA, size);
	put_address(phys + pa + 36 + size, MADT_PA, size);
	seal(phys + pa, sig, 36 + 2 * size);
}

static void make_rsdt(void)
{
	make_root(RSDT_PA, "RSDT", 4);
}

static void make_xsdt(void)
{
	make_root(XSDT_PA, "XSDT", 8);
}

static void make_rsdp_v1(void)
{
	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "TESTOE", 6);
	put32(rsdp + 16, RSDT_PA);
	rsdp[8] = (u8)-sum(rsdp, 20);
}

static void make_rsdp_v2(void)
{
	make_rsdp_v1();
	rsdp[15] = 2;
	rsdp[8] = 0;
	rsdp[8] = (u8)-sum(rsdp, 20);
	put32(rsdp + 20, 36);
	put64(rsdp + 24, XSDT_PA);
	rsdp[32] = (u8)-sum(rsdp, 36);
}

static const char *read_v1(void)
{
	make_rsdt();
	make_rsdp_v1();
	return madt_read(rsdp, 20, map_phys, NULL, &info);
}

static const char *read_v2(void)
{
	make_xsdt();
	make_rsdp_v2();
	return madt_read(rsdp, 36, map_phys, NULL, &info);
}

/* madt_parse on a heap copy of exactly len bytes. */
static const char *parse_copy(const u8 *t, u32 len)
{
	u8 *copy = malloc(len ? len : 1);
	const char *why;

	memcpy(copy, t, len);
	why = madt_parse(copy, len, &info);
	free(copy);
	return why;
}

TEST(xapic_through_rsdt)
{
	struct madt_buf m = madt_begin();

	add_lapic(&m, 0, 0, 1);
	add_lapic(&m, 1, 2, 1);
	add_lapic(&m, 2, 4, 1);
	madt_end(&m);
	CHECK(read_v1() == NULL);
	CHECK_EQ(info.count, 3);
	CHECK_EQ(info.apic_ids[0], 0);
	CHECK_EQ(info.apic_ids[1], 2);
	CHECK_EQ(info.apic_ids[2], 4);
	CHECK_EQ(info.lapic_base, 0xfee00000);
	CHECK_EQ(info.disabled + info.online_capable + info.dropped, 0);
}

/* x2APIC entries count; a CPU listed both ways counts once. */
TEST(x2apic_through_xsdt)
{
	struct madt_buf m = madt_begin();

	add_lapic(&m, 0, 0, 1);
	add_x2apic(&m, 0, 1, 0);
	add_x2apic(&m, 0x100, 1, 1);
	add_x2apic(&m, 0x12345, 1, 2);
	madt_end(&m);
	CHECK(read_v2() == NULL);
	CHECK_EQ(info.count, 3);
	CHECK_EQ(info.apic_ids[1], 0x100);
	CHECK_EQ(info.apic_ids[2], 0x12345);
}

/* The Enabled flag starts a CPU; Online Capable alone is counted apart,
 * neither means absent; xAPIC id 0xff is no CPU. */
TEST(disabled_and_online_capable)
{
	struct madt_buf m = madt_begin();

	add_lapic(&m, 0, 0, 1);
	add_lapic(&m, 1, 1, 0);
	add_lapic(&m, 2, 2, 2);
	add_lapic(&m, 3, 0xff, 1);
	add_x2apic(&m, 0x200, 2, 4);
	add_x2apic(&m, 0x201, 0, 5);
	add_lapic(&m, 6, 3, 3); /* enabled wins */
	madt_end(&m);
	CHECK(read_v1() == NULL);
	CHECK_EQ(info.count, 2);
	CHECK_EQ(info.apic_ids[1], 3);
	CHECK_EQ(info.online_capable, 2);
	CHECK_EQ(info.disabled, 2);
}

TEST(other_entries_and_address_override)
{
	static const u8 ioapic[12] = { 1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0 };
	static const u8 override[12] = { 5, 12, 0, 0, 0, 0, 0xe0, 0xfe, 1, 0, 0, 0 };
	static const u8 unknown[3] = { 0x7f, 3, 0xaa };
	struct madt_buf m = madt_begin();

	add_raw(&m, ioapic, sizeof(ioapic));
	add_lapic(&m, 0, 0, 1);
	add_raw(&m, unknown, sizeof(unknown));
	add_raw(&m, override, sizeof(override));
	madt_end(&m);
	CHECK(read_v1() == NULL);
	CHECK_EQ(info.count, 1);
	CHECK_EQ(info.lapic_base, 0x1fee00000ULL);
}

TEST(more_cpus_than_kept)
{
	struct madt_buf m = madt_begin();

	for (u32 i = 0; i < MADT_CPUS_MAX + 6; i++)
		add_x2apic(&m, i, 1, i);
	madt_end(&m);
	CHECK(read_v2() == NULL);
	CHECK_EQ(info.count, MADT_CPUS_MAX);
	CHECK_EQ(info.dropped, 6);
	CHECK_EQ(info.apic_ids[MADT_CPUS_MAX - 1], MADT_CPUS_MAX - 1);
}

/* Entries that do not fit: zero or one-byte lengths, past the end, a
 * stray byte, entries shorter than their type. */
TEST(malformed_entries)
{
	static const u8 bad[][16] = {
		{ 0, 0 }, { 0, 1 }, { 9, 200 }, { 0, 6 }, { 9, 12 }, { 5, 8 },
	};

	for (u32 i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct madt_buf m = madt_begin();
		u32 n = bad[i][1] >= 2 && bad[i][1] <= 12 ? bad[i][1] : 2;

		add_lapic(&m, 0, 0, 1);
		add_raw(&m, bad[i], n);
		madt_end(&m);
		CHECK(read_v1() != NULL);
		CHECK(parse_copy(m.t, m.len) != NULL);
	}
	{
		struct madt_buf m = madt_begin();
		static const u8 stray = 0;

		add_lapic(&m, 0, 0, 1);
		add_raw(&m, &stray, 1);
		madt_end(&m);
		CHECK_STR(read_v1(), "a MADT entry runs past the table's end");
	}
}

TEST(no_enabled_cpu_or_short_table)
{
	struct madt_buf m = madt_begin();

	add_lapic(&m, 0, 0, 0);
	madt_end(&m);
	CHECK_STR(read_v1(), "the MADT lists no enabled processor");
	m = madt_begin();
	madt_end(&m);
	CHECK_STR(read_v1(), "the MADT lists no enabled processor");
	CHECK_STR(parse_copy(m.t, 43), "the MADT is shorter than its header");
}

static void good_madt(void)
{
	struct madt_buf m = madt_begin();

	add_lapic(&m, 0, 0, 1);
	add_lapic(&m, 1, 1, 1);
	madt_end(&m);
}

TEST(checksums)
{
	good_madt();
	phys[MADT_PA + 50] ^= 1;
	CHECK_STR(read_v1(), "a table's checksum is wrong");
	good_madt();
	make_rsdt();
	make_rsdp_v1();
	rsdp[8] ^= 1;
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info), "the RSDP's checksum is wrong");
	make_xsdt();
	make_rsdp_v2();
	rsdp[32] ^= 1;
	CHECK_STR(madt_read(rsdp, 36, map_phys, NULL, &info),
		  "the RSDP's extended checksum is wrong");
	make_rsdp_v2();
	phys[XSDT_PA + 40] ^= 1;
	CHECK_STR(madt_read(rsdp, 36, map_phys, NULL, &info), "a table's checksum is wrong");
}

TEST(root_table_problems)
{
	good_madt();
	CHECK_STR(madt_read((const u8 *)"RSD PTX", 8, map_phys, NULL, &info), "no RSDP");
	make_rsdt();
	make_rsdp_v1();
	CHECK_STR(madt_read(rsdp, 19, map_phys, NULL, &info), "no RSDP");
	/* a v2 RSDP handed over in 20 bytes: its RSDT */
	make_rsdp_v2();
	CHECK(madt_read(rsdp, 20, map_phys, NULL, &info) == NULL);
	make_rsdp_v1();
	seal(phys + RSDT_PA, "XSDT", 44);
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info),
		  "the root table's signature is wrong");
	seal(phys + RSDT_PA, "RSDT", 40); /* lists the other table only */
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info), "no MADT in the root table");
	make_rsdt();
	put32(phys + RSDT_PA + 4, 30);
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info), "a table's length is out of range");
	put32(phys + RSDT_PA + 4, 0x200000);
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info), "a table's length is out of range");
	put32(phys + RSDT_PA + 4, PHYS_SIZE);
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info), "a table lies outside mapped memory");
	put32(rsdp + 16, PHYS_SIZE - 8);
	rsdp[8] = 0;
	rsdp[8] = (u8)-sum(rsdp, 20);
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info), "a table lies outside mapped memory");
	put32(rsdp + 16, 0);
	rsdp[8] = 0;
	rsdp[8] = (u8)-sum(rsdp, 20);
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info), "the RSDP names no RSDT");
}

/* A MADT whose length runs past mapped memory is refused, not read. */
TEST(madt_outside_memory)
{
	make_rsdt();
	put32(phys + RSDT_PA + 40, PHYS_SIZE - 36);
	seal(phys + RSDT_PA, "RSDT", 44);
	memset(phys + PHYS_SIZE - 36, 0, 36);
	seal(phys + PHYS_SIZE - 36, "APIC", 36);
	put32(phys + PHYS_SIZE - 36 + 4, 100);
	make_rsdp_v1();
	CHECK_STR(madt_read(rsdp, 20, map_phys, NULL, &info), "a table lies outside mapped memory");
}

/* Every prefix of a good table, and fixed-seed random entry bytes: an
 * answer each time, never a read outside the table. */
TEST(prefixes_and_garbage)
{
	struct madt_buf m = madt_begin();
	u32 seed = 12345;

	add_lapic(&m, 0, 0, 1);
	add_x2apic(&m, 7, 1, 1);
	add_lapic(&m, 2, 2, 3);
	madt_end(&m);
	for (u32 len = 0; len <= m.len; len++) {
		const char *why = parse_copy(m.t, len);

		CHECK(len == m.len || len == 52 || len == 68 || why != NULL);
	}
	for (u32 round = 0; round < 20000; round++) {
		u32 len = 44 + round % 200;

		for (u32 i = 44; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			m.t[i] = (u8)(seed >> 16);
			if (seed & 0x10000000u)
				m.t[i] %= 12; /* plausible types and lengths */
		}
		parse_copy(m.t, len);
		CHECK(info.count <= MADT_CPUS_MAX);
	}
}

RUN_TESTS("test_madt", T(xapic_through_rsdt), T(x2apic_through_xsdt),
	  T(disabled_and_online_capable), T(other_entries_and_address_override),
	  T(more_cpus_than_kept), T(malformed_entries), T(no_enabled_cpu_or_short_table),
	  T(checksums), T(root_table_problems), T(madt_outside_memory),
	  T(prefixes_and_garbage))
