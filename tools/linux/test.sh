#!/bin/sh
# What the boot test asserts, printed to the console between markers
# (linux.run=test on the kernel command line).
echo "linux-test: begin"
echo "linux-test: uname $(uname -r)"
echo "linux-test: nproc $(nproc)"
# A parallel workload: four busy loops at once, one per vCPU with four.
for i in 1 2 3 4; do
	busybox sh -c 'j=0; while [ $j -lt 10000 ]; do j=$((j + 1)); done' &
done
wait
echo "linux-test: parallel loops done"
# Linux moves from tsc-early to tsc once its refined calibration (a work
# item about a second after boot) is done: wait for it, 10 s at most.
cs=/sys/devices/system/clocksource/clocksource0/current_clocksource
i=0
while [ "$(cat $cs)" != tsc ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "linux-test: clocksource $(cat $cs)"
# Kernel warnings and MSR accesses the platform refused: none, as under
# plain QEMU.
echo "linux-test: kernel warnings $(dmesg | grep -c -E 'WARNING: CPU|unchecked MSR access')"
cat /proc/interrupts
grep -m1 "model name" /proc/cpuinfo
cat /proc/cpuinfo
dmesg | grep -E "ACPI: (RSDP|XSDT|RSDT|APIC|FACP|DSDT)|IOAPIC\[0\]|clocksource: Switched"
echo "linux-test: end"
