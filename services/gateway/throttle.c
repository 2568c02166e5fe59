/* Rate limiting of requests and the RateLimit-* / Retry-After headers. */
#include "gateway.h"
#include "problem.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

void client_address(const struct req *r, char *buf, size_t len)
{
    const struct sockaddr *sa = r->in->client_address;
    buf[0] = '\0';
    if (!sa) return;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                  (socklen_t)len);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  (socklen_t)len);
}

int rate_limit(struct req *r, ratelimit_t *limiter, const char *key)
{
    struct rl_decision d;
    char value[32];
    ratelimit_check(limiter, key, now_seconds(), 1, &d);
    snprintf(value, sizeof value, "%ld", d.limit);
    reply_header(r, "RateLimit-Limit", value);
    snprintf(value, sizeof value, "%ld", d.remaining);
    reply_header(r, "RateLimit-Remaining", value);
    snprintf(value, sizeof value, "%ld", d.reset);
    reply_header(r, "RateLimit-Reset", value);
    if (d.allowed) return 0;
    snprintf(value, sizeof value, "%ld", d.retry_after);
    reply_header(r, "Retry-After", value);
    problem(r, 429, "Too many requests from this client; wait as Retry-After says.");
    return -1;
}
