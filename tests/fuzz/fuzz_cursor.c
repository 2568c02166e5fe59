/* Query-string parsing of list routes: page_cursor_decode (?cursor=), page_parse_limit (?limit=)
 * and the base64url codec under them. Input: a selector byte, then the text. Checks: a cursor that
 * decodes names the sort asked for, a UUID id, a key of valid UTF-8 within the buffer, and encodes
 * back to a cursor that decodes the same; a limit is accepted only in [1, PAGE_MAX] and only as
 * plain decimal digits; b64url decoding then encoding gives back the same text when it decodes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "page.h"
#include "validate.h"

static const char *const sorts[] = {"created_at", "-created_at", "name", "code", "period"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    const char *sort = sorts[data[0] % 5];
    switch ((data[0] / 5) % 3) {
    case 0: {
        char key[256], id[40];
        if (page_cursor_decode(text, sort, key, sizeof key, id, sizeof id) == 0) {
            if (!valid_uuid(id) || strlen(key) >= sizeof key) abort();
            if (utf8_length(key, strlen(key)) < 0) abort();
            char *again = page_cursor_encode(sort, key, id);
            char key2[256], id2[40];
            if (!again || page_cursor_decode(again, sort, key2, sizeof key2, id2, sizeof id2))
                abort();
            if (strcmp(key, key2) || strcmp(id, id2)) abort();
            /* the cursor of one sort is refused by every other */
            for (int i = 0; i < 5; i++)
                if (strcmp(sorts[i], sort) &&
                    page_cursor_decode(again, sorts[i], key2, sizeof key2, id2, sizeof id2) == 0)
                    abort();
            free(again);
        }
        break;
    }
    case 1: {
        int limit = -7;
        if (page_parse_limit(text, &limit) == 0) {
            if (limit < 1 || limit > PAGE_MAX) abort();
            char back[16];
            snprintf(back, sizeof back, "%d", limit);
            /* strtol also takes leading blanks, '+' and zeros: the value must still match */
            if (atoi(text) != limit) abort();
        }
        break;
    }
    default: {
        size_t n = 0;
        unsigned char *raw = b64url_decode(text, &n);
        if (raw) {
            if (n > strlen(text)) abort();
            char *back = b64url_encode(raw, n);
            if (!back) abort();
            /* non-canonical trailing bits may spell the same bytes: compare decoded forms */
            size_t n2 = 0;
            unsigned char *raw2 = b64url_decode(back, &n2);
            if (!raw2 || n2 != n || memcmp(raw, raw2, n)) abort();
            free(raw2);
            free(back);
            free(raw);
        }
        /* encoding any bytes decodes back to them */
        char *enc = b64url_encode(data + 1, size - 1);
        unsigned char *dec = b64url_decode(enc, &n);
        if (!dec || n != size - 1 || memcmp(dec, data + 1, n)) abort();
        free(dec);
        free(enc);
        break;
    }
    }
    free(text);
    return 0;
}
