/* The hypercall ABI's size rules (hv/uaccess.c) against a fake guest:
 * NPAGES pages at BASE, each of which a test can unmap. The callbacks
 * check they never cross a page boundary and count the reads of every
 * byte, so tests can prove a struct is fetched exactly once. */
#include "check.h"
#include "../../hv/uaccess.c"

#define BASE 0x10000ULL
#define NPAGES 20 /* more than COPY_IN_TAIL_MAX, so a full tail fits */
#define MEM_SIZE (NPAGES * 4096)
#define LOG_MAX 1024

struct access {
	u64 gpa;
	u32 len;
};

static struct fake {
	u8 mem[MEM_SIZE];
	bool unmapped[NPAGES];
	u16 reads[MEM_SIZE];  /* per byte */
	u16 writes[MEM_SIZE]; /* per byte */
	struct access rlog[LOG_MAX];
	unsigned nreads;
	unsigned nwrites;
	/* The guest racing the hypervisor: after the first read, this
	 * value is stored at race_gpa. */
	bool race_armed;
	u64 race_gpa;
	u32 race_value;
} fm;

static u8 snap[MEM_SIZE];

/* The fake's own view: NULL when [gpa, gpa + len) is not all mapped. */
static u8 *fake_bytes(u64 gpa, u32 len)
{
	if (gpa < BASE || gpa - BASE >= MEM_SIZE || len > BASE + MEM_SIZE - gpa)
		return NULL;
	for (u64 a = gpa; a < gpa + len; a += 4096 - (a & 4095))
		if (fm.unmapped[(a - BASE) >> 12])
			return NULL;
	return &fm.mem[gpa - BASE];
}

/* Every callback call stays within one page and is not empty. */
static void check_one_page(u64 gpa, u32 len)
{
	CHECK(len > 0);
	CHECK((gpa & 4095) + len <= 4096);
}

static bool fake_read(void *ctx, u64 gpa, void *buf, u32 len)
{
	u8 *p;

	CHECK(ctx == &fm);
	check_one_page(gpa, len);
	p = fake_bytes(gpa, len);
	if (!p)
		return false;
	memcpy(buf, p, len);
	for (u32 i = 0; i < len; i++)
		fm.reads[gpa - BASE + i]++;
	if (fm.nreads < LOG_MAX)
		fm.rlog[fm.nreads] = (struct access){ gpa, len };
	fm.nreads++;
	if (fm.race_armed) {
		fm.race_armed = false;
		memcpy(&fm.mem[fm.race_gpa - BASE], &fm.race_value, 4);
	}
	return true;
}

static bool fake_write(void *ctx, u64 gpa, const void *buf, u32 len)
{
	u8 *p;

	CHECK(ctx == &fm);
	check_one_page(gpa, len);
	p = fake_bytes(gpa, len);
	if (!p)
		return false;
	memcpy(p, buf, len);
	for (u32 i = 0; i < len; i++)
		fm.writes[gpa - BASE + i]++;
	fm.nwrites++;
	return true;
}

static bool fake_writable(void *ctx, u64 gpa, u32 len)
{
	CHECK(ctx == &fm);
	check_one_page(gpa, len);
	return fake_bytes(gpa, len);
}

static const struct gmem gm = { .read = fake_read, .write = fake_write,
				 .writable = fake_writable, .ctx = &fm };

static void reset(void)
{
	memset(&fm, 0, sizeof(fm));
}

static void unmap(u64 gpa)
{
	fm.unmapped[(gpa - BASE) >> 12] = true;
}

/* Starts counting accesses afresh and remembers memory as it is. */
static void start(void)
{
	memset(fm.reads, 0, sizeof(fm.reads));
	memset(fm.writes, 0, sizeof(fm.writes));
	fm.nreads = fm.nwrites = 0;
	memcpy(snap, fm.mem, sizeof(snap));
}

static void put32(u64 gpa, u32 v)
{
	memcpy(&fm.mem[gpa - BASE], &v, 4);
}

static u32 get32(u64 gpa)
{
	u32 v;

	memcpy(&v, &fm.mem[gpa - BASE], 4);
	return v;
}

/* Bytes that differ from the snapshot outside [gpa, gpa + len). */
static unsigned changed_outside(u64 gpa, u64 len)
{
	unsigned n = 0;

	for (u64 i = 0; i < MEM_SIZE; i++)
		if (fm.mem[i] != snap[i] && (BASE + i < gpa || BASE + i >= gpa + len))
			n++;
	return n;
}

