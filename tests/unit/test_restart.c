/* A PC child's restart after a reset (guests/mgmt/create.c) with the
 * hypervisor's calls recorded: the old VM destroyed and a new one made
 * and loaded from the same module and command line, the vCPUs at their
 * power-on state, the RTC carried over, the child's name, slot and
 * console kept; a restart that cannot make the VM again ends the child
 * with nothing left in the hypervisor, and its destroy calls nothing. */
#include "check.h"
#include <stdarg.h>
#include "../../lib/printf.c"
#include "../../guests/mgmt/child.c"
#include "../../guests/mgmt/create.c"

/* --- the hypervisor: live VMs by id ----------------------------------- */

#define IDS 64

static bool live[IDS];
static u32 next_id = 1;
static int vm_creates, vm_destroys;
static long fail_create; /* the next hv_vm_create's answer when set */

static int live_vms(void)
{
	int n = 0;

	for (u32 i = 0; i < IDS; i++)
		n += live[i];
	return n;
}

long hv_vm_create(const char *name, u64 mem_size, u32 vcpus, u32 exit_reasons)
{
	(void)name, (void)mem_size, (void)vcpus, (void)exit_reasons;
	vm_creates++;
	if (fail_create)
		return fail_create;
	live[next_id] = true;
	return next_id++;
}

long hv_vm_destroy(u32 vm)
{
	vm_destroys++;
	if (vm >= IDS || !live[vm])
		return -HV_ENOENT;
	live[vm] = false;
	return 0;
}

long hv_vm_add_memory(u32 vm, u64 gpa, u64 length)
{
	(void)vm, (void)gpa, (void)length;
	return 0;
}

long hv_vcpu_create(u32 vm)
{
	return live[vm] ? 0 : -HV_ENOENT;
}

long hv_feature(u32 flags, u32 vm, u64 *value)
{
	(void)flags, (void)vm, (void)value;
	return 0;
}

long vmm_attach_run_page(struct child *c)
{
	(void)c;
	return 0;
}

/* cpus.c: one CPU, nothing running elsewhere. */
bool placement_check(u64 cpus)
{
	(void)cpus;
	return true;
}

void placement_apply(struct child *c)
{
	(void)c;
}

bool child_take_down(struct child *c)
{
	CHECK(!c->going);
	c->going = true;
	return true;
}

void vm0_cpus_wake_all(void)
{
}

u64 stats_vm_room(void)
{
	return 0;
}

/* --- hvctl's other parts ------------------------------------------------ */

struct discovery disc;

size_t hv_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src), k = n < size ? n : size - 1;

	if (size) {
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}
static const struct hv_boot_module kernel = { .gpa = 0x100000, .size = 4096 };
static struct pc pcs_[CHILDREN_MAX];
static int loads, carries, flushes;
static int fail_load;
static char loaded_cmdline[HV_BOOT_CMDLINE_MAX];
static u8 carried_nvram;

const struct hv_boot_module *module_find(const char *name)
{
	return strcmp(name, "k") ? NULL : &kernel;
}

void module_name(const struct hv_boot_module *m, char *buf, size_t len)
{
	(void)m;
	hv_strlcpy(buf, "k", len);
}

const char *module_args(const struct hv_boot_module *m)
{
	(void)m;
	return "";
}

long pc_create(struct child *c)
{
	c->pc = &pcs_[c->slot];
	memset(c->pc, 0, sizeof(*c->pc));
	c->pc->child = c;
	return 0;
}

u64 pc_now_ns(const struct pc *p)
{
	(void)p;
	return 1000;
}

void rtc_carry_over(struct rtc *r, const struct rtc *old, u64 old_now_ns)
{
	(void)old_now_ns;
	carries++;
	r->cmos[0x38] = carried_nvram = old->cmos[0x38];
}

int child_load(struct child *c, const struct hv_boot_module *m,
	       const struct hv_boot_module *initrd, const struct mb1_boot *b,
	       char *err, size_t len)
{
	(void)c, (void)initrd;
	CHECK(m == &kernel);
	loads++;
	hv_strlcpy(loaded_cmdline, b->cmdline, sizeof(loaded_cmdline));
	if (fail_load) {
		hv_snprintf(err, len, "no room");
		return -1;
	}
	return 0;
}

void uart_init(struct uart16550 *u, const struct pc_irq_sink *irq,
	       void (*tx)(void *ctx, u8 byte), void *tx_ctx)
{
	memset(u, 0, sizeof(*u));
	u->irq = irq;
	u->tx = tx;
	u->tx_ctx = tx_ctx;
}

