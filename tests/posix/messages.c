/* messages.c - the texts the C library gives for error numbers, signals and resolver
 * errors, which servers write into their logs: strerror, strerrorname_np,
 * strerrordesc_np, both strerror_r forms (short buffers, unknown numbers), perror,
 * strsignal, sigdescr_np, sigabbrev_np, psignal, gai_strerror, hstrerror, herror. Every
 * error name both C libraries define by default, by name (the numbers differ). stderr is
 * sent to stdout, so that perror's, psignal's and herror's lines are compared too. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The XSI strerror_r under its exported name (string.h gives the GNU one here). */
int __xpg_strerror_r(int errnum, char *buf, size_t buflen);

struct named {
	const char *name;
	int value;
};

static const struct named errors[] = {
#ifdef EPERM
    {"EPERM", EPERM},
#endif
#ifdef ENOENT
    {"ENOENT", ENOENT},
#endif
#ifdef ESRCH
    {"ESRCH", ESRCH},
#endif
#ifdef EINTR
    {"EINTR", EINTR},
#endif
#ifdef EIO
    {"EIO", EIO},
#endif
#ifdef ENXIO
    {"ENXIO", ENXIO},
#endif
#ifdef E2BIG
    {"E2BIG", E2BIG},
#endif
#ifdef ENOEXEC
    {"ENOEXEC", ENOEXEC},
#endif
#ifdef EBADF
    {"EBADF", EBADF},
#endif
#ifdef ECHILD
    {"ECHILD", ECHILD},
#endif
#ifdef EAGAIN
    {"EAGAIN", EAGAIN},
#endif
#ifdef ENOMEM
    {"ENOMEM", ENOMEM},
#endif
#ifdef EACCES
    {"EACCES", EACCES},
#endif
#ifdef EFAULT
    {"EFAULT", EFAULT},
#endif
#ifdef ENOTBLK
    {"ENOTBLK", ENOTBLK},
#endif
#ifdef EBUSY
    {"EBUSY", EBUSY},
#endif
#ifdef EEXIST
    {"EEXIST", EEXIST},
#endif
#ifdef EXDEV
    {"EXDEV", EXDEV},
#endif
#ifdef ENODEV
    {"ENODEV", ENODEV},
#endif
#ifdef ENOTDIR
    {"ENOTDIR", ENOTDIR},
#endif
#ifdef EISDIR
    {"EISDIR", EISDIR},
#endif
#ifdef EINVAL
    {"EINVAL", EINVAL},
#endif
#ifdef ENFILE
    {"ENFILE", ENFILE},
#endif
#ifdef EMFILE
    {"EMFILE", EMFILE},
#endif
#ifdef ENOTTY
    {"ENOTTY", ENOTTY},
#endif
#ifdef ETXTBSY
    {"ETXTBSY", ETXTBSY},
#endif
#ifdef EFBIG
    {"EFBIG", EFBIG},
#endif
#ifdef ENOSPC
    {"ENOSPC", ENOSPC},
#endif
#ifdef ESPIPE
    {"ESPIPE", ESPIPE},
#endif
#ifdef EROFS
    {"EROFS", EROFS},
#endif
#ifdef EMLINK
    {"EMLINK", EMLINK},
#endif
#ifdef EPIPE
    {"EPIPE", EPIPE},
#endif
#ifdef EDOM
    {"EDOM", EDOM},
#endif
#ifdef ERANGE
    {"ERANGE", ERANGE},
#endif
#ifdef ENOMSG
    {"ENOMSG", ENOMSG},
#endif
#ifdef EIDRM
    {"EIDRM", EIDRM},
#endif
#ifdef ECHRNG
    {"ECHRNG", ECHRNG},
#endif
#ifdef EL2NSYNC
    {"EL2NSYNC", EL2NSYNC},
#endif
#ifdef EL3HLT
    {"EL3HLT", EL3HLT},
#endif
#ifdef EL3RST
    {"EL3RST", EL3RST},
#endif
#ifdef ELNRNG
    {"ELNRNG", ELNRNG},
#endif
#ifdef EUNATCH
    {"EUNATCH", EUNATCH},
#endif
#ifdef ENOCSI
    {"ENOCSI", ENOCSI},
#endif
#ifdef EL2HLT
    {"EL2HLT", EL2HLT},
#endif
#ifdef EDEADLK
    {"EDEADLK", EDEADLK},
#endif
#ifdef ENOLCK
    {"ENOLCK", ENOLCK},
#endif
#ifdef EBADE
    {"EBADE", EBADE},
#endif
#ifdef EBADR
    {"EBADR", EBADR},
#endif
#ifdef EXFULL
    {"EXFULL", EXFULL},
#endif
#ifdef ENOANO
    {"ENOANO", ENOANO},
#endif
#ifdef EBADRQC
    {"EBADRQC", EBADRQC},
#endif
#ifdef EBADSLT
    {"EBADSLT", EBADSLT},
#endif
#ifdef EDEADLOCK
    {"EDEADLOCK", EDEADLOCK},
#endif
#ifdef EBFONT
    {"EBFONT", EBFONT},
#endif
#ifdef ENOSTR
    {"ENOSTR", ENOSTR},
#endif
#ifdef ENODATA
    {"ENODATA", ENODATA},
#endif
#ifdef ETIME
    {"ETIME", ETIME},
#endif
#ifdef ENOSR
    {"ENOSR", ENOSR},
#endif
#ifdef ENONET
    {"ENONET", ENONET},
#endif
#ifdef ENOPKG
    {"ENOPKG", ENOPKG},
#endif
#ifdef EREMOTE
    {"EREMOTE", EREMOTE},
#endif
#ifdef ENOLINK
    {"ENOLINK", ENOLINK},
#endif
#ifdef EADV
    {"EADV", EADV},
#endif
#ifdef ESRMNT
    {"ESRMNT", ESRMNT},
#endif
#ifdef ECOMM
    {"ECOMM", ECOMM},
#endif
#ifdef EPROTO
    {"EPROTO", EPROTO},
#endif
#ifdef EMULTIHOP
    {"EMULTIHOP", EMULTIHOP},
#endif
#ifdef EDOTDOT
    {"EDOTDOT", EDOTDOT},
#endif
#ifdef EBADMSG
    {"EBADMSG", EBADMSG},
#endif
#ifdef ENOTUNIQ
    {"ENOTUNIQ", ENOTUNIQ},
#endif
#ifdef EBADFD
    {"EBADFD", EBADFD},
#endif
#ifdef EREMCHG
    {"EREMCHG", EREMCHG},
#endif
#ifdef ELIBACC
    {"ELIBACC", ELIBACC},
#endif
#ifdef ELIBBAD
    {"ELIBBAD", ELIBBAD},
#endif
#ifdef ELIBSCN
    {"ELIBSCN", ELIBSCN},
#endif
#ifdef ELIBMAX
    {"ELIBMAX", ELIBMAX},
#endif
#ifdef ELIBEXEC
    {"ELIBEXEC", ELIBEXEC},
#endif
#ifdef ENOSYS
    {"ENOSYS", ENOSYS},
#endif
#ifdef ENOTEMPTY
    {"ENOTEMPTY", ENOTEMPTY},
#endif
#ifdef ENAMETOOLONG
    {"ENAMETOOLONG", ENAMETOOLONG},
#endif
#ifdef ELOOP
    {"ELOOP", ELOOP},
#endif
#ifdef EOPNOTSUPP
    {"EOPNOTSUPP", EOPNOTSUPP},
#endif
#ifdef EPFNOSUPPORT
    {"EPFNOSUPPORT", EPFNOSUPPORT},
#endif
#ifdef ECONNRESET
    {"ECONNRESET", ECONNRESET},
#endif
#ifdef ENOBUFS
    {"ENOBUFS", ENOBUFS},
#endif
#ifdef EAFNOSUPPORT
    {"EAFNOSUPPORT", EAFNOSUPPORT},
#endif
#ifdef EPROTOTYPE
    {"EPROTOTYPE", EPROTOTYPE},
#endif
#ifdef ENOTSOCK
    {"ENOTSOCK", ENOTSOCK},
#endif
#ifdef ENOPROTOOPT
    {"ENOPROTOOPT", ENOPROTOOPT},
#endif
#ifdef ESHUTDOWN
    {"ESHUTDOWN", ESHUTDOWN},
#endif
#ifdef ECONNREFUSED
    {"ECONNREFUSED", ECONNREFUSED},
#endif
#ifdef EADDRINUSE
    {"EADDRINUSE", EADDRINUSE},
#endif
#ifdef ECONNABORTED
    {"ECONNABORTED", ECONNABORTED},
#endif
#ifdef ENETUNREACH
    {"ENETUNREACH", ENETUNREACH},
#endif
#ifdef ENETDOWN
    {"ENETDOWN", ENETDOWN},
#endif
#ifdef ETIMEDOUT
    {"ETIMEDOUT", ETIMEDOUT},
#endif
#ifdef EHOSTDOWN
    {"EHOSTDOWN", EHOSTDOWN},
#endif
#ifdef EHOSTUNREACH
    {"EHOSTUNREACH", EHOSTUNREACH},
#endif
#ifdef EINPROGRESS
    {"EINPROGRESS", EINPROGRESS},
#endif
#ifdef EALREADY
    {"EALREADY", EALREADY},
#endif
#ifdef EDESTADDRREQ
    {"EDESTADDRREQ", EDESTADDRREQ},
#endif
#ifdef EMSGSIZE
    {"EMSGSIZE", EMSGSIZE},
#endif
#ifdef EPROTONOSUPPORT
    {"EPROTONOSUPPORT", EPROTONOSUPPORT},
#endif
#ifdef ESOCKTNOSUPPORT
    {"ESOCKTNOSUPPORT", ESOCKTNOSUPPORT},
#endif
#ifdef EADDRNOTAVAIL
    {"EADDRNOTAVAIL", EADDRNOTAVAIL},
#endif
#ifdef ENETRESET
    {"ENETRESET", ENETRESET},
#endif
#ifdef EISCONN
    {"EISCONN", EISCONN},
#endif
#ifdef ENOTCONN
    {"ENOTCONN", ENOTCONN},
#endif
#ifdef ETOOMANYREFS
    {"ETOOMANYREFS", ETOOMANYREFS},
#endif
#ifdef EUSERS
    {"EUSERS", EUSERS},
#endif
#ifdef EDQUOT
    {"EDQUOT", EDQUOT},
#endif
#ifdef ESTALE
    {"ESTALE", ESTALE},
#endif
#ifdef ENOTSUP
    {"ENOTSUP", ENOTSUP},
#endif
#ifdef ENOMEDIUM
    {"ENOMEDIUM", ENOMEDIUM},
#endif
#ifdef EILSEQ
    {"EILSEQ", EILSEQ},
#endif
#ifdef EOVERFLOW
    {"EOVERFLOW", EOVERFLOW},
#endif
#ifdef ECANCELED
    {"ECANCELED", ECANCELED},
#endif
#ifdef ENOTRECOVERABLE
    {"ENOTRECOVERABLE", ENOTRECOVERABLE},
#endif
#ifdef EOWNERDEAD
    {"EOWNERDEAD", EOWNERDEAD},
#endif
#ifdef ESTRPIPE
    {"ESTRPIPE", ESTRPIPE},
#endif
};

