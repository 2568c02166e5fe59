-- Change feed: every write of the projects service's resources is recorded in the outbox
-- (common/sql/002_outbox.sql). Participants and reports belong to their project's organisation.
CREATE TRIGGER organisation_outbox AFTER INSERT OR UPDATE OR DELETE ON organisation
    FOR EACH ROW EXECUTE FUNCTION outbox_record('organisation', 'false');
CREATE TRIGGER project_outbox AFTER INSERT OR UPDATE OR DELETE ON project
    FOR EACH ROW EXECUTE FUNCTION outbox_record('project', 'false');
CREATE TRIGGER participant_outbox AFTER INSERT OR UPDATE OR DELETE ON participant
    FOR EACH ROW EXECUTE FUNCTION outbox_record('participant', 'false', 'project_id', 'project');
CREATE TRIGGER report_outbox AFTER INSERT OR UPDATE OR DELETE ON report
    FOR EACH ROW EXECUTE FUNCTION outbox_record('report', 'false', 'project_id', 'project');
