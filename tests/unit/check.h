/* Minimal host unit-test harness. A test file #includes the source under
 * test directly, defines TEST(name) functions and lists them in
 * RUN_TESTS(...). Each test prints one line, "PASS unit/<file>/<name>" or
 * "FAIL unit/<file>/<name>: <what>", which tests/run counts. The binary
 * exits non-zero when anything failed. Built with ASan and UBSan. */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed_in_test;
static int check_tests_failed;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			if (!check_failed_in_test)                           \
				printf("  %s:%d: CHECK(%s) failed\n",        \
				       __FILE__, __LINE__, #cond);           \
			check_failed_in_test = 1;                            \
		}                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		unsigned long long va_ = (unsigned long long)(a);            \
		unsigned long long vb_ = (unsigned long long)(b);            \
		if (va_ != vb_) {                                            \
			if (!check_failed_in_test)                           \
				printf("  %s:%d: %s == %s: 0x%llx != 0x%llx\n", \
				       __FILE__, __LINE__, #a, #b, va_, vb_); \
			check_failed_in_test = 1;                            \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *sa_ = (a), *sb_ = (b);                           \
		if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                 \
			if (!check_failed_in_test)                           \
				printf("  %s:%d: %s == %s: \"%s\" != \"%s\"\n", \
				       __FILE__, __LINE__, #a, #b,           \
				       sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)"); \
			check_failed_in_test = 1;                            \
		}                                                            \
	} while (0)

#define TEST(name) static void test_##name(void)

struct check_case {
	const char *name;
	void (*fn)(void);
};

#define T(name) { #name, test_##name }

static inline int check_run(const char *suite, const struct check_case *c,
			    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		check_failed_in_test = 0;
		c[i].fn();
		printf("%s unit/%s/%s\n", check_failed_in_test ? "FAIL" : "PASS",
		       suite, c[i].name);
		check_tests_failed += check_failed_in_test;
	}
	return check_tests_failed ? 1 : 0;
}

#define RUN_TESTS(suite, ...)                                                \
	int main(void)                                                       \
	{                                                                    \
		static const struct check_case cases_[] = { __VA_ARGS__ };   \
		return check_run(suite, cases_,                              \
				 sizeof(cases_) / sizeof(cases_[0]));        \
	}

#endif
