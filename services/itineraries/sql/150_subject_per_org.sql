-- A person's identity-provider subject is unique within the organisation that cares for them, not
-- across organisations: a global unique key let one organisation learn, from a 409, that an
-- identity is cared for by another. The same subject may now be linked by several organisations;
-- /v1/me/* resolves it within the organisation named by the person's token (its org claim), and
-- without one only when exactly one organisation links it (me.c). Existing rows were unique
-- across organisations, so they are unique within each.
alter table persons drop constraint if exists persons_subject_key;
create unique index persons_subject_per_org on persons (subject, owner_org);
