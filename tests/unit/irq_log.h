/* An interrupt sink for the PC device models' unit tests: each ISA
 * line's level and how many rising edges it made. */
#ifndef TESTS_UNIT_IRQ_LOG_H
#define TESTS_UNIT_IRQ_LOG_H

#include "../../guests/mgmt/pc_irq.h"

struct irq_log {
	bool level[16];
	unsigned rises[16];
};

static void log_irq(void *ctx, unsigned line, bool level)
{
	struct irq_log *l = ctx;

	if (level && !l->level[line])
		l->rises[line]++;
	l->level[line] = level;
}

static struct irq_log irqs;
static const struct pc_irq_sink sink = { .ctx = &irqs, .set_irq = log_irq };

#endif
