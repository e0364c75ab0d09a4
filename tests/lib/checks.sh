# Sourced by the check scripts (tests/check_*.sh), after they set
# check_details: `report NAME STATUS` prints "PASS NAME", or "FAIL NAME:
# see $check_details"; `checks_done` exits 1 when a check failed.
# shellcheck shell=sh
status=0
check_details=${check_details:-the script}

report() { # name, exit status of its check
	if [ "$2" -eq 0 ]; then
		echo "PASS $1"
	else
		echo "FAIL $1: see $check_details"
		status=1
	fi
}

checks_done() {
	exit "$status"
}
