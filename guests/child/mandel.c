/* A child that computes something visible: the Mandelbrot set in ASCII,
 * in 16.16 fixed point (guests have no floating point). */
#include "guests/lib/test.h"

const char test_title[] = "Mandelbrot set, 16.16 fixed point";

#define FIX(x) ((s64)((x) * 65536))
#define COLS 60
#define ROWS 20
#define MAX_ITER 64

static int escape_time(s64 cr, s64 ci)
{
	s64 zr = 0, zi = 0;

	for (int i = 0; i < MAX_ITER; i++) {
		s64 zr2 = (zr * zr) >> 16, zi2 = (zi * zi) >> 16;

		if (zr2 + zi2 > FIX(4))
			return i;
		zi = ((2 * zr * zi) >> 16) + ci;
		zr = zr2 - zi2 + cr;
	}
	return MAX_ITER;
}

void test_main(void)
{
	static const char shade[] = " .:-=+*#%@";
	char line[COLS + 1];
	u32 inside = 0;

	for (int y = 0; y < ROWS; y++) {
		for (int x = 0; x < COLS; x++) {
			s64 cr = FIX(-2.2) + x * (FIX(3.0) / COLS);
			s64 ci = FIX(-1.2) + y * (FIX(2.4) / ROWS);
			int n = escape_time(cr, ci);

			inside += n == MAX_ITER;
			line[x] = shade[n == MAX_ITER ? 9 : n % 9];
		}
		line[COLS] = '\0';
		gprintf("%s\n", line);
	}
	gprintf("points inside the set: %u of %u\n", inside, COLS * ROWS);
}
