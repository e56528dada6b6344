# tap.sh - sourced by the httpd test scripts: numbered TAP lines.
# tap OK|FAIL NAME [DETAILS...] prints "ok N - NAME" or "not ok N - NAME" and the details
# as comments; n counts the lines printed so far.
n=0
tap() {
	n=$((n + 1))
	local result=$1 name=$2
	shift 2
	if [ "$result" = OK ]; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		local d
		for d in "$@"; do echo "#   $d"; done
	fi
}
