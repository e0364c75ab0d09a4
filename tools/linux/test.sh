#!/bin/sh
# What the boot test asserts, printed to the console between markers
# (linux.run=test on the kernel command line).
echo "linux-test: begin"
echo "linux-test: uname $(uname -r)"
echo "linux-test: nproc $(nproc)"
echo "linux-test: clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
cat /proc/interrupts
grep -m1 "model name" /proc/cpuinfo
cat /proc/cpuinfo
dmesg | grep -E "ACPI: (RSDP|XSDT|RSDT|APIC|FACP|DSDT)|IOAPIC\[0\]|clocksource: Switched"
echo "linux-test: end"