static const struct named signals[] = {
    {"SIGHUP", SIGHUP},   {"SIGINT", SIGINT},     {"SIGQUIT", SIGQUIT}, {"SIGILL", SIGILL},
    {"SIGTRAP", SIGTRAP}, {"SIGABRT", SIGABRT},   {"SIGIOT", SIGIOT},   {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL}, {"SIGBUS", SIGBUS},     {"SIGSEGV", SIGSEGV}, {"SIGSYS", SIGSYS},
    {"SIGPIPE", SIGPIPE}, {"SIGALRM", SIGALRM},   {"SIGTERM", SIGTERM}, {"SIGURG", SIGURG},
    {"SIGSTOP", SIGSTOP}, {"SIGTSTP", SIGTSTP},   {"SIGCONT", SIGCONT}, {"SIGCHLD", SIGCHLD},
    {"SIGCLD", SIGCLD},   {"SIGTTIN", SIGTTIN},   {"SIGTTOU", SIGTTOU}, {"SIGIO", SIGIO},
    {"SIGPOLL", SIGPOLL}, {"SIGXCPU", SIGXCPU},   {"SIGXFSZ", SIGXFSZ}, {"SIGVTALRM", SIGVTALRM},
    {"SIGPROF", SIGPROF}, {"SIGWINCH", SIGWINCH}, {"SIGUSR1", SIGUSR1}, {"SIGUSR2", SIGUSR2},
};