/* True when each byte of [gpa, gpa + len) was read exactly once and no
 * other byte at all. */
static bool read_once(u64 gpa, u64 len)
{
	for (u64 i = 0; i < MEM_SIZE; i++) {
		bool inside = BASE + i >= gpa && BASE + i < gpa + len;

		if (fm.reads[i] != (inside ? 1 : 0))
			return false;
	}
	return true;
}

static unsigned total_writes(void)
{
	unsigned n = 0;

	for (u64 i = 0; i < MEM_SIZE; i++)
		n += fm.writes[i];
	return n;
}

/* ---- copy_struct_in ----------------------------------------------------- */

struct tin {
	u32 size;
	u32 flags;
	u64 a;
	/* VER1 */
	u64 b;
	u32 c;
	u32 reserved;
};
#define TIN_VER0 16
#define TIN_KNOWN 32
_Static_assert(sizeof(struct tin) == TIN_KNOWN, "test struct layout");

#define FLAGS_V 0x11223344u
#define A_V 0x0102030405060708ull
#define B_V 0x1112131415161718ull
#define C_V 0x21222324u

/* A full known-size struct claiming `size`, then `tail` zero bytes. */
static void place_tin(u64 gpa, u32 size, u32 tail)
{
	struct tin t = { size, FLAGS_V, A_V, B_V, C_V, 0 };

	memcpy(&fm.mem[gpa - BASE], &t, sizeof(t));
	memset(&fm.mem[gpa - BASE + sizeof(t)], 0, tail);
}

static int copy_in(u64 gpa, struct tin *t, u32 *caller)
{
	memset(t, 0xee, sizeof(*t));
	*caller = 0xdeadbeef;
	return copy_struct_in(&gm, gpa, t, TIN_KNOWN, TIN_VER0, caller);
}

TEST(in_below_first_size)
{
	struct tin t;
	u32 caller;

	reset();
	place_tin(BASE + 0x100, TIN_VER0 - 1, 0);
	start();
	CHECK_EQ(copy_in(BASE + 0x100, &t, &caller), -EINVAL);
	CHECK_EQ(changed_outside(0, 0), 0);
	CHECK(read_once(BASE + 0x100, 4));
}

TEST(in_first_size_zero_extends)
{
	struct tin t;
	u32 caller;

	reset();
	place_tin(BASE + 0x100, TIN_VER0, 0); /* b and c are guest garbage */
	start();
	CHECK_EQ(copy_in(BASE + 0x100, &t, &caller), 0);
	CHECK_EQ(caller, TIN_VER0);
	CHECK_EQ(t.size, TIN_VER0);
	CHECK_EQ(t.flags, FLAGS_V);
	CHECK_EQ(t.a, A_V);
	CHECK_EQ(t.b, 0);
	CHECK_EQ(t.c, 0);
	CHECK_EQ(t.reserved, 0);
	CHECK(read_once(BASE + 0x100, TIN_VER0));
	CHECK_EQ(total_writes(), 0);
}

TEST(in_known_size)
{
	struct tin t;
	u32 caller;

	reset();
	place_tin(BASE + 0x100, TIN_KNOWN, 0);
	start();
	CHECK_EQ(copy_in(BASE + 0x100, &t, &caller), 0);
	CHECK_EQ(caller, TIN_KNOWN);
	CHECK_EQ(t.size, TIN_KNOWN);
	CHECK_EQ(t.a, A_V);
	CHECK_EQ(t.b, B_V);
	CHECK_EQ(t.c, C_V);
	CHECK(read_once(BASE + 0x100, TIN_KNOWN));
	CHECK_EQ(total_writes(), 0);
}

TEST(in_larger_zero_tail)
{
	static const u32 extra[] = { 1, 8, 4096, COPY_IN_TAIL_MAX - TIN_KNOWN };

	for (unsigned i = 0; i < ARRAY_SIZE(extra); i++) {
		struct tin t;
		u32 caller;

		reset();
		place_tin(BASE + 0x100, TIN_KNOWN + extra[i], extra[i]);
		start();
		CHECK_EQ(copy_in(BASE + 0x100, &t, &caller), 0);
		CHECK_EQ(caller, TIN_KNOWN + extra[i]);
		CHECK_EQ(t.size, TIN_KNOWN + extra[i]);
		CHECK_EQ(t.c, C_V);
		CHECK(read_once(BASE + 0x100, TIN_KNOWN + extra[i]));
		CHECK_EQ(total_writes(), 0);
	}
}

