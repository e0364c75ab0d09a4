/* Unit tests for hv/memmap.c. */
#include "check.h"
#include "../../hv/memmap.c"

#define R(b, l, t) ((struct mem_range){ .base = (b), .length = (l), .type = (t) })
#define TOP (~0ULL)

static struct mem_range out[64];

/* Checks out[0..n) against the expected ranges, field by field. */
static void check_ranges(int n, const struct mem_range *want, int nwant)
{
	CHECK_EQ(n, nwant);
	for (int i = 0; i < n && i < nwant; i++) {
		CHECK_EQ(out[i].base, want[i].base);
		CHECK_EQ(out[i].length, want[i].length);
		CHECK_EQ(out[i].type, want[i].type);
	}
}

#define NORMALIZE(in) memmap_normalize(in, ARRAY_SIZE(in), out, ARRAY_SIZE(out))
#define EXPECT(n, ...)                                                       \
	do {                                                                 \
		static const struct mem_range w_[] = { __VA_ARGS__ };        \
		check_ranges(n, w_, ARRAY_SIZE(w_));                         \
	} while (0)

TEST(empty)
{
	static const struct mem_range in[] = { R(0x1000, 0, MEM_USABLE) };

	CHECK_EQ(memmap_normalize(NULL, 0, out, ARRAY_SIZE(out)), 0);
	CHECK_EQ(NORMALIZE(in), 0);
	CHECK_EQ(memmap_normalize(in, 1, NULL, 0), 0);
}

TEST(unsorted)
{
	static const struct mem_range in[] = {
		R(0x300000, 0x100000, MEM_USABLE),
		R(0x100000, 0x100000, MEM_USABLE),
		R(0x0, 0x9f000, MEM_USABLE),
		R(0xf0000, 0x10000, MEM_RESERVED),
	};

	EXPECT(NORMALIZE(in),
	       R(0x0, 0x9f000, MEM_USABLE), R(0xf0000, 0x10000, MEM_RESERVED),
	       R(0x100000, 0x100000, MEM_USABLE),
	       R(0x300000, 0x100000, MEM_USABLE));
}

TEST(reserved_wins_over_usable)
{
	static const struct mem_range in[] = {
		R(0x80000, 0x20000, MEM_RESERVED),
		R(0x0, 0x100000, MEM_USABLE),
	};

	EXPECT(NORMALIZE(in),
	       R(0x0, 0x80000, MEM_USABLE), R(0x80000, 0x20000, MEM_RESERVED),
	       R(0xa0000, 0x60000, MEM_USABLE));
}

TEST(type_precedence)
{
	static const struct mem_range in[] = {
		R(0x0, 0x10000, MEM_ACPI_RECLAIM),
		R(0x4000, 0x4000, MEM_RESERVED),   /* reclaim (3) > reserved (2) */
		R(0x8000, 0x4000, MEM_ACPI_NVS),   /* NVS (4) > reclaim (3) */
		R(0x9000, 0x1000, MEM_BAD),        /* bad beats everything */
		R(0x0, 0x20000, MEM_USABLE),       /* usable loses to all */
	};

	EXPECT(NORMALIZE(in),
	       R(0x0, 0x8000, MEM_ACPI_RECLAIM), R(0x8000, 0x1000, MEM_ACPI_NVS),
	       R(0x9000, 0x1000, MEM_BAD), R(0xa000, 0x2000, MEM_ACPI_NVS),
	       R(0xc000, 0x4000, MEM_ACPI_RECLAIM),
	       R(0x10000, 0x10000, MEM_USABLE));
}

TEST(unknown_type_is_reserved)
{
	static const struct mem_range in[] = {
		R(0x0, 0x4000, MEM_USABLE), R(0x1000, 0x1000, 0),
		R(0x3000, 0x1000, 77),
	};

	EXPECT(NORMALIZE(in),
	       R(0x0, 0x1000, MEM_USABLE), R(0x1000, 0x1000, MEM_RESERVED),
	       R(0x2000, 0x1000, MEM_USABLE), R(0x3000, 0x1000, MEM_RESERVED));
}

