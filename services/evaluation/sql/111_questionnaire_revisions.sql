-- Questionnaire revisions, free-text and optional items, campaigns of one section.
--
-- Items are fixed once created (answers refer to the text that was asked), so a questionnaire
-- whose items change gets a new revision instead: its items carry the revision they belong to,
-- the questionnaire shows the items of its current revision, and each campaign keeps the
-- revision that was current when it was created. A campaign created before this migration asks
-- revision 1, and its answers and results stay as they were.
--
-- An item is 'likert' (an answer on its scale) or 'text' (a free-text answer, no scale). An item
-- that is not required may be left blank: the response simply has no answer for it, so n is
-- counted per item. A campaign may run one section of its questionnaire alone.

ALTER TABLE questionnaires ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1);

ALTER TABLE items
    ADD COLUMN revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    ADD COLUMN kind text NOT NULL DEFAULT 'likert' CHECK (kind IN ('likert', 'text')),
    ADD COLUMN required boolean NOT NULL DEFAULT true,
    ALTER COLUMN scale_min DROP NOT NULL,
    ALTER COLUMN scale_max DROP NOT NULL,
    ALTER COLUMN scale_labels DROP NOT NULL,
    ADD CONSTRAINT items_kind_scale CHECK (
        (kind = 'likert') = (scale_min IS NOT NULL AND scale_max IS NOT NULL
                             AND scale_labels IS NOT NULL));
CREATE INDEX items_revision ON items (questionnaire_id, revision, position);

ALTER TABLE campaigns
    ADD COLUMN questionnaire_revision integer,
    ADD COLUMN section text CHECK (section ~ '^[A-Z0-9][A-Z0-9_-]{0,19}$');
UPDATE campaigns SET questionnaire_revision = 1;
ALTER TABLE campaigns ALTER COLUMN questionnaire_revision SET NOT NULL;

-- A new campaign asks the questionnaire's current revision; a section it runs alone must be one
-- of that revision's sections with items.
CREATE FUNCTION campaign_pin_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.questionnaire_id IS DISTINCT FROM OLD.questionnaire_id THEN
        NEW.questionnaire_revision := (SELECT q.revision FROM questionnaires q
                                        WHERE q.id = NEW.questionnaire_id);
    END IF;
    IF NEW.section IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM items i JOIN questionnaire_sections s ON s.id = i.section_id
         WHERE i.questionnaire_id = NEW.questionnaire_id
           AND i.revision = NEW.questionnaire_revision AND s.code = NEW.section) THEN
        RAISE EXCEPTION 'is not a section of this questionnaire with items to ask'
            USING HINT = '/section';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER campaigns_pin_revision BEFORE INSERT OR UPDATE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION campaign_pin_revision();

-- The items a campaign asks: its questionnaire's items of its revision, of its section if any.
CREATE FUNCTION campaign_items(c campaigns) RETURNS SETOF items
LANGUAGE sql STABLE AS $$
    SELECT i.* FROM items i
     WHERE i.questionnaire_id = c.questionnaire_id AND i.revision = c.questionnaire_revision
       AND (c.section IS NULL OR i.section_id = (SELECT s.id FROM questionnaire_sections s
                                                  WHERE s.questionnaire_id = c.questionnaire_id
                                                    AND s.code = c.section))
     ORDER BY i.position, i.code
$$;

-- A free-text answer has text_value and no value; a Likert answer the other way round.
ALTER TABLE answers
    ALTER COLUMN value DROP NOT NULL,
    ADD COLUMN text_value text CHECK (length(btrim(text_value)) BETWEEN 1 AND 2000),
    ADD CONSTRAINT answers_value_or_text CHECK ((value IS NULL) <> (text_value IS NULL));

