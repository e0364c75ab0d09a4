/* Unit tests for hv/frame.c. Bitmaps come from malloc() at exactly
 * frame_bitmap_bytes() so ASan catches any access past them. */
#include "check.h"
#include "../../hv/frame.c"

#define R(b, l) ((struct mem_range){ .base = (b), .length = (l), .type = MEM_USABLE })

static struct frame_alloc fa;
static u64 *bm;

/* (Re)initializes the global allocator over `r`. */
static void setup(const struct mem_range *r, u32 n)
{
	u64 lo = n ? r[0].base : 0;
	u64 hi = n ? r[n - 1].base + r[n - 1].length : 0;
	size_t bytes = frame_bitmap_bytes(lo, hi);

	free(bm);
	bm = malloc(bytes ? bytes : 1);
	memset(bm, 0x5a, bytes); /* init must not rely on zeroed storage */
	frame_init(&fa, r, n, bm);
}

/* Three ranges with gaps: 64 + 512 + 1 frames. */
static const struct mem_range gappy[] = {
	R(0x100000, 0x40000), R(0x200000, 0x200000), R(0x500000, 0x1000),
};

static bool in_gappy(u64 pa)
{
	for (u32 i = 0; i < ARRAY_SIZE(gappy); i++)
		if (pa >= gappy[i].base && pa < gappy[i].base + gappy[i].length)
			return true;
	return false;
}

TEST(bitmap_bytes)
{
	CHECK_EQ(frame_bitmap_bytes(0x100000, 0x501000), 2 * 17 * 8);
	CHECK_EQ(frame_bitmap_bytes(0, 64 * PAGE_SIZE), 2 * 8);
	CHECK_EQ(frame_bitmap_bytes(0, 65 * PAGE_SIZE), 2 * 16);
	CHECK_EQ(frame_bitmap_bytes(0x1800, 0x2800), 2 * 8); /* 2 frames */
	CHECK_EQ(frame_bitmap_bytes(0x5000, 0x5000), 0);
	CHECK_EQ(frame_bitmap_bytes(0x6000, 0x5000), 0);
}

TEST(init_totals)
{
	setup(gappy, ARRAY_SIZE(gappy));
	CHECK_EQ(fa.base, 0x100000);
	CHECK_EQ(fa.nframes, 0x401);
	CHECK_EQ(fa.total_frames, 64 + 512 + 1);
	CHECK_EQ(fa.free_frames, fa.total_frames);
	CHECK(frame_is_free(&fa, 0x100000));
	CHECK(frame_is_free(&fa, 0x13f000));
	CHECK(!frame_is_free(&fa, 0x140000)); /* gap */
	CHECK(!frame_is_free(&fa, 0x1ff000));
	CHECK(frame_is_free(&fa, 0x3ff000));
	CHECK(!frame_is_free(&fa, 0x400000));
	CHECK(frame_is_free(&fa, 0x500000));
	CHECK(!frame_is_free(&fa, 0x501000)); /* past the bitmap */
	CHECK(!frame_is_free(&fa, 0xff000));  /* below the bitmap */
}

TEST(alloc_until_exhausted)
{
	static u8 seen[0x401];
	u64 pa, n = 0;

	setup(gappy, ARRAY_SIZE(gappy));
	memset(seen, 0, sizeof(seen));
	while ((pa = frame_alloc(&fa)) != 0) {
		CHECK_EQ(pa & 0xfff, 0);
		CHECK(in_gappy(pa));
		CHECK(!seen[(pa - 0x100000) >> 12]);
		seen[(pa - 0x100000) >> 12] = 1;
		CHECK(!frame_is_free(&fa, pa));
		n++;
		CHECK_EQ(fa.free_frames, fa.total_frames - n);
	}
	CHECK_EQ(n, 577);
	CHECK_EQ(fa.free_frames, 0);
	CHECK_EQ(frame_alloc(&fa), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 1, 2 * MIB), 0);
}

TEST(free_then_realloc)
{
	u64 pa;

	setup(gappy, ARRAY_SIZE(gappy));
	while (frame_alloc(&fa))
		;
	CHECK(frame_free(&fa, 0x250000, 1));
	CHECK_EQ(fa.free_frames, 1);
	CHECK(frame_is_free(&fa, 0x250000));
	pa = frame_alloc(&fa);
	CHECK_EQ(pa, 0x250000);
	CHECK_EQ(fa.free_frames, 0);
	CHECK(frame_free(&fa, 0x100000, 3));
	CHECK_EQ(frame_alloc_contig(&fa, 3, PAGE_SIZE), 0x100000);
}

