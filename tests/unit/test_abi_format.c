/* Unit tests for the hypercall trace format (lib/abi_text.c,
 * hv/trace_format.c, tools/abi_print.c, tools/abi_parse.c): the tables
 * expanded from abi/hv_abi.def match the real structs (and describe every
 * byte of them), trace lines come out exactly as documented, and every
 * struct survives a trip through the formatter and the parser. */
#include "check.h"

#include <stdint.h>

#include "../../lib/printf.c"
#include "../../lib/abi_text.c"
#include "../../hv/trace_format.c"
#include "../../tools/abi_print.c"
#include "../../tools/abi_parse.c"

#define OUT_MAX 8192
#define BUF_MAX 512

static char out[OUT_MAX];

/* ---- helpers ------------------------------------------------------------ */

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const struct abi_field *field_named(const struct abi_struct *s,
					   const char *name)
{
	for (u32 i = 0; s && i < s->nfields; i++)
		if (strcmp(s->fields[i].name, name) == 0)
			return &s->fields[i];
	return NULL;
}

/* Formats a call from a heap copy of exactly len bytes, so any read past
 * len is an ASan report. */
static const char *call_text(u32 nr, const void *bytes, u32 len, s64 ret)
{
	void *copy = malloc(len ? len : 1);
	int n;

	if (len)
		memcpy(copy, bytes, len);
	n = abi_format_call(nr, copy, len, ret, out, sizeof(out));
	free(copy);
	CHECK(n >= 0 && n < OUT_MAX);
	CHECK_EQ(strlen(out), n);
	return out;
}

static struct hv_vm_create make_vm_create(void)
{
	struct hv_vm_create v;

	memset(&v, 0, sizeof(v));
	v.size = HV_VM_CREATE_SIZE_VER0;
	v.mem_size = 16 << 20;
	v.vcpus = 1;
	memcpy(v.name, "t1", 3);
	return v;
}

/* Random bytes for every field, strings NUL-padded at a random length
 * (sometimes the whole array, without a NUL). */
static void fill_random_field(const struct abi_field *f, u8 *p)
{
	u32 n;

	for (u32 i = 0; i < f->size; i++)
		p[i] = (u8)rng_next();
	if (f->kind != ABI_KIND_STR)
		return;
	n = (u32)(rng_next() % (f->size + 1));
	for (u32 i = 0; i < f->size; i++)
		p[i] = i < n ? (u8)(rng_next() % 255 + 1) : 0;
}

static void fill_random(const struct abi_struct *s, u8 *bytes)
{
	for (u32 i = 0; i < s->size; i++)
		bytes[i] = (u8)rng_next();
	for (u32 i = 0; i < s->nfields; i++)
		if (!s->fields[i].conditional)
			fill_random_field(&s->fields[i], bytes + s->fields[i].offset);
}

/* Every field present in a (len bytes) has the same bytes in b. */
static bool present_fields_equal(const struct abi_struct *s, const u8 *a,
				 const u8 *b, u32 len)
{
	for (u32 i = 0; i < s->nfields; i++) {
		const struct abi_field *f = &s->fields[i];

		if (abi_field_present(f, a, len) &&
		    memcmp(a + f->offset, b + f->offset, f->size) != 0) {
			printf("  %s.%s differs\n", s->name, f->name);
			return false;
		}
	}
	return true;
}

static bool fields_may_coexist(const struct abi_field *a,
			       const struct abi_field *b)
{
	return !a->conditional || !b->conditional || a->when == b->when;
}

/* ---- the tables match the real structs ---------------------------------- */

#define EXPECT_STRUCT(t) { #t, sizeof(struct t) }

