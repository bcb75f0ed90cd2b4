/* mdwe-exec: run a program under the same W^X restriction that systemd's
 * MemoryDenyWriteExecute=yes applies, without systemd as PID 1.
 *
 *   mdwe-exec seccomp PROGRAM [ARGS...]   systemd <= 254 semantics (seccomp):
 *       mmap/mmap2 with PROT_WRITE|PROT_EXEC -> EPERM
 *       mprotect/pkey_mprotect adding PROT_EXEC (any) -> EPERM
 *       shmat with SHM_EXEC -> EPERM
 *   mdwe-exec prctl PROGRAM [ARGS...]     systemd >= 255 on Linux >= 6.3:
 *       prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN)
 *
 * The seccomp rules mirror seccomp_memory_deny_write_execute() in systemd's
 * src/shared/seccomp-util.c (x86-64 only here). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

#define ARG_LO(n) (offsetof(struct seccomp_data, args) + 8 * (n))
#define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static int install_seccomp(void) {
#if !defined(__x86_64__)
    fprintf(stderr, "mdwe-exec: seccomp mode is implemented for x86-64 only\n");
    return -1;
#else
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        DENY, /* foreign ABI (systemd also sets SystemCallArchitectures=native) */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 4),
        /* mmap: deny if (prot & (W|X)) == (W|X) */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PROT_WRITE | PROT_EXEC),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_WRITE | PROT_EXEC, 0, 1),
        DENY,
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_pkey_mprotect, 0, 4),
        /* mprotect/pkey_mprotect: deny if prot & X */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PROT_EXEC),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_EXEC, 0, 1),
        DENY,
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_shmat, 0, 4),
        /* shmat: deny if shmflg & SHM_EXEC */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, SHM_EXEC),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SHM_EXEC, 0, 1),
        DENY,
        ALLOW,
    };
    struct sock_fprog prog = {.len = sizeof f / sizeof f[0], .filter = f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
#endif
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "seccomp") != 0 && strcmp(argv[1], "prctl") != 0)) {
        fprintf(stderr, "usage: mdwe-exec seccomp|prctl PROGRAM [ARGS...]\n");
        return 2;
    }
    int rc = strcmp(argv[1], "seccomp") == 0 ? install_seccomp()
                                              : prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0);
    if (rc != 0) {
        fprintf(stderr, "mdwe-exec: %s: %s\n", argv[1], strerror(errno));
        return 125;
    }
    /* Self-check: the restriction is really in force. */
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        fprintf(stderr, "mdwe-exec: W+X mmap still allowed; restriction not active\n");
        return 125;
    }
    execvp(argv[2], argv + 2);
    fprintf(stderr, "mdwe-exec: exec %s: %s\n", argv[2], strerror(errno));
    return 127;
}
