/* The cursor of GET /v1/changes: every service's position in one opaque text (see feed.h). */
#include "feed.h"
#include "changes.h"
#include "page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int service_name_ok(const char *s, size_t n)
{
    if (n < 1 || n >= sizeof(((struct feed_position *)0)->service)) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_')) return 0;
    return 1;
}

int feed_cursor_decode(const char *cursor, struct feed_position *pos, size_t max)
{
    size_t len, n = 0;
    unsigned char *raw = b64url_decode(cursor, &len);
    if (!raw) return -1;
    char *text = malloc(len + 1);
    int rc = -1;
    if (!text || len == 0) goto cleanup;
    memcpy(text, raw, len);
    text[len] = 0;
    /* No NUL inside, no empty position. */
    if (strlen(text) != len || text[0] == ';' || text[len - 1] == ';' || strstr(text, ";;"))
        goto cleanup;
    char *save = NULL;
    for (char *item = strtok_r(text, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(item, '=');
        if (!eq || n >= max || !service_name_ok(item, (size_t)(eq - item))) goto cleanup;
        struct feed_position *p = &pos[n];
        memcpy(p->service, item, (size_t)(eq - item));
        p->service[eq - item] = 0;
        if (changes_parse_position(eq + 1, p->txid, sizeof p->txid, p->seq, sizeof p->seq) < 0)
            goto cleanup;
        for (size_t i = 0; i < n; i++)
            if (strcmp(pos[i].service, p->service) == 0) goto cleanup;
        n++;
    }
    rc = (int)n;
cleanup:
    free(raw);
    free(text);
    return rc;
}

char *feed_cursor_encode(const struct feed_position *pos, size_t n)
{
    char text[FEED_MAX_SOURCES * 96] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && i < FEED_MAX_SOURCES; i++) {
        int w = snprintf(text + used, sizeof text - used, "%s%s=%s.%s", used ? ";" : "",
                         pos[i].service, pos[i].txid, pos[i].seq);
        if (w < 0 || (size_t)w >= sizeof text - used) return NULL;
        used += (size_t)w;
    }
    return b64url_encode((const unsigned char *)text, used);
}

/* Positions are decimal, at most 19 digits: compared as numbers. */
static int position_before(const struct feed_position *a, const struct feed_position *b)
{
    unsigned long long at = strtoull(a->txid, NULL, 10), bt = strtoull(b->txid, NULL, 10);
    if (at != bt) return at < bt;
    return strtoull(a->seq, NULL, 10) < strtoull(b->seq, NULL, 10);
}

int feed_positions_behind(const struct feed_position *pos, size_t n,
                          const struct feed_position *heads, size_t n_heads)
{
    for (size_t h = 0; h < n_heads; h++) {
        const struct feed_position *mine = NULL;
        for (size_t i = 0; i < n && !mine; i++)
            if (strcmp(pos[i].service, heads[h].service) == 0) mine = &pos[i];
        if (!mine || position_before(mine, &heads[h])) return 1;
    }
    return 0;
}