TEST(double_free_refused)
{
	u64 pa, free_before;

	setup(gappy, ARRAY_SIZE(gappy));
	pa = frame_alloc(&fa);
	CHECK(frame_free(&fa, pa, 1));
	free_before = fa.free_frames;
	CHECK(!frame_free(&fa, pa, 1));
	CHECK_EQ(fa.free_frames, free_before);
	CHECK(frame_is_free(&fa, pa));
	/* A run of which one frame is already free changes nothing. */
	pa = frame_alloc_contig(&fa, 4, PAGE_SIZE);
	CHECK(frame_free(&fa, pa + 0x2000, 1));
	free_before = fa.free_frames;
	CHECK(!frame_free(&fa, pa, 4));
	CHECK_EQ(fa.free_frames, free_before);
	CHECK(!frame_is_free(&fa, pa));
	CHECK(!frame_is_free(&fa, pa + 0x3000));
	CHECK(frame_free(&fa, pa, 2));
	CHECK(frame_free(&fa, pa + 0x3000, 1));
	CHECK_EQ(fa.free_frames, fa.total_frames);
}

TEST(foreign_free_refused)
{
	u64 pa, free_before;

	setup(gappy, ARRAY_SIZE(gappy));
	pa = frame_alloc(&fa);
	free_before = fa.free_frames;
	CHECK(!frame_free(&fa, 0x150000, 1));  /* gap inside the bitmap */
	CHECK(!frame_free(&fa, 0x600000, 1));  /* above the bitmap */
	CHECK(!frame_free(&fa, 0x0ff000, 1));  /* below the bitmap */
	CHECK(!frame_free(&fa, 0x120000, 1));  /* free RAM, never allocated */
	CHECK(!frame_free(&fa, pa + 0x10, 1)); /* not page-aligned */
	CHECK(!frame_free(&fa, pa, 0));
	CHECK(!frame_free(&fa, pa, ~0ULL));    /* runs past the bitmap */
	CHECK(!frame_free(&fa, 0x500000, 2));
	CHECK_EQ(fa.free_frames, free_before);
	CHECK(!frame_is_free(&fa, 0x150000));
	CHECK(!frame_is_free(&fa, pa));
	CHECK(frame_free(&fa, pa, 1));
}

TEST(contig_2mib_aligned)
{
	u64 pa;

	setup(gappy, ARRAY_SIZE(gappy));
	pa = frame_alloc_contig(&fa, 512, 2 * MIB);
	CHECK_EQ(pa, 0x200000);
	CHECK_EQ(fa.free_frames, 65);
	/* 0x400000 is the only other 2 MiB boundary and it is a gap. */
	CHECK_EQ(frame_alloc_contig(&fa, 1, 2 * MIB), 0);
	CHECK(frame_free(&fa, pa, 512));
	pa = frame_alloc_contig(&fa, 2, 2 * MIB);
	CHECK_EQ(pa, 0x200000);
	CHECK(frame_free(&fa, pa, 2));

	/* An unaligned bitmap base: alignment is physical. */
	setup((const struct mem_range[]){ R(0x1000, 0x5ff000) }, 1);
	CHECK_EQ(frame_alloc_contig(&fa, 1, 2 * MIB), 0x200000);
	CHECK_EQ(frame_alloc_contig(&fa, 2, 2 * MIB), 0x400000);
	pa = frame_alloc_contig(&fa, 3, 0x10000);
	CHECK_EQ(pa & 0xffff, 0);
	CHECK_EQ(pa, 0x410000); /* next-fit continues after the last run */
	CHECK_EQ(frame_alloc_contig(&fa, 0x100, 4 * MIB), 0);
}

/* frame_free_runs counts what frame_alloc_contig of that size and
 * alignment would hand out, one call after another. */
