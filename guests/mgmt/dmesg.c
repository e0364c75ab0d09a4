/* `dmesg [-c]`: the hypervisor's log ring (HV_CALL_DMESG), like `xl
 * dmesg`: each line as its console showed it, behind its level. -c then
 * marks it all as read, so the next `dmesg` shows only newer lines. */
#include "guests/mgmt/mgmt.h"

#if HV_ABI_HEADER_REVISION >= 2
#define DMESG_READ 1024 /* bytes per call: a long log takes several */
#define DMESG_LINE 600  /* longer lines are cut */

static u64 dmesg_mark; /* where `dmesg` starts: 0, or past the last -c */

struct dmesg_lines {
	char line[DMESG_LINE];
	u32 len;
	bool skip; /* the rest of a line whose start was overwritten */
	u32 printed;
};

/* One line "<N>text": the level's name, then the text. */
static void dmesg_print_line(struct dmesg_lines *d)
{
	static const char *const levels[] = { "err", "warn", "info", "debug" };
	const char *text = d->line;
	const char *level = "?";

	d->line[d->len] = '\0';
	if (d->len >= 3 && text[0] == '<' && text[1] >= '0' && text[1] <= '3' && text[2] == '>') {
		level = levels[text[1] - '0'];
		text += 3;
	}
	gprintf("dmesg: %-5s %s\n", level, text);
	d->printed++;
}

static void dmesg_add(struct dmesg_lines *d, const char *s, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		if (s[i] != '\n') {
			if (!d->skip && d->len < DMESG_LINE - 1)
				d->line[d->len++] = s[i];
			continue;
		}
		if (!d->skip)
			dmesg_print_line(d);
		d->skip = false;
		d->len = 0;
	}
}

void cmd_dmesg(struct words *ws)
{
	static char buf[DMESG_READ];
	static struct dmesg_lines d;
	bool clear = ws->n == 2 && !strcmp(ws->w[1], "-c");
	u64 seq = dmesg_mark, lost = 0;
	long n;

	if ((ws->n != 1 && !clear) || disc.ext[HV_EXT_DMESG] <= 0) {
		gprintf(ws->n != 1 && !clear ? "error: usage: dmesg [-c]\n"
			: "error: dmesg: the hypervisor keeps no log for VM 0 (HV_EXT_DMESG)\n");
		return;
	}
	memset(&d, 0, sizeof(d));
	while ((n = hv_dmesg(&seq, buf, sizeof(buf), &lost)) > 0) {
		if (lost) {
			gprintf("dmesg: %llu bytes before this were overwritten in the ring\n",
				(unsigned long long)lost);
			d.skip = true; /* they held the first line's start */
		}
		dmesg_add(&d, buf, (u32)n);
	}
	if (n < 0) {
		gprintf("error: dmesg: %s\n", err_name(n));
		return;
	}
	if (d.len)
		dmesg_print_line(&d); /* a line still being written */
	gprintf("dmesg: %u line(s)%s\n", d.printed, clear ? ", marked read" : "");
	if (clear)
		dmesg_mark = seq;
}
#else /* the v1 headers know no log ring */
void cmd_dmesg(struct words *ws)
{
	(void)ws;
	gprintf("error: dmesg: this hvctl is built against the v1 headers\n");
}
#endif
