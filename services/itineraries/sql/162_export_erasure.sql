-- Subject access (a person's complete export) and erasure on request (GDPR art. 17).
--
-- Erasure removes what is about the person and irreversibly pseudonymises what aggregates count:
--   * removed: direct identifiers, caregivers and every assessment (also caregivers' own), referrals,
--     obstacles, the timeline of the person's itineraries, and every change-feed entry naming one of
--     the removed or re-keyed objects (replaced by one `delete` entry per object, so that systems that
--     copied them learn to erase their copies, art. 19);
--   * pseudonymised: the person row, its itineraries and their stages get new random ids (nothing
--     maps the old id to the new one), lose every free text, external id, subject and case manager,
--     keep the birth decade, municipality, risk band, status, dates, services, units and which goals
--     were achieved: segment counts and economics stay the same;
--   * kept: the access log under the old id (who read the record before, for accountability, with its
--     hash chain intact and an entry for the erasure itself) and one `erasures` row (when, why, who).

alter table persons add column if not exists erased_at timestamptz;

create table if not exists erasures (
    person_id  uuid primary key,          -- the id the person had; it resolves to nothing now
    owner_org  uuid not null,
    erased_at  timestamptz not null default now(),
    reason     text not null check (length(reason) between 1 and 1000),
    actor      text not null,
    request_id text,
    removed    jsonb not null
);

-- Re-keying follows the references.
alter table itineraries drop constraint if exists itineraries_person_id_fkey;
alter table itineraries add constraint itineraries_person_id_fkey foreign key (person_id)
    references persons (id) on delete cascade on update cascade;
alter table stages drop constraint if exists stages_itinerary_id_fkey;
alter table stages add constraint stages_itinerary_id_fkey foreign key (itinerary_id)
    references itineraries (id) on delete cascade on update cascade;
alter table stage_units drop constraint if exists stage_units_stage_id_fkey;
alter table stage_units add constraint stage_units_stage_id_fkey foreign key (stage_id)
    references stages (id) on delete cascade on update cascade;

-- The timeline and the access log are append-only, except that erasure removes the timeline of the
-- erased person's itineraries (itin.erasing is set only by erase_person, in its own transaction).
create or replace function forbid_change() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' and tg_table_name = 'events'
       and current_setting('itin.erasing', true) = 'on' then
        return old;
    end if;
    raise exception '% is append-only', tg_table_name using errcode = '55000';
end $$;

-- Everything held about the person, as one document (GET /v1/persons/{id}/export, /v1/me/export).
-- Caregivers' own assessments are the caregivers' data and are not in it.
create or replace function person_export_json(pid uuid) returns jsonb
language sql stable as $$
    select jsonb_build_object(
        'format', 'care-hub-subject-access/1',
        'exported_at', ts(now()),
        'person', person_json(p),
        'identifiers', (select identifiers_json(x) from person_identifiers x where x.person_id = p.id),
        'caregivers', coalesce((select jsonb_agg((caregiver_json(c) - 'latest_burden')
                                                 order by c.created_at, c.id)
                                  from caregivers c where c.person_id = p.id), '[]'),
        'assessments', coalesce((select jsonb_agg(assessment_json(a)
                                                  order by a.assessed_on desc, a.created_at desc)
                                   from assessments a
                                  where a.person_id = p.id and a.caregiver_id is null), '[]'),
        'itineraries', coalesce((select jsonb_agg(itinerary_full_json(i) || jsonb_build_object(
                                    'obstacles', coalesce((select jsonb_agg(obstacle_json(o)
                                                                   order by o.created_at, o.id)
                                                             from obstacles o
                                                            where o.itinerary_id = i.id), '[]'),
                                    'timeline', coalesce((select jsonb_agg(event_json(e) order by e.id)
                                                            from events e
                                                           where e.itinerary_id = i.id), '[]'))
                                    order by i.created_at, i.id)
                                   from itineraries i where i.person_id = p.id), '[]'),
        'referrals', coalesce((select jsonb_agg(referral_json(f) order by f.created_at, f.id)
                                 from referrals f where f.person_id = p.id), '[]'),
        'access_log', coalesce((select jsonb_agg(access_log_json(a) order by a.seq)
                                  from access_log a where a.person_id = p.id), '[]'))
      from persons p where p.id = pid
$$;

-- Erases person pid (see the top of this file). Answers NULL when there is no such person (or it
-- was erased already), else what was done, with the old ids of every object removed or re-keyed
-- (erased_ids) so that the gateway can drop webhook deliveries naming them.
create or replace function erase_person(pid uuid, why text, who text, who_org uuid,
                                        who_roles text[], req text, purpose text)
returns jsonb language plpgsql as $$
declare
    p        persons;
    its      uuid[];
    sts      uuid[];
    gone     jsonb;
    removed  jsonb;
    n_ids    int; n_cg int; n_as int; n_ref int; n_obs int; n_ev int; n_out int;
    new_id   uuid := gen_random_uuid();
    first_seq bigint;
begin
    select * into p from persons where id = pid and erased_at is null for update;
    if not found then
        return null;
    end if;
    perform set_config('itin.erasing', 'on', true);
    -- Outbox rows this call writes come after every seq taken so far.
    first_seq := nextval(pg_get_serial_sequence('outbox', 'seq'));
    perform set_config('itin.actor', who, true);
    select coalesce(array_agg(id), '{}') into its from itineraries where person_id = pid;
    select coalesce(array_agg(id), '{}') into sts from stages where itinerary_id = any (its);
    -- Every object that named the person, by resource, as the change feed knows them.
    select coalesce(jsonb_agg(jsonb_build_object('resource', k.resource, 'id', k.id)), '[]')
      into gone
      from (select 'person' as resource, pid as id
            union all select 'caregiver', c.id from caregivers c where c.person_id = pid
            union all select 'assessment', a.id from assessments a where a.person_id = pid
            union all select 'referral', f.id from referrals f where f.person_id = pid
            union all select 'itinerary', unnest(its)
            union all select 'stage', unnest(sts)
            union all select 'obstacle', o.id from obstacles o where o.itinerary_id = any (its)) k;

    delete from referrals where person_id = pid;
    get diagnostics n_ref = row_count;
    delete from person_identifiers where person_id = pid;
    get diagnostics n_ids = row_count;
    delete from assessments where person_id = pid;
    get diagnostics n_as = row_count;
    delete from caregivers where person_id = pid;
    get diagnostics n_cg = row_count;
    delete from obstacles where itinerary_id = any (its);
    get diagnostics n_obs = row_count;

    update stages set id = gen_random_uuid(), title = null, notes = null
     where itinerary_id = any (its);
    update itineraries set id = gen_random_uuid(), external_id = null, case_manager = null,
           title = 'Erased on request', status_reason = null, based_on = '{}', template_id = null,
           life_project = jsonb_build_object('goals', coalesce((
               select jsonb_agg(jsonb_build_object('achieved', g -> 'achieved'))
                 from jsonb_array_elements(case when jsonb_typeof(life_project -> 'goals') = 'array'
                                                then life_project -> 'goals' end) g), '[]'))
     where person_id = pid;
    update persons set id = new_id, external_id = null, subject = null,
           birth_year = birth_year - birth_year % 10, sex = 'unknown', municipality_code = null,
           living_situation = 'other', languages = '{}',
           consent_purpose = 'erased on request (GDPR art. 17)', erased_at = now()
     where id = pid;

    -- The timeline of the old and the new itinerary ids, written by the triggers just now too.
    delete from events where itinerary_id = any (its)
        or itinerary_id in (select i.id from itineraries i where i.person_id = new_id);
    get diagnostics n_ev = row_count;
    -- Change-feed entries naming any of these objects, old or new, and those this transaction wrote.
    delete from outbox o
     where o.id in (select (g ->> 'id')::uuid from jsonb_array_elements(gone) g)
        or (o.txid = pg_current_xact_id() and o.seq > first_seq);
    get diagnostics n_out = row_count;
    insert into outbox (resource, id, action, owner_org, person_level)
    select g ->> 'resource', (g ->> 'id')::uuid, 'delete', p.owner_org, true
      from jsonb_array_elements(gone) g;

    removed := jsonb_build_object('identifiers', n_ids, 'caregivers', n_cg, 'assessments', n_as,
                                  'referrals', n_ref, 'obstacles', n_obs, 'timeline_events', n_ev,
                                  'change_feed_entries', n_out,
                                  'itineraries_pseudonymised', coalesce(array_length(its, 1), 0),
                                  'stages_pseudonymised', coalesce(array_length(sts, 1), 0));
    insert into erasures (person_id, owner_org, reason, actor, request_id, removed)
    values (pid, p.owner_org, why, who, req, removed);
    insert into access_log (person_id, actor, actor_org, actor_roles, action, resource, request_id,
                            purpose)
    values (pid, who, who_org, coalesce(who_roles, '{}'), 'person.erasure',
            '/v1/persons/' || pid || '/erasure', req, purpose);
    return jsonb_build_object('person_id', pid, 'erased_at', ts(now()), 'reason', why,
                              'removed', removed,
                              'erased_ids', (select jsonb_agg(g -> 'id') from jsonb_array_elements(gone) g));
end $$;

-- Retention of declined referrals: a person who came only through referrals that were all
-- declined more than `days` ago, and has no itinerary, no assessment and no self access, is
-- erased (at most 100 per call). Answers how many.
create or replace function erase_declined_referrals(days int) returns int
language plpgsql as $$
declare
    pid uuid;
    n   int := 0;
begin
    for pid in
        select p.id from persons p
         where p.erased_at is null and p.subject is null
           and exists (select 1 from referrals f where f.person_id = p.id)
           and not exists (select 1 from referrals f where f.person_id = p.id
                             and (f.status <> 'declined'
                                  or f.decided_at > now() - make_interval(days => days)))
           and not exists (select 1 from itineraries i where i.person_id = p.id)
           and not exists (select 1 from assessments a where a.person_id = p.id)
         limit 100
    loop
        perform erase_person(pid, 'retention: referral declined more than ' || days || ' days ago',
                             'housekeeping', null, '{}', null, 'legal_obligation');
        n := n + 1;
    end loop;
    return n;
end $$;
