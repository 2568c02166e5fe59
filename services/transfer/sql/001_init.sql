-- Transfer service, schema "transfer" (first in the service role's search_path).
-- Tables are unqualified on purpose: the migration runner sets the search_path.
--
-- Conventions
--   * every resource has id uuid, owner_org (the organisation that owns it: object-level checks
--     compare it with the caller's org claim), external_id unique per owner_org for pushes from
--     third-sector systems, version (bumped on every UPDATE: the ETag), created_at, updated_at;
--   * organisations and projects live in the projects service: they are referenced by uuid and
--     checked over HTTP, never joined;
--   * list indexes end in (created_at, id) so keyset pages cost the same at any depth;
--   * history tables (practice_versions, adoption_transitions) are written by triggers and are
--     append-only: UPDATE, DELETE of a single row and TRUNCATE raise (rows go only with their
--     parent, by cascade).
--
-- Municipalities: the reference list belongs to the projects service. This schema keeps its own
-- read-only copy of the same published list (municipality_ref, a view over the shared table from
-- common/sql, generated from data/basque-municipalities.csv) to validate municipalities, derive comarcas and compute which
-- municipalities and comarcas a practice has reached, without a network hop.

-- ---------------------------------------------------------------------------------------------
-- Shared trigger functions

create or replace function touch_row() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    new.version := old.version + 1;
    new.created_at := old.created_at;
    new.id := old.id;
    new.owner_org := old.owner_org;
    return new;
end $$;

create or replace function forbid_change() returns trigger
language plpgsql as $$
begin
    -- rows of a deleted parent go by cascade (trigger depth > 1); nothing else changes history
    if tg_op = 'DELETE' and pg_trigger_depth() > 1 then
        return old;
    end if;
    raise exception '% is append-only', tg_table_name using errcode = '55000';
end $$;

-- ---------------------------------------------------------------------------------------------
-- Reference data

-- The shared reference table (common/sql/001_municipalities.sql), under the name this service's
-- code uses.
create view municipality_ref as select name, province, comarca from municipality;

-- ---------------------------------------------------------------------------------------------
-- Practices, in the shape of the European Social Network practice template

create table practices (
    id                  uuid primary key default gen_random_uuid(),
    owner_org           uuid not null,
    external_id         text check (length(external_id) between 1 and 200),
    title               text not null check (length(title) between 1 and 300),
    summary             text not null check (length(summary) between 1 and 4000),
    lead_organisation_id uuid not null,
    origin_project_id   uuid,
    country             text not null default 'ES' check (country ~ '^[A-Z]{2}$'),
    region              text check (length(region) between 1 and 200),
    themes              text[] not null default '{}'
                            check (coalesce(array_length(themes, 1), 0) <= 20),
    epsr_principles     int[] not null default '{}'
                            check (epsr_principles <@ array[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                                            13, 14, 15, 16, 17, 18, 19, 20]),
    phase               text not null check (phase in ('concept_design', 'execution_monitoring',
                                                       'consolidation', 'scaling_transformation')),
    objectives          text check (length(objectives) <= 8000),
    target_groups       text[] not null default '{}'
                            check (coalesce(array_length(target_groups, 1), 0) <= 20),
    activities          text check (length(activities) <= 8000),
    resources           text check (length(resources) <= 8000),
    results             text check (length(results) <= 8000),
    evaluation_approach text check (length(evaluation_approach) <= 8000),
    lessons_learned     text check (length(lessons_learned) <= 8000),
    contact             jsonb check (contact is null or jsonb_typeof(contact) = 'object'),
    version             int not null default 1,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    unique (owner_org, external_id)
);
create index practices_page on practices (created_at, id);
create index practices_owner_page on practices (owner_org, created_at, id);
create index practices_lead on practices (lead_organisation_id);
create index practices_themes on practices using gin (themes);
create trigger practices_touch before update on practices for each row execute function touch_row();

-- Every version of a practice as it was written (versions kept).
create table practice_versions (
    practice_id uuid not null references practices (id) on delete cascade,
    version     int not null,
    body        jsonb not null,
    recorded_at timestamptz not null default now(),
    primary key (practice_id, version)
);
create trigger practice_versions_append_only before update or delete on practice_versions
    for each row execute function forbid_change();
create trigger practice_versions_no_truncate before truncate on practice_versions
    for each statement execute function forbid_change();

create or replace function record_practice_version() returns trigger
language plpgsql as $$
begin
    insert into practice_versions (practice_id, version, body)
    values (new.id, new.version, practice_json(new));
    return null;
end $$;
create trigger practices_version after insert or update on practices
    for each row execute function record_practice_version();

-- ---------------------------------------------------------------------------------------------
-- Transfer events: seminars, workshops, study visits, webinars

create table events (
    id           uuid primary key default gen_random_uuid(),
    owner_org    uuid not null,
    external_id  text check (length(external_id) between 1 and 200),
    kind         text not null check (kind in ('seminar', 'workshop', 'study_visit', 'webinar')),
    title        text not null check (length(title) between 1 and 300),
    summary      text check (length(summary) <= 4000),
    held_on      date not null,
    ends_on      date,
    host_organisation_id uuid not null,
    municipality text references municipality (name),
    version      int not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (owner_org, external_id),
    check (ends_on is null or ends_on >= held_on)
);
create index events_page on events (created_at, id);
create index events_held on events (held_on, id);
create trigger events_touch before update on events for each row execute function touch_row();

create table event_practices (
    event_id    uuid not null references events (id) on delete cascade,
    practice_id uuid not null references practices (id) on delete cascade,
    primary key (event_id, practice_id)
);
create index event_practices_practice on event_practices (practice_id, event_id);

create table event_attendees (
    event_id uuid not null references events (id) on delete cascade,
    organisation_id uuid not null,
    people   int not null default 1 check (people between 1 and 100000),
    primary key (event_id, organisation_id)
);
create index event_attendees_org on event_attendees (organisation_id, event_id);

-- ---------------------------------------------------------------------------------------------
-- Guides

create table guides (
    id           uuid primary key default gen_random_uuid(),
    owner_org    uuid not null,
    external_id  text check (length(external_id) between 1 and 200),
    practice_id  uuid not null references practices (id) on delete cascade,
    title        text not null check (length(title) between 1 and 300),
    language     text not null check (language in ('eu', 'es', 'en')),
    guide_version text not null default '1' check (length(guide_version) between 1 and 40),
    published_on date,
    url          text check (url ~ '^https?://' and length(url) <= 1000),
    document     jsonb check (document is null or jsonb_typeof(document) = 'object'),
    version      int not null default 1,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    unique (owner_org, external_id),
    check (url is not null or document is not null)
);
create index guides_page on guides (created_at, id);
create index guides_practice on guides (practice_id, created_at, id);
create trigger guides_touch before update on guides for each row execute function touch_row();

-- ---------------------------------------------------------------------------------------------
-- Adoptions and their status lifecycle
--   interested -> planning -> piloting -> adopted -> sustained; abandoned from any other status.
-- The service checks each transition (adoption_status.c) and answers 409 otherwise; the trigger
-- below refuses the same moves so that no other path can write them.

create or replace function adoption_move_allowed(from_status text, to_status text) returns boolean
language sql immutable parallel safe as $$
    select from_status <> 'abandoned'
       and (to_status = 'abandoned'
            or (from_status, to_status) in (('interested', 'planning'), ('planning', 'piloting'),
                                            ('piloting', 'adopted'), ('adopted', 'sustained')))
$$;

create table adoptions (
    id             uuid primary key default gen_random_uuid(),
    owner_org      uuid not null,
    external_id    text check (length(external_id) between 1 and 200),
    practice_id    uuid not null references practices (id) on delete cascade,
    adopter_organisation_id uuid not null,
    municipality   text references municipality (name),
    mentor_organisation_id uuid,
    status         text not null default 'interested'
                       check (status in ('interested', 'planning', 'piloting', 'adopted',
                                         'sustained', 'abandoned')),
    status_since   date not null default current_date,
    status_note    text check (length(status_note) <= 2000),
    adaptations    text check (length(adaptations) <= 8000),
    version        int not null default 1,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    unique (owner_org, external_id),
    unique (practice_id, adopter_organisation_id)
);
create index adoptions_page on adoptions (created_at, id);
create index adoptions_practice on adoptions (practice_id, created_at, id);
create index adoptions_adopter on adoptions (adopter_organisation_id);
create trigger adoptions_touch before update on adoptions for each row execute function touch_row();

create table adoption_events (
    adoption_id uuid not null references adoptions (id) on delete cascade,
    event_id    uuid not null references events (id) on delete cascade,
    primary key (adoption_id, event_id)
);

create table adoption_guides (
    adoption_id uuid not null references adoptions (id) on delete cascade,
    guide_id    uuid not null references guides (id) on delete cascade,
    primary key (adoption_id, guide_id)
);

create table adoption_transitions (
    id           bigint generated always as identity primary key,
    adoption_id  uuid not null references adoptions (id) on delete cascade,
    from_status  text,
    to_status    text not null,
    changed_on   date not null,
    note         text check (length(note) <= 2000),
    recorded_at  timestamptz not null default now()
);
create index adoption_transitions_adoption on adoption_transitions (adoption_id, id);
create trigger adoption_transitions_append_only before update or delete on adoption_transitions
    for each row execute function forbid_change();
create trigger adoption_transitions_no_truncate before truncate on adoption_transitions
    for each statement execute function forbid_change();

create or replace function check_adoption_move() returns trigger
language plpgsql as $$
begin
    if new.status is distinct from old.status then
        if not adoption_move_allowed(old.status, new.status) then
            raise exception 'an adoption cannot move from % to %', old.status, new.status
                using errcode = 'P0001', hint = '/status';
        end if;
        if new.status_since < old.status_since then
            raise exception 'must not be before the date of the current status'
                using errcode = 'P0001', hint = '/date';
        end if;
    elsif new.status_since is distinct from old.status_since then
        new.status_since := old.status_since;
    end if;
    return new;
end $$;
create trigger adoptions_move before update of status, status_since on adoptions
    for each row execute function check_adoption_move();

-- The history: one row when an adoption starts and one per change of status.
create or replace function record_adoption_transition() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into adoption_transitions (adoption_id, from_status, to_status, changed_on, note)
        values (new.id, null, new.status, new.status_since, new.status_note);
    elsif new.status is distinct from old.status then
        insert into adoption_transitions (adoption_id, from_status, to_status, changed_on, note)
        values (new.id, old.status, new.status, new.status_since, new.status_note);
    end if;
    return null;
end $$;
create trigger adoptions_history after insert or update on adoptions
    for each row execute function record_adoption_transition();

-- ---------------------------------------------------------------------------------------------
-- Declared ties between organisations

create table ties (
    id          uuid primary key default gen_random_uuid(),
    owner_org   uuid not null,
    external_id text check (length(external_id) between 1 and 200),
    organisation_a_id uuid not null,
    organisation_b_id uuid not null,
    kind        text not null check (kind in ('agreement', 'contract', 'informal_collaboration',
                                              'referral_pathway')),
    since       date,
    until       date,
    notes       text check (length(notes) <= 2000),
    version     int not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (owner_org, external_id),
    check (organisation_a_id <> organisation_b_id),
    check (until is null or since is null or until >= since)
);
create index ties_page on ties (created_at, id);
create index ties_org_a on ties (organisation_a_id);
create index ties_org_b on ties (organisation_b_id);
create trigger ties_touch before update on ties for each row execute function touch_row();

-- ---------------------------------------------------------------------------------------------
-- JSON shapes, built here once; handlers forward them without parsing.

create or replace function ts(t timestamptz) returns text
language sql immutable as $$
    select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

create or replace function comarca_of(m text) returns text
language sql stable as $$
    select comarca from municipality_ref where name = m
$$;

create or replace function practice_json(p practices) returns jsonb
language sql stable as $$
    select jsonb_build_object('id', p.id, 'title', p.title, 'summary', p.summary,
        'lead_organisation_id', p.lead_organisation_id, 'origin_project_id', p.origin_project_id,
        'country', p.country, 'region', p.region, 'themes', to_jsonb(p.themes),
        'epsr_principles', to_jsonb(p.epsr_principles), 'phase', p.phase,
        'objectives', p.objectives, 'target_groups', to_jsonb(p.target_groups),
        'activities', p.activities, 'resources', p.resources, 'results', p.results,
        'evaluation_approach', p.evaluation_approach, 'lessons_learned', p.lessons_learned,
        'contact', p.contact, 'external_id', p.external_id, 'owner_org', p.owner_org,
        'version', p.version, 'created_at', ts(p.created_at), 'updated_at', ts(p.updated_at))
$$;

create or replace function event_json(e events) returns jsonb
language sql stable as $$
    select jsonb_build_object('id', e.id, 'kind', e.kind, 'title', e.title, 'summary', e.summary,
        'held_on', e.held_on, 'ends_on', e.ends_on, 'host_organisation_id', e.host_organisation_id,
        'municipality', e.municipality, 'comarca', comarca_of(e.municipality),
        'practice_ids', coalesce((select jsonb_agg(x.practice_id order by x.practice_id)
                                    from event_practices x where x.event_id = e.id), '[]'),
        'attendees', coalesce((select jsonb_agg(jsonb_build_object('organisation_id',
                                                    a.organisation_id, 'people', a.people)
                                                order by a.organisation_id)
                                 from event_attendees a where a.event_id = e.id), '[]'),
        'people_total', (select coalesce(sum(a.people), 0) from event_attendees a
                          where a.event_id = e.id),
        'external_id', e.external_id, 'owner_org', e.owner_org, 'version', e.version,
        'created_at', ts(e.created_at), 'updated_at', ts(e.updated_at))
$$;

create or replace function guide_json(g guides) returns jsonb
language sql stable as $$
    select jsonb_build_object('id', g.id, 'practice_id', g.practice_id, 'title', g.title,
        'language', g.language, 'guide_version', g.guide_version, 'published_on', g.published_on,
        'url', g.url, 'document', g.document, 'external_id', g.external_id,
        'owner_org', g.owner_org, 'version', g.version, 'created_at', ts(g.created_at),
        'updated_at', ts(g.updated_at))
$$;

create or replace function adoption_json(a adoptions) returns jsonb
language sql stable as $$
    select jsonb_build_object('id', a.id, 'practice_id', a.practice_id,
        'adopter_organisation_id', a.adopter_organisation_id, 'municipality', a.municipality,
        'comarca', comarca_of(a.municipality), 'mentor_organisation_id', a.mentor_organisation_id,
        'status', a.status, 'status_since', a.status_since, 'adaptations', a.adaptations,
        'event_ids', coalesce((select jsonb_agg(x.event_id order by x.event_id)
                                 from adoption_events x where x.adoption_id = a.id), '[]'),
        'guide_ids', coalesce((select jsonb_agg(x.guide_id order by x.guide_id)
                                 from adoption_guides x where x.adoption_id = a.id), '[]'),
        'external_id', a.external_id, 'owner_org', a.owner_org, 'version', a.version,
        'created_at', ts(a.created_at), 'updated_at', ts(a.updated_at))
$$;

create or replace function transition_json(t adoption_transitions) returns jsonb
language sql stable as $$
    select jsonb_build_object('id', t.id, 'from_status', t.from_status,
        'to_status', t.to_status, 'date', t.changed_on, 'note', t.note,
        'recorded_at', ts(t.recorded_at))
$$;

create or replace function tie_json(t ties) returns jsonb
language sql stable as $$
    select jsonb_build_object('id', t.id, 'organisation_a_id', t.organisation_a_id,
        'organisation_b_id', t.organisation_b_id, 'kind', t.kind, 'since', t.since,
        'until', t.until, 'notes', t.notes, 'external_id', t.external_id,
        'owner_org', t.owner_org, 'version', t.version, 'created_at', ts(t.created_at),
        'updated_at', ts(t.updated_at))
$$;

-- Who reads adoptions and ties besides the aggregating roles: the organisations they name.
create or replace function adoption_readable(a adoptions, caller uuid, sees_all boolean)
returns boolean language sql stable as $$
    select sees_all or caller in (a.owner_org, a.adopter_organisation_id, a.mentor_organisation_id)
$$;

create or replace function tie_readable(t ties, caller uuid, sees_all boolean)
returns boolean language sql stable as $$
    select sees_all or caller in (t.owner_org, t.organisation_a_id, t.organisation_b_id)
$$;

-- ---------------------------------------------------------------------------------------------
-- Writes of resources with lists of related rows, one call each: insert (p_id null) or update
-- (owner or p_writes_all, version p_version when given). The lists are replaced when present in
-- the body. Returns the resource as JSON with its version and id, or nothing when no row matched.

create or replace function event_save(p_id uuid, p_owner uuid, p_writes_all boolean,
                                      p_version int, p_body jsonb)
returns table (body text, version int, id uuid)
language plpgsql as $$
declare
    v_id uuid;
    bad text;
begin
    if p_body ? 'municipality' and p_body->>'municipality' is not null
       and comarca_of(p_body->>'municipality') is null then
        raise exception 'is not a municipality of the reference list' using errcode = 'P0001',
            hint = '/municipality';
    end if;
    if p_id is null then
        insert into events as e (owner_org, external_id, kind, title, summary, held_on, ends_on,
                                 host_organisation_id, municipality)
        select p_owner, x.external_id, x.kind, x.title, x.summary, x.held_on, x.ends_on,
               x.host_organisation_id, x.municipality
          from jsonb_populate_record(null::events, p_body) x
        returning e.id into v_id;
    else
        update events e set (external_id, kind, title, summary, held_on, ends_on,
                             host_organisation_id, municipality) =
            (select x.external_id, x.kind, x.title, x.summary, x.held_on, x.ends_on,
                    x.host_organisation_id, x.municipality
               from jsonb_populate_record(e, p_body) x)
         where e.id = p_id and (p_writes_all or e.owner_org = p_owner)
           and (p_version is null or e.version = p_version)
        returning e.id into v_id;
        if v_id is null then
            return;
        end if;
    end if;
    if p_body ? 'practice_ids' then
        select v into bad from jsonb_array_elements_text(p_body->'practice_ids') v
         where not exists (select 1 from practices p where p.id = v::uuid) limit 1;
        if bad is not null then
            raise exception 'is not a practice: %', bad using errcode = 'P0001',
                hint = '/practice_ids';
        end if;
        delete from event_practices x where x.event_id = v_id;
        insert into event_practices (event_id, practice_id)
        select distinct v_id, v::uuid from jsonb_array_elements_text(p_body->'practice_ids') v;
    end if;
    if p_body ? 'attendees' then
        if (select count(*) <> count(distinct a->>'organisation_id')
              from jsonb_array_elements(p_body->'attendees') a) then
            raise exception 'lists an organisation more than once' using errcode = 'P0001',
                hint = '/attendees';
        end if;
        delete from event_attendees x where x.event_id = v_id;
        insert into event_attendees (event_id, organisation_id, people)
        select v_id, (a->>'organisation_id')::uuid, coalesce((a->>'people')::int, 1)
          from jsonb_array_elements(p_body->'attendees') a;
    end if;
    return query select event_json(e)::text, e.version, e.id from events e where e.id = v_id;
end $$;

create or replace function adoption_save(p_id uuid, p_owner uuid, p_writes_all boolean,
                                         p_version int, p_body jsonb)
returns table (body text, version int, id uuid)
language plpgsql as $$
declare
    v_id uuid;
    bad text;
begin
    if p_body ? 'municipality' and p_body->>'municipality' is not null
       and comarca_of(p_body->>'municipality') is null then
        raise exception 'is not a municipality of the reference list' using errcode = 'P0001',
            hint = '/municipality';
    end if;
    if p_id is null then
        if not exists (select 1 from practices p where p.id = (p_body->>'practice_id')::uuid) then
            raise exception 'is not a practice' using errcode = 'P0001', hint = '/practice_id';
        end if;
        insert into adoptions as a (owner_org, external_id, practice_id, adopter_organisation_id,
                                    municipality, mentor_organisation_id, status, status_since,
                                    status_note, adaptations)
        select p_owner, x.external_id, x.practice_id, x.adopter_organisation_id, x.municipality,
               coalesce(x.mentor_organisation_id,
                        (select p.lead_organisation_id from practices p where p.id = x.practice_id)),
               coalesce(x.status, 'interested'), coalesce(x.status_since, current_date),
               p_body->>'note', x.adaptations
          from jsonb_populate_record(null::adoptions, p_body) x
        returning a.id into v_id;
    else
        update adoptions a set (external_id, municipality, mentor_organisation_id, adaptations) =
            (select x.external_id, x.municipality, x.mentor_organisation_id, x.adaptations
               from jsonb_populate_record(a, p_body) x)
         where a.id = p_id and (p_writes_all or a.owner_org = p_owner)
           and (p_version is null or a.version = p_version)
        returning a.id into v_id;
        if v_id is null then
            return;
        end if;
    end if;
    if p_body ? 'event_ids' then
        select v into bad from jsonb_array_elements_text(p_body->'event_ids') v
         where not exists (select 1 from events e where e.id = v::uuid) limit 1;
        if bad is not null then
            raise exception 'is not a transfer event: %', bad using errcode = 'P0001',
                hint = '/event_ids';
        end if;
        delete from adoption_events x where x.adoption_id = v_id;
        insert into adoption_events (adoption_id, event_id)
        select distinct v_id, v::uuid from jsonb_array_elements_text(p_body->'event_ids') v;
    end if;
    if p_body ? 'guide_ids' then
        select v into bad from jsonb_array_elements_text(p_body->'guide_ids') v
         where not exists (select 1 from guides g where g.id = v::uuid) limit 1;
        if bad is not null then
            raise exception 'is not a guide: %', bad using errcode = 'P0001',
                hint = '/guide_ids';
        end if;
        delete from adoption_guides x where x.adoption_id = v_id;
        insert into adoption_guides (adoption_id, guide_id)
        select distinct v_id, v::uuid from jsonb_array_elements_text(p_body->'guide_ids') v;
    end if;
    return query select adoption_json(a)::text, a.version, a.id from adoptions a where a.id = v_id;
end $$;
