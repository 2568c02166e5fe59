-- A caregiver's own record. A caregiver's burden assessments (Zarit) are the caregiver's data, not
-- the cared-for person's: the person's /v1/me/record leaves them out, and a caregiver linked to an
-- identity (caregivers.subject, set by the case manager like persons.subject) reads them in their
-- own /v1/me/record. A subject is unique within an organisation.

alter table caregivers add column if not exists subject text
    check (length(subject) between 1 and 200);
create unique index if not exists caregivers_org_subject on caregivers (owner_org, subject);
create index if not exists caregivers_subject on caregivers (subject) where subject is not null;

create or replace function caregiver_json(c caregivers) returns jsonb language sql stable as $$
    select jsonb_build_object('id', c.id, 'person_id', c.person_id, 'external_id', c.external_id,
        'owner_org', c.owner_org, 'relation', c.relation,
        'lives_with_person', c.lives_with_person, 'birth_year', c.birth_year, 'sex', c.sex,
        'main_caregiver', c.main_caregiver, 'notes', c.notes,
        'self_access', c.subject is not null,
        'latest_burden', (select jsonb_build_object('assessment_id', a.id,
                                                    'assessed_on', a.assessed_on,
                                                    'convention', a.convention,
                                                    'score', a.score::float8,
                                                    'band', jsonb_build_object('code', a.band_code,
                                                                               'label', a.band_label))
                            from assessments a
                           where a.caregiver_id = c.id and a.instrument = 'zarit'
                           order by a.assessed_on desc, a.created_at desc limit 1),
        'version', c.version, 'created_at', ts(c.created_at), 'updated_at', ts(c.updated_at))
$$;

-- What a caregiver reads about themselves: their caregiver record and their own assessments.
create or replace function caregiver_self_json(c caregivers) returns jsonb language sql stable as $$
    select caregiver_json(c) || jsonb_build_object(
        'assessments', coalesce((select jsonb_agg(assessment_json(a)
                                                  order by a.assessed_on desc, a.created_at desc)
                                   from assessments a where a.caregiver_id = c.id), '[]'))
$$;
