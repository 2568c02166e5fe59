-- NDJSON pushes of transfer events (POST /v1/transfer/events/bulk): each line is upserted by
-- (owner, external_id) through event_save, in its own subtransaction, so that a line refused by a
-- rule leaves the others written. Answers one row per line in the shape the bulk engine reads:
-- (line, id, action created | updated | error, pointer, detail).
create or replace function event_bulk(p_owner uuid, p_chunk jsonb)
returns table (line int, id uuid, action text, pointer text, detail text)
language plpgsql as $$
declare
    item jsonb;
    v_existing uuid;
    v_state text;
begin
    for item in select * from jsonb_array_elements(p_chunk) loop
        line := (item->>'i')::int;
        id := null;
        pointer := null;
        detail := null;
        begin
            select e.id into v_existing from events e
             where e.owner_org = p_owner and e.external_id = item->'d'->>'external_id';
            select s.id into id from event_save(v_existing, p_owner, false, null, item->'d') s;
            action := case when v_existing is null then 'created' else 'updated' end;
        exception
            when raise_exception then
                get stacked diagnostics detail = message_text, pointer = pg_exception_hint;
                action := 'error';
            when others then
                get stacked diagnostics v_state = returned_sqlstate;
                action := 'error';
                if v_state = '23514' then
                    pointer := '/ends_on';
                    detail := 'must not be before held_on';
                else
                    pointer := '';
                    detail := 'could not be stored';
                end if;
        end;
        return next;
    end loop;
end $$;
