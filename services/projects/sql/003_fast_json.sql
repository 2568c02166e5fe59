-- The JSON shapes, built by to_jsonb() over the whole row: the same fields as before at less than
-- half the cost per row (measured with pgbench on GET by id). Timestamps keep RFC 3339 in UTC
-- (the services' sessions run with TimeZone=UTC), written with a +00:00 offset.
CREATE OR REPLACE FUNCTION project_json(p project) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(p)
$$;

CREATE OR REPLACE FUNCTION organisation_json(o organisation) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(o) || jsonb_build_object('comarca',
        (SELECT comarca FROM municipality WHERE name = o.municipality))
$$;

CREATE OR REPLACE FUNCTION participant_json(x participant) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(x) || jsonb_build_object('organisation',
        (SELECT jsonb_build_object('id', o.id, 'name', o.name, 'type', o.type)
           FROM organisation o WHERE o.id = x.organisation_id))
$$;

CREATE OR REPLACE FUNCTION report_json(r report) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(r) || jsonb_build_object('reach_total', r.reach_fragile + r.reach_caregivers)
$$;
