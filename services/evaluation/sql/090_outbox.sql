-- Change feed: writes of the evaluation service's resources are recorded in the outbox
-- (common/sql/002_outbox.sql). Responses come from people: person-level.
CREATE TRIGGER indicator_values_outbox AFTER INSERT OR UPDATE OR DELETE ON indicator_values
    FOR EACH ROW EXECUTE FUNCTION outbox_record('indicator_value', 'false');
CREATE TRIGGER campaigns_outbox AFTER INSERT OR UPDATE OR DELETE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION outbox_record('campaign', 'false');
CREATE TRIGGER responses_outbox AFTER INSERT OR UPDATE OR DELETE ON responses
    FOR EACH ROW EXECUTE FUNCTION outbox_record('response', 'true');