TEST(in_larger_nonzero_tail)
{
	static const u32 where[] = { 0, 7, 300, 5000 }; /* offset in the tail */

	for (unsigned i = 0; i < ARRAY_SIZE(where); i++) {
		u32 size = TIN_KNOWN + where[i] + 1;
		struct tin t;
		u32 caller;

		reset();
		place_tin(BASE + 0x100, size, where[i] + 1);
		fm.mem[0x100 + TIN_KNOWN + where[i]] = 0x80;
		start();
		CHECK_EQ(copy_in(BASE + 0x100, &t, &caller), -E2BIG);
		CHECK_EQ(get32(BASE + 0x100), TIN_KNOWN);
		CHECK_EQ(changed_outside(BASE + 0x100, 4), 0);
		CHECK_EQ(total_writes(), 4);
		CHECK_EQ(caller, 0xdeadbeef);
	}
}

TEST(in_above_tail_max)
{
	static const u32 sizes[] = { COPY_IN_TAIL_MAX + 1, 0x80000000u,
				     0xffffffffu };

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct tin t;
		u32 caller;

		reset();
		place_tin(BASE + 0x100, sizes[i], 0);
		start();
		CHECK_EQ(copy_in(BASE + 0x100, &t, &caller), -E2BIG);
		CHECK_EQ(get32(BASE + 0x100), TIN_KNOWN);
		CHECK_EQ(changed_outside(BASE + 0x100, 4), 0);
		CHECK(read_once(BASE + 0x100, 4)); /* the tail is not scanned */
	}
}

TEST(in_crosses_page)
{
	u64 gpa = BASE + 4096 - 12;
	struct tin t;
	u32 caller;

	reset();
	place_tin(gpa, TIN_KNOWN + 40, 40);
	start();
	CHECK_EQ(copy_in(gpa, &t, &caller), 0);
	CHECK_EQ(t.a, A_V);
	CHECK_EQ(t.b, B_V);
	CHECK_EQ(t.c, C_V);
	CHECK(read_once(gpa, TIN_KNOWN + 40));
}

TEST(in_tail_page_unmapped)
{
	u64 gpa = BASE + 4096 - 64;
	struct tin t;
	u32 caller;

	reset();
	place_tin(gpa, TIN_KNOWN + 9000, 9000); /* pages 0..2 */
	unmap(BASE + 4096);
	start();
	CHECK_EQ(copy_in(gpa, &t, &caller), -EFAULT);
	CHECK_EQ(total_writes(), 0);
	CHECK_EQ(changed_outside(0, 0), 0);
}

TEST(in_tail_nonzero_before_unmapped)
{
	u64 gpa = BASE + 4096 - 64;
	struct tin t;
	u32 caller;

	reset();
	place_tin(gpa, TIN_KNOWN + 9000, 9000);
	fm.mem[4096 - 1] = 1; /* in the tail, before the hole */
	unmap(BASE + 4096);
	start();
	CHECK_EQ(copy_in(gpa, &t, &caller), -E2BIG);
	CHECK_EQ(get32(gpa), TIN_KNOWN);
}

TEST(in_size_unmapped)
{
	struct tin t;
	u32 caller;

	reset();
	place_tin(BASE + 0x100, TIN_KNOWN, 0);
	unmap(BASE);
	start();
	CHECK_EQ(copy_in(BASE + 0x100, &t, &caller), -EFAULT);
	CHECK_EQ(copy_in(BASE - 8, &t, &caller), -EFAULT);
	CHECK_EQ(copy_in(~0ull - 1, &t, &caller), -EFAULT); /* wraps */
	CHECK_EQ(total_writes(), 0);
}

TEST(in_body_unmapped)
{
	u64 gpa = BASE + 4096 - 8;
	struct tin t;
	u32 caller;

	reset();
	place_tin(gpa, TIN_KNOWN, 0);
	unmap(BASE + 4096);
	start();
	CHECK_EQ(copy_in(gpa, &t, &caller), -EFAULT);
	CHECK_EQ(total_writes(), 0);
}

TEST(in_size_field_crosses_page)
{
	u64 gpa = BASE + 4096 - 2;
	struct tin t;
	u32 caller;

	reset();
	place_tin(gpa, TIN_KNOWN, 0);
	start();
	CHECK_EQ(copy_in(gpa, &t, &caller), 0);
	CHECK_EQ(caller, TIN_KNOWN);
	CHECK_EQ(t.c, C_V);
	CHECK(read_once(gpa, TIN_KNOWN));

	/* The -E2BIG write-back crosses the boundary as well. */
	place_tin(gpa, TIN_KNOWN + 4, 4);
	fm.mem[gpa - BASE + TIN_KNOWN + 3] = 9;
	start();
	CHECK_EQ(copy_in(gpa, &t, &caller), -E2BIG);
	CHECK_EQ(get32(gpa), TIN_KNOWN);
	CHECK_EQ(changed_outside(gpa, 4), 0);

	place_tin(gpa, TIN_KNOWN, 0);
	unmap(BASE + 4096);
	start();
	CHECK_EQ(copy_in(gpa, &t, &caller), -EFAULT);
}

