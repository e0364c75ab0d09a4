/* The binary trace buffer (hv/tracebuf.c) for unit tests that link code
 * recording events: its INJECT records counted, the last one's code and
 * arg kept. */
#ifndef TESTS_UNIT_TRACE_STUB_H
#define TESTS_UNIT_TRACE_STUB_H

u32 tracebuf_events;
static u32 traced, traced_code, traced_arg;

void tracebuf_put(u32 type, const struct vcpu *v, u32 code, u32 arg, u64 value)
{
	(void)v;
	(void)value;
	traced += type == HV_TRACE_EV_INJECT;
	traced_code = code;
	traced_arg = arg;
}

#endif
