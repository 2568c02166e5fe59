-- Aggregate figures of the itineraries of a scope and reporting period, for the evaluation
-- service (GET /v1/itineraries/indicators). Only counts, shares and medians leave; a figure
-- over fewer than 5 cases is suppressed when asked (researchers).

-- A share: numerator over denominator, value rounded to 4 decimals (null without cases).
create or replace function indicator_share(num bigint, den bigint, suppress boolean)
returns jsonb language sql immutable as $$
    select case when suppress and den < 5
                then jsonb_build_object('numerator', null, 'denominator', null, 'value', null,
                                        'suppressed', true)
                else jsonb_build_object('numerator', num, 'denominator', den,
                                        'value', case when den > 0
                                                      then round(num::numeric / den, 4)::float8 end,
                                        'suppressed', false) end
$$;

-- A median (or a mean) over n cases, value rounded to 2 decimals.
create or replace function indicator_stat(v numeric, n bigint, suppress boolean)
returns jsonb language sql immutable as $$
    select case when suppress and n < 5
                then jsonb_build_object('value', null, 'n', null, 'suppressed', true)
                else jsonb_build_object('value', round(v, 2)::float8, 'n', n,
                                        'suppressed', false) end
$$;

-- A Zarit score on the 0-88 convention (items 0-4); the 1-5 convention (22-110) less 22.
create or replace function zarit_0_88(score numeric, convention text)
returns numeric language sql immutable as $$
    select case convention when '1-5' then score - 22 else score end
$$;

-- An itinerary began on its activation or its first stage's actual start, whichever came first
-- (records entered after the fact keep their history). The wait for a first service runs from
-- the referral that led to the itinerary (its authored date) or, without one, from the earliest
-- assessment it is based on; itineraries with neither are left out. A service is new in the
-- period it entered the catalogue: its registration or, registered after the fact, the first
-- stage that used it.
create or replace function itinerary_indicators(kind text, place text, d_from date, d_to date,
                                                suppress boolean)
returns jsonb language sql stable as $$
with places as (select scope_municipalities(kind, place) as names),
persons_in as (
    select p.* from persons p, places
     where p.consent_withdrawn_at is null
       and (kind = 'hub' or p.municipality = any (places.names)
            or (kind = 'municipality' and p.municipality_code = place))),
-- Itineraries running at some time in the period.
began as (
    select i.*, least(i.started_at::date,
                      (select min(s.actual_start) from stages s where s.itinerary_id = i.id))
                as began_on
      from itineraries i join persons_in p on p.id = i.person_id
     where i.status <> 'draft'),
itins as (
    select * from began
     where began_on is not null and began_on <= d_to
       and (ended_at is null or ended_at::date >= d_from)),
joint as (
    select i.id, (select count(distinct lower(btrim(a.assessor))) from assessments a
                   where a.id = any (i.based_on)) as assessors
      from itins i),
stg as (select s.* from stages s join itins i on i.id = s.itinerary_id),
started as (select * from stg where actual_start between d_from and d_to
                                and planned_start is not null),
open_stages as (select * from stg where status in ('pending', 'in_progress', 'blocked')),
obst as (select o.* from obstacles o join itins i on i.id = o.itinerary_id
          where o.raised_at::date <= d_to
            and (o.resolved_at is null or o.resolved_at::date >= d_from)),
removed as (select extract(epoch from resolved_at - raised_at) / 86400.0 as days from obst
             where resolved_at::date between d_from and d_to),
-- The 12-month point of a person's first itinerary falls in the period.
first_start as (
    select p.id, p.living_situation, min(b.began_on) as began
      from persons_in p join began b on b.person_id = p.id
     where b.began_on is not null group by p.id, p.living_situation),
at_12 as (select * from first_start
           where (began + interval '12 months')::date between d_from and d_to),
