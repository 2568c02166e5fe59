/* FHIR R4 Bundle for one itinerary. Only required elements and bound value sets are relied on;
 * anything optional is added when the itinerary has it. */
#include "fhir.h"

#include <gnutls/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SYSTEM_USER    "urn:care-hub:user-id"
#define SYSTEM_SERVICE "urn:care-hub:service-catalogue"
#define SYSTEM_URI     "urn:ietf:rfc:3986"

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

static int hex(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int uuid_bytes(const char *s, unsigned char out[16])
{
    if (!s || strlen(s) != 36) return -1;
    int n = 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return -1;
            continue;
        }
        int hi = hex(s[i]), lo = hex(s[i + 1]);
        if (hi < 0 || lo < 0) return -1;
        out[n++] = (unsigned char)(hi << 4 | lo);
        i++;
    }
    return n == 16 ? 0 : -1;
}

int fhir_uuid5(const char *ns, const char *name, char out[37])
{
    unsigned char buf[16 + 256], digest[20];
    size_t len = strlen(name);
    if (len > 256 || uuid_bytes(ns, buf) != 0) return -1;
    memcpy(buf + 16, name, len);
    if (gnutls_hash_fast(GNUTLS_DIG_SHA1, buf, 16 + len, digest) != 0) return -1;
    digest[6] = (unsigned char)((digest[6] & 0x0f) | 0x50);
    digest[8] = (unsigned char)((digest[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
             digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14],
             digest[15]);
    return 0;
}

typedef struct code_map {
    const char *from;
    const char *to;
} code_map;

static const char *map(const code_map *m, const char *from, const char *fallback)
{
    for (; from && m->from; m++)
        if (strcmp(m->from, from) == 0) return m->to;
    return fallback;
}

/* http://hl7.org/fhir/R4/valueset-request-status.html */
const char *fhir_careplan_status(const char *s)
{
    static const code_map m[] = {{"draft", "draft"},       {"active", "active"},
                                 {"on_hold", "on-hold"},   {"completed", "completed"},
                                 {"cancelled", "revoked"}, {NULL, NULL}};
    return map(m, s, "unknown");
}

/* http://hl7.org/fhir/R4/valueset-goal-status.html */
const char *fhir_goal_lifecycle(const char *s)
{
    static const code_map m[] = {{"draft", "proposed"},      {"active", "active"},
                                 {"on_hold", "on-hold"},     {"completed", "completed"},
                                 {"cancelled", "cancelled"}, {NULL, NULL}};
    return map(m, s, "proposed");
}

/* http://hl7.org/fhir/R4/valueset-care-team-status.html */
const char *fhir_careteam_status(const char *s)
{
    static const code_map m[] = {{"draft", "proposed"},     {"active", "active"},
                                 {"on_hold", "suspended"},  {"completed", "inactive"},
                                 {"cancelled", "inactive"}, {NULL, NULL}};
    return map(m, s, "proposed");
}

const char *fhir_request_status(const char *itinerary_status, const char *stage_status)
{
    static const code_map m[] = {{"pending", "active"},  {"in_progress", "active"},
                                 {"done", "completed"},  {"skipped", "revoked"},
                                 {"blocked", "on-hold"}, {NULL, NULL}};
    const char *s = map(m, stage_status, "unknown");
    if (itinerary_status && strcmp(itinerary_status, "draft") == 0 && strcmp(s, "active") == 0)
        return "draft";
    if (itinerary_status && strcmp(itinerary_status, "cancelled") == 0 &&
        strcmp(s, "completed") != 0)
        return "revoked";
    if (itinerary_status && strcmp(itinerary_status, "on_hold") == 0 && strcmp(s, "active") == 0)
        return "on-hold";
    return s;
}

static json_t *ref(const char *uuid)
{
    char buf[64];
    snprintf(buf, sizeof buf, "urn:uuid:%s", uuid);
    return json_pack("{s:s}", "reference", buf);
}

static json_t *org_ref(const char *org)
{
    char buf[64];
    snprintf(buf, sizeof buf, "urn:uuid:%s", org);
    return json_pack("{s:{s:s, s:s}}", "identifier", "system", SYSTEM_URI, "value", buf);
}

static void add_entry(json_t *entries, const char *uuid, json_t *resource)
{
    char buf[64];
    snprintf(buf, sizeof buf, "urn:uuid:%s", uuid);
    json_array_append_new(entries, json_pack("{s:s, s:o}", "fullUrl", buf, "resource", resource));
}

static json_t *patient(const json_t *person)
{
    json_t *p = json_pack("{s:s, s:s, s:s}", "resourceType", "Patient", "id", str(person, "id"),
                          "gender", str(person, "sex") ? str(person, "sex") : "unknown");
    json_int_t year = json_integer_value(json_object_get(person, "birth_year"));
    if (year >= 1900 && year <= 2100) {
        char y[8];
        snprintf(y, sizeof y, "%04d", (int)year);
        json_object_set_new(p, "birthDate", json_string(y));
    }
    if (str(person, "municipality")) {
        json_t *addr = json_pack("{s:s, s:s}", "use", "home", "city", str(person, "municipality"));
        if (str(person, "comarca"))
            json_object_set_new(addr, "district", json_string(str(person, "comarca")));
        json_object_set_new(p, "address", json_pack("[o]", addr));
    }
    return p;
}

static json_t *period(const char *start, const char *end)
{
    json_t *p = json_object();
    if (start) json_object_set_new(p, "start", json_string(start));
    if (end) json_object_set_new(p, "end", json_string(end));
    if (json_object_size(p) == 0) {
        json_decref(p);
        return NULL;
    }
    return p;
}

static void set_nonempty(json_t *o, const char *key, json_t *array)
{
    if (json_array_size(array))
        json_object_set_new(o, key, array);
    else
        json_decref(array);
}

static json_t *goal(const char *id, const char *person_id, const char *status, const json_t *g)
{
    const char *text = json_is_string(g) ? json_string_value(g) : str(g, "text");
    json_t *r = json_pack("{s:s, s:s, s:s, s:{s:s}, s:o, s:o}", "resourceType", "Goal", "id", id,
                          "lifecycleStatus", fhir_goal_lifecycle(status), "description", "text",
                          text ? text : "(goal without text)", "subject", ref(person_id),
                          "expressedBy", ref(person_id));
    return r;
}

static void add_participant(json_t *participants, const char *role, json_t *member)
{
    json_array_append_new(participants,
                          json_pack("{s:[{s:s}], s:o}", "role", "text", role, "member", member));
}

static bool seen_org(const json_t *participants, const char *org)
{
    char buf[64];
    snprintf(buf, sizeof buf, "urn:uuid:%s", org);
    size_t i;
    json_t *p;
    json_array_foreach(participants, i, p)
    {
        const char *v = json_string_value(
            json_object_get(json_object_get(json_object_get(p, "member"), "identifier"), "value"));
        if (v && strcmp(v, buf) == 0) return true;
    }
    return false;
}

static json_t *care_team(const char *id, const char *person_id, const json_t *it)
{
    const char *status = str(it, "status");
    json_t *participants = json_array();
    if (str(it, "case_manager"))
        add_participant(participants, "Case manager",
                        json_pack("{s:{s:s, s:s}}", "identifier", "system", SYSTEM_USER, "value",
                                  str(it, "case_manager")));
    if (str(it, "owner_org"))
        add_participant(participants, "Lead organisation", org_ref(str(it, "owner_org")));
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(it, "stages"), i, s)
    {
        const char *org = str(s, "responsible_org");
        if (org && !seen_org(participants, org))
            add_participant(participants, "Responsible organisation", org_ref(org));
    }
    json_t *team = json_pack("{s:s, s:s, s:s, s:s, s:o}", "resourceType", "CareTeam", "id", id,
                             "status", fhir_careteam_status(status), "name", "Care itinerary team",
                             "subject", ref(person_id));
    set_nonempty(team, "participant", participants);
    if (str(it, "owner_org"))
        json_object_set_new(team, "managingOrganization",
                            json_pack("[o]", org_ref(str(it, "owner_org"))));
    return team;
}