-- The counters count Likert answers only.
CREATE OR REPLACE FUNCTION count_answers_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO answer_counts AS c (campaign_id, item_id, role, value, n)
    SELECT campaign_id, item_id, role, value, count(*)
      FROM new_answers WHERE value IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (campaign_id, item_id, role, value) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION count_answers_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE answer_counts c SET n = c.n - d.n
      FROM (SELECT campaign_id, item_id, role, value, count(*) AS n
              FROM old_answers WHERE value IS NOT NULL
             GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4) d
     WHERE (c.campaign_id, c.item_id, c.role, c.value) = (d.campaign_id, d.item_id, d.role, d.value);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION count_answers_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO answer_counts AS c (campaign_id, item_id, role, value, n)
    SELECT campaign_id, item_id, role, value, sum(delta)
      FROM (SELECT campaign_id, item_id, role, value, 1 AS delta FROM new_answers
             WHERE value IS NOT NULL
            UNION ALL
            SELECT campaign_id, item_id, role, value, -1 FROM old_answers
             WHERE value IS NOT NULL) d
     GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (campaign_id, item_id, role, value) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END
$$;

-- JSON shapes -------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION item_json(i items, lang text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', i.id, 'code', i.code, 'position', i.position,
        'section', (SELECT s.code FROM questionnaire_sections s WHERE s.id = i.section_id),
        'text', tr(i.text, lang), 'kind', i.kind, 'required', i.required,
        'revision', i.revision,
        'scale', CASE WHEN i.kind = 'text' THEN NULL ELSE jsonb_build_object(
            'min', i.scale_min, 'max', i.scale_max,
            'labels', (SELECT coalesce(jsonb_agg(tr(l, lang) ORDER BY n), '[]')
                         FROM jsonb_array_elements(i.scale_labels) WITH ORDINALITY AS x(l, n)))
            END,
        'allow_comment', i.allow_comment, 'indicator_id', i.indicator_id)
$$;

CREATE OR REPLACE FUNCTION questionnaire_json(q questionnaires, lang text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', q.id, 'code', q.code, 'title', tr(q.title, lang),
        'description', tr(q.description, lang), 'owner_org', q.owner_org,
        'revision', q.revision,
        'sections', coalesce((SELECT jsonb_agg(jsonb_build_object('code', s.code,
                         'title', tr(s.title, lang), 'description', tr(s.description, lang))
                         ORDER BY s.position, s.code)
                    FROM questionnaire_sections s WHERE s.questionnaire_id = q.id), '[]'),
        'items', coalesce((SELECT jsonb_agg(item_json(i, lang) ORDER BY i.position, i.code)
                    FROM items i WHERE i.questionnaire_id = q.id AND i.revision = q.revision),
                    '[]'),
        'version', q.version, 'created_at', ts(q.created_at), 'updated_at', ts(q.updated_at))
$$;

CREATE OR REPLACE FUNCTION campaign_json(c campaigns) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', c.id, 'questionnaire_id', c.questionnaire_id,
        'questionnaire_revision', c.questionnaire_revision, 'section', c.section, 'code', c.code,
        'title', c.title, 'scope_type', c.scope_type, 'scope_id', c.scope_id, 'period', c.period,
        'opens_at', ts(c.opens_at), 'closes_at', ts(c.closes_at), 'closed_at', ts(c.closed_at),
        'status', campaign_status(c), 'roles', to_jsonb(c.roles),
        'min_group_size', c.min_group_size, 'consensus_at', c.consensus_at,
        'divergence_below', c.divergence_below, 'owner_org', c.owner_org,
        'version', c.version, 'created_at', ts(c.created_at), 'updated_at', ts(c.updated_at))
$$;

CREATE OR REPLACE FUNCTION response_json(r responses) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', r.id, 'campaign_id', r.campaign_id, 'role', r.role,
        'submitted_at', ts(r.submitted_at),
        'answers', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('item', i.code,
                         'item_id', i.id, 'value', a.value, 'text', a.text_value))
                         || jsonb_build_object('comment', a.comment) ORDER BY i.position, i.code)
                    FROM answers a JOIN items i ON i.id = a.item_id
                   WHERE a.response_id = r.id), '[]'),
        'version', r.version, 'created_at', ts(r.created_at), 'updated_at', ts(r.updated_at))
$$;