TEST(free_runs)
{
	u64 one;

	setup((const struct mem_range[]){ R(0x1000, 0x9ff000) }, 1); /* 4 chunks and a part */
	CHECK_EQ(frame_free_runs(&fa, 512), 4);
	one = frame_alloc_contig(&fa, 1, 2 * MIB);
	CHECK_EQ(one, 0x200000);
	CHECK_EQ(frame_free_runs(&fa, 512), 3); /* one frame spoils a chunk */
	CHECK_EQ(frame_free_runs(&fa, 1), fa.free_frames);
	for (u64 n = 3; n; n--)
		CHECK(frame_alloc_contig(&fa, 512, 2 * MIB));
	CHECK_EQ(frame_free_runs(&fa, 512), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 512, 2 * MIB), 0);
	CHECK(frame_free(&fa, one, 1));
	CHECK_EQ(frame_free_runs(&fa, 512), 1);
	CHECK_EQ(frame_free_runs(&fa, 0), 0);
	CHECK_EQ(frame_free_runs(&fa, fa.nframes + 1), 0);
	setup(gappy, ARRAY_SIZE(gappy));
	CHECK_EQ(frame_free_runs(&fa, 512), 1);
}

TEST(contig_not_across_gap)
{
	static const struct mem_range r[] = {
		R(0x10000, 0x10000), R(0x21000, 0x10000), /* 16 + gap + 16 */
	};

	setup(r, 2);
	CHECK_EQ(fa.free_frames, 32);
	CHECK_EQ(frame_alloc_contig(&fa, 20, PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 17, PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 16, PAGE_SIZE), 0x10000);
	CHECK_EQ(frame_alloc_contig(&fa, 16, PAGE_SIZE), 0x21000);
	CHECK_EQ(fa.free_frames, 0);

	/* Larger runs come from the range that can hold them. */
	setup(gappy, ARRAY_SIZE(gappy));
	CHECK_EQ(frame_alloc_contig(&fa, 80, PAGE_SIZE), 0x200000);
}

TEST(reserve)
{
	u64 free_before, pa;

	setup(gappy, ARRAY_SIZE(gappy));
	frame_reserve(&fa, 0x100800, 0x102001); /* touches 3 frames */
	CHECK_EQ(fa.free_frames, fa.total_frames - 3);
	CHECK(!frame_is_free(&fa, 0x100000));
	CHECK(!frame_is_free(&fa, 0x102000));
	CHECK(frame_is_free(&fa, 0x103000));
	frame_reserve(&fa, 0x100000, 0x103000); /* already reserved */
	CHECK_EQ(fa.free_frames, fa.total_frames - 3);
	frame_reserve(&fa, 0x13f000, 0x201000); /* spans a gap */
	CHECK_EQ(fa.free_frames, fa.total_frames - 5);
	frame_reserve(&fa, 0x0, 0x100000);      /* below the bitmap */
	frame_reserve(&fa, 0x501000, 0x900000); /* above the bitmap */
	frame_reserve(&fa, 0x4ff000, ~0ULL);    /* to the top */
	CHECK_EQ(fa.free_frames, fa.total_frames - 6);
	frame_reserve(&fa, 0x300000, 0x300000); /* empty */
	CHECK_EQ(fa.free_frames, fa.total_frames - 6);
	free_before = fa.free_frames;
	CHECK(!frame_free(&fa, 0x100000, 1)); /* reserved is not allocated */
	CHECK_EQ(fa.free_frames, free_before);

	/* Reserving an allocated frame leaves it allocated and freeable. */
	pa = frame_alloc(&fa);
	CHECK_EQ(pa, 0x103000);
	frame_reserve(&fa, pa, pa + PAGE_SIZE);
	CHECK_EQ(fa.free_frames, free_before - 1);
	CHECK(frame_free(&fa, pa, 1));
	CHECK_EQ(fa.free_frames, free_before);
}

TEST(address_zero_never_returned)
{
	u64 pa, n = 0;

	setup((const struct mem_range[]){ R(0x0, 0x4000) }, 1);
	CHECK_EQ(fa.total_frames, 3);
	CHECK(!frame_is_free(&fa, 0));
	while ((pa = frame_alloc(&fa)) != 0) {
		CHECK(pa >= 0x1000 && pa < 0x4000);
		n++;
	}
	CHECK_EQ(n, 3);
	CHECK(!frame_free(&fa, 0, 1));
	CHECK(frame_free(&fa, 0x1000, 3));
	CHECK_EQ(frame_alloc_contig(&fa, 4, PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 1, 16 * PAGE_SIZE), 0);
}