/* The size is read once: a guest that grows it during the call does not
 * get more of its struct copied, and dst keeps the size first seen. */
TEST(in_size_race)
{
	struct tin t;
	u32 caller;

	reset();
	place_tin(BASE + 0x100, TIN_VER0, 0);
	fm.race_armed = true;
	fm.race_gpa = BASE + 0x100;
	fm.race_value = TIN_KNOWN;
	start();
	CHECK_EQ(copy_in(BASE + 0x100, &t, &caller), 0);
	CHECK_EQ(get32(BASE + 0x100), TIN_KNOWN); /* the race did happen */
	CHECK_EQ(caller, TIN_VER0);
	CHECK_EQ(t.size, TIN_VER0);
	CHECK_EQ(t.b, 0);
	CHECK_EQ(t.c, 0);
	CHECK(read_once(BASE + 0x100, TIN_VER0));
}

TEST(in_each_body_byte_read_once)
{
	for (u32 size = TIN_VER0; size <= TIN_KNOWN + 16; size++) {
		for (u64 off = 4096 - 40; off <= 4096; off++) {
			struct tin t;
			u32 caller;

			reset();
			place_tin(BASE + off, size, 16);
			start();
			CHECK_EQ(copy_in(BASE + off, &t, &caller), 0);
			CHECK(read_once(BASE + off, size));
		}
	}
}

TEST(in_bad_sizes_from_hypervisor)
{
	u8 d[32];
	u32 caller;

	reset();
	place_tin(BASE, TIN_KNOWN, 0);
	CHECK_EQ(copy_struct_in(&gm, BASE, d, 32, 2, &caller), -EINVAL);
	CHECK_EQ(copy_struct_in(&gm, BASE, d, 16, 24, &caller), -EINVAL);
	CHECK_EQ(copy_struct_in(&gm, BASE, d, 4, 4, &caller), -E2BIG);
}

/* ---- check_struct_out / read_argsz -------------------------------------- */

/* An answer's way back as the hypervisor takes it (hc_check_out in
 * decode, hc_write_out in invoke): the checks, then the write, which
 * they must have made sure cannot fail. */
static int answer_out(const struct gmem *m, u64 gpa, void *src, u32 full_size,
		      u32 min_size)
{
	u32 len;
	int err = check_struct_out(m, gpa, src, full_size, min_size, &len);

	if (!err)
		CHECK(gmem_write(m, gpa, src, len));
	return err;
}

struct tout {
	u32 argsz;
	u32 flags;
	u64 x;
	u64 y;
};
#define TOUT_MIN 8

static void fill_guest(u64 gpa, u32 argsz, u32 len)
{
	memset(&fm.mem[gpa - BASE], 0xaa, len);
	put32(gpa, argsz);
}

static int copy_out(u64 gpa)
{
	struct tout o = { 0x5555, 0x77, 0x0102030405060708ull,
			  0x1112131415161718ull };

	return answer_out(&gm, gpa, &o, sizeof(o), TOUT_MIN);
}

TEST(out_smaller)
{
	u64 gpa = BASE + 0x200;

	reset();
	fill_guest(gpa, 12, 64);
	start();
	CHECK_EQ(copy_out(gpa), 0);
	CHECK_EQ(get32(gpa), sizeof(struct tout));
	CHECK_EQ(get32(gpa + 4), 0x77);
	CHECK_EQ(get32(gpa + 8), 0x05060708);
	CHECK_EQ(fm.mem[gpa - BASE + 12], 0xaa);
	CHECK_EQ(changed_outside(gpa, 12), 0);
	CHECK_EQ(total_writes(), 12);
}

