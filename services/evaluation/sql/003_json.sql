-- JSON shapes of the evaluation API, built here once. lang is 'eu', 'es', 'en' or 'all' (the
-- three translations as an object, for editing).

CREATE FUNCTION ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- A translatable text in one language (English when missing), or all of them.
CREATE FUNCTION tr(t jsonb, lang text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN t IS NULL THEN 'null'::jsonb
                WHEN lang = 'all' THEN t
                ELSE coalesce(t->lang, t->'en') END
$$;

CREATE FUNCTION framework_json(f frameworks, lang text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', f.id, 'code', f.code, 'name', tr(f.name, lang),
        'description', tr(f.description, lang), 'owner_org', f.owner_org,
        'indicator_count', (SELECT count(*) FROM indicators i WHERE i.framework_id = f.id),
        'version', f.version, 'created_at', ts(f.created_at), 'updated_at', ts(f.updated_at))
$$;

CREATE FUNCTION indicator_json(i indicators, lang text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', i.id, 'framework_id', i.framework_id, 'code', i.code,
        'dimension', (SELECT d.code FROM dimensions d WHERE d.id = i.dimension_id),
        'sub_dimension', (SELECT s.code FROM sub_dimensions s WHERE s.id = i.sub_dimension_id),
        'position', i.position, 'name', tr(i.name, lang), 'description', tr(i.description, lang),
        'kind', i.kind, 'unit', i.unit, 'direction', i.direction, 'min_value', i.min_value,
        'max_value', i.max_value, 'baseline', i.baseline, 'target', i.target,
        'threshold_low', i.threshold_low, 'threshold_high', i.threshold_high,
        'compute_key', i.compute_key, 'version', i.version, 'created_at', ts(i.created_at),
        'updated_at', ts(i.updated_at))
$$;

-- A framework with its dimensions, their sub-dimensions and indicators.
CREATE FUNCTION framework_tree_json(f frameworks, lang text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT framework_json(f, lang) || jsonb_build_object('dimensions', coalesce((
        SELECT jsonb_agg(jsonb_build_object('id', d.id, 'code', d.code, 'position', d.position,
                   'name', tr(d.name, lang), 'description', tr(d.description, lang),
                   'weight', d.weight,
                   'sub_dimensions', coalesce((
                       SELECT jsonb_agg(jsonb_build_object('id', s.id, 'code', s.code,
                                  'name', tr(s.name, lang), 'description', tr(s.description, lang))
                                  ORDER BY s.position, s.code)
                         FROM sub_dimensions s WHERE s.dimension_id = d.id), '[]'),
                   'indicators', coalesce((
                       SELECT jsonb_agg(indicator_json(i, lang) ORDER BY i.position, i.code)
                         FROM indicators i WHERE i.dimension_id = d.id), '[]'))
               ORDER BY d.position, d.code)
          FROM dimensions d WHERE d.framework_id = f.id), '[]'))
$$;

CREATE FUNCTION indicator_value_json(v indicator_values) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', v.id, 'indicator_id', v.indicator_id,
        'indicator_code', (SELECT code FROM indicators WHERE id = v.indicator_id),
        'scope_type', v.scope_type, 'scope_id', v.scope_id, 'period', v.period,
        'period_start', v.period_start, 'value', v.value, 'value_text', v.value_text,
        'source', v.source, 'evidence', v.evidence, 'owner_org', v.owner_org,
        'recorded_by', v.recorded_by, 'version', v.version, 'created_at', ts(v.created_at),
        'updated_at', ts(v.updated_at))
$$;

CREATE FUNCTION item_json(i items, lang text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', i.id, 'code', i.code, 'position', i.position,
        'section', (SELECT s.code FROM questionnaire_sections s WHERE s.id = i.section_id),
        'text', tr(i.text, lang),
        'scale', jsonb_build_object('min', i.scale_min, 'max', i.scale_max,
            'labels', (SELECT coalesce(jsonb_agg(tr(l, lang) ORDER BY n), '[]')
                         FROM jsonb_array_elements(i.scale_labels) WITH ORDINALITY AS x(l, n))),
        'allow_comment', i.allow_comment, 'indicator_id', i.indicator_id)
$$;

CREATE FUNCTION questionnaire_json(q questionnaires, lang text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', q.id, 'code', q.code, 'title', tr(q.title, lang),
        'description', tr(q.description, lang), 'owner_org', q.owner_org,
        'sections', coalesce((SELECT jsonb_agg(jsonb_build_object('code', s.code,
                         'title', tr(s.title, lang), 'description', tr(s.description, lang))
                         ORDER BY s.position, s.code)
                    FROM questionnaire_sections s WHERE s.questionnaire_id = q.id), '[]'),
        'items', coalesce((SELECT jsonb_agg(item_json(i, lang) ORDER BY i.position, i.code)
                    FROM items i WHERE i.questionnaire_id = q.id), '[]'),
        'version', q.version, 'created_at', ts(q.created_at), 'updated_at', ts(q.updated_at))
$$;

CREATE FUNCTION campaign_status(c campaigns) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN c.closed_at IS NOT NULL OR now() >= c.closes_at THEN 'closed'
                WHEN now() < c.opens_at THEN 'scheduled'
                ELSE 'open' END
$$;

CREATE FUNCTION campaign_json(c campaigns) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', c.id, 'questionnaire_id', c.questionnaire_id, 'code', c.code,
        'title', c.title, 'scope_type', c.scope_type, 'scope_id', c.scope_id, 'period', c.period,
        'opens_at', ts(c.opens_at), 'closes_at', ts(c.closes_at), 'closed_at', ts(c.closed_at),
        'status', campaign_status(c), 'roles', to_jsonb(c.roles),
        'min_group_size', c.min_group_size, 'consensus_at', c.consensus_at,
        'divergence_below', c.divergence_below, 'owner_org', c.owner_org,
        'version', c.version, 'created_at', ts(c.created_at), 'updated_at', ts(c.updated_at))
$$;

CREATE FUNCTION response_json(r responses) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', r.id, 'campaign_id', r.campaign_id, 'role', r.role,
        'submitted_at', ts(r.submitted_at),
        'answers', coalesce((SELECT jsonb_agg(jsonb_build_object('item', i.code, 'item_id', i.id,
                         'value', a.value, 'comment', a.comment) ORDER BY i.position, i.code)
                    FROM answers a JOIN items i ON i.id = a.item_id
                   WHERE a.response_id = r.id), '[]'),
        'version', r.version, 'created_at', ts(r.created_at), 'updated_at', ts(r.updated_at))
$$;

-- Who may read a campaign's data: roles that see everything, or its own organisation.
CREATE FUNCTION campaign_readable(c campaigns, caller_org uuid, sees_all boolean)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT sees_all OR c.owner_org = caller_org
$$;