TEST(next_fit)
{
	u64 a, b, c;

	setup(gappy, ARRAY_SIZE(gappy));
	a = frame_alloc(&fa);
	b = frame_alloc(&fa);
	CHECK_EQ(a, 0x100000);
	CHECK_EQ(b, 0x101000);
	CHECK(frame_free(&fa, a, 1));
	c = frame_alloc(&fa);
	CHECK_EQ(c, 0x102000); /* does not go back to a yet */
	/* Use up everything after the hint; the search then wraps. */
	while (fa.free_frames > 1)
		frame_alloc(&fa);
	CHECK_EQ(frame_alloc(&fa), a);
}

TEST(bad_arguments)
{
	setup(gappy, ARRAY_SIZE(gappy));
	CHECK_EQ(frame_alloc_contig(&fa, 0, PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 1, 0), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 1, 3 * PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 578, PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc_contig(&fa, ~0ULL, PAGE_SIZE), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 1, 1ULL << 63), 0);
	CHECK_EQ(frame_alloc_contig(&fa, 1, 512), 0x100000); /* < page: ok */
	CHECK_EQ(fa.free_frames, fa.total_frames - 1);
}

TEST(empty_allocator)
{
	setup(NULL, 0);
	CHECK_EQ(fa.nframes, 0);
	CHECK_EQ(fa.total_frames, 0);
	CHECK_EQ(frame_alloc(&fa), 0);
	CHECK(!frame_free(&fa, 0x1000, 1));
	CHECK(!frame_is_free(&fa, 0));
	frame_reserve(&fa, 0, 0x10000);
	CHECK_EQ(fa.free_frames, 0);
}

TEST(sparse_large_span)
{
	/* 1 GiB span, free memory only in the last 64 KiB: the search
	 * skips full words and still finds it. */
	static const struct mem_range r[] = {
		R(0x1000, 0x1000), R(0x40000000 - 0x10000, 0x10000),
	};
	u64 pa;

	setup(r, 2);
	CHECK_EQ(fa.total_frames, 17);
	CHECK_EQ(frame_alloc(&fa), 0x1000);
	pa = frame_alloc_contig(&fa, 16, PAGE_SIZE);
	CHECK_EQ(pa, 0x40000000 - 0x10000);
	CHECK_EQ(frame_alloc(&fa), 0);
}

static u32 lcg_state = 7;

static u32 lcg(void)
{
	lcg_state = lcg_state * 1664525u + 1013904223u;
	return lcg_state >> 8;
}

#define STRESS_LIVE 64

/* Random allocs and frees checked against a per-frame shadow. */
TEST(random_stress)
{
	static u8 owner[0x401];
	struct { u64 pa, n; } live[STRESS_LIVE];
	u32 nlive = 0;
	u64 in_use = 0;

	setup(gappy, ARRAY_SIZE(gappy));
	memset(owner, 0, sizeof(owner));
	for (int it = 0; it < 20000 && !check_failed_in_test; it++) {
		if (nlive < STRESS_LIVE && lcg() % 2) {
			u64 n = 1 + lcg() % 8, align = PAGE_SIZE << (lcg() % 4);
			u64 pa = frame_alloc_contig(&fa, n, align);

			if (!pa)
				continue;
			CHECK_EQ(pa % align, 0);
			for (u64 k = 0; k < n; k++) {
				u64 f = ((pa - 0x100000) >> 12) + k;

				CHECK(in_gappy(pa + (k << 12)));
				CHECK(!owner[f]);
				owner[f] = 1;
			}
			live[nlive].pa = pa;
			live[nlive++].n = n;
			in_use += n;
		} else if (nlive) {
			u32 i = lcg() % nlive;

			CHECK(frame_free(&fa, live[i].pa, live[i].n));
			CHECK(!frame_free(&fa, live[i].pa, 1));
			for (u64 k = 0; k < live[i].n; k++)
				owner[((live[i].pa - 0x100000) >> 12) + k] = 0;
			in_use -= live[i].n;
			live[i] = live[--nlive];
		}
		CHECK_EQ(fa.free_frames, fa.total_frames - in_use);
	}
}

RUN_TESTS("frame",
	  T(bitmap_bytes), T(init_totals), T(alloc_until_exhausted),
	  T(free_then_realloc), T(double_free_refused), T(foreign_free_refused),
	  T(contig_2mib_aligned), T(free_runs), T(contig_not_across_gap), T(reserve),
	  T(address_zero_never_returned), T(next_fit), T(bad_arguments),
	  T(empty_allocator), T(sparse_large_span), T(random_stress))
