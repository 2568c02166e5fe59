-- An organisation answers its municipality with the place's ids (INE code) and its comarca with
-- its slug, beside the names it answered before (common/sql/004_place_codes.sql).
CREATE OR REPLACE FUNCTION organisation_json(o organisation) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(o) || coalesce((SELECT jsonb_build_object('comarca', m.comarca, 'municipality_code', m.code,
                                                              'comarca_slug', m.comarca_slug)
                                      FROM municipality m WHERE m.name = o.municipality),
                                   '{"comarca": null, "municipality_code": null, "comarca_slug": null}')
$$;
