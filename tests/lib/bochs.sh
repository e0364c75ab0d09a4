# shellcheck shell=bash
# One Bochs boot, shared by tests/run and tests/bench (sourced from the
# repository's top directory). The caller sets BOCHS_TIMEOUT (seconds),
# and may set BOCHS_MEGS (RAM, default 256) and BOCHS_CPUS (default 1).
#   bochs_boot DIR MODEL ISO
# writes DIR/bochsrc from tests/bochsrc.in and leaves the serial output in
# DIR/serial.log, Bochs' log in DIR/bochs.log, its standard output (which
# carries port 0xE9) in DIR/emulator.log and its exit status in DIR/status.

bochs_boot() { # dir model iso
	local dir=$1 model=$2 iso=$3
	sed -e "s|@MODEL@|$model|" -e "s|@ISO@|$PWD/$iso|" -e "s|^megs: .*|megs: ${BOCHS_MEGS:-256}|" \
	    -e "s|count=1,|count=${BOCHS_CPUS:-1},|" \
	    -e "s|@SERIAL@|$PWD/$dir/serial.log|" -e "s|@LOG@|$PWD/$dir/bochs.log|" \
	    tests/bochsrc.in >"$dir/bochsrc"
	bochs_run_once "$dir"
	# Bochs occasionally crashes while starting (its VNC server racing the
	# other boot for a port) before the guest ran at all: try once more.
	if [ "$(cat "$dir/status")" -ge 128 ] && [ ! -s "$dir/serial.log" ]; then
		mv "$dir/emulator.log" "$dir/emulator-crashed-at-start.log"
		bochs_run_once "$dir"
	fi
}

bochs_run_once() { # dir
	timeout "$BOCHS_TIMEOUT" bochs -q -f "$1/bochsrc" -rc tests/bochs-continue.rc \
		</dev/null >"$1/emulator.log" 2>&1
	echo $? >"$1/status"
}
