-- Change feed: writes of the transfer service's resources are recorded in the outbox
-- (common/sql/002_outbox.sql).
CREATE TRIGGER practices_outbox AFTER INSERT OR UPDATE OR DELETE ON practices
    FOR EACH ROW EXECUTE FUNCTION outbox_record('practice', 'false');
CREATE TRIGGER events_outbox AFTER INSERT OR UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION outbox_record('event', 'false');
CREATE TRIGGER guides_outbox AFTER INSERT OR UPDATE OR DELETE ON guides
    FOR EACH ROW EXECUTE FUNCTION outbox_record('guide', 'false');
CREATE TRIGGER adoptions_outbox AFTER INSERT OR UPDATE OR DELETE ON adoptions
    FOR EACH ROW EXECUTE FUNCTION outbox_record('adoption', 'false');
CREATE TRIGGER ties_outbox AFTER INSERT OR UPDATE OR DELETE ON ties
    FOR EACH ROW EXECUTE FUNCTION outbox_record('tie', 'false');
