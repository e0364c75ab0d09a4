/* Guest linear memory (hv/guest_mem.c) over a fake VM: 4-level page
 * tables in 64 KiB of guest-physical RAM. A write that crosses into a page
 * it may not touch changes nothing, faults name the first byte of the
 * faulting page, and non-canonical addresses are not page faults. */
#include "check.h"
#include "../../arch/x86/guest_walk.c"
#include "../../hv/guest_mem.c"

#define RAM_SIZE 0x10000ULL
#define PML4 0x1000ULL
#define PDPT 0x2000ULL
#define PD 0x3000ULL
#define PT 0x4000ULL
#define RW (GW_P | GW_RW)
#define RO GW_P
#define OUTSIDE_RAM 0x100000ULL

/* Linear pages (PT index = linear >> 12) and where they lead. */
#define LIN_RW_A 0x10000ULL    /* -> 0x8000 */
#define LIN_ABSENT 0x11000ULL  /* not present */
#define LIN_RW_B 0x12000ULL    /* -> 0x9000 */
#define LIN_RO 0x13000ULL      /* -> 0xa000, read-only */
#define LIN_RW_C 0x14000ULL    /* -> 0xb000 */
#define LIN_RW_D 0x15000ULL    /* -> 0xc000 */
#define LIN_RW_E 0x16000ULL    /* -> 0xd000 */
#define LIN_NOT_RAM 0x17000ULL /* -> beyond the VM's RAM */

static u8 ram[RAM_SIZE];
static struct vm vm;
static struct vcpu vcpu = { .vm = &vm };
static struct guest_sregs sregs = {
	.cr0 = BIT(0) | BIT(16) | BIT(31), /* PE, WP, PG */
	.cr3 = PML4,
	.cr4 = BIT(5),                     /* PAE */
	.efer = BIT(8) | BIT(10),          /* LME, LMA */
};

void *vm_gpa_ptr(struct vm *m, u64 gpa, u64 len, bool write)
{
	(void)m;
	(void)write;
	if (len > RAM_SIZE || gpa > RAM_SIZE - len)
		return NULL;
	return ram + gpa;
}

static void put_entry(u64 gpa, u64 entry)
{
	memcpy(ram + gpa, &entry, sizeof(entry));
}

static void map(u64 linear, u64 entry)
{
	put_entry(PT + (linear >> 12) * 8, entry);
}

/* Fills RAM with a pattern, builds the tables, forgets earlier walks. */
static void setup(void)
{
	for (u64 i = 0; i < RAM_SIZE; i++)
		ram[i] = (u8)(i * 7 + 1);
	memset(ram + PML4, 0, 4 * PAGE_SIZE);
	put_entry(PML4, PDPT | RW);
	put_entry(PDPT, PD | RW);
	put_entry(PD, PT | RW);
	map(LIN_RW_A, 0x8000 | RW);
	map(LIN_RW_B, 0x9000 | RW);
	map(LIN_RO, 0xa000 | RO);
	map(LIN_RW_C, 0xb000 | RW);
	map(LIN_RW_D, 0xc000 | RW);
	map(LIN_RW_E, 0xd000 | RW);
	map(LIN_NOT_RAM, OUTSIDE_RAM | RW);
	vcpu.walk.valid = false;
}

static enum guest_access_result write4(u64 linear, struct guest_fault *f)
{
	static const u8 data[4] = { 0xa1, 0xa2, 0xa3, 0xa4 };

	return guest_write_linear_state(&vcpu, &sregs, linear, data, 4, f);
}

static bool ram_unchanged(u64 gpa, u64 len)
{
	for (u64 i = gpa; i < gpa + len; i++)
		if (ram[i] != (u8)(i * 7 + 1))
			return false;
	return true;
}

TEST(write_within_mapped_pages_lands_in_both)
{
	struct guest_fault f;

	setup();
	CHECK_EQ(write4(LIN_RW_D - 2, &f), GUEST_OK);
	CHECK_EQ(ram[0xbffe], 0xa1);
	CHECK_EQ(ram[0xbfff], 0xa2);
	CHECK_EQ(ram[0xc000], 0xa3);
	CHECK_EQ(ram[0xc001], 0xa4);
}