static const char *or_null(const char *s)
{
	return s ? s : "(null)";
}

int main(void)
{
	dup2(1, 2);
	setvbuf(stdout, NULL, _IONBF, 0);

	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		int e = errors[i].value;
		printf("%s: [%s] name %s desc [%s]\n", errors[i].name, strerror(e),
		       or_null(strerrorname_np(e)), or_null(strerrordesc_np(e)));
	}
	printf("0: [%s] name %s\n", strerror(0), or_null(strerrorname_np(0)));
	const int unknown[] = {-1, -2147483647 - 1, 4095, 100000};
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		printf("%d: [%s] name %s desc %s\n", unknown[i], strerror(unknown[i]),
		       or_null(strerrorname_np(unknown[i])), or_null(strerrordesc_np(unknown[i])));

	/* The GNU form: the constant text, or the buffer with "Unknown error N". */
	char small[8], big[64];
	char *p = strerror_r(EBADF, small, sizeof(small));
	printf("gnu EBADF: [%s] in buf %d\n", p, p == small);
	p = strerror_r(4095, small, sizeof(small));
	printf("gnu 4095 small: [%s] in buf %d\n", p, p == small);
	p = strerror_r(4095, big, sizeof(big));
	printf("gnu 4095: [%s] in buf %d\n", p, p == big);
	/* The XSI form: ERANGE when the text does not fit, EINVAL for an unknown number. */
	int r = __xpg_strerror_r(EBADF, small, sizeof(small));
	printf("xsi EBADF small: %s [%s]\n", or_null(strerrorname_np(r)), small);
	r = __xpg_strerror_r(EBADF, big, strlen("Bad file descriptor"));
	printf("xsi EBADF one short: %s [%s]\n", or_null(strerrorname_np(r)), big);
	r = __xpg_strerror_r(EBADF, big, strlen("Bad file descriptor") + 1);
	printf("xsi EBADF exact: %s [%s]\n", r ? or_null(strerrorname_np(r)) : "0", big);
	r = __xpg_strerror_r(4095, big, sizeof(big));
	printf("xsi 4095: %s [%s]\n", or_null(strerrorname_np(r)), big);
	r = __xpg_strerror_r(ENOENT, big, 0);
	printf("xsi ENOENT 0 bytes: %s\n", or_null(strerrorname_np(r)));

	errno = ENOENT;
	perror("open /missing");
	errno = EACCES;
	perror("");
	errno = ECONNREFUSED;
	perror(NULL);
	errno = 4095;
	perror("unknown");

	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		int s = signals[i].value;
		printf("%s: [%s] abbrev %s desc [%s]\n", signals[i].name, strsignal(s),
		       or_null(sigabbrev_np(s)), or_null(sigdescr_np(s)));
	}
	const int bad_signals[] = {0, -1, 999};
	for (size_t i = 0; i < sizeof(bad_signals) / sizeof(bad_signals[0]); i++)
		printf("signal %d: [%s] abbrev %s desc %s\n", bad_signals[i],
		       strsignal(bad_signals[i]), or_null(sigabbrev_np(bad_signals[i])),
		       or_null(sigdescr_np(bad_signals[i])));
	psignal(SIGTERM, "worker");
	psignal(SIGSEGV, NULL);
	psignal(999, "odd");

	const struct named eai[] = {
	    {"EAI_BADFLAGS", EAI_BADFLAGS},
	    {"EAI_NONAME", EAI_NONAME},
	    {"EAI_AGAIN", EAI_AGAIN},
	    {"EAI_FAIL", EAI_FAIL},
	    {"EAI_NODATA", EAI_NODATA},
	    {"EAI_FAMILY", EAI_FAMILY},
	    {"EAI_SOCKTYPE", EAI_SOCKTYPE},
	    {"EAI_SERVICE", EAI_SERVICE},
	    {"EAI_ADDRFAMILY", EAI_ADDRFAMILY},
	    {"EAI_MEMORY", EAI_MEMORY},
	    {"EAI_SYSTEM", EAI_SYSTEM},
	    {"EAI_OVERFLOW", EAI_OVERFLOW},
	    {"0", 0},
	    {"-999", -999},
	};
	for (size_t i = 0; i < sizeof(eai) / sizeof(eai[0]); i++)
		printf("%s: %d [%s]\n", eai[i].name, eai[i].value, gai_strerror(eai[i].value));
	for (int h = -1; h <= 5; h++)
		printf("h_errno %d: [%s]\n", h, hstrerror(h));
	h_errno = HOST_NOT_FOUND;
	herror("resolve example.invalid");
	h_errno = TRY_AGAIN;
	herror(NULL);
	printf("NO_ADDRESS is NO_DATA: %d\n", NO_ADDRESS == NO_DATA);
	return 0;
}
