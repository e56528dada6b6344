# ports/lib.sh - what the ports' build scripts share (sourced): a configured tree kept
# between builds, and steps whose log is shown only when they fail.

# port_step NAME WHAT LOG COMMAND... - run COMMAND with its output in LOG; when it fails,
# say "NAME: WHAT failed" with the end of LOG and exit 1.
port_step() {
	local name=$1 what=$2 log=$3
	shift 3
	if ! "$@" >"$log" 2>&1; then
		echo "$name: $what failed; the end of $log:" >&2
		tail -n 30 "$log" >&2
		exit 1
	fi
}

# port_needs_configure WORK STAMP - true when WORK/configured does not hold STAMP (the
# version, the configure line, the compiler: what the configured tree depends on); the
# old stamp is removed then, so that a failed configure is not taken for a done one.
port_needs_configure() {
	if [ -f "$1/configured" ] && [ "$(cat "$1/configured")" = "$2" ]; then
		return 1
	fi
	rm -f "$1/configured"
	return 0
}

# port_configured WORK STAMP - the tree in WORK is configured as STAMP says.
port_configured() { echo "$2" >"$1/configured"; }