static const struct {
	const char *name;
	size_t size;
} expected_structs[] = {
	EXPECT_STRUCT(hv_info),		EXPECT_STRUCT(hv_cap_backend),
	EXPECT_STRUCT(hv_cap_memory),	EXPECT_STRUCT(hv_cap_limits),
	EXPECT_STRUCT(hv_check_extension), EXPECT_STRUCT(hv_feature),
	EXPECT_STRUCT(hv_console_write), EXPECT_STRUCT(hv_vm_create),
	EXPECT_STRUCT(hv_vm_destroy),	EXPECT_STRUCT(hv_vm_memory),
	EXPECT_STRUCT(hv_vm_copy),	EXPECT_STRUCT(hv_vcpu_create),
	EXPECT_STRUCT(hv_vcpu_regs),	EXPECT_STRUCT(hv_vcpu_run),
	EXPECT_STRUCT(hv_exit),		EXPECT_STRUCT(hv_stats),
	EXPECT_STRUCT(hv_vcpu_run_page_set), EXPECT_STRUCT(hv_vcpu_run_paged),
	EXPECT_STRUCT(hv_run_page),
	EXPECT_STRUCT(hv_vm_window),
	EXPECT_STRUCT(hv_vm_set_cpuid),
	EXPECT_STRUCT(hv_cpuid_entry),
	EXPECT_STRUCT(hv_vm_irq),
	EXPECT_STRUCT(hv_trace_read),	EXPECT_STRUCT(hv_trace_record),
	EXPECT_STRUCT(hv_dmesg),
	EXPECT_STRUCT(hv_vcpu_lapic),
	EXPECT_STRUCT(hv_vcpu_start),
	EXPECT_STRUCT(hv_vcpu_kick),
	EXPECT_STRUCT(hv_cpu_stats),
	EXPECT_STRUCT(hv_vm0_idle),
};