void child_out_byte(void *ctx, u8 ch)
{
	(void)ctx, (void)ch;
}

void child_out_flush(struct child *c)
{
	(void)c;
	flushes++;
}

static char last_line[256];

void gprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(last_line, sizeof(last_line), fmt, ap);
	va_end(ap);
}

const char *err_name(long err)
{
	return err == -HV_ENOMEM ? "-ENOMEM" : "error";
}

const char *fmt_size(u64 bytes, char *buf, size_t len)
{
	hv_snprintf(buf, len, "%llu", (unsigned long long)bytes);
	return buf;
}

/* --- a child ------------------------------------------------------------ */

static struct child *make_child(void)
{
	struct create_args a = { "r", "k", 16 << 20, 1, "alpha beta", 0, true, true, NULL, NULL, 0 };
	struct child *c;

	memset(live, 0, sizeof(live));
	fail_create = fail_load = 0;
	loads = carries = vm_creates = vm_destroys = 0;
	if (!(c = child_create(&a))) {
		printf("FAIL unit/restart: child_create: %s", last_line);
		exit(1);
	}
	c->reset_restarts = true;
	c->state = CHILD_RUNNING;
	c->vcpu[0].state = VCPU_HALTED;
	c->vcpu[0].complete = true;
	c->background = true;
	c->out_len = 3;
	c->pc->rtc.cmos[0x38] = 7;
	return c;
}

TEST(restart_makes_the_vm_again_from_the_same_boot)
{
	struct child *c = make_child();
	u32 old_id = c->id, slot = c->slot;

	CHECK_STR(loaded_cmdline, "k alpha beta");
	loaded_cmdline[0] = '\0';
	CHECK(child_restart(c));
	CHECK(!live[old_id]);
	CHECK(live[c->id] && c->id != old_id);
	CHECK_EQ(live_vms(), 1);
	CHECK_EQ(loads, 2);
	CHECK_STR(loaded_cmdline, "k alpha beta");
	CHECK_EQ(c->boots, 2);
	CHECK_EQ(c->state, CHILD_CREATED);
	CHECK(child_runnable(c));
	CHECK_EQ(c->vcpu[0].state, VCPU_READY);
	CHECK(!c->vcpu[0].complete);
	CHECK_EQ(c->slot, slot);
	CHECK_STR(c->name, "r");
	CHECK(child_find("r") == c);
	CHECK(c->background);
	CHECK_EQ(c->out_len, 3);
	CHECK_EQ(carries, 1);
	CHECK_EQ(carried_nvram, 7);
	CHECK_EQ(c->pc->rtc.cmos[0x38], 7);
	CHECK(c->uart.tx_ctx == c);
	CHECK_STR(last_line, "vm r: reset, restarting (boot 2)\n");
	CHECK(child_restart(c));
	CHECK_EQ(c->boots, 3);
	CHECK_EQ(live_vms(), 1);
	CHECK_EQ(child_destroy(c), 0);
	CHECK_EQ(live_vms(), 0);
}

TEST(restart_without_memory_ends_the_child_with_nothing_left)
{
	struct child *c = make_child();
	int destroys;

	fail_create = -HV_ENOMEM;
	CHECK(!child_restart(c));
	CHECK_EQ(live_vms(), 0);
	CHECK_EQ(c->state, CHILD_FAULTED);
	CHECK(!child_runnable(c));
	CHECK(strstr(c->why, "restarting failed") != NULL);
	CHECK(c->pc == NULL);
	CHECK_EQ(c->id, CHILD_NO_VM);
	destroys = vm_destroys;
	CHECK_EQ(child_destroy(c), 0); /* no call: its VM is gone */
	CHECK_EQ(vm_destroys, destroys);
	CHECK(child_find("r") == NULL);
}

TEST(restart_that_cannot_load_leaves_no_vm)
{
	struct child *c = make_child();

	fail_load = 1;
	CHECK(!child_restart(c));
	CHECK_EQ(live_vms(), 0);
	CHECK_EQ(c->state, CHILD_FAULTED);
	CHECK_EQ(child_destroy(c), 0);
	CHECK(child_find("r") == NULL);
}

RUN_TESTS("restart",
	  T(restart_makes_the_vm_again_from_the_same_boot),
	  T(restart_without_memory_ends_the_child_with_nothing_left),
	  T(restart_that_cannot_load_leaves_no_vm))
