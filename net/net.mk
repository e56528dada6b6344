# net/: lwIP (Debian's source package, version pinned in net/lwip-version, fetched and
# unpacked into the build folder) with our port (lwipopts.h, arch/, sys_arch.c), the
# network start-up (net.c, netcfg.c) and the POSIX layer's socket calls (posix/net/socket.c,
# poll.c, epoll.c, netdb.c). Everything is compiled like posix/ (POSIX_CFLAGS) and
# collected in NET_OBJS, which the top-level Makefile links into application images and
# the kit archive libvmos-net.a.

LWIP_VERSION := $(shell sed -n 's/^LWIP_VERSION=//p' net/lwip-version)
LWIP_DIR := $(BUILD)/net/lwip-$(LWIP_VERSION)
LWIP_STAMP := $(LWIP_DIR)/.unpacked
LWIP_PATCHES := $(sort $(wildcard net/patches/*.patch))

# The subset of lwIP we use: IPv4 core, TCP, UDP, DHCP, DNS, the netconn and socket API.
LWIP_SRCS := core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c core/mem.c \
	core/memp.c core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c core/tcp.c \
	core/tcp_in.c core/tcp_out.c core/timeouts.c core/udp.c \
	core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c \
	core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c \
	api/api_lib.c api/api_msg.c api/err.c api/netbuf.c api/sockets.c api/tcpip.c \
	netif/ethernet.c
LWIP_OBJS := $(LWIP_SRCS:%.c=$(BUILD)/app/net/lwip/%.o)

NET_PORT_SRCS := net/sys_arch.c net/net.c net/netcfg.c net/netif_vnet.c net/vnet_tx.c net/gso.c \
	net/netwatch.c
NET_POSIX_SRCS := posix/net/socket.c posix/net/unix.c posix/net/unix_connect.c posix/fd/poll.c posix/fd/epoll.c \
	posix/net/netdb.c posix/net/inet_addr.c posix/net/ifaddrs.c
NET_OBJS := $(LWIP_OBJS) $(NET_PORT_SRCS:%.c=$(BUILD)/app/%.o) \
	$(NET_POSIX_SRCS:%.c=$(BUILD)/app/%.o)

# lwIP sees our port first (net/ holds lwipopts.h and arch/), then its own headers.
NET_CFLAGS := -Inet -I$(LWIP_DIR)/src/include

$(LWIP_STAMP): net/lwip-version tools/debian-source.sh $(LWIP_PATCHES) | $(SETUP_STAMP)
	@$(if $(Q),echo "  FETCH   lwip $(LWIP_VERSION)")
	$(Q)bash tools/debian-source.sh lwip $(LWIP_VERSION) $(LWIP_DIR)
	$(Q)for p in $(LWIP_PATCHES); do patch -s -d $(LWIP_DIR) -p1 <$$p || exit 1; done
	$(Q)touch $@

$(LWIP_OBJS): $(BUILD)/app/net/lwip/%.o: $(LWIP_STAMP) $(FLAGS_STAMP) net/lwipopts.h net/arch/cc.h net/arch/sys_arch.h \
		| $(NEWLIB_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      lwip/$*.c")
	$(Q)$(APP_CC) $(POSIX_CFLAGS) $(NET_CFLAGS) -c $(LWIP_DIR)/src/$*.c -o $@

$(BUILD)/app/net/%.o: net/%.c $(LWIP_STAMP) $(FLAGS_STAMP) | $(NEWLIB_STAMP) $(SETUP_STAMP)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(APP_CC) $(POSIX_CFLAGS) $(NET_CFLAGS) -c $< -o $@

# The socket calls in posix/ include lwIP's headers too.
$(NET_POSIX_SRCS:%.c=$(BUILD)/app/%.o): POSIX_CFLAGS += $(NET_CFLAGS)
$(NET_POSIX_SRCS:%.c=$(BUILD)/app/%.o): $(LWIP_STAMP)

-include $(NET_OBJS:.o=.d)