TEST(out_equal_and_larger)
{
	static const u32 argsz[] = { 24, 25, 40 };
	u64 gpa = BASE + 4096 - 10; /* crosses a page */

	for (unsigned i = 0; i < ARRAY_SIZE(argsz); i++) {
		struct tout g;

		reset();
		fill_guest(gpa, argsz[i], 64);
		start();
		CHECK_EQ(copy_out(gpa), 0);
		memcpy(&g, &fm.mem[gpa - BASE], sizeof(g));
		CHECK_EQ(g.argsz, sizeof(struct tout));
		CHECK_EQ(g.y, 0x1112131415161718ull);
		CHECK_EQ(changed_outside(gpa, sizeof(g)), 0);
		CHECK_EQ(fm.mem[gpa - BASE + 24], 0xaa);
	}
}

TEST(out_below_min)
{
	static const u32 argsz[] = { 0, 3, 4, TOUT_MIN - 1 };

	for (unsigned i = 0; i < ARRAY_SIZE(argsz); i++) {
		reset();
		fill_guest(BASE + 0x200, argsz[i], 64);
		start();
		CHECK_EQ(copy_out(BASE + 0x200), -EINVAL);
		CHECK_EQ(changed_outside(0, 0), 0);
	}
	/* argsz must cover itself even when the call asks less. */
	struct tout o = { 0 };

	reset();
	fill_guest(BASE + 0x200, 2, 64);
	start();
	CHECK_EQ(answer_out(&gm, BASE + 0x200, &o, sizeof(o), 0), -EINVAL);
	CHECK_EQ(changed_outside(0, 0), 0);
}

TEST(out_unmapped)
{
	u64 gpa = BASE + 4096 - 8;

	reset();
	unmap(BASE);
	CHECK_EQ(copy_out(BASE + 0x200), -EFAULT);

	reset();
	fill_guest(gpa, 24, 8);
	unmap(BASE + 4096);
	CHECK_EQ(copy_out(gpa), -EFAULT);
}

TEST(read_argsz_only)
{
	u32 v = 0;

	reset();
	put32(BASE + 4094, 0x12345678);
	start();
	CHECK_EQ(gmem_read(&gm, BASE + 4094, &v, sizeof(v)) ? 0 : -EFAULT, 0);
	CHECK_EQ(v, 0x12345678);
	CHECK(read_once(BASE + 4094, 4));
	unmap(BASE + 4096);
	CHECK_EQ(gmem_read(&gm, BASE + 4094, &v, sizeof(v)) ? 0 : -EFAULT, -EFAULT);
}

/* ---- gmem_read / gmem_write, all_zero, flags_known ---------------------- */

TEST(gmem_split_pages)
{
	static u8 buf[3 * 4096];

	reset();
	for (unsigned i = 0; i < sizeof(buf); i++)
		fm.mem[100 + i] = (u8)(i * 7);
	start();
	CHECK(gmem_read(&gm, BASE + 100, buf, sizeof(buf)));
	CHECK_EQ(fm.nreads, 4);
	CHECK(memcmp(buf, &fm.mem[100], sizeof(buf)) == 0);
	CHECK(read_once(BASE + 100, sizeof(buf)));
	CHECK(gmem_read(&gm, BASE, buf, 0));
	memset(buf, 0x3c, sizeof(buf));
	CHECK(gmem_write(&gm, BASE + 4095, buf, 4098));
	CHECK_EQ(fm.nwrites, 3);
	CHECK_EQ(total_writes(), 4098);
	unmap(BASE + 2 * 4096);
	CHECK(!gmem_read(&gm, BASE + 100, buf, sizeof(buf)));
	CHECK(!gmem_write(&gm, BASE + 100, buf, sizeof(buf)));
	CHECK(!gmem_read(&gm, ~0ull - 2, buf, 8));
}

TEST(gmem_writable_touches_nothing)
{
	reset();
	start();
	CHECK(gmem_writable(&gm, BASE + 4000, 3 * 4096));
	CHECK(gmem_writable(&gm, BASE, 0));
	unmap(BASE + 2 * 4096);
	CHECK(gmem_writable(&gm, BASE + 4000, 4096));
	CHECK(!gmem_writable(&gm, BASE + 4000, 2 * 4096)); /* the tail is not RAM */
	CHECK(!gmem_writable(&gm, BASE + 2 * 4096 + 8, 1));
	CHECK(!gmem_writable(&gm, ~0ull - 2, 8));
	CHECK_EQ(fm.nreads, 0);
	CHECK_EQ(fm.nwrites, 0);
	CHECK_EQ(changed_outside(BASE, 0), 0);
}

TEST(all_zero_and_flags)
{
	u8 b[40] = { 0 };

	CHECK(all_zero(b, 0));
	CHECK(all_zero(b, sizeof(b)));
	for (unsigned i = 0; i < sizeof(b); i++) {
		b[i] = 1;
		CHECK(!all_zero(b, sizeof(b)));
		CHECK(all_zero(b, i));
		b[i] = 0;
	}
	CHECK(flags_known(0, 0));
	CHECK(flags_known(5, 7));
	CHECK(!flags_known(8, 7));
}

