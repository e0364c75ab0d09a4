/* Test guests in the style of Xen's XTF: a title, test_main(), and one
 * verdict line at the end, "Test result: SUCCESS|SKIP|FAILURE|ERROR"
 * (the most severe outcome wins). The exit code tells the hypervisor:
 * 0 success, 1 skip, 2 failure, 3 error. */
#ifndef GUESTS_LIB_TEST_H
#define GUESTS_LIB_TEST_H

#include "guests/lib/guest.h"

extern const char test_title[];
void test_main(void);

void test_fail(const char *fmt, ...) __printf(1, 2);
void test_error(const char *fmt, ...) __printf(1, 2);
void test_skip(const char *fmt, ...) __printf(1, 2);
__noreturn void test_finish(void);

struct hv_exit;
/* Runs vCPU 0 of child `vm` through VCPU_RUN (v1), answering the last
 * exit with `value` when `complete`, and writes the exit to *ex; true
 * when it is port I/O at `port`, else records a failure naming what came
 * instead. */
bool test_run_to_io(u32 vm, struct hv_exit *ex, u16 port, bool complete, u64 value);

/* Checks a condition; on failure records it with the expression text. */
#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond))                                                 \
			test_fail(__VA_ARGS__);                              \
	} while (0)

#endif
