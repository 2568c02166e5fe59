-- Change feed: writes of the itineraries service's resources are recorded in the outbox
-- (common/sql/002_outbox.sql). Everything about a person is person-level: researchers never see
-- those changes. Stages belong to their itinerary's organisation.
CREATE TRIGGER persons_outbox AFTER INSERT OR UPDATE OR DELETE ON persons
    FOR EACH ROW EXECUTE FUNCTION outbox_record('person', 'true');
CREATE TRIGGER caregivers_outbox AFTER INSERT OR UPDATE OR DELETE ON caregivers
    FOR EACH ROW EXECUTE FUNCTION outbox_record('caregiver', 'true');
CREATE TRIGGER assessments_outbox AFTER INSERT OR UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION outbox_record('assessment', 'true');
CREATE TRIGGER itineraries_outbox AFTER INSERT OR UPDATE OR DELETE ON itineraries
    FOR EACH ROW EXECUTE FUNCTION outbox_record('itinerary', 'true');
CREATE TRIGGER stages_outbox AFTER INSERT OR UPDATE OR DELETE ON stages
    FOR EACH ROW EXECUTE FUNCTION outbox_record('stage', 'true', 'itinerary_id', 'itineraries');
CREATE TRIGGER services_outbox AFTER INSERT OR UPDATE OR DELETE ON services
    FOR EACH ROW EXECUTE FUNCTION outbox_record('service', 'false');
CREATE TRIGGER templates_outbox AFTER INSERT OR UPDATE OR DELETE ON templates
    FOR EACH ROW EXECUTE FUNCTION outbox_record('template', 'false');
