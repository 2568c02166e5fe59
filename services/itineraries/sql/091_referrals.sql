-- Inbound referrals: a FHIR ServiceRequest received by an organisation, queued for triage by its
-- case managers. Only what triage needs is kept: the sender's identifier of the request (so that a
-- resubmission is recognised), the reason as text and codes, and the outcome. The person is the
-- pseudonymised row of persons; the submitted resources themselves are not stored.
create table referrals (
    id             uuid primary key default gen_random_uuid(),
    owner_org      uuid not null,   -- the receiving organisation
    person_id      uuid not null references persons (id) on delete cascade,
    source_system  text not null check (length(source_system) between 1 and 500),
    source_value   text not null check (length(source_value) between 1 and 200),
    priority       text check (priority in ('routine', 'urgent', 'asap', 'stat')),
    authored_on    text check (length(authored_on) <= 40),
    reason_text    text check (length(reason_text) <= 1000),
    reason_codes   jsonb not null default '[]' check (jsonb_typeof(reason_codes) = 'array'),
    status         text not null default 'queued'
                       check (status in ('queued', 'accepted', 'declined')),
    decline_reason text check (length(decline_reason) between 1 and 1000),
    itinerary_id   uuid references itineraries (id) on delete set null,
    decided_at     timestamptz,
    version        int not null default 1,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    unique (owner_org, source_system, source_value),
    check ((status = 'declined') = (decline_reason is not null))
);
create index referrals_org_page on referrals (owner_org, created_at, id);
create index referrals_org_status_page on referrals (owner_org, status, created_at, id);
create trigger referrals_touch before update on referrals
    for each row execute function touch_row();

create or replace function referral_json(f referrals) returns jsonb language sql stable as $$
    select jsonb_build_object('id', f.id, 'owner_org', f.owner_org, 'person_id', f.person_id,
        'identifier', jsonb_build_object('system', f.source_system, 'value', f.source_value),
        'priority', f.priority, 'authored_on', f.authored_on,
        'reason', jsonb_build_object('text', f.reason_text, 'codes', f.reason_codes),
        'status', f.status, 'decline_reason', f.decline_reason,
        'itinerary_id', f.itinerary_id, 'decided_at', ts(f.decided_at),
        'version', f.version, 'created_at', ts(f.created_at), 'updated_at', ts(f.updated_at))
$$;

-- The referring system learns the outcome through the change feed.
CREATE TRIGGER referrals_outbox AFTER INSERT OR UPDATE OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION outbox_record('referral', 'true');