TEST(usable_shrunk_to_pages)
{
	static const struct mem_range in[] = {
		R(0x1234, 0x4444, MEM_USABLE),     /* -> [0x2000, 0x5000) */
		R(0x8100, 0xe00, MEM_USABLE),      /* no whole page: vanishes */
		R(0x10010, 0x20, MEM_RESERVED),    /* reserved keeps its bytes */
		R(0x20000, 0x1800, MEM_USABLE),
		R(0x21800, 0x1000, MEM_RESERVED),  /* usable ends mid-page */
	};

	EXPECT(NORMALIZE(in),
	       R(0x2000, 0x3000, MEM_USABLE), R(0x10010, 0x20, MEM_RESERVED),
	       R(0x20000, 0x1000, MEM_USABLE),
	       R(0x21800, 0x1000, MEM_RESERVED));
}

TEST(adjacent_and_overlapping_merge)
{
	static const struct mem_range in[] = {
		R(0x0, 0x1000, MEM_USABLE), R(0x1000, 0x1000, MEM_USABLE),
		R(0x1800, 0x1000, MEM_USABLE),     /* overlaps the previous */
		R(0x10000, 0x800, MEM_RESERVED), R(0x10800, 0x800, MEM_RESERVED),
		/* unaligned pieces that only form whole pages together */
		R(0x20800, 0x1000, MEM_USABLE), R(0x21800, 0x1800, MEM_USABLE),
	};

	EXPECT(NORMALIZE(in),
	       R(0x0, 0x2000, MEM_USABLE), R(0x10000, 0x1000, MEM_RESERVED),
	       R(0x21000, 0x2000, MEM_USABLE));
}

TEST(zero_length)
{
	static const struct mem_range in[] = {
		R(0x0, 0x10000, MEM_USABLE), R(0x8000, 0, MEM_BAD),
		R(0x20000, 0, MEM_USABLE),
	};

	EXPECT(NORMALIZE(in), R(0x0, 0x10000, MEM_USABLE));
}

TEST(wrap_near_top)
{
	static const struct mem_range in[] = {
		R(TOP - 0xffff, 0x20000, MEM_RESERVED),   /* wraps: clamped */
		R(TOP - 0x2ffff, TOP, MEM_USABLE),        /* wraps: clamped */
		R(TOP, 1, MEM_RESERVED),                  /* empty once clamped */
		R(0x1000, 0x1000, MEM_USABLE),
	};

	EXPECT(NORMALIZE(in),
	       R(0x1000, 0x1000, MEM_USABLE),
	       R(TOP - 0x2ffff, 0x20000, MEM_USABLE),
	       R(TOP - 0xffff, 0xffff, MEM_RESERVED));
}

TEST(wrap_usable_at_top_vanishes)
{
	static const struct mem_range in[] = {
		R(TOP - 0xfff, 0x5000, MEM_USABLE), /* no whole page below 2^64-1 */
	};

	CHECK_EQ(NORMALIZE(in), 0);
}

TEST(out_max_too_small)
{
	static const struct mem_range in[] = {
		R(0x0, 0x1000, MEM_USABLE), R(0x1000, 0x1000, MEM_RESERVED),
		R(0x2000, 0x1000, MEM_USABLE),
	};

	CHECK_EQ(memmap_normalize(in, 3, out, 2), -1);
	CHECK_EQ(memmap_normalize(in, 3, out, 0), -1);
	CHECK_EQ(memmap_normalize(in, 3, out, 3), 3);
}

static u32 lcg_state = 1;

static u32 lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 8;
}

#define GRAN 0x400u
#define NGRAN 256u

/* Independent model: the winning type of each 1 KiB granule, then runs
 * of one type, usable runs shrunk to pages. */
static int model_normalize(const struct mem_range *in, u32 n,
			   struct mem_range *want)
{
	u32 g[NGRAN] = { 0 };
	int count = 0;

	for (u32 i = 0; i < n; i++) {
		u32 t = in[i].type > MEM_BAD ? MEM_RESERVED : in[i].type;
		u64 end = in[i].base + in[i].length;

		for (u64 a = in[i].base; a < end; a += GRAN) {
			u32 *c = &g[a / GRAN];

			if (!*c || (t != MEM_USABLE &&
				    (*c == MEM_USABLE || t > *c)))
				*c = t;
		}
	}
	for (u32 s = 0, e; s < NGRAN; s = e) {
		for (e = s + 1; e < NGRAN && g[e] == g[s]; e++)
			;
		if (!g[s])
			continue;
		u64 b = (u64)s * GRAN, end = (u64)e * GRAN;
		if (g[s] == MEM_USABLE) {
			b = ALIGN_UP(b, PAGE_SIZE);
			end = ALIGN_DOWN(end, PAGE_SIZE);
		}
		if (b < end)
			want[count++] = R(b, end - b, g[s]);
	}
	return count;
}