TEST(write_into_absent_page_changes_nothing)
{
	struct guest_fault f = { 0 };

	setup();
	CHECK_EQ(write4(LIN_ABSENT - 2, &f), GUEST_PAGE_FAULT);
	CHECK_EQ(f.address, LIN_ABSENT);
	CHECK_EQ(f.error, PF_ERR_W);
	CHECK(ram_unchanged(0x8000, PAGE_SIZE));
}

TEST(write_into_read_only_page_changes_nothing)
{
	struct guest_fault f = { 0 };

	setup();
	CHECK_EQ(write4(LIN_RO - 1, &f), GUEST_PAGE_FAULT);
	CHECK_EQ(f.address, LIN_RO);
	CHECK_EQ(f.error, PF_ERR_P | PF_ERR_W);
	CHECK(ram_unchanged(0x9000, PAGE_SIZE));
	CHECK(ram_unchanged(0xa000, PAGE_SIZE));
}

TEST(write_into_page_outside_ram_changes_nothing)
{
	struct guest_fault f = { 0 };

	setup();
	CHECK_EQ(write4(LIN_NOT_RAM - 3, &f), GUEST_NOT_RAM);
	CHECK_EQ(f.address, OUTSIDE_RAM);
	CHECK(ram_unchanged(0xd000, PAGE_SIZE));
}

TEST(read_fault_names_first_byte_of_faulting_page)
{
	struct guest_fault f = { 0 };
	u32 val = 0;

	setup();
	CHECK_EQ(guest_read_linear_state(&vcpu, &sregs, LIN_ABSENT - 1, &val, 4, false, &f),
		 GUEST_PAGE_FAULT);
	CHECK_EQ(f.address, LIN_ABSENT);
	CHECK_EQ(f.error, 0);
}

TEST(non_canonical_is_not_a_page_fault)
{
	struct guest_fault f = { 0 };
	u32 val = 0;

	setup();
	CHECK_EQ(write4(0x0000800000000000ULL, &f), GUEST_NOT_CANONICAL);
	CHECK_EQ(guest_read_linear_state(&vcpu, &sregs, 0xfff0000000000000ULL, &val, 4,
					 false, &f), GUEST_NOT_CANONICAL);
}

/* 32-bit paging: 4-byte entries, here the upper halves of their 8-byte
 * words. The walk cache must notice a change of the entry it used, and a
 * change of the neighbour sharing its word must not change the result. */
static u32 read_legacy(u64 linear)
{
	static const struct guest_sregs legacy = { .cr0 = BIT(0) | BIT(31), .cr3 = 0x5000 };
	struct guest_fault f;
	u32 val = 0;

	CHECK_EQ(guest_read_linear_state(&vcpu, &legacy, linear, &val, 4, false, &f), GUEST_OK);
	return val;
}

static void put_entry4(u64 gpa, u32 entry)
{
	memcpy(ram + gpa, &entry, sizeof(entry));
}

static u32 ram4(u64 gpa)
{
	u32 val;

	memcpy(&val, ram + gpa, sizeof(val));
	return val;
}

TEST(legacy_entries_are_cached_and_rechecked)
{
	setup();
	memset(ram + 0x5000, 0, 2 * PAGE_SIZE);
	put_entry4(0x5004, 0x6000 | RW); /* PDE 1 */
	put_entry4(0x600c, 0x8000 | RW); /* PTE 3: linear 0x403000 */
	put_entry4(0x9000, 0x99999999);   /* the pattern repeats every page */
	put_entry4(0xa000, 0xaaaaaaaa);
	CHECK_EQ(read_legacy(0x403000), ram4(0x8000));
	put_entry4(0x6008, 0xa000 | RW); /* PTE 2, the same word */
	CHECK_EQ(read_legacy(0x403000), ram4(0x8000));
	put_entry4(0x600c, 0x9000 | RW);
	CHECK_EQ(read_legacy(0x403000), ram4(0x9000));
	CHECK_EQ(read_legacy(0x402000), ram4(0xa000));
}

RUN_TESTS("guest_mem", T(write_within_mapped_pages_lands_in_both),
	  T(write_into_absent_page_changes_nothing),
	  T(write_into_read_only_page_changes_nothing),
	  T(write_into_page_outside_ram_changes_nothing),
	  T(read_fault_names_first_byte_of_faulting_page),
	  T(non_canonical_is_not_a_page_fault),
	  T(legacy_entries_are_cached_and_rechecked))
