# shellcheck shell=bash
# netns.sh - sourced by the httpd test scripts that run QEMU on a tap device inside a
# network namespace of their own (nothing is added to the machine's namespace).
#
# netns_why_not - prints why such a namespace cannot be made here (not root, no
# /dev/net/tun, no iproute2), nothing when it can.
netns_why_not() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root (a network namespace and a tap device)"
	elif [ ! -c /dev/net/tun ]; then
		echo "no /dev/net/tun"
	elif ! command -v ip >/dev/null; then
		echo "no ip (iproute2)"
	fi
}

# netns_create NS ERRFILE - makes namespace NS with tap0 at 10.0.2.2/24 (the guest is
# 10.0.2.15) and lo up; ip's messages go to ERRFILE. Status 0 when all of it worked; the
# caller deletes NS (ip netns del) in either case.
netns_create() {
	{ ip netns add "$1" && ip netns exec "$1" ip tuntap add dev tap0 mode tap &&
		ip -n "$1" addr add 10.0.2.2/24 dev tap0 && ip -n "$1" link set tap0 up &&
		ip -n "$1" link set lo up; } 2>"$2"
}
