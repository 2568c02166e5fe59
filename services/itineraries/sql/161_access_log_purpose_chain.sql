-- The access log records why each read was made, and is tamper-evident.
--
-- purpose: the purpose of use the reader stated (X-Purpose-Of-Use or the token's purpose claim;
-- self_access for a person reading their own record). NULL only on rows written before it existed.
--
-- Hash chain, per person: seq numbers a person's entries 1, 2, 3, ...; hash is
-- sha256(prev_hash || canonical text of the row), prev_hash the hash of the person's previous entry
-- (NULL for the first). A BEFORE INSERT trigger computes them under a per-person advisory lock, so
-- two reads of the same person at once still make one chain; no insert path can skip it.
-- access_log_verify(person) recomputes the chain: a changed field, a removed or reordered entry
-- breaks it at that entry.

alter table access_log add column if not exists purpose text;
alter table access_log add column if not exists seq bigint;
alter table access_log add column if not exists prev_hash bytea;
alter table access_log add column if not exists hash bytea;

-- Every field of the entry that a reader sees, in a fixed order and spelling.
create or replace function access_log_canonical(a access_log) returns text
language sql immutable as $$
    select jsonb_build_array(a.person_id, a.seq, ts(a.at), a.actor, a.actor_org,
                             to_jsonb(a.actor_roles), a.action, a.resource, a.request_id,
                             a.purpose)::text
$$;

create or replace function access_log_link(a access_log) returns bytea
language sql immutable as $$
    select sha256(coalesce(a.prev_hash, '\x'::bytea) || convert_to(access_log_canonical(a), 'UTF8'))
$$;

create or replace function access_log_chain() returns trigger
language plpgsql volatile as $$
declare
    last_seq  bigint;
    last_hash bytea;
begin
    perform pg_advisory_xact_lock(hashtextextended('access_log:' || new.person_id::text, 0));
    select a.seq, a.hash into last_seq, last_hash
      from access_log a where a.person_id = new.person_id
     order by a.seq desc limit 1;
    new.at := coalesce(new.at, now());
    new.seq := coalesce(last_seq, 0) + 1;
    new.prev_hash := last_hash;
    new.hash := access_log_link(new);
    return new;
end $$;

-- Entries written before the chain: linked once, in the order they were written.
alter table access_log disable trigger access_log_append_only;
do $$
declare
    r         record;
    cur       uuid;
    n         bigint;
    prev      bytea;
    row_now   access_log;
begin
    for r in select id, person_id from access_log where hash is null order by person_id, id loop
        if cur is distinct from r.person_id then
            cur := r.person_id;
            select coalesce(max(a.seq), 0) into n from access_log a
             where a.person_id = cur and a.hash is not null;
            select a.hash into prev from access_log a
             where a.person_id = cur and a.hash is not null order by a.seq desc limit 1;
        end if;
        n := n + 1;
        update access_log set seq = n, prev_hash = prev where id = r.id;
        select * into row_now from access_log where id = r.id;
        prev := access_log_link(row_now);
        update access_log set hash = prev where id = r.id;
    end loop;
end $$;
alter table access_log enable trigger access_log_append_only;

alter table access_log alter column seq set not null;
alter table access_log alter column hash set not null;
create unique index if not exists access_log_person_seq on access_log (person_id, seq);

drop trigger if exists access_log_chain on access_log;
create trigger access_log_chain before insert on access_log
    for each row execute function access_log_chain();

create or replace function access_log_json(a access_log) returns jsonb language sql stable as $$
    select jsonb_build_object('id', a.id, 'at', ts(a.at), 'actor', a.actor,
        'actor_org', a.actor_org, 'actor_roles', to_jsonb(a.actor_roles), 'action', a.action,
        'resource', a.resource, 'purpose', a.purpose, 'seq', a.seq,
        'hash', encode(a.hash, 'hex'))
$$;

-- The chain of one person's entries, recomputed: valid, how many entries, the first one that
-- does not hold (its seq, and why), and the hash of the last one.
create or replace function access_log_verify(pid uuid) returns jsonb
language sql stable as $$
    with c as (
        select a.seq, a.hash,
               row_number() over w as n,
               a.prev_hash is not distinct from lag(a.hash) over w as linked,
               a.hash = access_log_link(a) as sealed
          from access_log a where a.person_id = pid
        window w as (order by a.seq)
    ), bad as (
        select seq, case when seq <> n then 'an entry before this one is missing'
                         when not linked then 'prev_hash is not the hash of the entry before'
                         else 'the entry does not match its hash' end as reason
          from c where seq <> n or not linked or not sealed
         order by seq limit 1
    )
    select jsonb_build_object(
        'person_id', pid,
        'valid', not exists (select 1 from bad),
        'entries', (select count(*) from c),
        'head', (select encode(hash, 'hex') from c order by seq desc limit 1),
        'first_broken', (select jsonb_build_object('seq', seq, 'reason', reason) from bad),
        'algorithm', 'sha256(prev_hash || canonical entry), per person, in seq order')
$$;
