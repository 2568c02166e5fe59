-- A caregiver is shown with their latest burden assessment (Zarit), and the JSON shapes that
-- changed after 001 was first applied are defined again here, so that databases created from the
-- earlier 001 get them too.

create index if not exists assessments_caregiver
    on assessments (caregiver_id, assessed_on desc, created_at desc)
    where caregiver_id is not null;

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

create or replace function latest_assessments(pid uuid) returns jsonb language sql stable as $$
    select coalesce(jsonb_object_agg(l.instrument, assessment_json(l)
                                     || jsonb_build_object('band_code', l.band_code)), '{}'::jsonb)
      from (select distinct on (a.instrument) a.*
              from assessments a
             where a.person_id = pid and a.caregiver_id is null
             order by a.instrument, a.assessed_on desc, a.created_at desc) l
$$;

create or replace function caregiver_json(c caregivers) returns jsonb language sql stable as $$
    select jsonb_build_object('id', c.id, 'person_id', c.person_id, 'external_id', c.external_id,
        'owner_org', c.owner_org, 'relation', c.relation,
        'lives_with_person', c.lives_with_person, 'birth_year', c.birth_year, 'sex', c.sex,
        'main_caregiver', c.main_caregiver, 'notes', c.notes,
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
