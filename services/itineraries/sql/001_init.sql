-- Itineraries service, schema "itineraries" (first in the service role's search_path).
-- Tables are unqualified on purpose: the migration runner sets the search_path.
--
-- Conventions
--   * every mutable row has version (bumped on each UPDATE, the ETag), created_at, updated_at;
--   * owner_org is the organisation that owns the row (object-level checks compare it with the
--     caller's org claim); external_id is unique per owner_org for third-sector upserts;
--   * list indexes end in (created_at, id) or (id) so keyset pages cost the same at any depth;
--   * events and access_log are append-only: UPDATE, DELETE and TRUNCATE raise.
--
-- Municipalities: the reference list belongs to the projects service. This schema keeps its own
-- read-only copy of the same published list (municipality_ref, a view over the shared table from
-- common/sql, generated from data/basque-municipalities.csv) so that a person's municipality can be validated and its comarca
-- derived without a network hop on every write; persons store the municipality name and comarca
-- as text, which is what segments group by.

-- ---------------------------------------------------------------------------------------------
-- Shared trigger functions

create or replace function touch_row() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    new.version := old.version + 1;
    new.created_at := old.created_at;
    return new;
end $$;

create or replace function forbid_change() returns trigger
language plpgsql as $$
begin
    raise exception '% is append-only', tg_table_name using errcode = '55000';
end $$;

-- ---------------------------------------------------------------------------------------------
-- Reference data

-- The shared reference table (common/sql/001_municipalities.sql), under the name this service's
-- code uses.
create view municipality_ref as select name, province, comarca from municipality;

-- ---------------------------------------------------------------------------------------------
-- Persons (pseudonymised) and their direct identifiers, kept apart

create table persons (
    id                   uuid primary key default gen_random_uuid(),
    owner_org            uuid not null,
    external_id          text check (length(external_id) between 1 and 200),
    subject              text unique check (length(subject) between 1 and 200),
    birth_year           int not null check (birth_year between 1900 and 2100),
    sex                  text not null check (sex in ('female', 'male', 'other', 'unknown')),
    municipality_code    text check (municipality_code ~ '^[0-9]{5}$'),
    municipality         text not null references municipality (name),
    comarca              text not null,
    living_situation     text not null check (living_situation in
                             ('alone', 'with_partner', 'with_family', 'residential', 'other')),
    languages            text[] not null default '{}'
                             check (array_length(languages, 1) is null
                                    or array_length(languages, 1) <= 10),
    consent_purpose      text not null check (length(consent_purpose) between 1 and 500),
    consent_given_at     timestamptz not null,
    consent_withdrawn_at timestamptz,
    -- Derived from the latest assessments by the service (see risk.c); drives segments.
    risk_band            text not null default 'unassessed'
                             check (risk_band in ('unassessed', 'low', 'moderate', 'high')),
    version              int not null default 1,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    unique (owner_org, external_id),
    check (consent_withdrawn_at is null or consent_withdrawn_at >= consent_given_at)
);
create index persons_org_page on persons (owner_org, created_at, id);
create index persons_segment on persons (risk_band, comarca, municipality)
    where consent_withdrawn_at is null;
create index persons_proactive on persons (risk_band, created_at, id)
    where consent_withdrawn_at is null;
create trigger persons_touch before update on persons for each row execute function touch_row();

-- The comarca always follows the municipality, from the reference list.
create or replace function person_set_comarca() returns trigger
language plpgsql as $$
begin
    select m.comarca into new.comarca from municipality_ref m where m.name = new.municipality;
    if not found then
        raise exception 'is not a municipality of the reference list'
            using errcode = 'P0001', hint = '/municipality';
    end if;
    return new;
end $$;
create trigger persons_comarca before insert or update of municipality on persons
    for each row execute function person_set_comarca();

create table person_identifiers (
    person_id          uuid primary key references persons (id) on delete cascade,
    full_name          text check (length(full_name) between 1 and 300),
    national_id        text check (length(national_id) between 1 and 40),
    health_card_number text check (length(health_card_number) between 1 and 40),
    phone              text check (length(phone) between 1 and 40),
    email              text check (length(email) between 3 and 254),
    address            text check (length(address) between 1 and 500),
    version            int not null default 1,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create trigger person_identifiers_touch before update on person_identifiers
    for each row execute function touch_row();

-- Every read of personal data, for the person to see (GET /v1/me/access-log).
create table access_log (
    id          bigint generated always as identity primary key,
    person_id   uuid not null,
    at          timestamptz not null default now(),
    actor       text not null,
    actor_org   uuid,
    actor_roles text[] not null default '{}',
    action      text not null,
    resource    text not null,
    request_id  text
);
create index access_log_person_page on access_log (person_id, id);
create trigger access_log_append_only before update or delete on access_log
    for each row execute function forbid_change();
create trigger access_log_no_truncate before truncate on access_log
    for each statement execute function forbid_change();

-- ---------------------------------------------------------------------------------------------
-- Caregivers

create table caregivers (
    id                uuid primary key default gen_random_uuid(),
    person_id         uuid not null references persons (id) on delete cascade,
    owner_org         uuid not null,
    external_id       text check (length(external_id) between 1 and 200),
    relation          text not null check (relation in
                          ('partner', 'child', 'child_in_law', 'sibling', 'grandchild',
                           'other_family', 'friend', 'neighbour', 'hired_carer', 'other')),
    lives_with_person boolean not null,
    birth_year        int check (birth_year between 1900 and 2100),
    sex               text check (sex in ('female', 'male', 'other', 'unknown')),
    main_caregiver    boolean not null default false,
    notes             text check (length(notes) <= 2000),
    version           int not null default 1,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    unique (owner_org, external_id)
);
create index caregivers_person_page on caregivers (person_id, created_at, id);
create trigger caregivers_touch before update on caregivers
    for each row execute function touch_row();

-- ---------------------------------------------------------------------------------------------
-- Assessments (scored and banded by the service, see instruments.c)

create table assessments (
    id                 uuid primary key default gen_random_uuid(),
    person_id          uuid not null references persons (id) on delete cascade,
    caregiver_id       uuid references caregivers (id) on delete cascade,
    owner_org          uuid not null,
    external_id        text check (length(external_id) between 1 and 200),
    instrument         text not null check (instrument in
                           ('barthel', 'lawton_iadl', 'cfs', 'bvd', 'zarit', 'strengths')),
    instrument_version text not null,
    convention         text check (convention in ('0-4', '1-5')),
    assessed_on        date not null,
    assessor           text not null check (length(assessor) between 1 and 200),
    items              jsonb not null check (jsonb_typeof(items) = 'object'),
    score              numeric(6, 2),
    band_code          text,
    band_label         text,
    notes              text check (length(notes) <= 4000),
    version            int not null default 1,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (owner_org, external_id),
    check ((instrument = 'zarit') = (convention is not null)),
    check ((instrument = 'strengths') = (score is null))
);
-- History per person (newest first) and latest per instrument.
create index assessments_person_page on assessments (person_id, assessed_on desc, created_at desc, id desc);
create index assessments_person_latest on assessments (person_id, instrument, assessed_on desc, created_at desc);
create trigger assessments_touch before update on assessments
    for each row execute function touch_row();

-- ---------------------------------------------------------------------------------------------
-- Service catalogue (the care portfolio), also served in the Open Referral HSDS shape

create table services (
    id           uuid primary key default gen_random_uuid(),
    owner_org    uuid not null,
    external_id  text check (length(external_id) between 1 and 200),
    code         text not null unique check (code ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    name         text not null check (length(name) between 1 and 300),
    description  text check (length(description) <= 4000),
    category     text not null check (category in
                     ('health', 'social', 'social_health', 'community', 'housing',
                      'caregiver_support', 'technology', 'other')),
    provider_org uuid not null,
    status       text not null default 'active'
                     check (status in ('active', 'inactive', 'defunct', 'temporarily closed')),
    eligibility  text check (length(eligibility) <= 2000),
    coverage     text[] not null default '{}',
    url          text check (url ~ '^https?://' and length(url) <= 500),
    email        text check (length(email) between 3 and 254),
    version      int not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (owner_org, external_id)
);
create index services_page on services (created_at, id);
create index services_provider on services (provider_org, created_at, id);
create index services_coverage on services using gin (coverage);
create trigger services_touch before update on services for each row execute function touch_row();

create or replace function service_check_coverage() returns trigger
language plpgsql as $$
begin
    if exists (select 1 from unnest(new.coverage) m
                where not exists (select 1 from municipality_ref r where r.name = m)) then
        raise exception 'holds a name that is not a municipality of the reference list'
            using errcode = 'P0001', hint = '/coverage';
    end if;
    return new;
end $$;
create trigger services_coverage before insert or update of coverage on services
    for each row execute function service_check_coverage();

-- ---------------------------------------------------------------------------------------------
-- Itinerary templates with rules on assessment bands

create table templates (
    id          uuid primary key default gen_random_uuid(),
    owner_org   uuid,             -- null: offered hub-wide
    code        text not null unique check (code ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    name        text not null check (length(name) between 1 and 300),
    description text check (length(description) <= 4000),
    -- [{"instrument": "cfs", "op": ">=", "value": 5}, ...]: all must hold (see templates_match.c)
    rules       jsonb not null check (jsonb_typeof(rules) = 'array'),
    -- [{"service_code": "...", "offset_days": 0, "duration_days": 30}, ...]
    stages      jsonb not null default '[]' check (jsonb_typeof(stages) = 'array'),
    active      boolean not null default true,
    version     int not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index templates_page on templates (created_at, id);
create trigger templates_touch before update on templates for each row execute function touch_row();

-- ---------------------------------------------------------------------------------------------
-- Itineraries, stages, obstacles

create table itineraries (
    id            uuid primary key default gen_random_uuid(),
    person_id     uuid not null references persons (id) on delete cascade,
    owner_org     uuid not null,   -- the lead organisation
    external_id   text check (length(external_id) between 1 and 200),
    case_manager  text check (length(case_manager) between 1 and 200),
    title         text not null check (length(title) between 1 and 300),
    status        text not null default 'draft'
                      check (status in ('draft', 'active', 'on_hold', 'completed', 'cancelled')),
    status_reason text check (length(status_reason) <= 1000),
    -- {"goals": [{"text": "in the person's words", ...}], "preferences": [...],
    --  "what_matters": "...", "delegates_choices": bool, "delegated_to": "..."}
    life_project  jsonb not null default '{}' check (jsonb_typeof(life_project) = 'object'),
    based_on      uuid[] not null default '{}',   -- assessment ids of the same person
    template_id   uuid references templates (id) on delete set null,
    started_at    timestamptz,
    ended_at      timestamptz,
    -- Earliest date an open stage should have started (not started yet) or ended (started);
    -- kept by the stages trigger, so "overdue" is an index range, not a scan.
    due_date      date,
    version       int not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    unique (owner_org, external_id)
);
create unique index itineraries_one_active on itineraries (person_id) where status = 'active';
create index itineraries_org_page on itineraries (owner_org, created_at, id);
create index itineraries_person on itineraries (person_id, created_at, id);
create index itineraries_overdue on itineraries (owner_org, due_date, id) where status = 'active';

create table stages (
    id              uuid primary key default gen_random_uuid(),
    itinerary_id    uuid not null references itineraries (id) on delete cascade,
    position        int not null check (position >= 1),
    service_id      uuid not null references services (id),
    responsible_org uuid not null,
    title           text check (length(title) between 1 and 300),
    planned_start   date,
    planned_end     date,
    actual_start    date,
    actual_end      date,
    status          text not null default 'pending'
                        check (status in ('pending', 'in_progress', 'done', 'skipped', 'blocked')),
    notes           text check (length(notes) <= 4000),
    version         int not null default 1,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    unique (itinerary_id, position) deferrable initially deferred,
    check (planned_end is null or planned_start is null or planned_end >= planned_start),
    check (actual_end is null or actual_start is null or actual_end >= actual_start)
);
create index stages_responsible on stages (responsible_org, created_at, id);
create trigger stages_touch before update on stages for each row execute function touch_row();

-- When a stage is open, its due date is its planned start until it starts, then its planned end.
create or replace function refresh_itinerary_due() returns trigger
language plpgsql as $$
declare
    target uuid;
    due    date;
begin
    if tg_op = 'DELETE' then
        target := old.itinerary_id;
    else
        target := new.itinerary_id;
    end if;
    select min(case when s.actual_start is null
                    then coalesce(s.planned_start, s.planned_end)
                    else s.planned_end end)
      into due
      from stages s
     where s.itinerary_id = target
       and s.status in ('pending', 'in_progress', 'blocked');
    update itineraries set due_date = due
     where id = target and due_date is distinct from due;
    return null;
end $$;
create trigger stages_due after insert or update or delete on stages
    for each row execute function refresh_itinerary_due();

-- The due-date refresh is bookkeeping, not an edit by a user: it must not bump the ETag.
create or replace function touch_itinerary() returns trigger
language plpgsql as $$
begin
    if (to_jsonb(new) - 'due_date' - 'version' - 'updated_at')
       = (to_jsonb(old) - 'due_date' - 'version' - 'updated_at') then
        new.version := old.version;
        new.updated_at := old.updated_at;
        return new;
    end if;
    new.updated_at := now();
    new.version := old.version + 1;
    new.created_at := old.created_at;
    return new;
end $$;
create trigger itineraries_touch before update on itineraries
    for each row execute function touch_itinerary();

create table obstacles (
    id           uuid primary key default gen_random_uuid(),
    stage_id     uuid not null references stages (id) on delete cascade,
    itinerary_id uuid not null references itineraries (id) on delete cascade,
    category     text not null check (category in
                     ('administrative', 'financial', 'availability', 'coordination',
                      'persons_choice', 'other')),
    description  text not null check (length(description) between 1 and 4000),
    raised_at    timestamptz not null default now(),
    raised_by    text not null,
    resolved_at  timestamptz,
    resolution   text check (length(resolution) <= 4000),
    resolved_by  text,
    version      int not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    check ((resolved_at is null) = (resolution is null)),
    check (resolved_at is null or resolved_at >= raised_at)
);
create index obstacles_stage on obstacles (stage_id, created_at, id);
create index obstacles_open on obstacles (stage_id) where resolved_at is null;
create index obstacles_itinerary on obstacles (itinerary_id, created_at, id);
create trigger obstacles_touch before update on obstacles for each row execute function touch_row();

-- ---------------------------------------------------------------------------------------------
-- Timeline: every change to an itinerary, its stages and obstacles (who, when, what, before/after)

create table events (
    id           bigint generated always as identity primary key,
    itinerary_id uuid not null,
    at           timestamptz not null default now(),
    actor        text not null,
    actor_org    uuid,
    action       text not null,     -- e.g. itinerary.created, stage.updated, obstacle.resolved
    entity       text not null check (entity in ('itinerary', 'stage', 'obstacle')),
    entity_id    uuid not null,
    before       jsonb,
    after        jsonb,
    request_id   text
);
create index events_itinerary_page on events (itinerary_id, id);
create trigger events_append_only before update or delete on events
    for each row execute function forbid_change();
create trigger events_no_truncate before truncate on events
    for each statement execute function forbid_change();

-- ---------------------------------------------------------------------------------------------
-- JSON shapes, built here once; handlers forward them.

create or replace function ts(t timestamptz) returns text language sql immutable as $$
    select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

create or replace function person_json(p persons) returns jsonb language sql stable as $$
    select jsonb_build_object('id', p.id, 'external_id', p.external_id, 'owner_org', p.owner_org,
        'birth_year', p.birth_year, 'sex', p.sex, 'municipality_code', p.municipality_code,
        'municipality', p.municipality, 'comarca', p.comarca,
        'living_situation', p.living_situation, 'languages', to_jsonb(p.languages),
        'consent', jsonb_build_object('purpose', p.consent_purpose,
                                      'given_at', ts(p.consent_given_at),
                                      'withdrawn_at', ts(p.consent_withdrawn_at)),
        'self_access', p.subject is not null, 'risk_band', p.risk_band,
        'version', p.version, 'created_at', ts(p.created_at), 'updated_at', ts(p.updated_at))
$$;

create or replace function identifiers_json(x person_identifiers) returns jsonb
language sql stable as $$
    select jsonb_build_object('person_id', x.person_id, 'full_name', x.full_name,
        'national_id', x.national_id, 'health_card_number', x.health_card_number,
        'phone', x.phone, 'email', x.email, 'address', x.address, 'version', x.version,
        'created_at', ts(x.created_at), 'updated_at', ts(x.updated_at))
$$;

create or replace function caregiver_json(c caregivers) returns jsonb language sql stable as $$
    select jsonb_build_object('id', c.id, 'person_id', c.person_id, 'external_id', c.external_id,
        'owner_org', c.owner_org, 'relation', c.relation,
        'lives_with_person', c.lives_with_person, 'birth_year', c.birth_year, 'sex', c.sex,
        'main_caregiver', c.main_caregiver, 'notes', c.notes, 'version', c.version,
        'created_at', ts(c.created_at), 'updated_at', ts(c.updated_at))
$$;

create or replace function assessment_json(a assessments) returns jsonb language sql stable as $$
    select jsonb_build_object('id', a.id, 'person_id', a.person_id,
        'caregiver_id', a.caregiver_id, 'external_id', a.external_id, 'owner_org', a.owner_org,
        'instrument', a.instrument, 'instrument_version', a.instrument_version,
        'convention', a.convention, 'assessed_on', a.assessed_on, 'assessor', a.assessor,
        'items', a.items, 'score', a.score::float8,
        'band', case when a.band_code is null then null
                     else jsonb_build_object('code', a.band_code, 'label', a.band_label) end,
        'notes', a.notes, 'version', a.version,
        'created_at', ts(a.created_at), 'updated_at', ts(a.updated_at))
$$;

-- Latest assessment of each instrument of a person (of the person, not of caregivers), with its
-- band code also at the top level, the shape risk.c and template_rules.c read.
create or replace function latest_assessments(pid uuid) returns jsonb language sql stable as $$
    select coalesce(jsonb_object_agg(l.instrument, assessment_json(l)
                                     || jsonb_build_object('band_code', l.band_code)), '{}'::jsonb)
      from (select distinct on (a.instrument) a.*
              from assessments a
             where a.person_id = pid and a.caregiver_id is null
             order by a.instrument, a.assessed_on desc, a.created_at desc) l
$$;

create or replace function service_json(s services) returns jsonb language sql stable as $$
    select jsonb_build_object('id', s.id, 'code', s.code, 'name', s.name,
        'description', s.description, 'category', s.category, 'provider_org', s.provider_org,
        'status', s.status, 'eligibility', s.eligibility, 'coverage', to_jsonb(s.coverage),
        'url', s.url, 'email', s.email, 'external_id', s.external_id, 'owner_org', s.owner_org,
        'version', s.version, 'created_at', ts(s.created_at), 'updated_at', ts(s.updated_at))
$$;

-- Open Referral HSDS 3.0 "service" object, with its service areas (one per municipality).
create or replace function service_hsds_json(s services) returns jsonb language sql stable as $$
    select jsonb_build_object('id', s.id, 'organization_id', s.provider_org, 'name', s.name,
        'alternate_name', s.code, 'description', s.description, 'url', s.url, 'email', s.email,
        'status', s.status, 'eligibility_description', s.eligibility,
        'last_modified', ts(s.updated_at),
        'service_areas', coalesce((
            select jsonb_agg(jsonb_build_object(
                       'id', md5(s.id::text || '/' || m)::uuid, 'service_id', s.id, 'name', m,
                       'extent_type', 'municipality') order by m)
              from unnest(s.coverage) m), '[]'::jsonb))
$$;

create or replace function template_json(t templates) returns jsonb language sql stable as $$
    select jsonb_build_object('id', t.id, 'code', t.code, 'name', t.name,
        'description', t.description, 'rules', t.rules, 'stages', t.stages, 'active', t.active,
        'owner_org', t.owner_org, 'version', t.version,
        'created_at', ts(t.created_at), 'updated_at', ts(t.updated_at))
$$;

-- Due date of an open stage (same rule as the itinerary's due_date and lifecycle.c).
create or replace function stage_due(s stages) returns date language sql immutable as $$
    select case when s.status not in ('pending', 'in_progress', 'blocked') then null
                when s.actual_start is null then coalesce(s.planned_start, s.planned_end)
                else s.planned_end end
$$;

create or replace function stage_json(s stages) returns jsonb language sql stable as $$
    select jsonb_build_object('id', s.id, 'itinerary_id', s.itinerary_id, 'position', s.position,
        'service_id', s.service_id,
        'service', (select jsonb_build_object('id', v.id, 'code', v.code, 'name', v.name,
                                              'category', v.category)
                      from services v where v.id = s.service_id),
        'responsible_org', s.responsible_org, 'title', s.title,
        'planned_start', s.planned_start, 'planned_end', s.planned_end,
        'actual_start', s.actual_start, 'actual_end', s.actual_end, 'status', s.status,
        'notes', s.notes,
        'open_obstacles', (select count(*) from obstacles o
                            where o.stage_id = s.id and o.resolved_at is null),
        'due_date', stage_due(s),
        'overdue', coalesce(stage_due(s) < current_date, false),
        'days_overdue', greatest(coalesce(current_date - stage_due(s), 0), 0),
        'version', s.version, 'created_at', ts(s.created_at), 'updated_at', ts(s.updated_at))
$$;

create or replace function itinerary_json(i itineraries) returns jsonb language sql stable as $$
    select jsonb_build_object('id', i.id, 'person_id', i.person_id, 'external_id', i.external_id,
        'owner_org', i.owner_org, 'lead_org', i.owner_org, 'case_manager', i.case_manager,
        'title', i.title, 'status', i.status, 'status_reason', i.status_reason,
        'life_project', i.life_project, 'based_on', to_jsonb(i.based_on),
        'template_id', i.template_id, 'started_at', ts(i.started_at), 'ended_at', ts(i.ended_at),
        'due_date', i.due_date,
        'overdue', coalesce(i.status = 'active' and i.due_date < current_date, false),
        'version', i.version, 'created_at', ts(i.created_at), 'updated_at', ts(i.updated_at))
$$;

-- The itinerary with its ordered stages.
create or replace function itinerary_full_json(i itineraries) returns jsonb
language sql stable as $$
    select itinerary_json(i) || jsonb_build_object('stages', coalesce(
        (select jsonb_agg(stage_json(s) order by s.position) from stages s
          where s.itinerary_id = i.id), '[]'::jsonb))
$$;

create or replace function obstacle_json(o obstacles) returns jsonb language sql stable as $$
    select jsonb_build_object('id', o.id, 'stage_id', o.stage_id,
        'itinerary_id', o.itinerary_id, 'category', o.category, 'description', o.description,
        'raised_at', ts(o.raised_at), 'raised_by', o.raised_by,
        'resolved_at', ts(o.resolved_at), 'resolution', o.resolution,
        'resolved_by', o.resolved_by, 'open', o.resolved_at is null, 'version', o.version,
        'created_at', ts(o.created_at), 'updated_at', ts(o.updated_at))
$$;

create or replace function event_json(e events) returns jsonb language sql stable as $$
    select jsonb_build_object('id', e.id, 'itinerary_id', e.itinerary_id, 'at', ts(e.at),
        'actor', e.actor, 'actor_org', e.actor_org, 'action', e.action, 'entity', e.entity,
        'entity_id', e.entity_id, 'before', e.before, 'after', e.after,
        'request_id', e.request_id)
$$;

create or replace function access_log_json(a access_log) returns jsonb language sql stable as $$
    select jsonb_build_object('id', a.id, 'at', ts(a.at), 'actor', a.actor,
        'actor_org', a.actor_org, 'actor_roles', to_jsonb(a.actor_roles), 'action', a.action,
        'resource', a.resource)
$$;

-- ---------------------------------------------------------------------------------------------
-- Timeline rows written by triggers, so that no change can skip them. The service states who
-- acts with set_config('itin.actor' / 'itin.actor_org' / 'itin.request_id', ..., true) in the
-- transaction of the change. Updates record only the fields that changed.

create or replace function record_event() returns trigger
language plpgsql as $$
declare
    ent   text := case tg_table_name when 'itineraries' then 'itinerary'
                                     when 'stages' then 'stage' else 'obstacle' end;
    noise text[] := array['version', 'updated_at', 'created_at', 'due_date'];
    b     jsonb;
    a     jsonb;
    act   text;
    eid   uuid;
    itin  uuid;
begin
    if tg_op = 'INSERT' then
        a := to_jsonb(new) - noise;
        act := ent || '.created';
    elsif tg_op = 'DELETE' then
        b := to_jsonb(old) - noise;
        act := ent || '.deleted';
    else
        select jsonb_object_agg(k, to_jsonb(old) -> k), jsonb_object_agg(k, to_jsonb(new) -> k)
          into b, a
          from jsonb_object_keys(to_jsonb(new)) k
         where (to_jsonb(new) -> k) is distinct from (to_jsonb(old) -> k)
           and k <> all (noise);
        if a is null then
            return null;  -- bookkeeping only (due date, version)
        end if;
        act := ent || '.updated';
        if a ? 'status' then
            act := ent || '.status_changed';
        elsif ent = 'obstacle' and a ? 'resolved_at' and b ->> 'resolved_at' is null then
            act := 'obstacle.resolved';
        elsif ent = 'stage' and (select count(*) from jsonb_object_keys(a)) = 1 and a ? 'position' then
            act := 'stage.reordered';
        end if;
    end if;
    eid := coalesce(a ->> 'id', b ->> 'id', to_jsonb(new) ->> 'id', to_jsonb(old) ->> 'id')::uuid;
    itin := case ent when 'itinerary' then eid
            else coalesce(to_jsonb(new) ->> 'itinerary_id', to_jsonb(old) ->> 'itinerary_id')::uuid
            end;
    insert into events (itinerary_id, actor, actor_org, action, entity, entity_id, before, after,
                        request_id)
    values (itin, coalesce(nullif(current_setting('itin.actor', true), ''), 'system'),
            nullif(current_setting('itin.actor_org', true), '')::uuid, act, ent, eid, b, a,
            nullif(current_setting('itin.request_id', true), ''));
    return null;
end $$;

create trigger itineraries_events after insert or update or delete on itineraries
    for each row execute function record_event();
create trigger stages_events after insert or update or delete on stages
    for each row execute function record_event();
create trigger obstacles_events after insert or update or delete on obstacles
    for each row execute function record_event();

create index persons_page on persons (created_at, id);
create index itineraries_page on itineraries (created_at, id);
create index itineraries_overdue_all on itineraries (due_date, id) where status = 'active';
