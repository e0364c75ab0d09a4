/* Every storm call goes through issue(): it picks the instruction, runs
 * the call at CPL 0 or 3, counts the answer and checks it against the set
 * the generator computed from what it put into the struct. Each vCPU
 * counts in its own tally. */
#include "guests/storm/storm.h"
#include "guests/lib/user.h"
#include "lib/printf.h"

#define ERRNO_SLOTS 64
#define REPORTS_MAX 25

PER_VCPU struct tally tally;
_Static_assert(ARRAY_SIZE(tally.errnos) == ERRNO_SLOTS, "a slot per errno");

struct user_call {
	u64 nr, rdi, rsi, rdx;
	bool vmmcall;
};

static u64 hypercall_from(u64 p)
{
	const struct user_call *u = (const struct user_call *)p;

	return (u64)hypercall3_insn(u->vmmcall, u->nr, u->rdi, u->rsi, u->rdx);
}

bool in_set(outcomes set, long ret)
{
	if (ret >= 0)
		return set & OK;
	return -ret < ERRNO_SLOTS && (set & BIT(-ret));
}

static void count(long ret)
{
	if (ret >= 0)
		tally.ok++;
	else if (-ret < ERRNO_SLOTS)
		tally.errnos[-ret]++;
	else
		tally.other++;
}

const char *errno_name(long err)
{
	static const char *const names[] = {
		[HV_EPERM] = "EPERM", [HV_ENOENT] = "ENOENT", [HV_ESRCH] = "ESRCH",
		[HV_E2BIG] = "E2BIG", [HV_ENOMEM] = "ENOMEM", [HV_EFAULT] = "EFAULT",
		[HV_EBUSY] = "EBUSY", [HV_EEXIST] = "EEXIST", [HV_EINVAL] = "EINVAL",
		[HV_ENOTTY] = "ENOTTY", [HV_ENOSPC] = "ENOSPC", [HV_ENOSYS] = "ENOSYS",
	};

	if (err < 0 && -err < (long)ARRAY_SIZE(names) && names[-err])
		return names[-err];
	return "?";
}

static void describe_set(outcomes set, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (long e = 0; e < ERRNO_SLOTS && n < len; e++) {
		if (!(set & BIT(e)))
			continue;
		n += hv_snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				 e ? errno_name(-e) : "ok");
	}
}

/* On several vCPUs a line goes out in one CONSOLE_WRITE: the hypervisor
 * writes it whole (behind "[vm0] "), where VM 0's own bytes on the UART
 * would mix with what it prints for the other vCPUs' calls meanwhile. */
static void console_line(const char *line)
{
	char text[360];
	int n = hv_snprintf(text, sizeof(text), "storm: vCPU %u: %s", self, line);

	hv_console_write(text, (u32)MIN(n, (int)sizeof(text) - 1));
}

void say(const char *fmt, ...)
{
	char line[320];
	va_list ap;

	va_start(ap, fmt);
	hv_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	print_lock();
	if (storm_smp)
		console_line(line);
	else
		gprintf("storm: %s", line);
	print_unlock();
}

void unexpected(const struct hc *c, const char *fmt, ...)
{
	char what[160], allowed[96];
	va_list ap;

	if (++tally.unexpected > REPORTS_MAX)
		return;
	va_start(ap, fmt);
	hv_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	describe_set(c->allow, allowed, sizeof(allowed));
	say("UNEXPECTED at call %llu: nr %#llx rdi %#llx cpl %u -> %ld (%s), "
		"allowed {%s}: %s\n", (unsigned long long)tally.calls,
		(unsigned long long)c->nr, (unsigned long long)c->rdi, c->user ? 3 : 0,
		c->ret, c->ret < 0 ? errno_name(c->ret) : "ok", allowed, what);
}

long issue(struct hc *c)
{
	struct user_call u = { c->nr, c->rdi, c->rsi, c->rdx, rnd() & 1 };

	if (c->user) {
		user_lock();
		c->ret = (long)run_user(hypercall_from, (u64)&u);
		user_unlock();
	} else {
		c->ret = (long)hypercall_from((u64)&u);
	}
	tally.calls++;
	tally.user_calls += c->user;
	count(c->ret);
	if (!in_set(c->allow, c->ret))
		unexpected(c, "answer not allowed");
	return c->ret;
}

void histogram_print(const struct tally *t)
{
	gprintf("storm: result ok (>= 0): %llu\n", (unsigned long long)t->ok);
	for (long e = 1; e < ERRNO_SLOTS; e++)
		if (t->errnos[e])
			gprintf("storm: result -%s (%ld): %llu\n", errno_name(-e), -e,
				(unsigned long long)t->errnos[e]);
	if (t->other)
		gprintf("storm: result other negative: %llu\n", (unsigned long long)t->other);
}
