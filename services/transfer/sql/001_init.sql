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
-- read-only copy of the same published list (municipality_ref, loaded by 002 from
-- data/basque-municipalities.csv) to validate municipalities, derive comarcas and compute which
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

create table municipality_ref (
    name      text primary key,
    province  text not null,
    comarca   text not null
);
create index municipality_ref_comarca on municipality_ref (comarca, name);

-- ---------------------------------------------------------------------------------------------
-- Practices, in the shape of the European Social Network practice template

create table practices (
    id                  uuid primary key default gen_random_uuid(),
    owner_org           uuid not null,
    external_id         text check (length(external_id) between 1 and 200),
    title               text not null check (length(title) between 1 and 300),
    summary             text not null check (length(summary) between 1 and 4000),
    lead_org            uuid not null,
    origin_project      uuid,
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
create index practices_lead on practices (lead_org);
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
    values (new.id, new.version, to_jsonb(new) - 'owner_org');
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
    host_org     uuid not null,
    municipality text references municipality_ref (name),
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
    org_id   uuid not null,
    people   int not null default 1 check (people between 1 and 100000),
    primary key (event_id, org_id)
);
create index event_attendees_org on event_attendees (org_id, event_id);

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
    adopter_org    uuid not null,
    municipality   text references municipality_ref (name),
    mentor_org     uuid,
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
    unique (practice_id, adopter_org)
);
create index adoptions_page on adoptions (created_at, id);
create index adoptions_practice on adoptions (practice_id, created_at, id);
create index adoptions_adopter on adoptions (adopter_org);
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
                using errcode = '55000';
        end if;
        if new.status_since < old.status_since then
            raise exception 'a status cannot start before the previous one'
                using errcode = '55000';
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
    org_a       uuid not null,
    org_b       uuid not null,
    kind        text not null check (kind in ('agreement', 'contract', 'informal_collaboration',
                                              'referral_pathway')),
    since       date,
    until       date,
    notes       text check (length(notes) <= 2000),
    version     int not null default 1,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (owner_org, external_id),
    check (org_a <> org_b),
    check (until is null or since is null or until >= since)
);
create index ties_page on ties (created_at, id);
create index ties_org_a on ties (org_a);
create index ties_org_b on ties (org_b);
create trigger ties_touch before update on ties for each row execute function touch_row();