/* ---- capability chains --------------------------------------------------- */

struct tinfo {
	u32 argsz;
	u32 flags;
	u32 x;
	u32 cap_offset;
};

static const struct {
	u16 id;
	u32 size;
	u8 fill;
} caps[] = { { 1, 24, 0x10 }, { 99, 40, 0x99 }, { 3, 32, 0x30 } };
#define CAPS_TOTAL (16 + 24 + 40 + 32)

/* Adds the three caps; returns how many fit. */
static unsigned build_chain(struct cap_chain *c, u8 *buf, u32 cap)
{
	struct tinfo *s = (struct tinfo *)buf;
	unsigned fit = 0;

	*s = (struct tinfo){ 0, 1, 0x4242, 0 };
	cap_chain_init(c, buf, cap, sizeof(*s), &s->cap_offset);
	for (unsigned i = 0; i < ARRAY_SIZE(caps); i++) {
		u8 *e = cap_chain_add(c, caps[i].id, 7, caps[i].size);

		if (!e)
			continue;
		fit++;
		memset(e + sizeof(struct hv_cap_header), caps[i].fill,
		       caps[i].size - sizeof(struct hv_cap_header));
	}
	return fit;
}

/* A guest-side reader: follows next from cap_offset within len bytes,
 * skips ids it does not know and checks the contents of those it does.
 * Returns a bit per known id found. */
static unsigned walk_chain(const u8 *buf, u32 len)
{
	unsigned found = 0, hops = 0;
	u32 off;

	memcpy(&off, buf + offsetof(struct tinfo, cap_offset), sizeof(off));
	for (; off && hops < 16; hops++) {
		struct hv_cap_header h;

		CHECK_EQ(off % 8, 0);
		CHECK(off >= sizeof(struct tinfo) && off + sizeof(h) <= len);
		if (off % 8 || off < sizeof(struct tinfo) || off + sizeof(h) > len)
			break;
		memcpy(&h, buf + off, sizeof(h));
		CHECK_EQ(h.version, 7);
		for (unsigned i = 0; i < ARRAY_SIZE(caps); i++) {
			if (caps[i].id != h.id || (h.id != 1 && h.id != 3))
				continue;
			CHECK(off + caps[i].size <= len);
			for (u32 j = sizeof(h); j < caps[i].size; j++)
				CHECK_EQ(buf[off + j], caps[i].fill);
			found |= 1u << h.id;
		}
		off = h.next;
	}
	CHECK(hops < 16);
	return found;
}

TEST(cap_chain_walk)
{
	static u64 store[32];
	u8 *buf = (u8 *)store;
	struct cap_chain c;
	u32 off, next;

	memset(store, 0xaa, sizeof(store));
	CHECK_EQ(build_chain(&c, buf, sizeof(store)), 3);
	CHECK(!c.overflow);
	CHECK_EQ(c.len, CAPS_TOTAL);
	CHECK_EQ(walk_chain(buf, c.len), (1u << 1) | (1u << 3));
	/* Three entries, 8-aligned, the last one's next is 0. */
	off = ((struct tinfo *)buf)->cap_offset;
	CHECK_EQ(off, 16);
	memcpy(&next, buf + off + 4, 4);
	CHECK_EQ(next, 40);
	memcpy(&next, buf + next + 4, 4);
	CHECK_EQ(next, 80);
	memcpy(&next, buf + 80 + 4, 4);
	CHECK_EQ(next, 0);
	CHECK_EQ(((struct tinfo *)buf)->x, 0x4242);
	CHECK_EQ(buf[CAPS_TOTAL], 0xaa); /* nothing past len touched */
}

TEST(cap_chain_alignment_padding)
{
	static u64 store[16];
	u8 *buf = (u8 *)store;
	struct cap_chain c;
	u32 first = 0xffffffff;
	u8 *e1, *e2;

	memset(store, 0xaa, sizeof(store));
	cap_chain_init(&c, buf, sizeof(store), 12, &first);
	CHECK_EQ(first, 0);
	e1 = cap_chain_add(&c, 5, 1, 12);
	e2 = cap_chain_add(&c, 6, 1, 8);
	CHECK(e1 == buf + 16);
	CHECK(e2 == buf + 32);
	CHECK_EQ(first, 16);
	CHECK_EQ(c.len, 40);
	CHECK(all_zero(buf + 12, 4));      /* gap after the struct */
	CHECK(all_zero(buf + 16 + 8, 8));  /* e1's body and the gap after it */
	CHECK_EQ(buf[40], 0xaa);
	CHECK(!cap_chain_add(&c, 7, 1, 4)); /* smaller than its header */
	CHECK(c.overflow);
}