/* The .def expanded independently of lib/abi_text.c. */
static const struct {
	const char *type, *name;
	size_t offset, size;
} def_fields[] = {
#define ABI_FIELD(ty, m, k) \
	{ #ty, #m, offsetof(struct ty, m), sizeof(((struct ty *)0)->m) },
#define ABI_FIELD_IF(ty, m, k, sel, val) ABI_FIELD(ty, m, k)
#include "abi/hv_abi.def"
};

static const struct {
	const char *type;
	u32 first_size;
} def_first_sizes[] = {
#define ABI_STRUCT(ty, first) { #ty, first },
#include "abi/hv_abi.def"
};

TEST(every_struct_is_described_with_its_sizeof)
{
	CHECK_EQ(abi_struct_count(), ARRAY_SIZE(expected_structs));
	for (size_t i = 0; i < ARRAY_SIZE(expected_structs); i++) {
		const struct abi_struct *s =
			abi_struct_by_name(expected_structs[i].name);

		CHECK(s != NULL);
		if (s)
			CHECK_EQ(s->size, expected_structs[i].size);
	}
	CHECK(abi_struct_at(abi_struct_count()) == NULL);
	CHECK(abi_struct_by_name("hv_nonsense") == NULL);
	CHECK(abi_struct_by_name(NULL) == NULL);
}

TEST(every_field_matches_offsetof_and_sizeof)
{
	u32 total = 0;

	for (u32 i = 0; i < abi_struct_count(); i++)
		total += abi_struct_at(i)->nfields;
	CHECK_EQ(total, ARRAY_SIZE(def_fields));
	for (size_t i = 0; i < ARRAY_SIZE(def_fields); i++) {
		const struct abi_field *f = field_named(
			abi_struct_by_name(def_fields[i].type), def_fields[i].name);

		CHECK(f != NULL);
		if (!f)
			continue;
		CHECK_EQ(f->offset, def_fields[i].offset);
		CHECK_EQ(f->size, def_fields[i].size);
	}
}

TEST(first_sizes_are_the_published_ver0)
{
	CHECK_EQ(ARRAY_SIZE(def_first_sizes), abi_struct_count());
	for (size_t i = 0; i < ARRAY_SIZE(def_first_sizes); i++) {
		const struct abi_struct *s =
			abi_struct_by_name(def_first_sizes[i].type);

		CHECK(s && s->first_size == def_first_sizes[i].first_size);
		CHECK(s && s->first_size <= s->size);
	}
	CHECK_EQ(abi_struct_by_name("hv_vm_create")->first_size,
		 HV_VM_CREATE_SIZE_VER0);
	CHECK_EQ(abi_struct_by_name("hv_exit")->first_size, HV_EXIT_SIZE_VER0);
}

TEST(fields_in_offset_order_without_overlap)
{
	for (u32 i = 0; i < abi_struct_count(); i++) {
		const struct abi_struct *s = abi_struct_at(i);

		for (u32 a = 0; a < s->nfields; a++) {
			for (u32 b = a + 1; b < s->nfields; b++) {
				const struct abi_field *fa = &s->fields[a];
				const struct abi_field *fb = &s->fields[b];

				if (fields_may_coexist(fa, fb))
					CHECK(fb->offset >= fa->offset + fa->size);
			}
		}
	}
}

/* The bytes of s no field describes, as one range (start == end: none;
 * more than one range fails). */
static bool uncovered_range(const struct abi_struct *s, u32 *start, u32 *end)
{
	u8 covered[BUF_MAX] = { 0 };
	u32 ranges = 0;

	*start = *end = 0;
	for (u32 i = 0; i < s->nfields; i++)
		memset(covered + s->fields[i].offset, 1, s->fields[i].size);
	for (u32 b = 0; b < s->size; b++) {
		if (covered[b])
			continue;
		if (b == 0 || covered[b - 1]) {
			ranges++;
			*start = b;
		}
		*end = b + 1;
	}
	return ranges <= 1;
}

/* The exit union's unused room, [*start, *end) in struct `name` (the
 * exit record itself, or the run page that holds one); false for the
 * structs without one. */
static bool exit_room(const char *name, u32 *start, u32 *end)
{
	u32 room = offsetof(struct hv_exit, u) +
		   sizeof(((struct hv_exit *)0)->u.text);
	u32 base = strcmp(name, "hv_run_page") == 0 ?
		   (u32)offsetof(struct hv_run_page, exit) : 0;

	if (!base && strcmp(name, "hv_exit") != 0)
		return false;
	*start = base + room;
	*end = base + sizeof(struct hv_exit);
	return true;
}

TEST(fields_cover_every_byte_but_the_exit_room)
{
	for (u32 i = 0; i < abi_struct_count(); i++) {
		const struct abi_struct *s = abi_struct_at(i);
		u32 start, end, want_start = 0, want_end = 0;

		exit_room(s->name, &want_start, &want_end);
		CHECK(s->size <= BUF_MAX);
		CHECK(uncovered_range(s, &start, &end));
		if (start != want_start || end != want_end)
			printf("  %s: bytes %u..%u undescribed\n", s->name,
			       start, end);
		CHECK_EQ(start, want_start);
		CHECK_EQ(end, want_end);
	}
}

TEST(kinds_fit_their_field_sizes)
{
	for (u32 i = 0; i < abi_struct_count(); i++) {
		const struct abi_struct *s = abi_struct_at(i);

		for (u32 j = 0; j < s->nfields; j++) {
			const struct abi_field *f = &s->fields[j];

			CHECK(f->kind < ABI_KIND_COUNT);
			CHECK(strcmp(abi_kind_name(f->kind), "?") != 0);
			if (f->kind == ABI_KIND_SEG)
				CHECK_EQ(f->size, sizeof(struct hv_segment));
			if (f->kind == ABI_KIND_U64ARR)
				CHECK(f->size % 8 == 0);
			if (f->kind < ABI_KIND_STR)
				CHECK(f->size >= 1 && f->size <= 8);
			if (f->conditional)
				CHECK(f->sel_offset + f->sel_size <= f->offset);
		}
	}
}

TEST(every_call_number_is_described)
{
	for (u32 nr = 0; nr < HV_CALL_COUNT; nr++) {
		CHECK(abi_call_name(nr) != NULL);
		CHECK((abi_call_struct(nr) == NULL) == (nr == HV_CALL_ABI_VERSION));
		for (u32 other = 0; other < nr; other++)
			CHECK(!abi_call_name(other) ||
			      strcmp(abi_call_name(nr), abi_call_name(other)) != 0);
	}
	CHECK_STR(abi_call_name(HV_CALL_VM_CREATE), "vm_create");
	CHECK(abi_call_struct(HV_CALL_VM_CREATE) ==
	      abi_struct_by_name("hv_vm_create"));
	CHECK(abi_call_struct(HV_CALL_VCPU_GET_REGS) ==
	      abi_call_struct(HV_CALL_VCPU_SET_REGS));
	CHECK_EQ(abi_call_by_nr(HV_CALL_INFO)->dir, ABI_DIR_OUT);
	CHECK_EQ(abi_call_by_nr(HV_CALL_VCPU_RUN_PAGED)->dir, ABI_DIR_REGS);
	CHECK(abi_call_struct(HV_CALL_VCPU_RUN_PAGED) ==
	      abi_struct_by_name("hv_vcpu_run_paged"));
	CHECK(abi_call_by_nr(HV_CALL_COUNT) == NULL);
	CHECK(abi_call_name(999) == NULL);
	CHECK(abi_call_struct(0xffffffffu) == NULL);
}

/* ---- formatting --------------------------------------------------------- */

TEST(formats_vm_create)
{
	struct hv_vm_create v = make_vm_create();

	v.size = HV_VM_CREATE_SIZE_VER1;
	v.exit_reasons = 1u << HV_EXIT_HYPERCALL;
	CHECK_STR(call_text(HV_CALL_VM_CREATE, &v, sizeof(v), 1),
		  "vm_create(size=64, flags=0, mem_size=16M, vcpus=1, "
		  "name=\"t1\", exit_reasons=0x80) = 1");
}

TEST(old_size_vm_create_has_no_exit_reasons)
{
	struct hv_vm_create v = make_vm_create();

	CHECK_STR(call_text(HV_CALL_VM_CREATE, &v, HV_VM_CREATE_SIZE_VER0, 1),
		  "vm_create(size=56, flags=0, mem_size=16M, vcpus=1, "
		  "name=\"t1\") = 1");
}

TEST(string_without_nul_stops_at_its_array)
{
	struct hv_vm_create v = make_vm_create();
	char want[160];

	memset(v.name, 'a', sizeof(v.name));
	snprintf(want, sizeof(want),
		 "vm_create(size=56, flags=0, mem_size=16M, vcpus=1, "
		 "name=\"%.32s\") = 1", v.name);
	CHECK_STR(call_text(HV_CALL_VM_CREATE, &v, HV_VM_CREATE_SIZE_VER0, 1),
		  want);
}

TEST(string_escapes)
{
	struct hv_vm_create v = make_vm_create();

	memcpy(v.name, "a\"b\\c\n\t\r\x01\xff", 11);
	CHECK_STR(call_text(HV_CALL_VM_CREATE, &v, HV_VM_CREATE_SIZE_VER0, 1),
		  "vm_create(size=56, flags=0, mem_size=16M, vcpus=1, "
		  "name=\"a\\\"b\\\\c\\n\\t\\r\\x01\\xff\") = 1");
}

TEST(negative_return_shows_errno_name)
{
	struct hv_vm_destroy d = { .size = 16, .vm = 3 };

	CHECK_STR(call_text(HV_CALL_VM_DESTROY, &d, sizeof(d), -HV_EINVAL),
		  "vm_destroy(size=16, flags=0, vm=3) = -22 (EINVAL)");
	CHECK_STR(call_text(HV_CALL_VM_DESTROY, &d, sizeof(d), -HV_ESRCH),
		  "vm_destroy(size=16, flags=0, vm=3) = -3 (ESRCH)");
	CHECK_STR(call_text(HV_CALL_VM_DESTROY, &d, sizeof(d), -99),
		  "vm_destroy(size=16, flags=0, vm=3) = -99");
	CHECK_STR(call_text(HV_CALL_VM_DESTROY, &d, sizeof(d), INT64_MIN),
		  "vm_destroy(size=16, flags=0, vm=3) = -9223372036854775808");
}

TEST(unknown_call_number_is_not_decoded)
{
	struct hv_vm_destroy d = { .size = 16, .vm = 3 };

	CHECK_STR(call_text(999, &d, sizeof(d), -HV_ENOSYS),
		  "hypercall_999(...) = -38 (ENOSYS)");
	char first_unknown[40];

	snprintf(first_unknown, sizeof(first_unknown),
		 "hypercall_%d(...) = -38 (ENOSYS)", HV_CALL_COUNT);
	CHECK_STR(call_text(HV_CALL_COUNT, NULL, 0, -HV_ENOSYS), first_unknown);
	CHECK_STR(call_text(0xffffffffu, NULL, 0, -HV_ENOSYS),
		  "hypercall_4294967295(...) = -38 (ENOSYS)");
}

TEST(call_without_struct)
{
	CHECK_STR(call_text(HV_CALL_ABI_VERSION, NULL, 0, 1), "abi_version() = 1");
	CHECK_STR(call_text(HV_CALL_VM_CREATE, NULL, 0, -HV_EFAULT),
		  "vm_create() = -14 (EFAULT)");
}

TEST(reserved_fields_show_only_when_set)
{
	struct hv_vm_destroy d = { .size = 16, .vm = 1, .reserved = 5 };

	CHECK_STR(call_text(HV_CALL_VM_DESTROY, &d, sizeof(d), -HV_EINVAL),
		  "vm_destroy(size=16, flags=0, vm=1, reserved=0x5) = -22 (EINVAL)");
}

static const char *size_text(u64 v)
{
	const struct abi_struct *s = abi_struct_by_name("hv_vm_create");
	struct hv_vm_create c = { .mem_size = v };

	abi_format_value(field_named(s, "mem_size"), &c, out, sizeof(out));
	return out;
}

TEST(sizes_use_the_largest_whole_unit)
{
	CHECK_STR(size_text(0), "0");
	CHECK_STR(size_text(1536), "1536");
	CHECK_STR(size_text(4096), "4K");
	CHECK_STR(size_text(16ull << 20), "16M");
	CHECK_STR(size_text(2ull << 30), "2G");
	CHECK_STR(size_text((3ull << 20) + 4096), "3076K");
	CHECK_STR(size_text(1ull << 40), "1T");
	CHECK_STR(size_text(1ull << 63), "8E");
	CHECK_STR(size_text(~0ull), "18446744073709551615");
}

TEST(exit_record_shows_the_selected_member)
{
	const struct abi_struct *s = abi_struct_by_name("hv_exit");
	struct hv_exit e = { .argsz = 152, .reason = HV_EXIT_IO, .rip = 0x1000 };

	e.u.io.port = 0x3f8;
	e.u.io.size = 1;
	e.u.io.value = 0x41;
	abi_format_struct(s, &e, sizeof(e), out, sizeof(out));
	CHECK_STR(out, "argsz=152, flags=0, reason=1, rip=0x1000, "
		       "u.io.port=0x3f8, u.io.size=1, u.io.direction=0, "
		       "u.io.value=0x41");
	e.reason = HV_EXIT_HLT;
	abi_format_struct(s, &e, sizeof(e), out, sizeof(out));
	CHECK_STR(out, "argsz=152, flags=0, reason=2, rip=0x1000");
	e.reason = HV_EXIT_FAILED;
	memcpy(e.u.text, "bad cr0", 8);
	abi_format_struct(s, &e, sizeof(e), out, sizeof(out));
	CHECK_STR(out, "argsz=152, flags=0, reason=5, rip=0x1000, "
		       "u.text=\"bad cr0\"");
}

/* The run page: its exit record's member is selected by exit.reason,
 * the VMM's deadline past the hypervisor's 176 bytes shows when the
 * bytes given reach it, and the register call shows its registers. */
TEST(run_page_and_register_call)
{
	const struct abi_struct *s = abi_struct_by_name("hv_run_page");
	struct hv_run_page p = { .size = 176, .vm = 1, .exit.argsz = 152,
				 .exit.reason = HV_EXIT_IO, .exit.rip = 0x1000,
				 .complete_value = 0x5a, .deadline = 1000 };
	struct hv_vcpu_run_paged r = { .vm = 1, .vcpu = 0, .flags = HV_RUN_COMPLETE };

	p.exit.u.io.port = 0x3f8;
	p.exit.u.io.size = 1;
	abi_format_struct(s, &p, sizeof(p), out, sizeof(out));
	CHECK_STR(out, "size=176, flags=0, vm=1, vcpu=0, exit.argsz=152, "
		       "exit.flags=0, exit.reason=1, exit.rip=0x1000, "
		       "exit.u.io.port=0x3f8, exit.u.io.size=1, "
		       "exit.u.io.direction=0, exit.u.io.value=0, "
		       "complete_value=0x5a, deadline=1000");
	p.exit.reason = HV_EXIT_TIMESLICE;
	abi_format_struct(s, &p, HV_RUN_PAGE_SIZE_VER0, out, sizeof(out));
	CHECK_STR(out, "size=176, flags=0, vm=1, vcpu=0, exit.argsz=152, "
		       "exit.flags=0, exit.reason=6, exit.rip=0x1000, "
		       "complete_value=0x5a");
	CHECK_STR(call_text(HV_CALL_VCPU_RUN_PAGED, &r, sizeof(r), HV_EXIT_IO),
		  "vcpu_run_paged(vm=1, vcpu=0, flags=0x1) = 1");
}

TEST(registers_show_arrays_and_segments)
{
	struct hv_vcpu_regs r = { .size = sizeof(r), .flags = HV_REGS_SREGS };

	r.gprs[0] = 1;
	r.gprs[15] = 0xfff;
	r.cs = (struct hv_segment){ .selector = 8, .limit = 0xffffffff,
				    .attr = 0xa09b };
	call_text(HV_CALL_VCPU_SET_REGS, &r, sizeof(r), 0);
	CHECK(strstr(out, "vcpu_set_regs(size=352, flags=0x2, vm=0, vcpu=0, "
			  "gprs=[0x1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
			  "0, 0xfff], rip=0, rflags=0, "
			  "cs=0x8:0:0xffffffff:0xa09b, ds=0:0:0:0") == out);
	CHECK(strstr(out, ", efer=0) = 0") != NULL);
}

TEST(short_buffer_returns_the_full_length)
{
	struct hv_vm_create v = make_vm_create();
	char small[11];
	int full, n;

	full = abi_format_call(HV_CALL_VM_CREATE, &v, 56, 1, out, sizeof(out));
	memset(small, 'x', sizeof(small));
	n = abi_format_call(HV_CALL_VM_CREATE, &v, 56, 1, small, sizeof(small));
	CHECK_EQ(n, full);
	CHECK_STR(small, "vm_create(");
	CHECK_EQ(abi_format_call(HV_CALL_VM_CREATE, &v, 56, 1, NULL, 0), full);
	n = abi_format_table(abi_call_struct(HV_CALL_VM_CREATE), &v, 56,
			     small, sizeof(small));
	CHECK(n > 10 && small[10] == '\0');
}

TEST(table_lists_offsets_sizes_and_absent_fields)
{
	struct hv_vm_create v = make_vm_create();

	abi_format_table(abi_struct_by_name("hv_vm_create"), &v, 56, out,
			 sizeof(out));
	CHECK(strstr(out, "offset size  field        value\n") == out);
	CHECK(strstr(out, "     8    8  mem_size     = 16M\n") != NULL);
	CHECK(strstr(out, "    20    4  reserved     = 0\n") != NULL);
	CHECK(strstr(out, "    24   32  name         = \"t1\"\n") != NULL);
	CHECK(strstr(out, "    56    4  exit_reasons (absent: past byte 56)\n")
	      != NULL);
}

/* ---- parsing ------------------------------------------------------------ */

static u8 parsed[BUF_MAX];

static int parse(const char *line, const struct abi_struct **s, u32 *len)
{
	memset(parsed, 0xa5, sizeof(parsed));
	return abi_parse_trace_line(line, s, parsed, sizeof(parsed), len);
}

TEST(round_trip_every_call)
{
	for (u32 nr = 0; nr < HV_CALL_COUNT; nr++) {
		const struct abi_struct *s = abi_call_struct(nr), *got;
		u8 bytes[BUF_MAX] = { 0 };
		u32 size = s ? s->size : 0, len;

		for (int round = 0; round < 20; round++) {
			if (s)
				fill_random(s, bytes);
			call_text(nr, bytes, size, -(s64)(rng_next() % 40));
			CHECK_EQ(parse(out, &got, &len), 0);
			CHECK(got == s);
			CHECK_EQ(len, size);
			if (s && !present_fields_equal(s, bytes, parsed, size))
				CHECK(!"fields differ after the round trip");
		}
	}
}

/* Formats s with its selector (if any) at `when`, parses it back. */
static void round_trip_struct(const struct abi_struct *s, u32 when)
{
	u8 bytes[BUF_MAX];
	u32 len;

	fill_random(s, bytes);
	for (u32 i = 0; i < s->nfields; i++) {
		const struct abi_field *f = &s->fields[i];

		if (f->conditional) {
			store_le(bytes + f->sel_offset, f->sel_size, when);
			if (f->when == when)
				fill_random_field(f, bytes + f->offset);
		}
	}
	abi_format_struct(s, bytes, s->size, out, sizeof(out));
	memset(parsed, 0xa5, sizeof(parsed));
	CHECK_EQ(abi_parse_fields(s, out, parsed, sizeof(parsed), &len, NULL), 0);
	if (!present_fields_equal(s, bytes, parsed, s->size))
		printf("  text: %s\n", out);
	CHECK(present_fields_equal(s, bytes, parsed, s->size));
}

TEST(round_trip_every_struct_and_union_member)
{
	static const u32 reasons[] = { 0, HV_EXIT_IO, HV_EXIT_HLT,
				       HV_EXIT_STAGE2_FAULT, HV_EXIT_FAILED,
				       HV_EXIT_HYPERCALL, 1000 };

	for (u32 i = 0; i < abi_struct_count(); i++)
		for (int round = 0; round < 20; round++)
			for (size_t r = 0; r < ARRAY_SIZE(reasons); r++)
				round_trip_struct(abi_struct_at(i), reasons[r]);
}

TEST(round_trip_keeps_an_old_size)
{
	struct hv_vm_create v = make_vm_create();
	struct hv_vm_destroy d = { .size = 16, .vm = 2 };
	const struct abi_struct *s;
	u32 len;

	CHECK_EQ(parse(call_text(HV_CALL_VM_CREATE, &v, 56, 1), &s, &len), 0);
	CHECK_EQ(len, HV_VM_CREATE_SIZE_VER0);
	CHECK(memcmp(parsed, &v, HV_VM_CREATE_SIZE_VER0) == 0);
	CHECK_EQ(parse(call_text(HV_CALL_VM_DESTROY, &d, 16, 0), &s, &len), 0);
	CHECK_EQ(len, sizeof(d));
	CHECK(memcmp(parsed, &d, sizeof(d)) == 0);
}

TEST(parses_numbers_sizes_and_returns)
{
	const struct hv_vm_memory *m = (const void *)parsed;
	const struct abi_struct *s;
	u32 len;

	CHECK_EQ(parse("  vm_add_memory(size=32,vm=0x2, gpa=0x200000, "
		       "length=2M) = -17 (EEXIST)\n", &s, &len), 0);
	CHECK(s == abi_struct_by_name("hv_vm_memory"));
	CHECK_EQ(len, 32);
	CHECK_EQ(m->size, 32);
	CHECK_EQ(m->flags, 0);
	CHECK_EQ(m->vm, 2);
	CHECK_EQ(m->gpa, 0x200000);
	CHECK_EQ(m->length, 2 << 20);
	CHECK_EQ(parse("vm_add_memory(length=1G)", &s, &len), 0);
	CHECK_EQ(m->length, 1 << 30);
	CHECK_EQ(len, 32);
	CHECK_EQ(parse("vm_add_memory(vm=1)", &s, &len), 0);
	CHECK_EQ(len, 16);
	CHECK_EQ(parse("abi_version() = 1", &s, &len), 0);
	CHECK(s == NULL);
	CHECK_EQ(len, 0);
	CHECK_EQ(parse("vm_create()", &s, &len), 0);
	CHECK_EQ(len, 0);
}

TEST(parses_escaped_strings)
{
	const struct hv_vm_create *v = (const void *)parsed;
	const struct abi_struct *s;
	u32 len;

	CHECK_EQ(parse("vm_create(name=\"a\\\"b\\\\\\n\\t\\r\\x00\\xFf\")",
		       &s, &len), 0);
	CHECK(memcmp(v->name, "a\"b\\\n\t\r\0\xff\0", 10) == 0);
	CHECK_EQ(len, offsetof(struct hv_vm_create, name) + HV_NAME_MAX);
}

static const char *const bad_lines[] = {
	"",
	"no_such_call()",
	"hypercall_999(...) = -38 (ENOSYS)",
	"vm_create(bogus=1)",
	"vm_create(vcpus=0x100000000)",
	"vm_create(vcpus=18446744073709551616)",
	"vm_create(mem_size=0x10000000000000000)",
	"vm_create(mem_size=16384P)",
	"vm_create(mem_size=0x)",
	"vm_create(vcpus=-1)",
	"vm_create(name=\"abc)",
	"vm_create(name=\"123456789012345678901234567890123\")",
	"vm_create(name=\"\\q\")",
	"vm_create(name=\"\\x4\")",
	"vm_create(name=t1)",
	"vm_create(vcpus=1, vcpus=2)",
	"vm_create(vcpus=1",
	"vm_create(vcpus=1) trailing",
	"vm_create(vcpus=)",
	"vm_create(vcpus 1)",
	"vm_create(vcpus=1,)",
	"vm_create(vcpus=1Q)",
	"vm_create(vcpus=1) = x",
	"vm_create(vcpus=1) = 1 (EINVAL",
	"vm_create(vcpus=1) = 1 ()",
	"vm_create vcpus=1",
	"abi_version(size=1) = 1",
	"vcpu_set_regs(cs=1:2:3)",
	"vcpu_set_regs(cs=1:2:3:0x10000)",
	"vcpu_set_regs(gprs=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, "
	"14, 15, 16, 17])",
	"vcpu_set_regs(gprs=[1 2])",
	"vcpu_set_regs(gprs=[1,])",
};

TEST(rejects_malformed_lines)
{
	const struct abi_struct *s;
	u32 len;

	for (size_t i = 0; i < ARRAY_SIZE(bad_lines); i++) {
		if (parse(bad_lines[i], &s, &len) != -1)
			printf("  accepted: %s\n", bad_lines[i]);
		CHECK_EQ(parse(bad_lines[i], &s, &len), -1);
	}
}

TEST(rejects_a_buffer_smaller_than_the_struct)
{
	const struct abi_struct *s;
	u8 small[HV_VM_CREATE_SIZE_VER0];
	u32 len;

	CHECK_EQ(abi_parse_trace_line("vm_create(vcpus=1)", &s, small,
				      sizeof(small), &len), -1);
	CHECK_EQ(abi_parse_trace_line("vm_create(vcpus=1)", &s, NULL, 0, &len),
		 -1);
}

TEST(errors_say_what_and_where)
{
	struct abi_parse_error err;
	const struct abi_struct *s;
	u32 len;

	CHECK_EQ(abi_parse_trace_line_why("vm_create(size=56, bogus=1)", &s,
					  parsed, sizeof(parsed), &len, &err), -1);
	CHECK_STR(err.what, "unknown field");
	CHECK_EQ(err.column, 19);
	CHECK_EQ(abi_parse_trace_line_why("vm_create(vcpus=0x100000000)", &s,
					  parsed, sizeof(parsed), &len, &err), -1);
	CHECK_STR(err.what, "value too large for the field");
	CHECK_EQ(err.column, 16);
	CHECK_EQ(abi_parse_trace_line_why("frob()", &s, parsed, sizeof(parsed),
					  &len, &err), -1);
	CHECK_STR(err.what, "unknown call name");
	CHECK_EQ(err.column, 0);
	CHECK_EQ(abi_parse_trace_line_why("vm_destroy(vm=1) = 0", &s, parsed,
					  sizeof(parsed), &len, &err), 0);
	CHECK(err.what == NULL);
}

RUN_TESTS("abi_format",
	  T(every_struct_is_described_with_its_sizeof),
	  T(every_field_matches_offsetof_and_sizeof),
	  T(first_sizes_are_the_published_ver0),
	  T(fields_in_offset_order_without_overlap),
	  T(fields_cover_every_byte_but_the_exit_room),
	  T(kinds_fit_their_field_sizes),
	  T(every_call_number_is_described),
	  T(formats_vm_create),
	  T(old_size_vm_create_has_no_exit_reasons),
	  T(string_without_nul_stops_at_its_array),
	  T(string_escapes),
	  T(negative_return_shows_errno_name),
	  T(unknown_call_number_is_not_decoded),
	  T(call_without_struct),
	  T(reserved_fields_show_only_when_set),
	  T(sizes_use_the_largest_whole_unit),
	  T(exit_record_shows_the_selected_member),
	  T(run_page_and_register_call),
	  T(registers_show_arrays_and_segments),
	  T(short_buffer_returns_the_full_length),
	  T(table_lists_offsets_sizes_and_absent_fields),
	  T(round_trip_every_call),
	  T(round_trip_every_struct_and_union_member),
	  T(round_trip_keeps_an_old_size),
	  T(parses_numbers_sizes_and_returns),
	  T(parses_escaped_strings),
	  T(rejects_malformed_lines),
	  T(rejects_a_buffer_smaller_than_the_struct),
	  T(errors_say_what_and_where))