TEST(random_against_model)
{
	struct mem_range in[12], want[NGRAN];

	for (int it = 0; it < 2000 && !check_failed_in_test; it++) {
		u32 n = 1 + lcg() % ARRAY_SIZE(in);

		for (u32 i = 0; i < n; i++) {
			u32 s = lcg() % NGRAN, len = lcg() % 40;

			if (s + len > NGRAN)
				len = NGRAN - s;
			in[i] = R((u64)s * GRAN, (u64)len * GRAN,
				  lcg() % 3 ? MEM_USABLE : 2 + lcg() % 5);
		}
		int nw = model_normalize(in, n, want);
		check_ranges(memmap_normalize(in, n, out, ARRAY_SIZE(out)),
			     want, nw);
	}
}

TEST(many_ranges)
{
	static struct mem_range in[BOOT_MEMMAP_MAX], big[BOOT_MEMMAP_MAX];
	int n;

	/* Reverse order, usable and reserved pages alternating. */
	for (u32 i = 0; i < ARRAY_SIZE(in); i++)
		in[i] = R((u64)(ARRAY_SIZE(in) - 1 - i) * 0x1000, 0x1000,
			  i & 1 ? MEM_USABLE : MEM_RESERVED);
	CHECK_EQ(memmap_normalize(in, ARRAY_SIZE(in), out, ARRAY_SIZE(out)),
		 -1);
	n = memmap_normalize(in, ARRAY_SIZE(in), big, ARRAY_SIZE(big));
	CHECK_EQ(n, BOOT_MEMMAP_MAX);
	CHECK_EQ(big[0].base, 0);
	CHECK_EQ(big[0].type, MEM_USABLE);
	CHECK_EQ(big[n - 1].base, (u64)(BOOT_MEMMAP_MAX - 1) * 0x1000);
	CHECK_EQ(big[n - 1].type, MEM_RESERVED);
}

/* A normalized map used by the hole tests: two usable ranges around a
 * reserved one, plus ACPI memory that must never be returned. */
static const struct mem_range map[] = {
	R(0x0, 0x9f000, MEM_USABLE),
	R(0x9f000, 0x61000, MEM_RESERVED),
	R(0x100000, 0x7f00000, MEM_USABLE),
	R(0x8000000, 0x10000, MEM_ACPI_RECLAIM),
	R(0x8010000, 0x10000, MEM_USABLE),
};

#define MINUS(h) memmap_usable_minus(map, ARRAY_SIZE(map), h, ARRAY_SIZE(h), \
				     out, ARRAY_SIZE(out))

TEST(no_holes)
{
	EXPECT(memmap_usable_minus(map, ARRAY_SIZE(map), NULL, 0, out,
				   ARRAY_SIZE(out)),
	       R(0x0, 0x9f000, MEM_USABLE), R(0x100000, 0x7f00000, MEM_USABLE),
	       R(0x8010000, 0x10000, MEM_USABLE));
}

TEST(first_mib_hole)
{
	static const struct mem_hole h[] = { { 0, MIB, "first MiB" } };

	EXPECT(MINUS(h), R(0x100000, 0x7f00000, MEM_USABLE),
	       R(0x8010000, 0x10000, MEM_USABLE));
}

TEST(holes_start_end_middle_whole)
{
	static const struct mem_hole h[] = {
		{ 0x8018000, 0x8020000, "covers end" },
		{ 0x0, 0x10000, "covers start" },
		{ 0x200800, 0x2ff001, "middle, unaligned" },
		{ 0x8010000, 0x8011000, "covers start" },
		{ 0x50000, 0x9f000, "covers end" },
		{ 0x400000, 0x300000, "empty (start > end)" },
		{ 0x500000, 0x500000, "empty" },
	};

	EXPECT(MINUS(h),
	       R(0x10000, 0x40000, MEM_USABLE),
	       R(0x100000, 0x100000, MEM_USABLE),
	       R(0x300000, 0x7d00000, MEM_USABLE),
	       R(0x8011000, 0x7000, MEM_USABLE));
}