TEST(cap_chain_too_big)
{
	static u64 store[32];
	u8 *buf = (u8 *)store;
	struct cap_chain c;
	u32 next;

	memset(store, 0xaa, sizeof(store));
	/* Room for the struct and the first cap only. */
	CHECK_EQ(build_chain(&c, buf, 16 + 24 + 40 - 1), 1);
	CHECK(c.overflow);
	CHECK_EQ(c.len, CAPS_TOTAL);
	memcpy(&next, buf + 16 + 4, 4);
	CHECK_EQ(next, 0); /* the chain in buf ends at what fit */
	CHECK_EQ(walk_chain(buf, 16 + 24), 1u << 1);
	CHECK_EQ(buf[16 + 24], 0xaa);

	/* Not even the first cap fits. */
	memset(store, 0xaa, sizeof(store));
	CHECK_EQ(build_chain(&c, buf, 16), 0);
	CHECK_EQ(c.len, CAPS_TOTAL);
	CHECK_EQ(((struct tinfo *)buf)->cap_offset, 0);
	CHECK_EQ(buf[16], 0xaa);
}

/* The chain as a guest receives it through check_struct_out and the write. */
TEST(cap_chain_to_guest)
{
	static u64 store[32];
	u8 *buf = (u8 *)store;
	u64 gpa = BASE + 4096 - 48;
	struct cap_chain c;

	build_chain(&c, buf, sizeof(store));

	reset();
	fill_guest(gpa, 64, 128);
	start();
	CHECK_EQ(answer_out(&gm, gpa, buf, c.len, 16), 0);
	CHECK_EQ(get32(gpa), CAPS_TOTAL); /* retry with this argsz */
	CHECK_EQ(changed_outside(gpa, 64), 0);

	fill_guest(gpa, CAPS_TOTAL, 128);
	CHECK_EQ(answer_out(&gm, gpa, buf, c.len, 16), 0);
	CHECK_EQ(walk_chain(&fm.mem[gpa - BASE], get32(gpa)),
		 (1u << 1) | (1u << 3));
}

/* ---- randomized copy_struct_in against a reference model ---------------- */

static u64 rng = 0x243f6a8885a308d3ull;

static u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool ref_mapped(u64 a)
{
	return a >= BASE && a < BASE + MEM_SIZE &&
	       !fm.unmapped[(a - BASE) >> 12];
}

/* The rules, byte by byte, straight from the header's contract. */
static int ref_copy_in(u64 gpa, u8 *dst, u32 *size_out)
{
	u32 size = 0, body;

	for (int i = 0; i < 4; i++) {
		if (!ref_mapped(gpa + i))
			return -EFAULT;
		size |= (u32)fm.mem[gpa + i - BASE] << (8 * i);
	}
	*size_out = size;
	if (size < TIN_VER0)
		return -EINVAL;
	if (size > COPY_IN_TAIL_MAX)
		return -E2BIG;
	for (u64 a = gpa + TIN_KNOWN; a < gpa + size; a++) {
		if (!ref_mapped(a))
			return -EFAULT;
		if (fm.mem[a - BASE])
			return -E2BIG;
	}
	body = MIN(size, TIN_KNOWN);
	memset(dst, 0, TIN_KNOWN);
	for (u32 i = 4; i < body; i++) {
		if (!ref_mapped(gpa + i))
			return -EFAULT;
		dst[i] = fm.mem[gpa + i - BASE];
	}
	memcpy(dst, &size, 4);
	return 0;
}

static u32 random_size(void)
{
	static const u32 big[] = { TIN_KNOWN + 0x3000, COPY_IN_TAIL_MAX,
				   COPY_IN_TAIL_MAX + 1, 0x80000000u,
				   0xffffffffu };

	if (rnd() % 10)
		return (u32)(rnd() % (2 * TIN_KNOWN + 1));
	return big[rnd() % ARRAY_SIZE(big)];
}

static u64 random_gpa(void)
{
	if (rnd() % 2)
		return BASE - 8 + rnd() % (MEM_SIZE + 8);
	/* Near a page boundary, so fields and tails straddle it. */
	return BASE + (1 + rnd() % (NPAGES - 1)) * 4096 - 48 + rnd() % 56;
}

