-- Aggregate figures of transfer for a scope and reporting period, for the evaluation service
-- (GET /v1/transfer/indicators). A place scope keeps the events held and the adoptions made in
-- its municipalities; practices count when they were presented or adopted there.

-- The status of an adoption on a date: its last transition on or before that day.
create or replace function adoption_status_on(a uuid, day date) returns text
language sql stable as $$
    select t.to_status from adoption_transitions t
     where t.adoption_id = a and t.changed_on <= day
     order by t.changed_on desc, t.id desc limit 1
$$;

-- Agreements in force (GOV-INS-03) are ties of kind agreement whose [since, until] overlaps the
-- period, for the hub scope (ties carry no place). A project scope (scope_kind 'project',
-- scope_place its uuid) keeps the practices born in the project, the events presenting them and
-- their adoptions. Practices count from when they are known to exist: their registration or,
-- registered after the fact, the first event presenting them or the first step of an adoption.
-- The parameters are not called kind or place, which the events' own columns would shadow.
create or replace function transfer_indicators(scope_kind text, scope_place text, d_from date, d_to date)
returns jsonb language sql stable as $$
with places as (select scope_municipalities(scope_kind, scope_place) as names),
-- A project's practices: those born in it.
own as (select p.id from practices p
         where scope_kind = 'project' and p.origin_project_id::text = scope_place),
ev as (select e.* from events e, places
        where e.held_on between d_from and d_to
          and (scope_kind = 'hub' or e.municipality = any (places.names)
               or exists (select 1 from event_practices x join own on own.id = x.practice_id
                           where x.event_id = e.id))),
ad as (select a.*, adoption_status_on(a.id, d_to) as stage_on,
              (select min(t.changed_on) from adoption_transitions t where t.adoption_id = a.id)
                  as first_contact,
              (select min(t.changed_on) from adoption_transitions t
                where t.adoption_id = a.id and t.to_status = 'adopted') as adopted_on
         from adoptions a, places
        where scope_kind = 'hub' or a.municipality = any (places.names)
           or a.practice_id in (select id from own)),
-- A practice exists from its registration or, registered after the fact, from the first event
-- that presented it or the first step of an adoption of it, whichever came first.
known as (select p.*, least(p.created_at::date,
                            (select min(e.held_on) from event_practices x
                               join events e on e.id = x.event_id where x.practice_id = p.id),
                            (select min(t.changed_on) from adoptions a
                               join adoption_transitions t on t.adoption_id = a.id
                              where a.practice_id = p.id)) as known_on
            from practices p),
pr as (select p.* from known p
        where p.known_on <= d_to
          and (scope_kind = 'hub' or p.id in (select id from own)
               or (scope_kind <> 'project' and exists (select 1 from ad where ad.practice_id = p.id))
               or (scope_kind <> 'project'
                   and exists (select 1 from event_practices x join ev on ev.id = x.event_id
                                where x.practice_id = p.id)))),
took as (select (adopted_on - first_contact) as days from ad
          where adopted_on between d_from and d_to and first_contact is not null),
year_on as (select * from ad where adopted_on is not null
              and adopted_on <= (d_to - interval '12 months')::date)
select jsonb_build_object(
    'practices', (select count(*) from pr),
    -- Ties carry no place: given for the hub only.
    'agreements_in_force', case when scope_kind = 'hub' then (select count(*) from ties t
        where t.kind = 'agreement' and (t.since is null or t.since <= d_to)
          and (t.until is null or t.until >= d_from)) end,
    'practices_systematised', (select count(*) from pr
        where nullif(btrim(coalesce(objectives, '')), '') is not null
          and nullif(btrim(coalesce(activities, '')), '') is not null
          and nullif(btrim(coalesce(results, '')), '') is not null
          and nullif(btrim(coalesce(evaluation_approach, '')), '') is not null),
    'events_held', (select count(*) from ev),
    'seminars_held', (select count(*) from ev where kind = 'seminar'),
    'events_by_kind', (select coalesce(jsonb_object_agg(k, n), '{}') from
        (select kind as k, count(*) as n from ev group by kind) x),
    'attendees', (select coalesce(sum(a.people), 0) from event_attendees a
                   join ev on ev.id = a.event_id),
    'attending_organisations', (select count(distinct a.organisation_id) from event_attendees a
                                 join ev on ev.id = a.event_id),
    'adoptions_by_stage', (select coalesce(jsonb_object_agg(s, n), '{}') from
        (select stage_on as s, count(*) as n from ad where stage_on is not null group by 1) x),
    'municipalities_adopting', (select count(distinct municipality) from ad
        where municipality is not null and stage_on in ('piloting', 'adopted', 'sustained')),
    'adoptions_sustained_after_year', jsonb_build_object(
        'numerator', (select count(*) from year_on where stage_on in ('adopted', 'sustained')),
        'denominator', (select count(*) from year_on),
        'value', (select case when count(*) > 0 then round(count(*) filter (
                             where stage_on in ('adopted', 'sustained'))::numeric / count(*), 4)
                             ::float8 end from year_on)),
    'time_to_adoption', jsonb_build_object(
        'median_days', (select percentile_cont(0.5) within group (order by days) from took),
        'median_months', (select round((percentile_cont(0.5) within group (order by days)
                                        / 30.4375)::numeric, 2)::float8 from took),
        'n', (select count(*) from took)))
$$;
