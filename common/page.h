/* Cursor pagination: ?limit= (default 50, max 500) and an opaque ?cursor= that encodes the sort
 * order and the last row's sort key and id, so a page costs the same at any depth (keyset). */
#ifndef COMMON_PAGE_H
#define COMMON_PAGE_H

#include <stddef.h>
#include <libpq-fe.h>
#include "server.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX     500

struct page {
    int limit;
    char limit_text[16]; /* limit + 1, as a SQL parameter: one extra row tells if more exist */
    const char *sort;    /* the chosen sort name (one of the allowed) */
    char key[256];       /* last sort key, "" for the first page */
    char id[40];         /* last id, "" for the first page */
    int has_cursor;
};

/* Reads limit, sort and cursor from r. allowed_sorts is NULL-terminated, first is the default.
 * Answers a 400 problem and returns -1 on bad input. */
int page_read(struct req *r, struct page *p, const char *const *allowed_sorts);

/* The first page's start: without a cursor, key becomes start (the key before every row, e.g.
 * "-infinity" or "") and id the lowest uuid, or for a descending sort the highest. */
void page_start(struct page *p, const char *start, int desc);

/* Pure helpers (unit-tested). encode returns a malloc'd string; decode returns 0 or -1. */
char *page_cursor_encode(const char *sort, const char *key, const char *id);
int page_cursor_decode(const char *cursor, const char *sort, char *key, size_t keylen, char *id,
                       size_t idlen);
int page_parse_limit(const char *text, int *limit);

/* Answers {"items": [...], "next_cursor": ...} from a result whose columns are: json_col (the
 * item's JSON text), key_col (sort key text) and id_col. The result holds up to limit + 1 rows. */
void page_reply(struct req *r, const struct page *p, PGresult *res, int json_col, int key_col,
                int id_col);

/* Base64url without padding. Return malloc'd strings or NULL. */
char *b64url_encode(const unsigned char *data, size_t len);
unsigned char *b64url_decode(const char *text, size_t *len);

#endif
