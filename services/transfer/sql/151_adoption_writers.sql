-- Adoptions are written only for a scope the writer owns or takes part in. A new adoption names
-- the caller's own organisation as adopter, unless the practice is the caller's (its owner or lead
-- organisation records who took it up) or the service cleared the caller (an admin, or an
-- organisation taking part in the practice's origin project, asked of the projects service:
-- adoptions.c). The adopter an adoption names may change it as its owner does, so that an
-- adoption recorded on its behalf is never out of its reach. (001_init.sql's function otherwise.)
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
        -- Squatting: naming another organisation as adopter is for the practice's own
        -- organisations (owner or lead), or a writer the service has cleared (p_writes_all).
        if not p_writes_all
           and (p_body->>'adopter_organisation_id')::uuid is distinct from p_owner
           and not exists (select 1 from practices p
                            where p.id = (p_body->>'practice_id')::uuid
                              and p_owner in (p.owner_org, p.lead_organisation_id)) then
            raise exception 'may name only the caller''s own organisation, unless the practice '
                'is the caller''s' using errcode = 'P0001', hint = '/adopter_organisation_id';
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
         where a.id = p_id
           and (p_writes_all or p_owner in (a.owner_org, a.adopter_organisation_id))
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