-- Zarit assessments of the caregivers of the scope, up to the end of the period.
zarit as (
    select a.caregiver_id, a.assessed_on, a.created_at, zarit_0_88(a.score, a.convention) as s
      from assessments a join persons_in p on p.id = a.person_id
     where a.caregiver_id is not null and a.instrument = 'zarit' and a.score is not null
       and a.assessed_on <= d_to),
burden as (
    select caregiver_id,
           (array_agg(s order by assessed_on, created_at))[1] as first,
           (array_agg(s order by assessed_on desc, created_at desc))[1] as latest,
           count(*) as n,
           max(assessed_on) as last_on
      from zarit group by caregiver_id),
waits as (
    select min(s.actual_start) - w.since as days
      from (select i.id, coalesce(
                (select min(case when r.authored_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
                                 then left(r.authored_on, 10)::date end)
                   from referrals r where r.itinerary_id = i.id),
                (select min(a.assessed_on) from assessments a where a.id = any (i.based_on)))
                as since
              from itins i) w
      join stages s on s.itinerary_id = w.id
     where s.actual_start is not null and w.since is not null
     group by w.id, w.since
    having min(s.actual_start) between d_from and d_to),
-- A service is new in the period it entered the catalogue: its registration or, registered after
-- the fact, the first stage that used it, whichever came first.
new_services as (
    select sv.id from services sv, places
     where least(sv.created_at::date,
                 (select min(s.actual_start) from stages s where s.service_id = sv.id))
           between d_from and d_to
       and sv.status = 'active'
       and (kind = 'hub' or sv.coverage && places.names))
select jsonb_build_object(
    'persons_with_itinerary', jsonb_build_object('value',
        case when suppress and (select count(distinct person_id) from itins) < 5 then null
             else (select count(distinct person_id) from itins) end,
        'suppressed', suppress and (select count(distinct person_id) from itins) < 5),
    'case_manager', indicator_share(
        (select count(distinct person_id) from itins
          where nullif(btrim(coalesce(case_manager, '')), '') is not null),
        (select count(distinct person_id) from itins), suppress),
    'life_project', indicator_share(
        (select count(*) from itins
          where jsonb_typeof(life_project->'goals') = 'array'
            and jsonb_array_length(life_project->'goals') > 0),
        (select count(*) from itins), suppress),
    'joint_diagnosis', indicator_share(
        (select count(*) from joint where assessors >= 2), (select count(*) from joint), suppress),
    'stages_on_time', indicator_share(
        (select count(*) from started where actual_start <= planned_start),
        (select count(*) from started), suppress),
    'stages_overdue', indicator_share(
        (select count(*) from open_stages
          where coalesce(case when actual_start is null then planned_start end, planned_end) < d_to),
        (select count(*) from open_stages), suppress),
    'obstacles_removed', indicator_share((select count(*) from removed), (select count(*) from obst),
                                         suppress),
    'median_days_to_removal', indicator_stat(
        (select percentile_cont(0.5) within group (order by days) from removed)::numeric,
        (select count(*) from removed), suppress),
    'living_at_home_12_months', indicator_share(
        (select count(*) from at_12 where living_situation <> 'residential'),
        (select count(*) from at_12), suppress),
    'caregiver_burden_fell', indicator_share(
        (select count(*) from burden where n >= 2 and latest < first and last_on >= d_from),
        (select count(*) from burden where n >= 2 and last_on >= d_from), suppress),
    'caregiver_burden_mean', indicator_stat(
        (select avg(latest) from burden), (select count(*) from burden), suppress),
    'chose_not_to_choose', indicator_share(
        (select count(*) from itins where life_project->>'delegates_choices' = 'true'),
        (select count(*) from itins), suppress),
    'median_days_to_first_service', indicator_stat(
        (select percentile_cont(0.5) within group (order by days) from waits)::numeric,
        (select count(*) from waits), suppress),
    'new_services', jsonb_build_object('value', (select count(*) from new_services),
                                       'suppressed', false))
$$;
