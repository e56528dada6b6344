/* lwipopts.h - lwIP's configuration for VMOS (see docs/networking.md).
 *
 * One cooperative CPU: lwIP runs with the tcpip thread (NO_SYS=0) and core locking, so
 * the socket layer calls into the stack directly under a lock that is never contended
 * for long (nobody is preempted while holding it) instead of posting a message per call.
 * Memory comes from newlib's malloc (pools too), so an image that never opens a socket
 * pays no RAM for the stack. The socket API is built against the POSIX layer's own
 * Linux-compatible headers (LWIP_SOCKET_EXTERNAL_HEADERS), and none of lwIP's
 * compatibility macros rename the application's read/write/close/select. */
#ifndef VMOS_LWIPOPTS_H
#define VMOS_LWIPOPTS_H

/* ---- system ---- */
#define NO_SYS                        0
#define SYS_LIGHTWEIGHT_PROT          0 /* no preemption, lwIP never runs in interrupts */
#define LWIP_TCPIP_CORE_LOCKING       1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 1
#define LWIP_NETCONN_SEM_PER_THREAD   0
#define TCPIP_THREAD_STACKSIZE        (256 * 1024)
#define TCPIP_THREAD_PRIO             0
#define TCPIP_MBOX_SIZE               256
#define DEFAULT_THREAD_STACKSIZE      (256 * 1024)
#define DEFAULT_RAW_RECVMBOX_SIZE     256
#define DEFAULT_UDP_RECVMBOX_SIZE     256
#define DEFAULT_TCP_RECVMBOX_SIZE     256
#define DEFAULT_ACCEPTMBOX_SIZE       256
#define LWIP_TIMERS                   1

/* The core lock, with a hook at unlock (net/arch/sys_arch.h): frames queued while it
 * was held go to the card then. */
#define LOCK_TCPIP_CORE()   vmos_lock_tcpip_core()
#define UNLOCK_TCPIP_CORE() vmos_unlock_tcpip_core()
void vmos_lwip_assert_core_locked(void);
#define LWIP_ASSERT_CORE_LOCKED() vmos_lwip_assert_core_locked()

/* ---- memory: newlib's malloc for the heap and every pool ---- */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_USE_POOLS   0
#define MEM_ALIGNMENT   8
/* Sockets are a fixed table in lwIP (NUM_SOCKETS = MEMP_NUM_NETCONN): as many as the
 * POSIX layer has descriptors. Other MEMP_NUM_* only matter without MEMP_MEM_MALLOC. */
#define MEMP_NUM_NETCONN        1024
#define MEMP_NUM_TCP_PCB        1024
#define MEMP_NUM_TCP_PCB_LISTEN 64
#define MEMP_NUM_UDP_PCB        256
#define PBUF_POOL_SIZE          256

/* ---- protocols ---- */
#define LWIP_IPV4                          1
#define LWIP_IPV6                          0
#define LWIP_ARP                           1
#define LWIP_ETHERNET                      1
#define LWIP_ICMP                          1
#define LWIP_RAW                           0
#define LWIP_UDP                           1
#define LWIP_TCP                           1
#define LWIP_DHCP                          1
#define LWIP_DNS                           1
#define LWIP_IGMP                          0
#define LWIP_AUTOIP                        0
#define IP_REASSEMBLY                      1
#define IP_FRAG                            1
#define SO_REUSE                           1
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
#define LWIP_RAND()                        ((u32_t)vmos_lwip_rand())
unsigned vmos_lwip_rand(void);
/* Every packet sent while an address is being resolved waits for the ARP reply (lwIP's
 * default keeps only the last one: a burst of SYN-ACKs to a new peer lost all but one). */
#define ARP_QUEUEING  1
#define ARP_QUEUE_LEN 64
/* At most this many connections in TIME-WAIT; a new connection drops the oldest beyond it
 * (net/patches/0001-bound-time-wait-list.patch: the list is walked for every segment that
 * matches no active connection, and the heap-allocated pools bound nothing). */
#define TCP_MAX_TIME_WAIT 128
/* A SYN with a sequence number beyond an old connection's, from the same address and port,
 * opens a new connection while the old one is in TIME-WAIT, as BSD and Linux allow
 * (net/patches/0002-time-wait-accepts-newer-syn.patch): otherwise a client that reuses
 * its ports fast waits two minutes in connect(). */
#define TCP_TIME_WAIT_REUSE 1
/* No ARP probe of a DHCP-offered address before using it: it costs a second at every
 * boot (Linux's DHCP clients do not probe either). */
#define DHCP_DOES_ARP_CHECK 0

/* 127.0.0.1 on its own netif ("lo"), delivered through the tcpip thread. */
#define LWIP_NETIF_LOOPBACK        1
#define LWIP_HAVE_LOOPIF           1
#define LWIP_LOOPBACK_MAX_PBUFS    0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK   1

/* TCP: a window and send buffer for a fast local network. */
#define TCP_MSS                    1460
#define TCP_WND                    (32 * TCP_MSS)
#define TCP_SND_BUF                (32 * TCP_MSS)
#define TCP_SND_QUEUELEN           ((4 * TCP_SND_BUF) / TCP_MSS)
#define TCP_LISTEN_BACKLOG         1
#define TCP_DEFAULT_LISTEN_BACKLOG 128
#define LWIP_TCP_KEEPALIVE         1
#define TCP_QUEUE_OOSEQ            1
#define LWIP_CHECKSUM_ON_COPY      1
/* The card may compute TCP checksums (net/vnet_tx.c switches lwIP's off for it). */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1

/* ---- the socket API ---- */
#define LWIP_NETCONN                          1
#define LWIP_SOCKET                           1
#define LWIP_COMPAT_SOCKETS                   0
#define LWIP_POSIX_SOCKETS_IO_NAMES           0
#define LWIP_SOCKET_SELECT                    0
#define LWIP_SOCKET_POLL                      1 /* lwip_poll: the readiness of one socket, for posix/fd/poll.c */
#define LWIP_SOCKET_OFFSET                    0
#define LWIP_SOCKET_EXTERNAL_HEADERS          1
#define LWIP_SOCKET_EXTERNAL_HEADER_SOCKETS_H "lwip_ext_sockets.h"
#define LWIP_SOCKET_EXTERNAL_HEADER_INET_H    "lwip_ext_inet.h"
#define LWIP_SO_SNDTIMEO                      1
#define LWIP_SO_RCVTIMEO                      1
#define LWIP_SO_RCVBUF                        1
#define LWIP_SO_LINGER                        1
#define LWIP_FIONREAD_LINUXMODE               1
#define RECV_BUFSIZE_DEFAULT                  (256 * 1024)
#define LWIP_NETIF_API                        0
/* Statistics: the pools', the heap's and TCP's, for the netstats= counters line
 * (net/netwatch.h); the per-protocol packet counters are left out. */
#define LWIP_STATS         1
#define LWIP_STATS_DISPLAY 0
#define MEM_STATS          1
#define MEMP_STATS         1
#define TCP_STATS          1
#define LINK_STATS         0
#define ETHARP_STATS       0
#define IP_STATS           0
#define IPFRAG_STATS       0
#define ICMP_STATS         0
#define UDP_STATS          0
#define SYS_STATS          0

/* ---- checks and debugging ---- */
#define LWIP_NOASSERT_ON_ERROR 1 /* LWIP_DEBUG stays undefined: lwIP tests it with #ifdef */

#endif