/* Random struct bytes at gpa, the size field, and a tail that is zero
 * or has one non-zero byte. */
static void random_struct(u64 gpa, u32 size)
{
	u64 end = BASE + MEM_SIZE;

	for (u64 a = gpa; a < gpa + 2 * TIN_KNOWN + 8; a++)
		if (a >= BASE && a < end)
			fm.mem[a - BASE] = (u8)rnd();
	if (gpa >= BASE && gpa + 4 <= end)
		put32(gpa, size);
	if (rnd() % 3 == 0 || size <= TIN_KNOWN || size > COPY_IN_TAIL_MAX)
		return;
	for (u64 a = gpa + TIN_KNOWN; a < gpa + size && a < end; a++)
		if (a >= BASE)
			fm.mem[a - BASE] = 0;
	if (rnd() % 2) {
		u64 a = gpa + TIN_KNOWN + rnd() % (size - TIN_KNOWN);

		if (a >= BASE && a < end)
			fm.mem[a - BASE] = (u8)(1 + rnd() % 255);
	}
}

/* Only [gpa, gpa + allowed) was read, each byte at most once; clears
 * the counts of what was read. */
static void check_reads(u64 gpa, u64 allowed)
{
	CHECK(fm.nreads <= LOG_MAX);
	for (unsigned i = 0; i < fm.nreads && i < LOG_MAX; i++) {
		struct access r = fm.rlog[i];

		CHECK(r.gpa >= gpa && r.gpa + r.len <= gpa + allowed);
		for (u32 j = 0; j < r.len; j++) {
			CHECK(fm.reads[r.gpa - BASE + j] <= 1);
			fm.reads[r.gpa - BASE + j] = 0;
		}
	}
	fm.nreads = 0;
}

/* One random case; returns the reference model's answer. */
static int random_round(void)
{
	u64 gpa = random_gpa();
	u32 size = random_size(), ref_size = 0, caller = 0;
	u8 want[TIN_KNOWN], got[TIN_KNOWN];
	int want_ret, got_ret;

	for (unsigned p = 0; p < NPAGES; p++)
		fm.unmapped[p] = rnd() % 10 == 0;
	random_struct(gpa, size);
	want_ret = ref_copy_in(gpa, want, &ref_size);
	fm.nwrites = 0;
	got_ret = copy_struct_in(&gm, gpa, got, TIN_KNOWN, TIN_VER0, &caller);
	CHECK_EQ(got_ret, want_ret);
	if (want_ret == 0) {
		CHECK_EQ(caller, ref_size);
		CHECK(memcmp(got, want, TIN_KNOWN) == 0);
	}
	if (want_ret == -E2BIG)
		CHECK_EQ(get32(gpa), TIN_KNOWN); /* the only write */
	else
		CHECK_EQ(fm.nwrites, 0);
	check_reads(gpa, ref_size >= TIN_VER0 && ref_size <= COPY_IN_TAIL_MAX ?
				 ref_size : 4);
	return want_ret;
}

TEST(in_random_vs_reference)
{
	unsigned outcomes[4] = { 0 }; /* ok, EINVAL, E2BIG, EFAULT */

	reset();
	for (unsigned i = 0; i < 30000 && !check_failed_in_test; i++) {
		int r = random_round();

		outcomes[r == 0 ? 0 : r == -EINVAL ? 1 : r == -E2BIG ? 2 : 3]++;
	}
	for (unsigned i = 0; i < 4; i++)
		CHECK(outcomes[i] > 1000); /* every outcome well covered */
}

RUN_TESTS("uaccess",
	  T(in_below_first_size), T(in_first_size_zero_extends),
	  T(in_known_size), T(in_larger_zero_tail), T(in_larger_nonzero_tail),
	  T(in_above_tail_max), T(in_crosses_page), T(in_tail_page_unmapped),
	  T(in_tail_nonzero_before_unmapped), T(in_size_unmapped),
	  T(in_body_unmapped), T(in_size_field_crosses_page), T(in_size_race),
	  T(in_each_body_byte_read_once), T(in_bad_sizes_from_hypervisor),
	  T(out_smaller), T(out_equal_and_larger), T(out_below_min),
	  T(out_unmapped), T(read_argsz_only), T(gmem_split_pages), T(gmem_writable_touches_nothing),
	  T(all_zero_and_flags), T(cap_chain_walk),
	  T(cap_chain_alignment_padding), T(cap_chain_too_big),
	  T(cap_chain_to_guest), T(in_random_vs_reference))
