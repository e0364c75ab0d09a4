/* The smallest child: it only ends with success. Used for the
 * create/run/destroy cycles that check nothing leaks. */
#include "guests/lib/test.h"

const char test_title[] = "q";

void test_main(void)
{
}
