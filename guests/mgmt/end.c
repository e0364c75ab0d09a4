/* The end of hvctl's run: the failure count, `exit` (children destroyed
 * first) and the panic the runtime calls on an unclaimed exception. */
#include "guests/mgmt/mgmt.h"

u32 mgmt_failures;

void mgmt_failed(void)
{
	mgmt_failures++;
}

/* Destroys every child, so that the hypervisor gets all memory back. */
static void destroy_children(void)
{
	u32 n = 0;

	for (u32 i = 0; i < CHILDREN_MAX; i++) {
		struct child *c = child_at(i);

		if (c && !child_destroy(c))
			n++;
	}
	if (n)
		gprintf("hvctl: destroyed %u VM(s)\n", n);
}

void mgmt_exit(u32 code)
{
	destroy_children();
	gprintf("hvctl: exit %u\n", code);
	guest_exit(code);
}

void guest_panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gprintf("hvctl: PANIC: %s\n", msg);
	guest_exit(3);
}