static json_t *service_request(const char *person_id, const json_t *it, const json_t *stage)
{
    const json_t *service = json_object_get(stage, "service");
    const char *name = str(service, "name") ? str(service, "name") : str(stage, "title");
    json_t *code = json_object();
    if (str(service, "code")) {
        json_t *coding =
            json_pack("{s:s, s:s}", "system", SYSTEM_SERVICE, "code", str(service, "code"));
        if (name) json_object_set_new(coding, "display", json_string(name));
        json_object_set_new(code, "coding", json_pack("[o]", coding));
    }
    json_object_set_new(code, "text", json_string(name ? name : "Care service"));
    json_t *r = json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:[o], s:o}", "resourceType", "ServiceRequest", "id",
        str(stage, "id"), "status", fhir_request_status(str(it, "status"), str(stage, "status")),
        "intent", "plan", "subject", ref(person_id), "basedOn", ref(str(it, "id")), "code", code);
    json_t *when = period(str(stage, "planned_start"), str(stage, "planned_end"));
    if (when) json_object_set_new(r, "occurrencePeriod", when);
    if (str(stage, "responsible_org"))
        json_object_set_new(r, "performer",
                            json_pack("[o]", org_ref(str(stage, "responsible_org"))));
    if (str(stage, "actual_start") || str(stage, "actual_end")) {
        char note[96];
        snprintf(note, sizeof note, "Actual start %s; actual end %s",
                 str(stage, "actual_start") ? str(stage, "actual_start") : "not yet",
                 str(stage, "actual_end") ? str(stage, "actual_end") : "not yet");
        json_object_set_new(r, "note", json_pack("[{s:s}]", "text", note));
    }
    return r;
}

