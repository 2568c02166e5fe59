/* GET /v1/instruments: the assessment instruments the server scores, with their items, allowed
 * values and bands, so that clients build forms from the same table the server validates with. */
#include "instruments.h"
#include "itineraries.h"
#include "problem.h"
#include "resource.h"

void instruments_list(struct req *r)
{
    json_t *items = json_array();
    for (size_t i = 0; instrument_codes[i]; i++)
        json_array_append_new(items, instrument_describe(instrument_codes[i]));
    reply_json(r, 200, json_pack("{s:o, s:n}", "items", items, "next_cursor"));
}

void instruments_get(struct req *r)
{
    json_t *d = instrument_describe(req_param(r, "code"));
    if (!d) {
        problem(r, 404, "No such resource.");
        return;
    }
    reply_json(r, 200, d);
}
