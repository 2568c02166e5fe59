-- Monitoring reports: figures that can be trusted.
--
-- * Reach is cumulative: a project's reach_fragile and reach_caregivers in a period are at least
--   those of the report just before it and at most those of the report just after it, in the
--   order of the index report_order below. A report that lowers a figure says so: correction = true with a
--   correction_reason; every replaced version of a report is kept in report_history.
-- * "The latest report" of a project is defined once, by that order (latest_reports below): the period that ends
--   later; for equal ends the one that started later ('2026-H2' is later than '2026'). The hub
--   summary reads latest_reports().
ALTER TABLE report ADD COLUMN IF NOT EXISTS correction boolean NOT NULL DEFAULT false;
ALTER TABLE report ADD COLUMN IF NOT EXISTS correction_reason text;
ALTER TABLE report ADD CONSTRAINT report_correction_reason
    CHECK (NOT correction OR coalesce(length(correction_reason), 0) > 0);

DROP INDEX IF EXISTS report_latest;
CREATE INDEX report_order ON report (project_id, period_end DESC, period_start DESC);

-- The latest report of each project, among those ending by until (all of them when NULL).
CREATE FUNCTION latest_reports(until date) RETURNS SETOF report LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (r.project_id) r.*
      FROM report r WHERE until IS NULL OR r.period_end <= until
     ORDER BY r.project_id, r.period_end DESC, r.period_start DESC
$$;

CREATE FUNCTION report_check_cumulative() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    prev report;
    next report;
    pointers text[] := '{}';
    details text[] := '{}';
    hint text := ' (a report that corrects an earlier figure sends correction: true and a correction_reason)';
BEGIN
    IF NEW.correction THEN
        RETURN NEW;
    END IF;
    SELECT * INTO prev FROM report r
     WHERE r.project_id = NEW.project_id AND r.id <> NEW.id
       AND (r.period_end, r.period_start) < (NEW.period_end, NEW.period_start)
     ORDER BY r.period_end DESC, r.period_start DESC LIMIT 1;
    SELECT * INTO next FROM report r
     WHERE r.project_id = NEW.project_id AND r.id <> NEW.id
       AND (r.period_end, r.period_start) > (NEW.period_end, NEW.period_start)
     ORDER BY r.period_end, r.period_start LIMIT 1;
    IF prev.reach_fragile > NEW.reach_fragile THEN
        pointers := pointers || '/reach_fragile'::text;
        details := details || format('is cumulative: must be at least %s, the figure of %s%s',
                                     prev.reach_fragile, prev.period, hint);
    ELSIF next.reach_fragile < NEW.reach_fragile THEN
        pointers := pointers || '/reach_fragile'::text;
        details := details || format('is cumulative: must be at most %s, the figure of the later period %s',
                                     next.reach_fragile, next.period);
    END IF;
    IF prev.reach_caregivers > NEW.reach_caregivers THEN
        pointers := pointers || '/reach_caregivers'::text;
        details := details || format('is cumulative: must be at least %s, the figure of %s%s',
                                     prev.reach_caregivers, prev.period, hint);
    ELSIF next.reach_caregivers < NEW.reach_caregivers THEN
        pointers := pointers || '/reach_caregivers'::text;
        details := details || format('is cumulative: must be at most %s, the figure of the later period %s',
                                     next.reach_caregivers, next.period);
    END IF;
    IF cardinality(pointers) > 0 THEN
        RAISE EXCEPTION '%', array_to_string(details, E'\n')
            USING ERRCODE = 'P0001', HINT = array_to_string(pointers, E'\n');
    END IF;
    RETURN NEW;
END $$;
-- Named to fire after report_period (triggers of a row fire in name order), which sets the bounds.
CREATE TRIGGER report_reach_cumulative BEFORE INSERT OR UPDATE ON report
    FOR EACH ROW EXECUTE FUNCTION report_check_cumulative();

-- Every version of a report that a later one replaced, with the correction it carried; the
-- history goes with the report when it is deleted.
CREATE TABLE report_history (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id        uuid NOT NULL,
    project_id       uuid NOT NULL,
    period           text NOT NULL,
    version          int NOT NULL,
    status           text NOT NULL,
    spend            numeric(14, 2),
    reach_fragile    int NOT NULL,
    reach_caregivers int NOT NULL,
    correction       boolean NOT NULL,
    correction_reason text,
    valid_from       timestamptz NOT NULL,
    valid_to         timestamptz NOT NULL DEFAULT now(),
    operation        text NOT NULL CHECK (operation = 'update')
);
CREATE INDEX report_history_report ON report_history (report_id, id);

CREATE FUNCTION report_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM report_history WHERE report_id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO report_history (report_id, project_id, period, version, status, spend,
                                reach_fragile, reach_caregivers, correction, correction_reason,
                                valid_from, operation)
    VALUES (OLD.id, OLD.project_id, OLD.period, OLD.version, OLD.status, OLD.spend,
            OLD.reach_fragile, OLD.reach_caregivers, OLD.correction, OLD.correction_reason,
            OLD.updated_at, lower(TG_OP));
    RETURN NULL;
END $$;
CREATE TRIGGER report_history AFTER UPDATE OR DELETE ON report
    FOR EACH ROW EXECUTE FUNCTION report_keep_history();