static json_t *careplan_notes(const json_t *life)
{
    json_t *notes = json_array();
    if (json_is_true(json_object_get(life, "delegates_choices"))) {
        char text[400];
        const char *to = str(life, "delegated_to");
        snprintf(text, sizeof text, "The person chooses not to choose: choices are delegated%s%s.",
                 to ? " to " : "", to ? to : "");
        json_array_append_new(notes, json_pack("{s:s}", "text", text));
    }
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(life, "preferences"), i, p)
    {
        const char *text = json_is_string(p) ? json_string_value(p) : str(p, "text");
        if (text) {
            char buf[600];
            snprintf(buf, sizeof buf, "Preference: %s", text);
            json_array_append_new(notes, json_pack("{s:s}", "text", buf));
        }
    }
    return notes;
}

static json_t *careplan(const char *person_id, const json_t *it, const char *team_id,
                        json_t *goal_refs, json_t *activities)
{
    const json_t *life = json_object_get(it, "life_project");
    json_t *cp = json_pack("{s:s, s:s, s:s, s:s, s:o, s:[o]}", "resourceType", "CarePlan", "id",
                           str(it, "id"), "status", fhir_careplan_status(str(it, "status")),
                           "intent", "plan", "subject", ref(person_id), "careTeam", ref(team_id));
    /* FHIR JSON forbids empty arrays: goal and activity appear only when there are some. */
    set_nonempty(cp, "goal", goal_refs);
    set_nonempty(cp, "activity", activities);
    if (str(it, "title")) json_object_set_new(cp, "title", json_string(str(it, "title")));
    if (str(life, "what_matters"))
        json_object_set_new(cp, "description", json_string(str(life, "what_matters")));
    if (str(it, "created_at"))
        json_object_set_new(cp, "created", json_string(str(it, "created_at")));
    json_t *when = period(str(it, "started_at"), str(it, "ended_at"));
    if (when) json_object_set_new(cp, "period", when);
    set_nonempty(cp, "note", careplan_notes(life));
    return cp;
}

json_t *fhir_itinerary_bundle(const json_t *person, const json_t *it, const char *timestamp)
{
    unsigned char tmp[16];
    const char *person_id = str(person, "id");
    const char *it_id = str(it, "id");
    if (uuid_bytes(person_id, tmp) || uuid_bytes(it_id, tmp)) return NULL;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(it, "stages"), i, s)
    {
        if (uuid_bytes(str(s, "id"), tmp)) return NULL;
    }

    char team_id[37], bundle_id[37];
    fhir_uuid5(it_id, "care-team", team_id);
    fhir_uuid5(it_id, "bundle", bundle_id);
    json_t *entries = json_array();
    json_t *goal_refs = json_array();
    json_t *activities = json_array();
    json_t *goal_entries = json_array();

    json_array_foreach(json_object_get(json_object_get(it, "life_project"), "goals"), i, s)
    {
        char name[32], gid[37];
        snprintf(name, sizeof name, "goal-%zu", i + 1);
        fhir_uuid5(it_id, name, gid);
        add_entry(goal_entries, gid, goal(gid, person_id, str(it, "status"), s));
        json_array_append_new(goal_refs, ref(gid));
    }
    json_t *request_entries = json_array();
    json_array_foreach(json_object_get(it, "stages"), i, s)
    {
        add_entry(request_entries, str(s, "id"), service_request(person_id, it, s));
        json_array_append_new(activities, json_pack("{s:o}", "reference", ref(str(s, "id"))));
    }

    add_entry(entries, person_id, patient(person));
    add_entry(entries, it_id, careplan(person_id, it, team_id, goal_refs, activities));
    json_array_extend(entries, goal_entries);
    add_entry(entries, team_id, care_team(team_id, person_id, it));
    json_array_extend(entries, request_entries);
    json_decref(goal_entries);
    json_decref(request_entries);

    return json_pack("{s:s, s:s, s:{s:s}, s:s, s:s, s:o}", "resourceType", "Bundle", "id",
                     bundle_id, "meta", "lastUpdated", timestamp, "type", "collection", "timestamp",
                     timestamp, "entry", entries);
}