TEST(hole_covers_whole_range)
{
	static const struct mem_hole h[] = {
		{ 0x8000000, 0x9000000, "whole" },
		{ 0x0, 0x9f000, "exactly" },
	};

	EXPECT(MINUS(h), R(0x100000, 0x7f00000, MEM_USABLE));
}

TEST(overlapping_and_chained_holes)
{
	static const struct mem_hole h[] = {
		{ 0x110000, 0x130000, "b" },
		{ 0x100000, 0x120000, "a" },
		{ 0x130000, 0x140000, "c" }, /* abuts b: chained */
		{ 0x150000, 0x151000, "d" },
		{ 0x150800, 0x152000, "e" },
	};

	EXPECT(MINUS(h),
	       R(0x0, 0x9f000, MEM_USABLE), R(0x140000, 0x10000, MEM_USABLE),
	       R(0x152000, 0x7eae000, MEM_USABLE),
	       R(0x8010000, 0x10000, MEM_USABLE));
}

TEST(hole_to_top_of_memory)
{
	static const struct mem_hole h[] = {
		{ 0x4000000, TOP, "everything above 64 MiB" },
	};

	EXPECT(MINUS(h), R(0x0, 0x9f000, MEM_USABLE),
	       R(0x100000, 0x3f00000, MEM_USABLE));
}

TEST(non_usable_not_returned)
{
	static const struct mem_range m[] = {
		R(0x0, 0x10000, MEM_RESERVED), R(0x10000, 0x10000, MEM_ACPI_NVS),
		R(0x20000, 0x10000, MEM_BAD),
		R(0x30800, 0x2000, MEM_USABLE), /* not aligned: shrunk */
	};

	EXPECT(memmap_usable_minus(m, ARRAY_SIZE(m), NULL, 0, out,
				   ARRAY_SIZE(out)),
	       R(0x31000, 0x1000, MEM_USABLE));
}

TEST(minus_out_max_too_small)
{
	static const struct mem_hole h[] = { { 0x200000, 0x201000, "split" } };

	CHECK_EQ(memmap_usable_minus(map, ARRAY_SIZE(map), h, 1, out, 3), -1);
	CHECK_EQ(memmap_usable_minus(map, ARRAY_SIZE(map), h, 1, out, 4), 4);
	CHECK_EQ(memmap_usable_minus(map, ARRAY_SIZE(map), NULL, 0, out, 0),
		 -1);
}

TEST(totals_and_names)
{
	static const struct mem_range big[] = {
		R(0, TOP, MEM_RESERVED), R(0, 0x1000, MEM_RESERVED),
	};

	CHECK_EQ(memmap_total(map, ARRAY_SIZE(map), MEM_USABLE),
		 0x9f000 + 0x7f00000 + 0x10000);
	CHECK_EQ(memmap_total(map, ARRAY_SIZE(map), MEM_ACPI_RECLAIM), 0x10000);
	CHECK_EQ(memmap_total(map, ARRAY_SIZE(map), MEM_BAD), 0);
	CHECK_EQ(memmap_total(big, 2, MEM_RESERVED), TOP); /* saturates */
	CHECK_STR(mem_type_name(MEM_USABLE), "usable");
	CHECK_STR(mem_type_name(MEM_RESERVED), "reserved");
	CHECK_STR(mem_type_name(MEM_ACPI_RECLAIM), "ACPI reclaimable");
	CHECK_STR(mem_type_name(MEM_ACPI_NVS), "ACPI NVS");
	CHECK_STR(mem_type_name(MEM_BAD), "bad");
	CHECK_STR(mem_type_name(0), "unknown");
	CHECK_STR(mem_type_name(42), "unknown");
}

RUN_TESTS("memmap",
	  T(empty), T(unsorted), T(reserved_wins_over_usable),
	  T(type_precedence), T(unknown_type_is_reserved),
	  T(usable_shrunk_to_pages), T(adjacent_and_overlapping_merge),
	  T(zero_length), T(wrap_near_top), T(wrap_usable_at_top_vanishes),
	  T(out_max_too_small), T(random_against_model), T(many_ranges),
	  T(no_holes), T(first_mib_hole), T(holes_start_end_middle_whole),
	  T(hole_covers_whole_range), T(overlapping_and_chained_holes),
	  T(hole_to_top_of_memory), T(non_usable_not_returned),
	  T(minus_out_max_too_small), T(totals_and_names))
