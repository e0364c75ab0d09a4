/* Unit tests for hv/log_ring.c: the hypervisor log's ring of bytes, its
 * sequence numbers, what wrapping loses and where a reader goes on. */
#include "check.h"
#include "../../hv/log_ring.c"

static char buf[16];
static struct log_ring ring;
static char out[64];

static void reset(void)
{
	ring = (struct log_ring){ buf, sizeof(buf), 0 };
	memset(out, 0, sizeof(out));
}

#define WRITE(s) log_ring_write(&ring, s, sizeof(s) - 1)

/* Reads up to len bytes from *seq: they must be want, and *seq end at
 * want_seq. */
static void check_read(u64 *seq, u32 len, const char *want, u64 want_seq)
{
	u32 n = log_ring_read(&ring, seq, out, len);

	out[n] = '\0';
	CHECK_STR(out, want);
	CHECK_EQ(*seq, want_seq);
}

TEST(empty_ring_reads_nothing)
{
	u64 seq = 0;

	reset();
	CHECK_EQ(log_ring_read(&ring, &seq, out, sizeof(out)), 0u);
	CHECK_EQ(seq, 0u);
	CHECK_EQ(log_ring_oldest(&ring), 0u);
}

TEST(reads_what_was_written)
{
	u64 seq = 0;

	reset();
	WRITE("one\n");
	WRITE("two\n");
	check_read(&seq, 32, "one\ntwo\n", 8);
}

TEST(second_read_goes_on_where_the_first_stopped)
{
	u64 seq = 0;

	reset();
	WRITE("abcdefgh");
	CHECK_EQ(log_ring_read(&ring, &seq, out, 3), 3u);
	CHECK_EQ(seq, 3u);
	check_read(&seq, 3, "def", 6);
	WRITE("ij");
	check_read(&seq, 8, "ghij", 10);
	check_read(&seq, 8, "", 10);
}

TEST(wrap_keeps_the_newest_bytes_in_order)
{
	u64 seq = 0;

	reset();
	WRITE("0123456789");
	WRITE("abcdefghij"); /* 20 bytes into 16: the first 4 are gone */
	CHECK_EQ(log_ring_oldest(&ring), 4u);
	check_read(&seq, 32, "456789abcdefghij", 20);
}

TEST(overwritten_start_moves_up_to_the_oldest)
{
	u64 seq = 2;

	reset();
	WRITE("0123456789abcdefghijkl"); /* longer than the ring at once */
	CHECK_EQ(ring.head, 22u);
	CHECK_EQ(log_ring_oldest(&ring), 6u);
	check_read(&seq, 4, "6789", 10);
}

TEST(read_across_the_end_of_the_buffer)
{
	u64 seq = 12;

	reset();
	WRITE("0123456789ab");
	WRITE("cdefgh"); /* "gh" lands at the buffer's start */
	check_read(&seq, 32, "cdefgh", 18);
}

TEST(sequence_numbers_survive_many_wraps)
{
	u64 seq = 0;

	reset();
	for (int i = 0; i < 1000; i++)
		WRITE("xyz");
	CHECK_EQ(ring.head, 3000u);
	CHECK_EQ(log_ring_read(&ring, &seq, out, sizeof(out)), 16u);
	CHECK_EQ(seq, 3000u);
	CHECK_EQ(out[15], 'z');
}

RUN_TESTS("log_ring",
	  T(empty_ring_reads_nothing),
	  T(reads_what_was_written),
	  T(second_read_goes_on_where_the_first_stopped),
	  T(wrap_keeps_the_newest_bytes_in_order),
	  T(overwritten_start_moves_up_to_the_oldest),
	  T(read_across_the_end_of_the_buffer),
	  T(sequence_numbers_survive_many_wraps))
